package lessons

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"aead.dev/minisign"
	"golang.org/x/crypto/blake2b"
	"golang.org/x/crypto/scrypt"
)

func newKey(t *testing.T) (minisign.PrivateKey, minisign.PublicKey, []byte, []byte) {
	t.Helper()
	sec, pub, id, err := GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	sk, err := ParseSecretKey(sec, "")
	if err != nil {
		t.Fatal(err)
	}
	pk, err := ParsePublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	if KeyID(sk.ID()) != id || KeyID(pk.ID()) != id {
		t.Fatalf("key ids %s, %s; want %s", KeyID(sk.ID()), KeyID(pk.ID()), id)
	}
	return sk, pk, sec, pub
}

func TestSignAndVerify(t *testing.T) {
	data := miniArchive(t)
	sk, pk, _, _ := newKey(t)
	_, other, _, _ := newKey(t)
	sig := Sign(data, sk, "mini\x1b[31m.hocpack", time.Unix(1700000000, 0))

	info, err := Verify(data, sig, []minisign.PublicKey{other, pk})
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if info.KeyID != KeyID(pk.ID()) || !strings.Contains(info.TrustedComment, "timestamp:1700000000") ||
		strings.Contains(info.TrustedComment, "\x1b") {
		t.Errorf("info = %+v", info)
	}
	tampered := bytes.Clone(data)
	tampered[len(tampered)/2] ^= 1
	if _, err := Verify(tampered, sig, []minisign.PublicKey{pk}); !errors.Is(err, ErrBadSignature) {
		t.Errorf("tampered archive: %v; want ErrBadSignature", err)
	}
	if _, err := Verify(data, sig, []minisign.PublicKey{other}); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("untrusted key: %v; want ErrUnknownKey", err)
	}
	if _, err := Verify(data, sig, nil); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("no trusted keys: %v; want ErrUnknownKey", err)
	}
	forged := bytes.Replace(sig, []byte("timestamp:1700000000"), []byte("timestamp:1800000000"), 1)
	if _, err := Verify(data, forged, []minisign.PublicKey{pk}); !errors.Is(err, ErrBadSignature) {
		t.Errorf("changed trusted comment: %v; want ErrBadSignature", err)
	}
	if _, err := Verify(data, []byte("not a signature"), []minisign.PublicKey{pk}); err == nil ||
		errors.Is(err, ErrUnknownKey) || errors.Is(err, ErrBadSignature) {
		t.Errorf("garbage signature: %v", err)
	}
	crlf := bytes.ReplaceAll(sig, []byte("\n"), []byte("\r\n")) // copied through a Windows editor
	if _, err := Verify(data, crlf, []minisign.PublicKey{pk}); err != nil {
		t.Errorf("CRLF signature: %v", err)
	}
}

// keyWithID makes a key pair whose key id is id, as anyone may.
func keyWithID(t *testing.T, seed byte, id uint64) (minisign.PrivateKey, minisign.PublicKey) {
	t.Helper()
	random := append(bytes.Repeat([]byte{seed}, 32), binary.LittleEndian.AppendUint64(nil, id)...)
	sec, pub, _, err := GenerateKey(bytes.NewReader(random))
	if err != nil {
		t.Fatal(err)
	}
	sk, _ := ParseSecretKey(sec, "")
	pk, _ := ParsePublicKey(pub)
	return sk, pk
}

// TestVerifyUsesTheWholeKey: a rogue key given the trainer's key id neither
// verifies the trainer's packs nor gets its own verified by the trainer's key.
func TestVerifyUsesTheWholeKey(t *testing.T) {
	data := miniArchive(t)
	realSK, realPK := keyWithID(t, 1, 0x0123)
	rogueSK, roguePK := keyWithID(t, 2, 0x0123)
	if realPK.ID() != roguePK.ID() || realPK.Equal(roguePK) {
		t.Fatal("the keys should share an id and differ")
	}
	realSig := Sign(data, realSK, "a.hocpack", time.Now())
	rogueSig := Sign(data, rogueSK, "a.hocpack", time.Now())
	if _, err := Verify(data, rogueSig, []minisign.PublicKey{realPK}); !errors.Is(err, ErrBadSignature) {
		t.Errorf("the rogue key's signature with the real key trusted: %v", err)
	}
	if _, err := Verify(data, realSig, []minisign.PublicKey{roguePK}); !errors.Is(err, ErrBadSignature) {
		t.Errorf("the real signature with only the rogue key trusted: %v", err)
	}
	info, err := Verify(data, realSig, []minisign.PublicKey{roguePK, realPK})
	if err != nil || info.PublicKey != realPK.String() || info.KeyID != "0000000000000123" {
		t.Errorf("both keys trusted: %+v, %v", info, err)
	}
}

func TestParseKeys(t *testing.T) {
	_, pk, sec, pub := newKey(t)
	line := strings.TrimSpace(strings.Split(string(pub), "\n")[1])
	for _, text := range []string{string(pub), line, "  " + line + "\r\n"} {
		got, err := ParsePublicKey([]byte(text))
		if err != nil || !got.Equal(pk) {
			t.Errorf("ParsePublicKey(%q) = %v", text, err)
		}
	}
	if _, err := ParsePublicKey([]byte("untrusted comment: x\nAAAA\n")); err == nil {
		t.Error("a short key was accepted")
	}
	if _, err := ParseSecretKey(pub, ""); err == nil {
		t.Error("a public key was accepted as a secret key")
	}
	if _, err := ParseSecretKey(bytes.ReplaceAll(sec, []byte("\n"), []byte("\r\n")), ""); err != nil {
		t.Errorf("CRLF secret key: %v", err)
	}
	enc := encryptCheaply(t, sec, "mật khẩu")
	if _, err := ParseSecretKey(enc, ""); !errors.Is(err, ErrKeyEncrypted) {
		t.Errorf("encrypted key without password: %v; want ErrKeyEncrypted", err)
	}
	if k, err := ParseSecretKey(enc, "mật khẩu"); err != nil || k.ID() != pk.ID() {
		t.Errorf("encrypted key with the password: %v", err)
	}
	if _, err := ParseSecretKey(enc, "sai mật khẩu"); err == nil {
		t.Error("a wrong password decrypted the key")
	}
}

// encryptCheaply encrypts a secret key file as minisign does, but with the
// lowest scrypt cost, where minisign's default needs 1 GiB and seconds.
func encryptCheaply(t *testing.T, sec []byte, password string) []byte {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(string(sec)), "\n")
	b, err := base64.StdEncoding.DecodeString(lines[len(lines)-1])
	if err != nil || len(b) != 158 {
		t.Fatalf("secret key: %v", err)
	}
	const ops, mem = 1 << 15, 1 << 20 // scrypt N=1024, r=8, p=1 under minisign's conversion
	copy(b[2:], "Sc")
	binary.LittleEndian.PutUint64(b[38:], ops)
	binary.LittleEndian.PutUint64(b[46:], mem)
	var message [74]byte
	copy(message[:2], "Ed")
	copy(message[2:], b[54:126])
	sum := blake2b.Sum256(message[:])
	copy(b[126:], sum[:])
	stream, err := scrypt.Key([]byte(password), b[6:38], 1024, 8, 1, 104)
	if err != nil {
		t.Fatal(err)
	}
	for i, k := range stream {
		b[54+i] ^= k
	}
	return []byte("untrusted comment: minisign encrypted secret key\n" + base64.StdEncoding.EncodeToString(b) + "\n")
}

func TestKeyIDs(t *testing.T) {
	if got := KeyID(0x00ab); got != "00000000000000AB" {
		t.Errorf("KeyID = %s", got)
	}
	for _, s := range []string{"ab", "AB", "00000000000000AB", " ab "} {
		if n, err := ParseKeyID(s); err != nil || n != 0xab {
			t.Errorf("ParseKeyID(%q) = %x, %v", s, n, err)
		}
	}
}

// minisignTool returns the minisign program, or skips the test with why.
func minisignTool(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("minisign")
	if err != nil {
		t.Skip("minisign is not on PATH: install it (apt-get install minisign; .ci/run does) to test interoperability with the minisign tool")
	}
	return path
}

func runTool(t *testing.T, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Stdin = strings.NewReader("")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out)
	}
}

// TestMinisignToolSignsHocsoVerifies: a pack signed with the minisign tool
// (prehashed, its default, and legacy) verifies in hocso, and hocso signs
// with a key the minisign tool made.
func TestMinisignToolSignsHocsoVerifies(t *testing.T) {
	tool := minisignTool(t)
	dir := t.TempDir()
	pub, sec := filepath.Join(dir, "trainer.pub"), filepath.Join(dir, "trainer.key")
	runTool(t, tool, "-G", "-W", "-p", pub, "-s", sec)
	pack := filepath.Join(dir, "mini.hocpack")
	os.WriteFile(pack, miniArchive(t), 0o644)
	data, _ := os.ReadFile(pack)
	pubText, _ := os.ReadFile(pub)
	pk, err := ParsePublicKey(pubText)
	if err != nil {
		t.Fatalf("minisign's public key: %v", err)
	}
	// minisign's comment leaves out leading zeros (…key 5DA297476306250);
	// hocso writes 16 digits. Both must name the same key.
	first := strings.SplitN(string(pubText), "\n", 2)[0]
	fields := strings.Fields(first)
	if id, err := strconv.ParseUint(fields[len(fields)-1], 16, 64); err != nil || fmt.Sprintf("%016X", id) != KeyID(pk.ID()) {
		t.Errorf("minisign writes the key id as %q; hocso as %s", first, KeyID(pk.ID()))
	}
	for _, legacy := range []bool{false, true} {
		args := []string{"-S", "-s", sec, "-m", pack, "-t", "gói thử nghiệm"}
		if legacy {
			args = append(args, "-l")
		}
		runTool(t, tool, args...)
		sig, _ := os.ReadFile(pack + SignatureExt)
		info, err := Verify(data, sig, []minisign.PublicKey{pk})
		if err != nil || info.TrustedComment != "gói thử nghiệm" {
			t.Errorf("legacy=%v: hocso verifying minisign's signature: %+v, %v", legacy, info, err)
		}
		bad := bytes.Clone(data)
		bad[100] ^= 1
		if _, err := Verify(bad, sig, []minisign.PublicKey{pk}); !errors.Is(err, ErrBadSignature) {
			t.Errorf("legacy=%v: a changed file verified: %v", legacy, err)
		}
	}
	secText, _ := os.ReadFile(sec)
	sk, err := ParseSecretKey(secText, "")
	if err != nil {
		t.Fatalf("minisign's secret key: %v", err)
	}
	os.WriteFile(pack+SignatureExt, Sign(data, sk, "mini.hocpack", time.Now()), 0o644)
	runTool(t, tool, "-V", "-q", "-p", pub, "-m", pack)
}

// TestHocsoSignsMinisignToolVerifies: a pack signed by hocso verifies with
// the minisign tool, and the minisign tool signs with a key hocso made.
func TestHocsoSignsMinisignToolVerifies(t *testing.T) {
	tool := minisignTool(t)
	dir := t.TempDir()
	sk, _, sec, pub := newKey(t)
	secPath, pubPath := filepath.Join(dir, "hocso.key"), filepath.Join(dir, "hocso.pub")
	os.WriteFile(secPath, sec, 0o600)
	os.WriteFile(pubPath, pub, 0o644)
	pack := filepath.Join(dir, "mini.hocpack")
	data := miniArchive(t)
	os.WriteFile(pack, data, 0o644)

	os.WriteFile(pack+SignatureExt, Sign(data, sk, "mini.hocpack", time.Now()), 0o644)
	runTool(t, tool, "-V", "-q", "-p", pubPath, "-m", pack)
	line := strings.TrimSpace(strings.Split(string(pub), "\n")[1])
	runTool(t, tool, "-V", "-q", "-P", line, "-m", pack)

	os.Remove(pack + SignatureExt)
	runTool(t, tool, "-S", "-W", "-s", secPath, "-m", pack)
	sig, _ := os.ReadFile(pack + SignatureExt)
	pk, _ := ParsePublicKey(pub)
	if _, err := Verify(data, sig, []minisign.PublicKey{pk}); err != nil {
		t.Errorf("minisign signing with hocso's key: %v", err)
	}
	os.WriteFile(pack, append(data, 0), 0o644)
	cmd := exec.Command(tool, "-V", "-q", "-p", pubPath, "-m", pack)
	if err := cmd.Run(); err == nil {
		t.Error("minisign accepted a changed pack")
	}
}

func TestParseTrustedComment(t *testing.T) {
	f := ParseTrustedComment("timestamp:1764670000\tfile:goi.hocpack\thashed")
	if f.Time.Unix() != 1764670000 || f.File != "goi.hocpack" || f.Note != "" {
		t.Errorf("minisign's own comment = %+v", f)
	}
	f = ParseTrustedComment("Bản chính thức của Sở Nội vụ")
	if !f.Time.IsZero() || f.File != "" || f.Note != "Bản chính thức của Sở Nội vụ" {
		t.Errorf("a signer's own comment = %+v", f)
	}
	f = ParseTrustedComment("timestamp:x\tfile:a:b.hocpack")
	if !f.Time.IsZero() || f.File != "a:b.hocpack" || f.Note != "timestamp:x" {
		t.Errorf("a malformed timestamp = %+v", f)
	}
}
