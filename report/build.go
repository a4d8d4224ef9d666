package report

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"hocso/locales"
	"hocso/store"
)

// Source is where a report's rows come from: a store on SQLite or PostgreSQL.
type Source interface {
	ReportRows(ctx context.Context, q store.ReportQuery, fn func(*store.PersonProgress) error) error
}

// Report is a built report: the summary in memory and the learner rows in a
// spool file, read back in order by every writer. Close removes the spool.
type Report struct {
	Title       string
	PackID      string
	PackVersion string
	PackTitle   string
	Unit        string
	Place       string
	By          Grouping
	From, To    time.Time
	Generated   time.Time
	Modules     []Module
	Groups      []GroupRow
	Total       GroupRow
	// Progress, when set, is told how many learner rows a writer has drawn.
	Progress func(done int)

	loc   *locales.Localizer
	words map[store.Status]string
	spool *os.File
}

// Build runs the report query once: it folds every person into the summary
// and writes their row to a spool file, so memory stays flat however long the
// roster is.
func Build(ctx context.Context, src Source, opt Options) (*Report, error) {
	f, err := os.CreateTemp("", "hocso-report-*.spool")
	if err != nil {
		return nil, fmt.Errorf("report spool: %w: %w", store.ErrScratch, err)
	}
	w := &spoolWriter{w: bufio.NewWriterSize(f, 1<<16)}
	r, err := build(ctx, src, opt, nil, func(row *LearnerRow) error { return w.write(row) }, w.w.Flush)
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		if errors.Is(err, ErrWriting) {
			err = fmt.Errorf("report spool: %w: %w", store.ErrScratch, err)
		}
		return nil, err
	}
	r.spool = f
	return r, nil
}

// ErrWriting marks an error in writing a report's rows out, as opposed to
// one in reading them from the database.
var ErrWriting = errors.New("writing the report")

// build runs the report query once, folds every person into the summary and
// gives each row to sink, in report order, then calls done. start, when
// set, is called with the report before the first row.
func build(ctx context.Context, src Source, opt Options, start func(*Report) error,
	sink func(*LearnerRow) error, done func() error) (*Report, error) {
	if opt.Pack == nil {
		return nil, errors.New("report needs a pack")
	}
	loc := locales.New(opt.Lang)
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	r := &Report{Title: loc.T("ReportTitle"), PackID: opt.Pack.ID, PackVersion: opt.Pack.Version,
		PackTitle: opt.Pack.Title.In(loc.Lang()), Unit: opt.Unit, Place: opt.Place, By: opt.By,
		From: opt.From, To: opt.To, Generated: now, loc: loc, words: statusWords(loc)}
	if r.Unit == "" {
		r.Unit = opt.UnitPrefix
	}
	q := store.ReportQuery{PackID: opt.Pack.ID, UnitPrefix: opt.UnitPrefix, From: opt.From, Person: opt.Person}
	if !opt.To.IsZero() {
		q.To = opt.To.AddDate(0, 0, 1) // the whole last day counts
	}
	for _, m := range opt.Pack.Modules {
		r.Modules = append(r.Modules, Module{ID: m.ID, Title: m.Title.In(loc.Lang())})
		rm := store.ReportModule{ID: m.ID}
		for _, l := range m.Lessons {
			rm.LessonIDs = append(rm.LessonIDs, l.ID)
		}
		if m.Quiz != nil {
			rm.QuizID = m.Quiz.ID
		}
		q.Modules = append(q.Modules, rm)
	}
	if start != nil {
		if err := start(r); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrWriting, err)
		}
	}
	groups := newGrouper(opt.By, r.Modules)
	err := src.ReportRows(ctx, q, func(pp *store.PersonProgress) error {
		row := learnerRow(opt.Pack, pp)
		groups.add(row)
		if err := sink(&row); err != nil {
			return fmt.Errorf("%w: %w", ErrWriting, err)
		}
		return nil
	})
	if err == nil {
		if err = done(); err != nil {
			err = fmt.Errorf("%w: %w", ErrWriting, err)
		}
	}
	if err != nil {
		return nil, err
	}
	r.Groups, r.Total = groups.rows()
	return r, nil
}

// Localizer is the report's language.
func (r *Report) Localizer() *locales.Localizer { return r.loc }

// Learners calls fn for every learner row, in report order.
func (r *Report) Learners(fn func(LearnerRow) error) error {
	if _, err := r.spool.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("report spool: %w: %w", store.ErrScratch, err)
	}
	sr := &spoolReader{r: bufio.NewReaderSize(r.spool, 1<<16)}
	for n := 1; ; n++ {
		var row LearnerRow
		if err := sr.read(&row); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return fmt.Errorf("report spool: %w: %w", store.ErrScratch, err)
		}
		if err := fn(row); err != nil {
			return err
		}
		if r.Progress != nil && n%512 == 0 {
			r.Progress(n)
		}
	}
}

// Close removes the spool file.
func (r *Report) Close() error {
	if r.spool == nil {
		return nil
	}
	name := r.spool.Name()
	r.spool.Close()
	r.spool = nil
	return os.Remove(name)
}

// grouper folds rows into summary lines; it holds one line per group, never a row.
type grouper struct {
	by      Grouping
	modules []Module
	order   []string
	byName  map[string]*GroupRow
	total   GroupRow
}

func newGrouper(by Grouping, modules []Module) *grouper {
	g := &grouper{by: by, modules: modules, byName: map[string]*GroupRow{}}
	if by.Kind == GroupModule {
		for _, m := range modules {
			g.line(m.Title)
		}
	}
	return g
}

func (g *grouper) line(name string) *GroupRow {
	if l, ok := g.byName[name]; ok {
		return l
	}
	l := &GroupRow{Name: name}
	g.byName[name] = l
	g.order = append(g.order, name)
	return l
}

func (g *grouper) add(row LearnerRow) {
	score, has := row.Score()
	g.total.add(row.Status, score, has)
	switch g.by.Kind {
	case GroupUnit:
		g.line(row.UnitPath).add(row.Status, score, has)
	case GroupLevel:
		g.line(unitLevels(row.UnitPath, g.by.Level)).add(row.Status, score, has)
	case GroupModule:
		for i, c := range row.Modules {
			g.line(g.modules[i].Title).add(c.Status, c.Score, c.HasScore)
		}
	}
}

func (g *grouper) rows() ([]GroupRow, GroupRow) {
	out := make([]GroupRow, 0, len(g.order))
	for _, name := range g.order {
		out = append(out, *g.byName[name])
	}
	return out, g.total
}
