package store

import (
	"bufio"
	"bytes"
	"container/heap"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
)

// sorter orders records by key with memory that does not grow with their
// number: it holds up to limit bytes of records, and when they would not fit
// it sorts them and writes them to a temporary file (a run); reading back
// merges the runs. A record is a key and a value, both bytes; records with
// equal keys come back in no particular order.
type sorter struct {
	limit int
	buf   []byte   // the records held, key then value, in the order added
	recs  []record // where each record held lies in buf
	runs  []*os.File
}

// record is where a record lies in the sorter's buffer: its key is
// buf[k:v] and its value buf[v:end].
type record struct{ k, v, end int }

func (s *sorter) key(r record) []byte { return s.buf[r.k:r.v] }
func (s *sorter) val(r record) []byte { return s.buf[r.v:r.end] }

func newSorter(limit int) *sorter { return &sorter{limit: limit} }

// add adds a record; key and value are copied.
func (s *sorter) add(key []byte, val ...[]byte) error {
	n := len(key)
	for _, x := range val {
		n += len(x)
	}
	if len(s.buf)+n > s.limit && len(s.recs) > 0 {
		if err := s.spill(); err != nil {
			return err
		}
	}
	k := len(s.buf)
	s.buf = append(s.buf, key...)
	v := len(s.buf)
	for _, x := range val {
		s.buf = append(s.buf, x...)
	}
	s.recs = append(s.recs, record{k, v, len(s.buf)})
	return nil
}

func (s *sorter) sortRecs() {
	slices.SortFunc(s.recs, func(a, b record) int { return bytes.Compare(s.key(a), s.key(b)) })
}

// spill sorts the records held and writes them as a run.
func (s *sorter) spill() error {
	s.sortRecs()
	f, err := os.CreateTemp("", "hocso-sort-*")
	if err != nil {
		return fmt.Errorf("sort: %w", err)
	}
	s.runs = append(s.runs, f)
	w := bufio.NewWriterSize(f, 1<<16)
	var n [2 * binary.MaxVarintLen64]byte
	for _, r := range s.recs {
		l := binary.PutUvarint(n[:], uint64(r.v-r.k))
		l += binary.PutUvarint(n[l:], uint64(r.end-r.v))
		w.Write(n[:l])
		w.Write(s.buf[r.k:r.end])
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("sort: %w", err)
	}
	s.buf, s.recs = s.buf[:0], s.recs[:0]
	return nil
}

// each calls fn for every record in key order. The slices it is given are
// valid until fn returns.
func (s *sorter) each(fn func(key, val []byte) error) error {
	if len(s.runs) == 0 {
		s.sortRecs()
		for _, r := range s.recs {
			if err := fn(s.key(r), s.val(r)); err != nil {
				return err
			}
		}
		return nil
	}
	if len(s.recs) > 0 {
		if err := s.spill(); err != nil {
			return err
		}
	}
	s.buf, s.recs = nil, nil
	h := make(runHeap, 0, len(s.runs))
	for i, f := range s.runs {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("sort: %w", err)
		}
		r := &runReader{r: bufio.NewReaderSize(f, 1<<16), order: i}
		if ok, err := r.next(); err != nil {
			return err
		} else if ok {
			h = append(h, r)
		}
	}
	heap.Init(&h)
	for len(h) > 0 {
		r := h[0]
		if err := fn(r.key, r.val); err != nil {
			return err
		}
		if ok, err := r.next(); err != nil {
			return err
		} else if ok {
			heap.Fix(&h, 0)
		} else {
			heap.Pop(&h)
		}
	}
	return nil
}

// close removes the runs.
func (s *sorter) close() {
	for _, f := range s.runs {
		f.Close()
		os.Remove(f.Name())
	}
	s.runs, s.buf, s.recs = nil, nil, nil
}

var errBadRun = errors.New("sort: a temporary file was cut short")

// runReader reads a run's records one at a time.
type runReader struct {
	r        *bufio.Reader
	order    int // the run's place, which breaks ties between equal keys
	buf      []byte
	key, val []byte
}

func (r *runReader) next() (bool, error) {
	kl, err := binary.ReadUvarint(r.r)
	if err == io.EOF {
		return false, nil
	}
	vl, err2 := binary.ReadUvarint(r.r)
	if err != nil || err2 != nil {
		return false, errBadRun
	}
	n := int(kl + vl)
	if cap(r.buf) < n {
		r.buf = make([]byte, n)
	}
	r.buf = r.buf[:n]
	if _, err := io.ReadFull(r.r, r.buf); err != nil {
		return false, errBadRun
	}
	r.key, r.val = r.buf[:kl], r.buf[kl:]
	return true, nil
}

type runHeap []*runReader

func (h runHeap) Len() int { return len(h) }
func (h runHeap) Less(i, j int) bool {
	if c := bytes.Compare(h[i].key, h[j].key); c != 0 {
		return c < 0
	}
	return h[i].order < h[j].order
}
func (h runHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *runHeap) Push(x any)   { *h = append(*h, x.(*runReader)) }
func (h *runHeap) Pop() any {
	old := *h
	r := old[len(old)-1]
	*h = old[:len(old)-1]
	return r
}
