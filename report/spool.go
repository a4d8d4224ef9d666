package report

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"time"

	"hocso/store"
)

// The spool holds the learner rows between the query and the writers, one
// length-prefixed record a row. A record is read back as one string whose
// pieces become the row's strings, so a row costs two allocations however
// many modules it has (encoding/gob, used before, spent a tenth of a CSV
// report's time here).

// maxSpoolRecord bounds a record's length as read back, so a damaged spool
// cannot ask for an absurd buffer.
const maxSpoolRecord = 1 << 24

var errBadSpool = errors.New("damaged record")

// spoolWriter writes rows to the spool.
type spoolWriter struct {
	w   *bufio.Writer
	buf []byte
}

func (s *spoolWriter) write(row *LearnerRow) error {
	b := s.buf[:0]
	for _, str := range []string{row.FullName, row.StaffCode, row.Position, row.UnitPath} {
		b = appendString(b, str)
	}
	b = appendBool(b, row.OnRoster)
	b = binary.AppendUvarint(b, uint64(len(row.Modules)))
	for _, c := range row.Modules {
		b = appendString(b, string(c.Status))
		b = appendTime(b, c.CompletedAt)
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(c.Score))
		b = appendBool(b, c.HasScore)
	}
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(row.Percent))
	b = appendString(b, string(row.Status))
	b = appendTime(b, row.CompletedAt)
	s.buf = b
	var n [binary.MaxVarintLen64]byte
	if _, err := s.w.Write(n[:binary.PutUvarint(n[:], uint64(len(b)))]); err != nil {
		return err
	}
	_, err := s.w.Write(b)
	return err
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, 1)
	}
	return append(b, 0)
}

// appendTime writes a time as time.Time's own binary form, which keeps it
// exactly, zone included; a byte before it says its length, 0 for the zero
// time (most cells have none).
func appendTime(b []byte, t time.Time) []byte {
	b = append(b, 0)
	if t.IsZero() {
		return b
	}
	start := len(b)
	b, err := t.AppendBinary(b)
	if err != nil { // a zone offset not in whole minutes: keep the instant in UTC
		b, _ = t.UTC().AppendBinary(b[:start])
	}
	b[start-1] = byte(len(b) - start)
	return b
}

// spoolReader reads rows back in the order they were written.
type spoolReader struct {
	r   *bufio.Reader
	buf []byte
}

// read reads the next row into row; io.EOF at the end of the spool.
func (s *spoolReader) read(row *LearnerRow) error {
	n, err := binary.ReadUvarint(s.r)
	if err != nil {
		if errors.Is(err, io.EOF) {
			return io.EOF
		}
		return err
	}
	if n > maxSpoolRecord {
		return errBadSpool
	}
	if uint64(cap(s.buf)) < n {
		s.buf = make([]byte, n)
	}
	s.buf = s.buf[:n]
	if _, err := io.ReadFull(s.r, s.buf); err != nil {
		return fmt.Errorf("%w: %w", errBadSpool, err)
	}
	d := spoolDecoder{b: s.buf, s: string(s.buf)}
	*row = LearnerRow{FullName: d.string(), StaffCode: d.string(), Position: d.string(), UnitPath: d.string(),
		OnRoster: d.bool()}
	if m := d.uvarint(); m <= uint64(len(d.b)) {
		row.Modules = make([]Cell, m)
	} else {
		return errBadSpool
	}
	for i := range row.Modules {
		c := &row.Modules[i]
		c.Status = store.Status(d.string())
		c.CompletedAt = d.time()
		c.Score = d.float()
		c.HasScore = d.bool()
	}
	row.Percent = d.float()
	row.Status = store.Status(d.string())
	row.CompletedAt = d.time()
	if d.bad || d.pos != len(d.b) {
		return errBadSpool
	}
	return nil
}

// spoolDecoder reads a record's fields in turn: b and s are the same bytes,
// so strings are slices of s.
type spoolDecoder struct {
	b   []byte
	s   string
	pos int
	bad bool
}

func (d *spoolDecoder) take(n uint64) (int, bool) {
	if d.bad || n > uint64(len(d.b)-d.pos) {
		d.bad = true
		return 0, false
	}
	start := d.pos
	d.pos += int(n)
	return start, true
}

func (d *spoolDecoder) uvarint() uint64 {
	if d.bad {
		return 0
	}
	v, n := binary.Uvarint(d.b[d.pos:])
	if n <= 0 {
		d.bad = true
		return 0
	}
	d.pos += n
	return v
}

func (d *spoolDecoder) string() string {
	n := d.uvarint()
	start, ok := d.take(n)
	if !ok {
		return ""
	}
	return d.s[start:d.pos]
}

func (d *spoolDecoder) bool() bool {
	start, ok := d.take(1)
	return ok && d.b[start] == 1
}

func (d *spoolDecoder) float() float64 {
	start, ok := d.take(8)
	if !ok {
		return 0
	}
	return math.Float64frombits(binary.LittleEndian.Uint64(d.b[start:]))
}

func (d *spoolDecoder) time() time.Time {
	start, ok := d.take(1)
	if !ok {
		return time.Time{}
	}
	start, ok = d.take(uint64(d.b[start]))
	if !ok || start == d.pos {
		return time.Time{}
	}
	var t time.Time
	if err := t.UnmarshalBinary(d.b[start:d.pos]); err != nil {
		d.bad = true
	}
	return t
}
