// Package synth makes realistic synthetic learning records for tests,
// benchmarks and demonstrations: Vietnamese officials with names as they are
// written, in real provinces and communes after the 2025 reorganisation,
// reading lessons and taking the quizzes of a real pack with the patterns of
// real learners (some diligent, some who stop, some who retry). The same
// options and seed always give the same records.
package synth

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"
	"golang.org/x/text/unicode/norm"

	"hocso/lessons"
	"hocso/quiz"
	"hocso/store"
)

// Options say what to generate.
type Options struct {
	Learners int
	Devices  int
	Seed     uint64
	// Start is when the first learner begins; the course runs over about ten weeks after.
	Start time.Time
	Pack  *lessons.Pack
}

// Plan is who learns on which device; events come from it on demand, so a
// plan of any size takes little memory.
type Plan struct {
	opt     Options
	ref     store.PackRef
	Devices []Device
}

// Device is one PC and the learners who use it.
type Device struct {
	ID       string
	Unit     string
	Learners []Learner
}

// Learner is one synthetic official.
type Learner struct {
	index   int
	ID      string
	Profile store.ProfilePayload
}

// vnZone is Vietnam's time zone: learners study in office hours there.
var vnZone = time.FixedZone("ICT", 7*3600)

// NewPlan assigns learners to devices, with names and units.
func NewPlan(opt Options) (*Plan, error) {
	if opt.Learners < 1 || opt.Devices < 1 {
		return nil, fmt.Errorf("need at least one learner and one device")
	}
	if opt.Pack == nil {
		return nil, fmt.Errorf("need a pack")
	}
	if opt.Start.IsZero() {
		opt.Start = time.Date(2026, 3, 2, 8, 0, 0, 0, vnZone)
	}
	p := &Plan{opt: opt, ref: store.PackRef{ID: opt.Pack.ID, Version: opt.Pack.Version, Hash: opt.Pack.Hash}}
	rng := rand.New(rand.NewPCG(opt.Seed, 0x68_6f_63))
	// A device sits in one office; its learners work there.
	for range opt.Devices {
		prov := provinces[rng.IntN(len(provinces))]
		unit := prov.Name + " / " + prov.Communes[rng.IntN(len(prov.Communes))] + " / " + offices[rng.IntN(len(offices))]
		p.Devices = append(p.Devices, Device{ID: idAt(opt.Start, rng), Unit: unit})
	}
	for i := range opt.Learners {
		d := &p.Devices[i%opt.Devices]
		lr := learnerRand(opt.Seed, i)
		d.Learners = append(d.Learners, Learner{
			index:   i,
			ID:      idAt(opt.Start, lr),
			Profile: store.ProfilePayload{FullName: name(lr), StaffCode: staffCode(lr, i), UnitPath: d.Unit},
		})
	}
	return p, nil
}

// learnerRand is the random source of one learner: each learner's records
// depend only on the seed and the learner's number.
func learnerRand(seed uint64, i int) *rand.Rand {
	return rand.New(rand.NewPCG(seed, uint64(i)+1))
}

// idAt is a UUIDv7 for time t whose random bits come from rng, so that ids
// are reproducible and sort by time as the store's own do.
func idAt(t time.Time, rng *rand.Rand) string {
	var u uuid.UUID
	binary.BigEndian.PutUint64(u[8:], rng.Uint64())
	ms := uint64(t.UnixMilli())
	binary.BigEndian.PutUint16(u[4:6], uint16(ms))
	binary.BigEndian.PutUint32(u[0:4], uint32(ms>>16))
	r := rng.Uint32()
	u[6] = 0x70 | byte(r>>8)&0x0f
	u[7] = byte(r)
	u[8] = u[8]&0x3f | 0x80
	return u.String()
}

func name(rng *rand.Rand) string {
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	var n string
	if rng.IntN(2) == 0 {
		n = pick(familyNames) + " " + pick(middleFemale) + " " + pick(givenFemale)
	} else {
		n = pick(familyNames) + " " + pick(middleMale) + " " + pick(givenMale)
	}
	return norm.NFC.String(n)
}

// staffCode: most officials give theirs, some leave it empty.
func staffCode(rng *rand.Rand, i int) string {
	if rng.IntN(5) == 0 {
		return ""
	}
	return fmt.Sprintf("CB-%05d", i+1)
}

// Count is what Events yields for a device: how many events, and the time range.
type Count struct {
	Events      int
	First, Last time.Time
}

// Count runs the device's events without keeping them.
func (p *Plan) Count(ctx context.Context, device int) (Count, error) {
	var c Count
	err := p.Events(ctx, device, func(ev store.Event) error {
		c.Events++
		if c.First.IsZero() || ev.Time.Before(c.First) {
			c.First = ev.Time
		}
		if ev.Time.After(c.Last) {
			c.Last = ev.Time
		}
		return nil
	})
	return c, err
}

// Events calls fn with every event of one device, learner by learner, each
// learner's in the order they happened.
func (p *Plan) Events(ctx context.Context, device int, fn func(store.Event) error) error {
	d := p.Devices[device]
	for _, l := range d.Learners {
		if err := ctx.Err(); err != nil {
			return err
		}
		g := &learnerGen{p: p, l: l, dev: d.ID, rng: learnerRand(p.opt.Seed, l.index), emit: fn}
		if err := g.run(); err != nil {
			return err
		}
	}
	return nil
}

// learnerGen plays one learner through the course.
type learnerGen struct {
	p    *Plan
	l    Learner
	dev  string
	rng  *rand.Rand
	now  time.Time
	emit func(store.Event) error
}

func (g *learnerGen) event(kind, item string, payload any) error {
	b, err := json.Marshal(payload)
	if err != nil {
		return err
	}
	ev := store.Event{ID: idAt(g.now, g.rng), LearnerID: g.l.ID, DeviceID: g.dev, Kind: kind, Time: g.now.UTC(), Payload: b}
	if kind != store.KindProfile {
		ev.PackID, ev.PackVersion, ev.PackHash, ev.ItemID = g.p.ref.ID, g.p.ref.Version, g.p.ref.Hash, item
	}
	return g.emit(ev)
}

// wait moves the clock on by about d, and to the next working morning when
// the office day is over.
func (g *learnerGen) wait(d time.Duration) {
	g.now = g.now.Add(d/2 + time.Duration(g.rng.Int64N(int64(d)+1)))
	local := g.now.In(vnZone)
	if local.Hour() >= 17 || local.Weekday() == time.Saturday || local.Weekday() == time.Sunday {
		next := time.Date(local.Year(), local.Month(), local.Day()+1, 8, g.rng.IntN(60), 0, 0, vnZone)
		for next.Weekday() == time.Saturday || next.Weekday() == time.Sunday {
			next = next.AddDate(0, 0, 1)
		}
		g.now = next
	}
}

func (g *learnerGen) run() error {
	g.now = g.p.opt.Start.Add(time.Duration(g.rng.IntN(10*24)) * time.Hour)
	g.wait(time.Minute)
	if err := g.event(store.KindProfile, "", g.l.Profile); err != nil {
		return err
	}
	ability := 0.45 + 0.5*g.rng.Float64()
	persistence := 0.75 + 0.25*g.rng.Float64() // the chance to go on to the next module
	for mi, mod := range g.p.opt.Pack.Modules {
		if mi > 0 && g.rng.Float64() > persistence {
			break
		}
		done, err := g.lessons(mod)
		if err != nil || !done {
			return err
		}
		if mod.Quiz != nil {
			if err := g.quiz(mod, ability); err != nil {
				return err
			}
		}
		g.wait(time.Duration(1+g.rng.IntN(72)) * time.Hour)
	}
	if g.rng.IntN(6) == 0 { // a later profile edit: the staff code found
		prof := g.l.Profile
		prof.StaffCode = fmt.Sprintf("CB-%05d", g.l.index+1)
		g.wait(time.Duration(1+g.rng.IntN(48)) * time.Hour)
		return g.event(store.KindProfile, "", prof)
	}
	return nil
}

// lessons opens and reads a module's lessons; done is false when the learner
// stopped partway.
func (g *learnerGen) lessons(mod *lessons.Module) (bool, error) {
	for _, les := range mod.Lessons {
		if err := g.event(store.KindLessonOpened, les.ID, store.LessonPayload{ModuleID: mod.ID}); err != nil {
			return false, err
		}
		minutes := max(les.Minutes, 3)
		g.wait(time.Duration(minutes) * time.Minute)
		if g.rng.IntN(12) == 0 {
			return false, nil
		}
		if err := g.event(store.KindLessonCompleted, les.ID, store.LessonPayload{ModuleID: mod.ID}); err != nil {
			return false, err
		}
		g.wait(time.Duration(1+g.rng.IntN(5)) * time.Minute)
	}
	return true, nil
}

// quiz takes attempts until one passes, the attempts run out (three at most
// for a learner), or the learner leaves one open.
func (g *learnerGen) quiz(mod *lessons.Module, ability float64) error {
	z := mod.Quiz
	tries := 3
	if z.MaxAttempts > 0 {
		tries = min(tries, z.MaxAttempts)
	}
	for range tries {
		seed := g.rng.Int64()
		attempt := idAt(g.now, g.rng)
		ids := z.Order(seed)
		if err := g.event(store.KindQuizStarted, z.ID, store.QuizStartedPayload{
			AttemptID: attempt, ModuleID: mod.ID, Seed: seed, QuestionIDs: ids, PassMark: z.PassMark}); err != nil {
			return err
		}
		var score, maxScore float64
		for _, id := range ids {
			q := z.Question(id)
			if q == nil {
				continue
			}
			g.wait(time.Duration(20+g.rng.IntN(60)) * time.Second)
			maxScore += q.MaxPoints()
			a := answerFor(q, g.rng.Float64() < ability, g.rng)
			raw, _ := json.Marshal(a)
			pts := quiz.Grade(q, a)
			score += pts
			if err := g.event(store.KindQuizAnswered, q.ID, store.AnsweredPayload{AttemptID: attempt,
				QuestionHash: q.Hash(), Answer: raw, Score: pts, MaxScore: q.MaxPoints()}); err != nil {
				return err
			}
		}
		if g.rng.IntN(15) == 0 {
			return nil // left open: the learner will come back to it
		}
		g.wait(time.Minute)
		passed := z.Passed(score, maxScore)
		if err := g.event(store.KindQuizSubmitted, z.ID, store.SubmittedPayload{AttemptID: attempt,
			Score: score, MaxScore: maxScore, Passed: passed}); err != nil {
			return err
		}
		if passed {
			return nil
		}
		ability = min(0.98, ability+0.1) // a retry after reading again goes better
		g.wait(time.Duration(2+g.rng.IntN(40)) * time.Hour)
	}
	return nil
}

// Seq is Events as an iterator, for store.ImportEvents.
func (p *Plan) Seq(ctx context.Context, device int) iter.Seq2[store.Event, error] {
	return func(yield func(store.Event, error) bool) {
		errStop := errors.New("stopped")
		err := p.Events(ctx, device, func(ev store.Event) error {
			if !yield(ev, nil) {
				return errStop
			}
			return nil
		})
		if err != nil && !errors.Is(err, errStop) {
			yield(store.Event{}, err)
		}
	}
}
