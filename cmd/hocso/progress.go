package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"

	"hocso/lessons"
	"hocso/store"
)

// attemptOut is an attempt as `progress --json --answers` writes it: its
// answers come encoded from the store, or are withheld for a learner with a
// PIN.
type attemptOut struct {
	store.Attempt
	Answers         json.RawMessage `json:"answers"`
	AnswersWithheld bool            `json:"answers_withheld,omitempty"`
}

// streamProgressJSON writes the learners' records to standard output as they
// are read, with every attempt's answers if withAnswers. Listing everyone,
// the answers of a learner with a PIN are withheld: one asked for by name
// has given the PIN (unlockLearner).
func (e *env) streamProgressJSON(ctx context.Context, s *store.Store, learners []store.Learner, withAnswers, withholdPIN bool) error {
	packs, err := e.packs(ctx, s)
	if err != nil {
		return err
	}
	var ps []*lessons.Pack
	for _, loaded := range packs {
		ps = append(ps, loaded.Pack)
	}
	answers := func(id string) (answerRule, error) {
		switch {
		case !withAnswers:
			return noAnswers, nil
		case !withholdPIN:
			return showAnswers, nil
		}
		has, err := s.HasPIN(ctx, id)
		if has {
			return withholdAnswers, err
		}
		return showAnswers, err
	}
	w := bufio.NewWriterSize(e.stdout, 64<<10)
	if err := streamProgress(ctx, s, learners, ps, w, answers); err != nil {
		return err
	}
	return w.Flush()
}

// answerRule says what progress --json writes of a learner's answers.
type answerRule int

const (
	noAnswers       answerRule = iota // not asked for: the attempts without them
	showAnswers                       // every attempt's answers
	withholdAnswers                   // asked for, but the learner has a PIN: "answers": [] and "answers_withheld": true
)

// streamProgress writes every learner's record in every pack as a JSON list
// of learnerProgress, attempt by attempt as they are read: however long the
// history, only one attempt is held in memory.
func streamProgress(ctx context.Context, s *store.Store, learners []store.Learner, packs []*lessons.Pack, w io.Writer,
	answers func(learnerID string) (answerRule, error)) error {
	j := &jsonStream{w: w}
	j.raw("[")
	for li, l := range learners {
		rule, err := answers(l.ID)
		if err != nil {
			return err
		}
		j.item(li, 1)
		j.raw("{")
		j.field(0, 2, "learner", l)
		j.key(1, 2, "packs")
		j.raw("[")
		for pi, p := range packs {
			j.item(pi, 3)
			if err := streamPack(ctx, s, l.ID, p, j, rule); err != nil {
				return err
			}
		}
		j.end(len(packs), 2, "]")
		j.end(1, 1, "}")
	}
	j.end(len(learners), 0, "]\n")
	return j.err
}

func streamPack(ctx context.Context, s *store.Store, learnerID string, p *lessons.Pack, j *jsonStream, rule answerRule) error {
	done, err := s.Lessons(ctx, learnerID, p.ID)
	if err != nil {
		return err
	}
	mods, err := s.PackProgressFrom(ctx, learnerID, p, done)
	if err != nil {
		return err
	}
	lessonStates := []store.LessonState{}
	for _, mod := range p.Modules {
		for _, les := range mod.Lessons {
			if st, ok := done[les.ID]; ok {
				lessonStates = append(lessonStates, st)
			}
		}
	}
	j.raw("{")
	j.field(0, 4, "pack_id", p.ID)
	j.field(1, 4, "version", p.Version)
	j.field(2, 4, "course", store.Course(p, mods))
	j.field(3, 4, "modules", mods)
	j.field(4, 4, "lessons", lessonStates)
	j.key(5, 4, "attempts")
	j.raw("[")
	n := 0
	if rule == noAnswers {
		err = s.EachAttempt(ctx, learnerID, p.ID, func(a store.Attempt) error {
			j.item(n, 5)
			j.line(a)
			n++
			return j.err
		})
	} else {
		err = s.EachAttemptWithAnswers(ctx, learnerID, p.ID, func(a store.Attempt, answers json.RawMessage) error {
			j.item(n, 5)
			hide := rule == withholdAnswers
			if hide {
				answers = json.RawMessage("[]")
			}
			j.line(attemptOut{Attempt: a, Answers: answers, AnswersWithheld: hide})
			n++
			return j.err
		})
	}
	if err != nil {
		return err
	}
	j.end(n, 4, "]")
	j.end(1, 3, "}")
	return j.err
}

// jsonStream writes JSON indented by two spaces a level, piece by piece; the
// first write error sticks and ends the output.
type jsonStream struct {
	w   io.Writer
	enc *json.Encoder
	buf bytes.Buffer
	err error
}

func (j *jsonStream) raw(s string) {
	if j.err == nil {
		_, j.err = io.WriteString(j.w, s)
	}
}

func (j *jsonStream) indent(level int) string {
	b := make([]byte, 1+2*level)
	b[0] = '\n'
	for i := 1; i < len(b); i++ {
		b[i] = ' '
	}
	return string(b)
}

// item starts the i-th element of a list at level.
func (j *jsonStream) item(i, level int) {
	if i > 0 {
		j.raw(",")
	}
	j.raw(j.indent(level))
}

// key starts the i-th field of an object at level.
func (j *jsonStream) key(i, level int, name string) {
	j.item(i, level)
	b, _ := json.Marshal(name)
	j.raw(string(b) + ": ")
}

func (j *jsonStream) field(i, level int, name string, v any) {
	j.key(i, level, name)
	j.value(level, v)
}

func (j *jsonStream) value(level int, v any) {
	if j.err != nil {
		return
	}
	b, err := json.MarshalIndent(v, j.indent(level)[1:], "  ")
	if err != nil {
		j.err = err
		return
	}
	j.raw(string(b))
}

// line writes v on one line: the attempts, which are many, are encoded
// without the cost of indenting them.
func (j *jsonStream) line(v any) {
	if j.err != nil {
		return
	}
	if j.enc == nil {
		j.enc = json.NewEncoder(&j.buf)
	}
	j.buf.Reset()
	if j.err = j.enc.Encode(v); j.err == nil {
		_, j.err = j.w.Write(bytes.TrimSuffix(j.buf.Bytes(), []byte("\n")))
	}
}

// end closes a list or object of n elements whose opening is at level.
func (j *jsonStream) end(n, level int, closing string) {
	if n > 0 {
		j.raw(j.indent(level))
	}
	j.raw(closing)
}
