package bundle

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"filippo.io/age"

	"hocso/store"
)

func openStore(t testing.TB, name string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), filepath.Join(t.TempDir(), name+".db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// learnOn records a learner's small history on s.
func learnOn(t testing.TB, s *store.Store, name string) store.Learner {
	t.Helper()
	ctx := context.Background()
	l, err := s.CreateLearner(ctx, store.ProfilePayload{FullName: name, UnitPath: "Hà Nội / Phường Ba Đình"})
	if err != nil {
		t.Fatal(err)
	}
	pack := store.PackRef{ID: "nq52", Version: "1.0.0", Hash: "sha256:x"}
	for _, les := range []string{"l1", "l2"} {
		if err := s.OpenLesson(ctx, l.ID, pack, "m1", les); err != nil {
			t.Fatal(err)
		}
	}
	a, err := s.StartAttempt(ctx, l.ID, pack, "m1", "quiz", 7, []string{"q1"}, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RecordAnswer(ctx, a, pack, "q1", store.AnsweredPayload{Answer: []byte(`{"choices":["a"]}`), Score: 1, MaxScore: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SubmitAttempt(ctx, a, pack, 1); err != nil {
		t.Fatal(err)
	}
	return l
}

func newKey(t testing.TB) (*age.X25519Identity, *age.X25519Recipient) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "office.key")
	pub, err := GenerateKey(path, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	id, err := ReadPrivateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	return id, pub
}

func TestExportImportAck(t *testing.T) {
	ctx := context.Background()
	id, pub := newKey(t)
	device, office := openStore(t, "device"), openStore(t, "office")
	learnOn(t, device, "Nguyễn Thị Lan")
	learnOn(t, device, "Trần Văn Nam")
	path := filepath.Join(t.TempDir(), FileName(device.DeviceID(), time.Now()))
	h, err := ExportFile(ctx, device, path, pub, false)
	if err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("bundle mode = %v, want 0600 (it holds personal data)", fi.Mode().Perm())
	}
	raw, _ := os.ReadFile(path)
	if bytes.Contains(raw, []byte("Nguy")) || !bytes.HasPrefix(raw, []byte(ageMagic)) {
		t.Fatal("bundle is not encrypted")
	}
	res, err := ImportFile(ctx, office, path, ReadOptions{Identities: []age.Identity{id}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Result.New != h.Total() || len(res.Result.Learners) != 2 || res.Receipt.Events != h.Events {
		t.Fatalf("import = %+v, header %+v", res.Result, h)
	}
	again, err := ImportFile(ctx, office, path, ReadOptions{Identities: []age.Identity{id}})
	if err != nil || again.Result.New != 0 || again.Result.Duplicate != h.Total() {
		t.Fatalf("second import = %+v, %v; want all duplicates", again.Result, err)
	}
	receipt := ReceiptPath(path)
	if err := WriteReceiptFile(receipt, res.Receipt); err != nil {
		t.Fatal(err)
	}
	// The receipt belongs to device, not to the office.
	if _, _, err := AckFile(ctx, office, receipt); !errors.Is(err, store.ErrAckOtherDevice) {
		t.Errorf("office acknowledged a device's receipt: %v", err)
	}
	_, ack, err := AckFile(ctx, device, receipt)
	if err != nil || ack.Acknowledged != h.Events || ack.Pending != 0 {
		t.Fatalf("ack = %+v, %v", ack, err)
	}
	st, _ := device.SyncStatus(ctx)
	if st.Pending != 0 || st.LastSent.IsZero() || len(st.Destinations) != 1 || st.Destinations[0].Name != Destination(pub.String()) {
		t.Fatalf("status after ack = %+v", st)
	}
}

// bundleBytes writes a bundle of a small history, encrypted to pub or plain.
func bundleBytes(t testing.TB, pub age.Recipient, edit func(*Header)) []byte {
	t.Helper()
	s := openStore(t, "device")
	learnOn(t, s, "Lê Văn Hùng")
	r, err := s.PlanExport(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	src := ExportSource(s, r, "0190b7a2-0000-7000-8000-000000000001", func() Header { return Header{Created: time.Now()} })
	if edit != nil {
		edit(&src.Header)
	}
	var buf bytes.Buffer
	if _, err := Write(context.Background(), &buf, pub, src); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// readAll reads a bundle through to the verified end.
func readAll(data []byte, opt ReadOptions) (int, error) {
	rd, err := NewReader(bytes.NewReader(data), opt)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, err := range rd.Events() {
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// changeLastEvent returns a plain bundle whose last event has one digit of
// its id changed, compressed again: well-formed, but not what was written.
func changeLastEvent(t *testing.T, plain []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(plain[len(plainMagic):]))
	if err != nil {
		t.Fatal(err)
	}
	text, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimSuffix(text, []byte("\n")), []byte("\n"))
	last := lines[len(lines)-2] // the line before the trailer
	i := bytes.Index(last, []byte(`"id":"`)) + len(`"id":"`)
	if i < len(`"id":"`) || last[i] < '0' || last[i] > '9' {
		t.Fatalf("the last event's id does not start with a digit: %s", last)
	}
	last[i] = '0' + (last[i]-'0'+1)%10
	var out bytes.Buffer
	out.WriteString(plainMagic)
	zw := gzip.NewWriter(&out)
	zw.Write(append(bytes.Join(lines, []byte("\n")), '\n'))
	zw.Close()
	return out.Bytes()
}

func TestRefusedWhole(t *testing.T) {
	id, pub := newKey(t)
	otherID, _ := newKey(t)
	withKey := ReadOptions{Identities: []age.Identity{id}}
	enc := bundleBytes(t, pub, nil)
	plain := bundleBytes(t, nil, nil)
	flip := func(b []byte, at int) []byte { c := bytes.Clone(b); c[at] ^= 0x20; return c }
	for _, tc := range []struct {
		name string
		data []byte
		opt  ReadOptions
		want error
	}{
		{"empty", nil, withKey, ErrWrongFormat},
		{"a text file", []byte("Báo cáo tháng 6\n"), withKey, ErrWrongFormat},
		{"a zip", []byte("PK\x03\x04 rest of a zip file ............"), withKey, ErrWrongFormat},
		{"another office", enc, ReadOptions{Identities: []age.Identity{otherID}}, ErrOtherOffice},
		{"no key", enc, ReadOptions{}, ErrNeedKey},
		{"plain when a key is expected", plain, withKey, ErrPlain},
		// age cannot tell a stream cut inside its last chunk from a changed one.
		{"encrypted cut short", enc[:len(enc)-40], withKey, ErrDamaged},
		{"encrypted cut in the header", enc[:60], withKey, ErrDamaged},
		{"encrypted changed", flip(enc, len(enc)-30), withKey, ErrDamaged},
		{"plain cut short", plain[:len(plain)-10], ReadOptions{}, ErrTruncated},
		// A byte flipped in the compressed stream may read as a cut as well as
		// a change, depending on the content: the change is made in the text.
		{"plain changed", changeLastEvent(t, plain), ReadOptions{}, ErrTampered},
		{"plain changed is damaged", flip(plain, len(plain)-20), ReadOptions{}, ErrDamaged},
		{"plain cut is damaged", plain[:len(plain)-10], ReadOptions{}, ErrDamaged},
		{"newer format", bundleBytes(t, pub, func(h *Header) { h.Version = Version + 1 }), withKey, ErrNewerFormat},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readAll(tc.data, tc.opt)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
	if n, err := readAll(plain, ReadOptions{Identities: []age.Identity{id}, AllowPlain: true}); err != nil || n == 0 {
		t.Fatalf("plain bundle with AllowPlain: %d events, %v", n, err)
	}
}

// TestEveryCutIsRefused cuts a plain and an encrypted bundle at every length:
// none may read as complete.
func TestEveryCutIsRefused(t *testing.T) {
	id, pub := newKey(t)
	for _, tc := range []struct {
		data []byte
		opt  ReadOptions
	}{
		{bundleBytes(t, nil, nil), ReadOptions{}},
		{bundleBytes(t, pub, nil), ReadOptions{Identities: []age.Identity{id}}},
	} {
		step := max(1, len(tc.data)/300)
		for n := 0; n < len(tc.data); n += step {
			if _, err := readAll(tc.data[:n], tc.opt); err == nil {
				t.Fatalf("bundle cut to %d of %d bytes was read as complete", n, len(tc.data))
			}
		}
		if _, err := readAll(tc.data, tc.opt); err != nil {
			t.Fatalf("whole bundle: %v", err)
		}
	}
}

func TestImportRefusedChangesNothing(t *testing.T) {
	ctx := context.Background()
	id, pub := newKey(t)
	office := openStore(t, "office")
	data := bundleBytes(t, pub, nil)
	path := filepath.Join(t.TempDir(), "cut"+Ext)
	os.WriteFile(path, data[:len(data)-25], 0o600)
	if _, err := ImportFile(ctx, office, path, ReadOptions{Identities: []age.Identity{id}}); !errors.Is(err, ErrDamaged) {
		t.Fatalf("import of a cut bundle: %v", err)
	}
	if ls, _ := office.Learners(ctx); len(ls) != 0 {
		t.Fatalf("a refused bundle left %d learners", len(ls))
	}
	if st, _ := office.SyncStatus(ctx); st.Pending != 0 {
		t.Fatalf("a refused bundle left %d records", st.Pending)
	}
}

func TestKeys(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "office.key")
	pub, err := GenerateKey(path, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("private key mode = %v, want 0600", fi.Mode().Perm())
	}
	if _, err := GenerateKey(path, time.Now()); !errors.Is(err, os.ErrExist) {
		t.Errorf("second keygen over the same file: %v", err)
	}
	got, err := ReadPublicKey(path + ".pub")
	if err != nil || got.String() != pub.String() {
		t.Fatalf("public key = %v, %v", got, err)
	}
	if _, err := ReadPublicKey(path); !errors.Is(err, ErrPrivateGiven) {
		t.Errorf("private key as public: %v", err)
	}
	if _, err := ReadPrivateKey(path + ".pub"); !errors.Is(err, ErrNotPrivateKey) {
		t.Errorf("public key as private: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "x"), []byte("hello\n"), 0o644)
	if _, err := ReadPublicKey(filepath.Join(dir, "x")); !errors.Is(err, ErrNotPublicKey) {
		t.Errorf("text as public key: %v", err)
	}
}

func TestReceiptRefusals(t *testing.T) {
	for _, in := range []string{"", "{}", `{"format":"other"}`, "PK\x03\x04",
		`{"format":"hocsync-receipt","version":1,"device_id":"","to_seq":3}`} {
		if _, err := ReadReceipt(bytes.NewReader([]byte(in))); !errors.Is(err, ErrNotReceipt) {
			t.Errorf("ReadReceipt(%q) = %v", in, err)
		}
	}
	if _, err := ReadReceipt(bytes.NewReader([]byte(fmt.Sprintf(`{"format":"hocsync-receipt","version":%d,"device_id":"d"}`, Version+1)))); !errors.Is(err, ErrNewerFormat) {
		t.Errorf("newer receipt: %v", err)
	}
}
