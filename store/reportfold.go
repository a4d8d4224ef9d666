package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
)

// A person's progress is folded in two steps. Each list of lessons or
// attempts, one learner's, is first cut down to a partial tally: the items of
// the pack's modules it touched, with what counts of them in the period.
// That is done as the lists are read, by whichever goroutine reads them, and
// it is what the report sorts, a fraction of the lists' size. The partial
// tallies of all a person's learners then make the person's tallies: a lesson
// counts once however many of their PCs completed it, as done when the first
// of them completed it in the period, and a module's best score and first
// pass are the best and first over all, so the result does not depend on the
// order the lists come in.
//
// Only the lessons and quizzes of the pack's modules count, so progress in
// lessons an upgrade removed is left out.

// folder knows the pack's items; it is read only once made, and shared.
type folder struct {
	from, to string
	modules  []string
	// items maps module id + fieldSep + lesson or quiz id, the way a record
	// begins, to the module and the item's slot.
	items  map[string]item
	slotOf []int // the module of each slot
}

type item struct{ module, slot int }

func newFolder(q ReportQuery) *folder {
	f := &folder{from: from(q), to: to(q), items: map[string]item{}}
	add := func(m int, id string) {
		key := q.Modules[m].ID + fieldSep + id
		if _, ok := f.items[key]; !ok {
			f.items[key] = item{module: m, slot: len(f.items)}
			f.slotOf = append(f.slotOf, m)
		}
	}
	for i, m := range q.Modules {
		f.modules = append(f.modules, m.ID)
		for _, id := range m.LessonIDs {
			add(i, id)
		}
		if m.QuizID != "" {
			add(i, m.QuizID)
		}
	}
	return f
}

// in reports whether a completion at (a stored time, "" for none) falls in
// the period.
func (f *folder) in(at []byte) bool {
	return len(at) > 0 && string(at) >= f.from && string(at) < f.to
}

// Partial tallies are a run of entries, each a kind byte and its fields.
const (
	// partLesson: the slot (uvarint), then when it was completed in the
	// period (length-prefixed, empty for not yet).
	partLesson byte = 1
	// partQuiz: the module (uvarint), then a flags byte (partHasScore,
	// partPassed), the best score (8 bytes) and the first pass
	// (length-prefixed, empty when not passed).
	partQuiz byte = 2
)

const (
	partHasScore byte = 1 << iota
	partPassed
)

// appendLessons appends the partial tally of a list of lesson records
// (module, lesson and completion, as reportSQL makes them).
func (f *folder) appendLessons(dst, list []byte) []byte {
	for len(list) > 0 {
		var rec []byte
		rec, list = cutRecord(list)
		// A record that does not split cleanly has a separator inside an id
		// (a bundle may carry anything) and so is none of the pack's
		// lessons, whose ids are slugs.
		key, done, ok := cutLesson(rec)
		if !ok {
			continue
		}
		it, ok := f.items[string(key)]
		if !ok {
			continue
		}
		if !f.in(done) {
			done = nil
		}
		dst = append(dst, partLesson)
		dst = binary.AppendUvarint(dst, uint64(it.slot))
		dst = appendBytes(dst, done)
	}
	return dst
}

// attemptFields is how many fields an attempt record has (see attemptRecord).
const attemptFields = 7

// quizScratch is a module's tally of attempts while a list is cut down.
type quizScratch struct {
	touched, hasScore bool
	best              float64
	passed            []byte
}

// appendAttempts appends the partial tally of a list of attempt records (see
// attemptRecord); scratch holds one entry per module and is the caller's, so
// goroutines can share the folder.
func (f *folder) appendAttempts(dst, list []byte, scratch []quizScratch) ([]byte, error) {
	clear(scratch)
	var fields [attemptFields][]byte
	for len(list) > 0 {
		var rec []byte
		rec, list = cutRecord(list)
		if !splitFields(rec, fields[:]) {
			continue // as above: not one of the pack's quizzes
		}
		started, submitted := fields[2], fields[3]
		// Progress begun after the period is not seen at all.
		it, ok := f.items[string(rec[:len(fields[0])+len(fieldSep)+len(fields[1])])]
		if !ok || string(started) >= f.to {
			continue
		}
		m := &scratch[it.module]
		m.touched = true
		if !f.in(submitted) {
			continue
		}
		score, err1 := parseScore(fields[4])
		maxScore, err2 := parseScore(fields[5])
		if err1 != nil || err2 != nil {
			return dst, fmt.Errorf("score %q of %q", fields[4], fields[5])
		}
		if maxScore > 0 {
			if pct := score * 100 / maxScore; !m.hasScore || pct > m.best {
				m.hasScore, m.best = true, pct
			}
		}
		if string(fields[6]) == "1" && (m.passed == nil || string(submitted) < string(m.passed)) {
			m.passed = submitted
		}
	}
	for i := range scratch {
		m := &scratch[i]
		if !m.touched {
			continue
		}
		var flags byte
		if m.hasScore {
			flags |= partHasScore
		}
		if m.passed != nil {
			flags |= partPassed
		}
		dst = append(dst, partQuiz)
		dst = binary.AppendUvarint(dst, uint64(i))
		dst = append(dst, flags)
		dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(m.best))
		dst = appendBytes(dst, m.passed)
	}
	return dst, nil
}

// tally adds up the partial tallies of one person.
type tally struct {
	f         *folder
	firstDone [][]byte // each slot's first completion in the period, nil for none
	modules   []moduleState
}

type moduleState struct {
	touched, hasScore  bool
	best               float64
	passed, lessonDone []byte
}

func (f *folder) newTally() *tally {
	return &tally{f: f, firstDone: make([][]byte, len(f.slotOf)), modules: make([]moduleState, len(f.modules))}
}

func (t *tally) reset() {
	clear(t.firstDone)
	clear(t.modules)
}

// add adds a partial tally; the bytes it holds must stay as they are until
// finish.
func (t *tally) add(part []byte) error {
	for len(part) > 0 {
		kind := part[0]
		part = part[1:]
		n, k := binary.Uvarint(part)
		if k <= 0 {
			return errBadRun
		}
		part = part[k:]
		switch kind {
		case partLesson:
			if n >= uint64(len(t.firstDone)) {
				return errBadRun
			}
			var done []byte
			done, part = cutBytes(part)
			t.modules[t.f.slotOf[n]].touched = true
			if first := &t.firstDone[n]; len(done) > 0 && (*first == nil || bytes.Compare(done, *first) < 0) {
				*first = done
			}
		case partQuiz:
			if n >= uint64(len(t.modules)) || len(part) < 9 {
				return errBadRun
			}
			m := &t.modules[n]
			flags := part[0]
			best := math.Float64frombits(binary.LittleEndian.Uint64(part[1:9]))
			var passed []byte
			passed, part = cutBytes(part[9:])
			m.touched = true
			if flags&partHasScore != 0 && (!m.hasScore || best > m.best) {
				m.hasScore, m.best = true, best
			}
			if flags&partPassed != 0 && (m.passed == nil || bytes.Compare(passed, m.passed) < 0) {
				m.passed = passed
			}
		default:
			return errBadRun
		}
	}
	return nil
}

// finish sets p's module tallies.
func (t *tally) finish(p *PersonProgress) {
	n := 0
	for i := range t.modules {
		if t.modules[i].touched {
			n++
		}
	}
	p.Modules = make(map[string]ModuleTally, n)
	done := make([]int, len(t.modules))
	for slot, first := range t.firstDone {
		if first != nil {
			m := t.f.slotOf[slot]
			done[m]++
			if bytes.Compare(first, t.modules[m].lessonDone) > 0 {
				t.modules[m].lessonDone = first
			}
		}
	}
	for i := range t.modules {
		m := &t.modules[i]
		if !m.touched {
			continue
		}
		mt := ModuleTally{Started: true, LessonsDone: done[i], HasScore: m.hasScore, Best: m.best, Passed: m.passed != nil}
		if m.lessonDone != nil {
			mt.LessonsDoneAt = parseTime(string(m.lessonDone))
		}
		if m.passed != nil {
			mt.PassedAt = parseTime(string(m.passed))
		}
		p.Modules[t.f.modules[i]] = mt
	}
}

// foldSorted reads the sorted records back, adds up each person's partial
// tallies and calls fn with the person.
func foldSorted(ctx context.Context, f *folder, srt *sorter, fn func(*PersonProgress) error) error {
	t := f.newTally()
	var (
		cur    *PersonProgress
		curKey []byte
		held   [][]byte // the partial tallies of cur, copied: the sorter's bytes are reused
		spare  [][]byte
		n      int
	)
	flush := func() error {
		if cur == nil {
			return nil
		}
		p := cur
		cur = nil
		t.reset()
		for _, part := range held {
			if err := t.add(part); err != nil {
				return fmt.Errorf("person %s: %w", p.Key, err)
			}
		}
		t.finish(p)
		return fn(p)
	}
	err := srt.each(func(key, val []byte) error {
		if n++; n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		kind, person := key[len(key)-1], key[:len(key)-1]
		if !bytes.Equal(person, curKey) {
			if err := flush(); err != nil {
				return err
			}
			curKey = append(curKey[:0], person...)
			spare, held = append(spare, held...), held[:0]
		}
		if kind == recPerson {
			var fields [5]string
			for i := range fields {
				var s []byte
				s, val = cutBytes(val)
				fields[i] = string(s)
			}
			cur = &PersonProgress{Key: fields[0], FullName: fields[1], StaffCode: fields[2],
				Position: fields[3], UnitPath: fields[4], OnRoster: val[0] == 1}
			val = val[1:]
		}
		if len(val) > 0 {
			var b []byte
			if len(spare) > 0 {
				b, spare = spare[len(spare)-1][:0], spare[:len(spare)-1]
			}
			held = append(held, append(b, val...))
		}
		return nil
	})
	if err != nil {
		return err
	}
	return flush()
}

// cutRecord cuts the first record off a list.
func cutRecord(list []byte) (rec, rest []byte) {
	if i := bytes.Index(list, []byte(recordSep)); i >= 0 {
		return list[:i], list[i+len(recordSep):]
	}
	return list, nil
}

// cutLesson splits a lesson record into its key (module and lesson) and its
// completion time; ok is false unless it has exactly three fields.
func cutLesson(rec []byte) (key, done []byte, ok bool) {
	i := bytes.Index(rec, []byte(fieldSep))
	if i < 0 {
		return nil, nil, false
	}
	j := bytes.Index(rec[i+1:], []byte(fieldSep))
	if j < 0 {
		return nil, nil, false
	}
	key, done = rec[:i+1+j], rec[i+1+j+1:]
	return key, done, !bytes.Contains(done, []byte(fieldSep))
}

// splitFields splits a record into exactly len(fields) fields, without
// allocating; ok is false for any other count.
func splitFields(rec []byte, fields [][]byte) bool {
	for i := range len(fields) - 1 {
		j := bytes.Index(rec, []byte(fieldSep))
		if j < 0 {
			return false
		}
		fields[i], rec = rec[:j], rec[j+len(fieldSep):]
	}
	fields[len(fields)-1] = rec
	return !bytes.Contains(rec, []byte(fieldSep))
}

// parseScore reads a score as the database printed it; "" is no score.
func parseScore(s []byte) (float64, error) {
	if len(s) == 0 {
		return 0, nil
	}
	return strconv.ParseFloat(string(s), 64)
}
