package bundle

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"filippo.io/age"

	"hocso/store"
)

// Device settings of sending by folder.
const (
	// MetaOfficeKey holds the office's public key (age1…).
	MetaOfficeKey = "sync_office_key"
	// MetaLastFolder is the folder a bundle was last written to.
	MetaLastFolder = "sync_last_folder"
)

// ErrNoOfficeKey: the device has no office key, so it cannot encrypt.
var ErrNoOfficeKey = errors.New("no office key is set up on this device")

// OfficeKey is the office public key set up on s, or nil.
func OfficeKey(ctx context.Context, s *store.Store) (*age.X25519Recipient, error) {
	v, err := s.Meta(ctx, MetaOfficeKey)
	if err != nil || v == "" {
		return nil, err
	}
	return ParsePublicKey(v)
}

// Folder is a place a learner can write a bundle to.
type Folder struct {
	Path       string `json:"path"`
	Removable  bool   `json:"removable"`
	Remembered bool   `json:"remembered"`
}

// Folders are where a bundle can go: removable drives first, then the folder
// used last time (marked, and first among drives when it is one of them).
func Folders(ctx context.Context, s *store.Store, getenv func(string) string) []Folder {
	last, _ := s.Meta(ctx, MetaLastFolder)
	var out []Folder
	seen := map[string]bool{}
	for _, p := range removableDrives(getenv) {
		if !seen[p] {
			seen[p] = true
			out = append(out, Folder{Path: p, Removable: true, Remembered: p == last})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Remembered && !out[j].Remembered })
	if last != "" && !seen[last] {
		if fi, err := os.Stat(last); err == nil && fi.IsDir() {
			out = append(out, Folder{Path: last, Remembered: true})
		}
	}
	return out
}

// mountedUnder lists the directories inside each root, the way Linux desktops
// mount USB drives (/media/USER/LABEL, /run/media/USER/LABEL) or admins do (/mnt/X).
func mountedUnder(roots ...string) []string {
	var out []string
	for _, root := range roots {
		entries, err := os.ReadDir(root)
		if err != nil {
			continue
		}
		for _, e := range entries {
			p := filepath.Join(root, e.Name())
			if fi, err := os.Stat(p); err == nil && fi.IsDir() && !strings.HasPrefix(e.Name(), ".") {
				out = append(out, p)
			}
		}
	}
	return out
}

// SendResult is what SendToFolder did.
type SendResult struct {
	Path     string `json:"path"`     // the bundle written; "" when nothing was waiting
	Written  int    `json:"written"`  // records in it
	Receipts int    `json:"receipts"` // receipts of this device found and applied
	Acked    int    `json:"acked"`    // records they acknowledged
	Pending  int    `json:"pending"`  // records still waiting for a receipt
}

// SendToFolder is the learner's "send" action on a folder (a USB drive): it
// applies every receipt of this device found there (and removes it with the
// bundle it confirms), then writes a bundle of what is still unacknowledged,
// encrypted to the office key, and remembers the folder. Receipts and
// bundles of other devices on a shared drive are left alone.
func SendToFolder(ctx context.Context, s *store.Store, dir string) (SendResult, error) {
	var res SendResult
	office, err := OfficeKey(ctx, s)
	if err != nil {
		return res, err
	}
	if office == nil {
		return res, ErrNoOfficeKey
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return res, fmt.Errorf("%s: %w", dir, os.ErrNotExist)
	}
	receipts, _ := filepath.Glob(filepath.Join(dir, "*"+ReceiptExt))
	for _, p := range receipts {
		rc, err := ReadReceiptFile(p)
		if err != nil || rc.DeviceID != s.DeviceID() {
			continue
		}
		ack, err := s.Acknowledge(ctx, rc.Ack(Destination(rc.OfficeKey)))
		if err != nil {
			continue // a mismatched receipt: the next bundle covers its records
		}
		// The office has the bundle: its copy on the drive is personal data
		// that need not travel any more, and the receipt has done its work.
		os.Remove(strings.TrimSuffix(p, ReceiptExt) + Ext)
		os.Remove(p)
		if !ack.Already {
			res.Receipts++
			res.Acked += ack.Acknowledged
		}
	}
	if err := s.SetMeta(ctx, MetaLastFolder, dir); err != nil {
		return res, err
	}
	path := filepath.Join(dir, FileName(s.DeviceID(), s.Now()))
	h, err := ExportFile(ctx, s, path, office, false)
	switch {
	case errors.Is(err, ErrNothingToSend):
	case err != nil:
		return res, err
	default:
		res.Path, res.Written = path, h.Total()
	}
	st, err := s.SyncStatus(ctx)
	res.Pending = st.Pending
	return res, err
}
