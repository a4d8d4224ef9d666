package bundle

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"hocso/store"
)

// ErrNotReceipt is returned for a file that is not a receipt hocso can read.
var ErrNotReceipt = errors.New("not a hocso receipt")

const receiptFormat = "hocsync-receipt"

// Receipt is what an office writes after importing a bundle: that it stored
// the device's records FromSeq < seq ≤ ToSeq (Events of them). It holds no
// personal data, only ids and counts, so it travels unencrypted.
type Receipt struct {
	Format         string    `json:"format"`
	Version        int       `json:"version"`
	BundleID       string    `json:"bundle_id"`
	BundleSHA256   string    `json:"bundle_sha256"`
	DeviceID       string    `json:"device_id"`
	FromSeq        int64     `json:"from_seq"`
	ToSeq          int64     `json:"to_seq"`
	Events         int       `json:"events"`
	New            int       `json:"new"`
	Duplicate      int       `json:"duplicate"`
	OfficeDeviceID string    `json:"office_device_id"`
	OfficeKey      string    `json:"office_key,omitempty"` // the public key the bundle was encrypted to
	Imported       time.Time `json:"imported"`
}

// NewReceipt is the receipt for an imported bundle.
func NewReceipt(h Header, checksum string, res store.ImportResult, office, officeKey string, at time.Time) Receipt {
	return Receipt{
		Format: receiptFormat, Version: Version, BundleID: h.BundleID, BundleSHA256: checksum,
		DeviceID: h.DeviceID, FromSeq: h.FromSeq, ToSeq: h.ToSeq, Events: h.Events,
		New: res.New, Duplicate: res.Duplicate, OfficeDeviceID: office, OfficeKey: officeKey, Imported: at.UTC(),
	}
}

// Ack is what the receipt acknowledges, for store.Acknowledge.
func (r Receipt) Ack(destination string) store.Ack {
	return store.Ack{Destination: destination, DeviceID: r.DeviceID, FromSeq: r.FromSeq, ToSeq: r.ToSeq, Count: r.Events}
}

// WriteReceipt writes r as indented JSON.
func WriteReceipt(w io.Writer, r Receipt) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// ReadReceipt reads and checks a receipt.
func ReadReceipt(r io.Reader) (Receipt, error) {
	var rc Receipt
	dec := json.NewDecoder(io.LimitReader(r, 1<<20))
	if err := dec.Decode(&rc); err != nil || rc.Format != receiptFormat {
		return rc, ErrNotReceipt
	}
	if rc.Version > Version {
		return rc, fmt.Errorf("%w: receipt format %d", ErrNewerFormat, rc.Version)
	}
	if rc.DeviceID == "" || rc.ToSeq < rc.FromSeq || rc.Events < 0 {
		return rc, fmt.Errorf("%w: incomplete", ErrNotReceipt)
	}
	return rc, nil
}
