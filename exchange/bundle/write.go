package bundle

import (
	"bufio"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"

	"filippo.io/age"

	"hocso/store"
)

// Source is what a bundle is written from: its header and its events, which
// each calls fn for in order. *store.Store provides both through ExportSource.
type Source struct {
	Header Header
	Each   func(ctx context.Context, fn func(store.Event) error) error
}

// ExportSource is the source of an export of s over r.
func ExportSource(s *store.Store, r store.ExportRange, id string, created func() Header) Source {
	h := created()
	h.Format, h.Version, h.BundleID = formatName, Version, id
	h.DeviceID, h.FromSeq, h.ToSeq = r.DeviceID, r.FromSeq, r.ToSeq
	h.Events, h.Profiles, h.Learners, h.First, h.Last = r.Events, r.Profiles, r.Learners, r.First, r.Last
	return Source{Header: h, Each: func(ctx context.Context, fn func(store.Event) error) error {
		return s.ExportEvents(ctx, r, func(_ int64, ev store.Event) error { return fn(ev) })
	}}
}

// Write writes a bundle of src to w, encrypted to recipient, or plain when
// recipient is nil. It returns the checksum written into the trailer.
func Write(ctx context.Context, w io.Writer, recipient age.Recipient, src Source) (string, error) {
	var sealed io.WriteCloser
	if recipient == nil {
		if _, err := io.WriteString(w, plainMagic); err != nil {
			return "", err
		}
		sealed = nopCloser{w}
	} else {
		var err error
		if sealed, err = age.Encrypt(w, recipient); err != nil {
			return "", fmt.Errorf("encrypt bundle: %w", err)
		}
	}
	zw, _ := gzip.NewWriterLevel(sealed, gzip.BestSpeed)
	sum := sha256.New()
	lw := &lineWriter{w: bufio.NewWriterSize(io.MultiWriter(zw, sum), 64<<10), sum: sum}
	if err := lw.line(src.Header); err != nil {
		return "", err
	}
	n := 0
	err := src.Each(ctx, func(ev store.Event) error {
		n++
		return lw.line(ev)
	})
	if err != nil {
		return "", err
	}
	if n != src.Header.Total() {
		return "", fmt.Errorf("bundle header says %d events, %d were written", src.Header.Total(), n)
	}
	if err := lw.w.Flush(); err != nil {
		return "", err
	}
	checksum := hex.EncodeToString(sum.Sum(nil))
	t, _ := json.Marshal(trailer{End: true, Events: n, SHA256: checksum})
	if _, err := zw.Write(append(t, '\n')); err != nil {
		return "", err
	}
	if err := zw.Close(); err != nil {
		return "", err
	}
	if err := sealed.Close(); err != nil {
		return "", err
	}
	return checksum, nil
}

type lineWriter struct {
	w   *bufio.Writer
	sum hash.Hash
}

func (l *lineWriter) line(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if _, err := l.w.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("write bundle: %w", err)
	}
	return nil
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// WriteFile writes a file for a person atomically: into a temporary file
// beside path, synced, then renamed over path, so that a stick pulled out
// too early leaves either the old file or the new one, never half of one.
func WriteFile(path string, perm os.FileMode, write func(io.Writer) error) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return err
	}
	bw := bufio.NewWriterSize(tmp, 256<<10)
	if err := write(bw); err != nil {
		tmp.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // best effort: not every file system can sync a directory
		d.Close()
	}
	return nil
}
