package lessons

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"aead.dev/minisign"
	"golang.org/x/crypto/blake2b"
)

// Packs are signed with minisign (https://jedisct1.github.io/minisign/):
// Ed25519 over the BLAKE2b-512 hash of the whole .hocpack, in a detached
// pack.hocpack.minisig file. Keys and signatures are minisign's own files, so
// a trainer can sign with the minisign tool and hocso verifies it, and the
// reverse.

// SignatureExt is appended to an archive's name to name its signature.
const SignatureExt = ".minisig"

// Signature errors a caller tells apart.
var (
	ErrKeyEncrypted = errors.New("the secret key is protected by a password")
	ErrBadSignature = errors.New("the signature does not match the file")
	ErrUnknownKey   = errors.New("the file is signed by a key that is not trusted")
)

// KeyID writes a key id as the minisign tool prints it (its KEYNUM_FMT,
// "%016" PRIX64): 16 upper-case hexadecimal digits, zeros in front.
func KeyID(id uint64) string { return fmt.Sprintf("%016X", id) }

// ParseKeyID reads a key id as KeyID writes it (any case, leading zeros or not).
func ParseKeyID(s string) (uint64, error) {
	return strconv.ParseUint(strings.TrimSpace(s), 16, 64)
}

// GenerateKey makes a new signing key pair, as `minisign -G -W` does: the
// secret key file is not encrypted (keep it private), the public key file is
// what learners' machines trust. Both are minisign's file formats.
func GenerateKey(random io.Reader) (secret, public []byte, keyID string, err error) {
	if random == nil {
		random = rand.Reader
	}
	pub, priv, err := ed25519.GenerateKey(random)
	if err != nil {
		return nil, nil, "", err
	}
	var idBytes [8]byte
	if _, err := io.ReadFull(random, idBytes[:]); err != nil {
		return nil, nil, "", err
	}
	id := binary.LittleEndian.Uint64(idBytes[:])
	secret = marshalSecretKey(id, priv)
	pk, err := ParsePublicKey(marshalPublicKey(id, pub))
	if err != nil {
		return nil, nil, "", err
	}
	public, _ = pk.MarshalText()
	return secret, append(public, '\n'), KeyID(id), nil
}

// minisign's secret key layout: algorithm "Ed", KDF (none: two zero bytes),
// checksum algorithm "B2", salt, KDF limits, then the key number, the Ed25519
// key and a BLAKE2b-256 checksum of algorithm ‖ key number ‖ key, which the
// minisign tool checks when it loads the key.
func marshalSecretKey(id uint64, priv ed25519.PrivateKey) []byte {
	var b [158]byte
	copy(b[0:], "Ed")
	copy(b[4:], "B2")
	binary.LittleEndian.PutUint64(b[54:], id)
	copy(b[62:], priv)
	h, _ := blake2b.New256(nil)
	h.Write(b[0:2])
	h.Write(b[54:62])
	h.Write(b[62:126])
	copy(b[126:], h.Sum(nil))
	text := "untrusted comment: minisign secret key " + KeyID(id) + " (hocso; keep this file private)\n" +
		base64.StdEncoding.EncodeToString(b[:]) + "\n"
	return []byte(text)
}

func marshalPublicKey(id uint64, pub ed25519.PublicKey) []byte {
	var b [42]byte
	copy(b[0:], "Ed")
	binary.LittleEndian.PutUint64(b[2:], id)
	copy(b[10:], pub)
	return []byte(base64.StdEncoding.EncodeToString(b[:]))
}

// ParsePublicKey reads a minisign public key: the .pub file, or only its
// base64 line (what `minisign -P` takes).
func ParsePublicKey(text []byte) (minisign.PublicKey, error) {
	var pk minisign.PublicKey
	lines := strings.Split(strings.TrimSpace(strings.ReplaceAll(string(text), "\r\n", "\n")), "\n")
	last := strings.TrimSpace(lines[len(lines)-1])
	if err := pk.UnmarshalText([]byte(last)); err != nil {
		return minisign.PublicKey{}, err
	}
	return pk, nil
}

// ParseSecretKey reads a minisign secret key file, decrypting it with
// password when it is encrypted (ErrKeyEncrypted when no password is given).
func ParseSecretKey(text []byte, password string) (minisign.PrivateKey, error) {
	text = bytes.TrimSpace(bytes.ReplaceAll(text, []byte("\r\n"), []byte("\n")))
	if minisign.IsEncrypted(text) {
		if password == "" {
			return minisign.PrivateKey{}, ErrKeyEncrypted
		}
		return minisign.DecryptKey(password, text)
	}
	var key minisign.PrivateKey
	if err := key.UnmarshalText(text); err != nil {
		return minisign.PrivateKey{}, err
	}
	return key, nil
}

// Sign signs data (a whole .hocpack) the way minisign 0.11 does by default:
// a prehashed signature whose trusted comment carries the time and file name.
// It returns the contents of the .minisig file.
func Sign(data []byte, key minisign.PrivateKey, fileName string, now time.Time) []byte {
	r := minisign.NewReader(bytes.NewReader(data))
	io.Copy(io.Discard, r) // reading a bytes.Reader cannot fail
	trusted := fmt.Sprintf("timestamp:%d\tfile:%s\thashed", now.Unix(), strings.Map(func(c rune) rune {
		if c < 0x20 || c == 0x7f {
			return '_'
		}
		return c
	}, fileName))
	return r.SignWithComments(key, trusted, "signature from hocso secret key "+KeyID(key.ID()))
}

// SignatureInfo is what a signature says of itself, and once verified, the
// whole public key that verified it.
type SignatureInfo struct {
	KeyID          string `json:"key_id"`
	TrustedComment string `json:"trusted_comment"`
	PublicKey      string `json:"public_key,omitempty"`
}

// ReadSignature decodes a .minisig file without verifying it.
func ReadSignature(sig []byte) (SignatureInfo, error) {
	var s minisign.Signature
	if err := s.UnmarshalText(bytes.ReplaceAll(sig, []byte("\r\n"), []byte("\n"))); err != nil {
		return SignatureInfo{}, err
	}
	tc, _ := Clean(s.TrustedComment)
	return SignatureInfo{KeyID: KeyID(s.KeyID), TrustedComment: tc}, nil
}

// Verify checks the signature sig over data with whichever of keys made it.
// A key id is only a hint chosen by whoever made the key: every key with the
// signature's id is tried, and only a key that verifies the signature counts.
// It returns ErrUnknownKey when none of keys has the signature's key id, and
// ErrBadSignature when none of those that have it verifies it (data or
// signature changed, or a different key with the same id).
func Verify(data, sig []byte, keys []minisign.PublicKey) (SignatureInfo, error) {
	sig = bytes.ReplaceAll(sig, []byte("\r\n"), []byte("\n"))
	info, err := ReadSignature(sig)
	if err != nil {
		return SignatureInfo{}, err
	}
	err = ErrUnknownKey
	for _, k := range keys {
		if KeyID(k.ID()) != info.KeyID {
			continue
		}
		if minisign.Verify(k, data, sig) {
			info.PublicKey = k.String()
			return info, nil
		}
		err = ErrBadSignature
	}
	return info, err
}

// SignedFacts are what a minisign trusted comment says, taken apart: the
// signature covers them, so they can be shown as facts, not as raw text.
type SignedFacts struct {
	Time time.Time // when it was signed; zero if the comment does not say
	File string    // the file name given when signing
	Note string    // anything else the signer wrote
}

// ParseTrustedComment reads minisign's "timestamp:N\tfile:NAME\thashed"
// form; whatever does not fit that form is kept as the signer's note.
func ParseTrustedComment(comment string) SignedFacts {
	var f SignedFacts
	var rest []string
	for _, part := range strings.Split(comment, "\t") {
		switch k, v, _ := strings.Cut(part, ":"); {
		case k == "timestamp":
			if n, err := strconv.ParseInt(v, 10, 64); err == nil && f.Time.IsZero() {
				f.Time = time.Unix(n, 0)
				continue
			}
			rest = append(rest, part)
		case k == "file" && f.File == "":
			f.File = v
		case part == "hashed" || strings.TrimSpace(part) == "":
		default:
			rest = append(rest, part)
		}
	}
	f.Note = strings.Join(rest, " ")
	return f
}
