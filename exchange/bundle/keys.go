package bundle

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"filippo.io/age"
)

// Errors of key files.
var (
	ErrNotPublicKey  = errors.New("not an office public key")
	ErrNotPrivateKey = errors.New("not an office private key")
	// ErrPrivateGiven: a private key was given where a public one belongs, so
	// it would have been copied to learners' PCs.
	ErrPrivateGiven = errors.New("this is the office's private key, not its public key")
)

// GenerateKey writes a new office key pair: the private key to path, readable
// by its owner only, and the public key to path+".pub". The files are the same
// as age-keygen's, so the age tool can also open bundles. It refuses to
// overwrite an existing key.
func GenerateKey(path string, now time.Time) (*age.X25519Recipient, error) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return nil, err
	}
	pub := id.Recipient()
	for _, p := range []string{path, path + ".pub"} {
		if _, err := os.Stat(p); err == nil {
			return nil, fmt.Errorf("%s: %w", p, os.ErrExist)
		}
	}
	private := fmt.Sprintf("# created: %s\n# public key: %s\n%s\n", now.UTC().Format(time.RFC3339), pub, id)
	if err := WriteFile(path, 0o600, func(w io.Writer) error { _, err := io.WriteString(w, private); return err }); err != nil {
		return nil, err
	}
	if err := WriteFile(path+".pub", 0o644, func(w io.Writer) error { _, err := fmt.Fprintln(w, pub); return err }); err != nil {
		return nil, err
	}
	return pub, nil
}

// ReadPublicKey reads an office public key from a file (the .pub written by
// GenerateKey, or any file whose first key line is an age1… key).
func ReadPublicKey(path string) (*age.X25519Recipient, error) {
	line, err := firstKeyLine(path)
	if err != nil {
		return nil, err
	}
	return ParsePublicKey(line)
}

// ParsePublicKey parses an age1… public key.
func ParsePublicKey(s string) (*age.X25519Recipient, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(strings.ToUpper(s), "AGE-SECRET-KEY-") {
		return nil, ErrPrivateGiven
	}
	r, err := age.ParseX25519Recipient(s)
	if err != nil {
		return nil, ErrNotPublicKey
	}
	return r, nil
}

// ReadPrivateKey reads the office's private key file.
func ReadPrivateKey(path string) (*age.X25519Identity, error) {
	line, err := firstKeyLine(path)
	if err != nil {
		return nil, err
	}
	id, err := age.ParseX25519Identity(line)
	if err != nil {
		return nil, ErrNotPrivateKey
	}
	return id, nil
}

func firstKeyLine(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	sc := bufio.NewScanner(io.LimitReader(f, 64<<10))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line != "" && !strings.HasPrefix(line, "#") {
			return line, nil
		}
	}
	if err := sc.Err(); err != nil {
		return "", err
	}
	return "", ErrNotPublicKey
}
