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
	limit  int
	blocks [][]byte // the records held, key then value, in blocks that are filled and reused, never grown
	cur    int      // the block being filled
	held   int      // bytes held in blocks
	recs   []record // where each record held lies
	runs   []*os.File
}

// sortBlock is the size of the sorter's blocks: big enough that few records
// straddle their ends, small enough that a short report allocates little.
const sortBlock = 256 << 10

// record is where a record lies in the sorter's blocks: its key is
// blocks[b][k:v] and its value blocks[b][v:end].
type record struct{ b, k, v, end int32 }

func (s *sorter) key(r record) []byte { return s.blocks[r.b][r.k:r.v] }
func (s *sorter) val(r record) []byte { return s.blocks[r.b][r.v:r.end] }

func newSorter(limit int) *sorter { return &sorter{limit: limit} }

// add adds a record; key and value are copied.
func (s *sorter) add(key []byte, val ...[]byte) error {
	n := len(key)
	for _, x := range val {
		n += len(x)
	}
	if s.held+n > s.limit && len(s.recs) > 0 {
		if err := s.spill(); err != nil {
			return err
		}
	}
	// The record goes in the current block, or the next with room for it;
	// a record bigger than a block gets one of its own.
	for s.cur < len(s.blocks) && cap(s.blocks[s.cur])-len(s.blocks[s.cur]) < n {
		s.cur++
	}
	if s.cur == len(s.blocks) {
		s.blocks = append(s.blocks, make([]byte, 0, max(n, sortBlock)))
	}
	b := s.cur
	blk := s.blocks[b]
	k := len(blk)
	blk = append(blk, key...)
	v := len(blk)
	for _, x := range val {
		blk = append(blk, x...)
	}
	s.blocks[b] = blk
	s.held += n
	s.recs = append(s.recs, record{int32(b), int32(k), int32(v), int32(len(blk))})
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
		return fmt.Errorf("sort: %w: %w", ErrScratch, err)
	}
	s.runs = append(s.runs, f)
	w := bufio.NewWriterSize(f, 1<<16)
	var n [2 * binary.MaxVarintLen64]byte
	for _, r := range s.recs {
		l := binary.PutUvarint(n[:], uint64(r.v-r.k))
		l += binary.PutUvarint(n[l:], uint64(r.end-r.v))
		w.Write(n[:l])
		w.Write(s.blocks[r.b][r.k:r.end])
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("sort: %w: %w", ErrScratch, err)
	}
	for i := range s.blocks {
		s.blocks[i] = s.blocks[i][:0]
	}
	s.cur, s.held, s.recs = 0, 0, s.recs[:0]
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
	s.blocks, s.recs = nil, nil
	h := make(runHeap, 0, len(s.runs))
	for _, f := range s.runs {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("sort: %w: %w", ErrScratch, err)
		}
		r := &runReader{r: bufio.NewReaderSize(f, 1<<16)}
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
	s.runs, s.blocks, s.recs = nil, nil, nil
}

// ErrScratch: the temporary files a long report writes could not be written
// or read back (the temporary folder is missing, full or not writable).
var ErrScratch = errors.New("temporary files")

var errBadRun = fmt.Errorf("sort: %w: one was cut short", ErrScratch)

// maxRunRecord bounds a record's length as read back, so that a damaged
// run cannot ask for an absurd buffer; a report's records are far smaller.
const maxRunRecord = 1 << 26

// runReader reads a run's records one at a time.
type runReader struct {
	r        *bufio.Reader
	buf      []byte
	key, val []byte
}

func (r *runReader) next() (bool, error) {
	kl, err := binary.ReadUvarint(r.r)
	if err == io.EOF {
		return false, nil
	}
	vl, err2 := binary.ReadUvarint(r.r)
	if err != nil || err2 != nil || kl+vl > maxRunRecord {
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

func (h runHeap) Len() int           { return len(h) }
func (h runHeap) Less(i, j int) bool { return bytes.Compare(h[i].key, h[j].key) < 0 }
func (h runHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *runHeap) Push(x any)        { *h = append(*h, x.(*runReader)) }
func (h *runHeap) Pop() any {
	old := *h
	r := old[len(old)-1]
	*h = old[:len(old)-1]
	return r
}
