package bundle

import (
	"errors"
	"fmt"
	"time"
)

// File name extensions of bundles and receipts.
const (
	Ext        = ".hocsync"
	ReceiptExt = ".hocreceipt"
)

// Version is the bundle format this build writes and the newest it reads.
const Version = 1

const (
	formatName = "hocsync"
	plainMagic = "hocsync-plain/1\n"
	ageMagic   = "age-encryption.org/v1\n"
	// maxLine bounds one event line, so a damaged file cannot make the reader
	// hold an unbounded line in memory.
	maxLine = 4 << 20
)

// Errors a bundle is refused with; match them with errors.Is.
var (
	ErrWrongFormat = errors.New("not a hocso bundle")
	ErrNewerFormat = errors.New("bundle from a newer hocso")
	// ErrDamaged is either of the two below; an encrypted bundle cut inside
	// its last block cannot be told apart from a changed one.
	ErrDamaged     = errors.New("bundle is damaged")
	ErrTruncated   = fmt.Errorf("%w: cut short", ErrDamaged)
	ErrTampered    = fmt.Errorf("%w: changed after it was written", ErrDamaged)
	ErrOtherOffice = errors.New("bundle is encrypted to another office's key")
	ErrNeedKey     = errors.New("bundle is encrypted and no office key was given")
	ErrPlain       = errors.New("bundle is not encrypted")
)

// Header is the first line of a bundle: who wrote it and what it holds.
type Header struct {
	Format   string    `json:"format"` // always "hocsync"
	Version  int       `json:"version"`
	BundleID string    `json:"bundle_id"`
	DeviceID string    `json:"device_id"`
	Created  time.Time `json:"created"`
	FromSeq  int64     `json:"from_seq"` // the device's records with seq in (FromSeq, ToSeq]
	ToSeq    int64     `json:"to_seq"`
	Events   int       `json:"events"`   // events of the range
	Profiles int       `json:"profiles"` // earlier profiles sent along
	Learners int       `json:"learners"`
	First    time.Time `json:"first"`
	Last     time.Time `json:"last"`
}

// Total is the number of event lines in the bundle.
func (h Header) Total() int { return h.Events + h.Profiles }

// trailer is the last line: a checksum over every line before it.
type trailer struct {
	End    bool   `json:"end"`
	Events int    `json:"events"`
	SHA256 string `json:"sha256"`
}

const trailerPrefix = `{"end":`
