package bundle

import (
	"bytes"
	"context"
	"testing"

	"filippo.io/age"
)

// FuzzReadBundle feeds arbitrary bytes to the bundle reader and, when they
// read as a complete bundle, to an import: nothing may panic, a bundle is
// either refused or read whole, and an accepted one imports every event.
func FuzzReadBundle(f *testing.F) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		f.Fatal(err)
	}
	plain := bundleBytes(f, nil, nil)
	enc := bundleBytes(f, id.Recipient(), nil)
	f.Add(plain)
	f.Add(enc)
	f.Add(plain[:len(plain)/2])
	f.Add(enc[:len(enc)-17])
	f.Add([]byte(plainMagic))
	f.Add([]byte(ageMagic + "-> X25519 abc\n--- def\n"))
	f.Add([]byte("PK\x03\x04"))
	office := openStore(f, "office")
	opt := ReadOptions{Identities: []age.Identity{id}, AllowPlain: true}
	f.Fuzz(func(t *testing.T, data []byte) {
		rd, err := NewReader(bytes.NewReader(data), opt)
		if err != nil {
			return
		}
		res, err := office.ImportEvents(context.Background(), rd.Events())
		if err != nil {
			return
		}
		if res.New+res.Duplicate != rd.Header.Total() || rd.Checksum() == "" {
			t.Fatalf("accepted a bundle of %d events as %d new + %d duplicate", rd.Header.Total(), res.New, res.Duplicate)
		}
	})
}
