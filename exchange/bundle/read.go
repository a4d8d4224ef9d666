package bundle

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"iter"

	"filippo.io/age"
	"github.com/google/uuid"

	"hocso/exchange/eventline"
	"hocso/store"
)

// ReadOptions say which bundles a reader accepts.
type ReadOptions struct {
	// Identities decrypt bundles (the office's private key).
	Identities []age.Identity
	// AllowPlain accepts unencrypted bundles even when Identities are given.
	// Without identities, plain bundles are the only ones that can be read.
	AllowPlain bool
}

// Reader reads one bundle as a stream: the header at once, then the events.
type Reader struct {
	Header    Header
	Encrypted bool
	lines     *bufio.Reader
	sum       hash.Hash
	checksum  string
	line      int
}

// NewReader checks the start of a bundle, decrypts it and reads its header.
func NewReader(r io.Reader, opt ReadOptions) (*Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	start, err := br.Peek(len(ageMagic))
	if err != nil && len(start) == 0 {
		return nil, fmt.Errorf("%w: the file is empty", ErrWrongFormat)
	}
	rd := &Reader{sum: sha256.New()}
	var content io.Reader
	switch {
	case bytes.HasPrefix(start, []byte(plainMagic)):
		if len(opt.Identities) > 0 && !opt.AllowPlain {
			return nil, ErrPlain
		}
		br.Discard(len(plainMagic))
		content = br
	case bytes.Equal(start, []byte(ageMagic)):
		if len(opt.Identities) == 0 {
			return nil, ErrNeedKey
		}
		content, err = age.Decrypt(br, opt.Identities...)
		var noMatch *age.NoIdentityMatchError
		switch {
		case errors.As(err, &noMatch):
			return nil, ErrOtherOffice
		case err != nil:
			return nil, fmt.Errorf("%w: %v", ErrTampered, err)
		}
		rd.Encrypted = true
	default:
		return nil, ErrWrongFormat
	}
	zr, err := gzip.NewReader(content)
	if err != nil {
		return nil, rd.streamError(err)
	}
	zr.Multistream(false)
	rd.lines = bufio.NewReaderSize(zr, 64<<10)
	first, err := rd.next()
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(first, &rd.Header); err != nil || rd.Header.Format != formatName {
		return nil, fmt.Errorf("%w: no bundle header", ErrWrongFormat)
	}
	if rd.Header.Version > Version {
		return nil, fmt.Errorf("%w: format %d, this hocso reads up to %d", ErrNewerFormat, rd.Header.Version, Version)
	}
	if rd.Header.Version < 1 || rd.Header.DeviceID == "" || rd.Header.Total() < 0 {
		return nil, fmt.Errorf("%w: header is incomplete", ErrWrongFormat)
	}
	rd.sum.Write(first)
	rd.sum.Write([]byte{'\n'})
	return rd, nil
}

// next reads one line without its newline; a missing newline means the file
// was cut short.
func (rd *Reader) next() ([]byte, error) {
	rd.line++
	var buf []byte
	for {
		chunk, err := rd.lines.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			if len(buf)+len(chunk) > maxLine {
				return nil, fmt.Errorf("%w: line %d is longer than %d bytes", ErrWrongFormat, rd.line, maxLine)
			}
			buf = append(buf, chunk...)
			continue
		}
		if err != nil {
			return nil, rd.streamError(err)
		}
		if buf != nil {
			chunk = append(buf, chunk...)
		}
		return chunk[:len(chunk)-1], nil
	}
}

// streamError says what an error reading the content means for the user.
// age reports a stream cut inside its last block as a failed authentication,
// so such a cut reads as ErrTampered; both are ErrDamaged.
func (rd *Reader) streamError(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return ErrTruncated
	}
	return fmt.Errorf("%w: %v", ErrTampered, err)
}

// Events yields the bundle's events in order. After the last one it checks
// the trailer: the count and the checksum; a mismatch, a cut or anything after
// the trailer is yielded as the final error, so an import that stops at the
// first error stores nothing of a bad bundle. The bundle is read, decrypted,
// decompressed, summed and decoded in a goroutine of its own, up to
// readAhead batches ahead of the caller: an import's database work then has
// a core to itself.
func (rd *Reader) Events() iter.Seq2[store.Event, error] {
	return func(yield func(store.Event, error) bool) {
		batches := make(chan eventBatch, readAhead)
		done := make(chan struct{})
		go func() {
			defer close(batches)
			rd.decode(done, batches)
		}()
		// When the caller stops early, the reader stops too, and has
		// stopped (rd is its alone until then) before Events returns.
		defer func() {
			close(done)
			for range batches {
			}
		}()
		for b := range batches {
			for _, ev := range b.events {
				if !yield(ev, nil) {
					return
				}
			}
			if b.err != nil {
				yield(store.Event{}, b.err)
				return
			}
		}
	}
}

// readAhead batches of batchEvents events each is what Events decodes ahead.
const (
	readAhead   = 4
	batchEvents = 256
)

// eventBatch is some events of a bundle, in order, and the error that ends
// it (nil when more follow, or when the trailer checked out).
type eventBatch struct {
	events []store.Event
	err    error
}

// decode sends the bundle's events to out in batches until the trailer, an
// error, or done.
func (rd *Reader) decode(done <-chan struct{}, out chan<- eventBatch) {
	b := eventBatch{events: make([]store.Event, 0, batchEvents)}
	send := func() bool {
		select {
		case out <- b:
			b = eventBatch{events: make([]store.Event, 0, batchEvents)}
			return true
		case <-done:
			return false
		}
	}
	n := 0
	for {
		line, err := rd.next()
		if err != nil {
			b.err = err
			send()
			return
		}
		if bytes.HasPrefix(line, []byte(trailerPrefix)) {
			b.err = rd.finish(line, n)
			send()
			return
		}
		rd.sum.Write(line)
		rd.sum.Write([]byte{'\n'})
		n++
		ev, err := decodeEvent(line)
		if err != nil {
			b.err = fmt.Errorf("line %d: %w", rd.line, err)
			send()
			return
		}
		b.events = append(b.events, ev)
		if len(b.events) == batchEvents && !send() {
			return
		}
	}
}

// finish checks the trailer against what was read.
func (rd *Reader) finish(line []byte, n int) error {
	var t trailer
	if err := json.Unmarshal(line, &t); err != nil || !t.End {
		return fmt.Errorf("%w: damaged trailer", ErrTampered)
	}
	rd.checksum = hex.EncodeToString(rd.sum.Sum(nil))
	if t.SHA256 != rd.checksum || t.Events != n || n != rd.Header.Total() {
		return fmt.Errorf("%w: checksum or count does not match", ErrTampered)
	}
	// Reading on to the end lets gzip (and age) check their own sums.
	switch _, err := rd.lines.ReadByte(); {
	case err == nil:
		return fmt.Errorf("%w: data after the end", ErrTampered)
	case err != io.EOF:
		return rd.streamError(err)
	}
	return nil
}

// Checksum is the verified SHA-256 of the content, once Events has finished.
func (rd *Reader) Checksum() string { return rd.checksum }

// decodeEvent reads one event line and checks what the store relies on.
func decodeEvent(line []byte) (store.Event, error) {
	var ev store.Event
	if err := eventline.Unmarshal(line, &ev); err != nil {
		return ev, fmt.Errorf("%w: %v", ErrWrongFormat, err)
	}
	if _, err := uuid.Parse(ev.ID); err != nil {
		return ev, fmt.Errorf("%w: event id %q", ErrWrongFormat, ev.ID)
	}
	if ev.LearnerID == "" || ev.Kind == "" || ev.DeviceID == "" || ev.Time.IsZero() {
		return ev, fmt.Errorf("%w: event %s lacks a learner, kind, device or time", ErrWrongFormat, ev.ID)
	}
	return ev, nil
}
