package bundle

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"filippo.io/age"
	"github.com/google/uuid"

	"hocso/store"
)

// Destination names the place records go to, for store's per-destination status.
func Destination(officeKey string) string {
	if officeKey == "" {
		return "bundle:plain"
	}
	return "bundle:" + officeKey
}

// ErrNothingToSend is returned by ExportFile when no record waits: no file is written.
var ErrNothingToSend = errors.New("no records waiting to be sent")

// ExportFile writes a bundle of the records no receipt has acknowledged (all
// records when all is true) to path, encrypted to office (plain when nil),
// atomically, and notes the export for the status. It acknowledges nothing.
func ExportFile(ctx context.Context, s *store.Store, path string, office *age.X25519Recipient, all bool) (Header, error) {
	r, err := s.PlanExport(ctx, all)
	if err != nil {
		return Header{}, err
	}
	if r.Total() == 0 {
		return Header{}, ErrNothingToSend
	}
	src := ExportSource(s, r, uuid.Must(uuid.NewV7()).String(), func() Header {
		return Header{Created: s.Now().UTC()}
	})
	var recipient age.Recipient
	key := ""
	if office != nil {
		recipient, key = office, office.String()
	}
	err = WriteFile(path, 0o600, func(w io.Writer) error {
		_, err := Write(ctx, w, recipient, src)
		return err
	})
	if err != nil {
		return Header{}, fmt.Errorf("write %s: %w", path, err)
	}
	return src.Header, s.NoteExport(ctx, Destination(key), r)
}

// ImportResult is what importing one bundle did.
type ImportResult struct {
	Path    string             `json:"path"`
	Header  Header             `json:"header"`
	Result  store.ImportResult `json:"result"`
	Receipt Receipt            `json:"receipt"`
}

// ImportFile verifies, decrypts and stores one bundle in one transaction. A
// bundle that fails any check is refused whole and changes nothing.
func ImportFile(ctx context.Context, s *store.Store, path string, opt ReadOptions) (ImportResult, error) {
	out := ImportResult{Path: path}
	f, err := os.Open(path)
	if err != nil {
		return out, err
	}
	defer f.Close()
	rd, err := NewReader(f, opt)
	if err != nil {
		return out, err
	}
	out.Header = rd.Header
	if out.Result, err = s.ImportEvents(ctx, rd.Events()); err != nil {
		return out, err
	}
	officeKey := ""
	if rd.Encrypted && len(opt.Identities) > 0 {
		if id, ok := opt.Identities[0].(*age.X25519Identity); ok {
			officeKey = id.Recipient().String()
		}
	}
	out.Receipt = NewReceipt(rd.Header, rd.Checksum(), out.Result, s.DeviceID(), officeKey, s.Now())
	return out, nil
}

// ReceiptPath is where the receipt of the bundle at path goes by default: beside it.
func ReceiptPath(bundlePath string) string {
	return strings.TrimSuffix(bundlePath, filepath.Ext(bundlePath)) + ReceiptExt
}

// WriteReceiptFile writes a receipt atomically.
func WriteReceiptFile(path string, r Receipt) error {
	return WriteFile(path, 0o644, func(w io.Writer) error { return WriteReceipt(w, r) })
}

// ReadReceiptFile reads a receipt file.
func ReadReceiptFile(path string) (Receipt, error) {
	f, err := os.Open(path)
	if err != nil {
		return Receipt{}, err
	}
	defer f.Close()
	return ReadReceipt(f)
}

// AckFile applies the receipt at path to s.
func AckFile(ctx context.Context, s *store.Store, path string) (Receipt, store.AckResult, error) {
	rc, err := ReadReceiptFile(path)
	if err != nil {
		return rc, store.AckResult{}, err
	}
	res, err := s.Acknowledge(ctx, rc.Ack(Destination(rc.OfficeKey)))
	return rc, res, err
}

// FileName is a bundle's default name: the device and the time, so that
// bundles of many PCs can share one folder.
func FileName(deviceID string, at time.Time) string {
	short := deviceID
	if len(short) > 8 {
		short = short[len(short)-8:]
	}
	return "hocso-" + short + "-" + at.UTC().Format("20060102-150405") + Ext
}
