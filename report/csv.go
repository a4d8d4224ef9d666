package report

import (
	"bufio"
	"context"
	"encoding/csv"
	"io"
	"math"
)

// utf8BOM makes Excel read the file as UTF-8, so Vietnamese shows right.
const utf8BOM = "\uFEFF"

// WriteCSV writes one RFC 4180 table (CRLF, quoted where needed), UTF-8 with
// a BOM: the learner table when grouped by learner, else the summary with its
// total line. Numbers are plain numbers with a dot, dates ISO 8601.
func (r *Report) WriteCSV(ctx context.Context, w io.Writer) error {
	cw := newCSVWriter(w)
	if r.By.Kind == GroupLearner {
		cols := r.LearnerColumns()
		if err := cw.header(cols); err != nil {
			return err
		}
		n := 0
		err := r.Learners(func(row LearnerRow) error {
			n++
			if err := checkCtx(ctx, n); err != nil {
				return err
			}
			return cw.learner(r, cols, row)
		})
		if err != nil {
			return err
		}
	} else {
		cols := r.SummaryColumns()
		if err := cw.header(cols); err != nil {
			return err
		}
		for _, g := range r.SummaryLines() {
			if err := cw.put(cols, r.SummaryValues(g)); err != nil {
				return err
			}
		}
	}
	return cw.flush()
}

// StreamCSV makes the learner report as CSV in one pass: each row is written
// as the query gives it, with no spool to write and read back, and the file
// is what Build and WriteCSV give. The report it returns has the summary
// (for the totals a caller prints) and no rows to read again. Grouped
// reports, whose lines come at the end, are built and written as usual.
func StreamCSV(ctx context.Context, src Source, opt Options, w io.Writer) (*Report, error) {
	if opt.By.Kind != GroupLearner {
		r, err := Build(ctx, src, opt)
		if err != nil {
			return nil, err
		}
		if err := r.WriteCSV(ctx, w); err != nil {
			r.Close()
			return nil, err
		}
		return r, nil
	}
	cw := newCSVWriter(w)
	var cols []Column
	var r *Report
	start := func(rep *Report) error {
		r, cols = rep, rep.LearnerColumns()
		return cw.header(cols)
	}
	rep, err := build(ctx, src, opt, start, func(row *LearnerRow) error { return cw.learner(r, cols, *row) }, cw.flush)
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// csvWriter writes a report's rows as RFC 4180 CSV, UTF-8 with a BOM.
type csvWriter struct {
	bw    *bufio.Writer
	cw    *csv.Writer
	rec   []string
	vs    []Value
	cells csvCells
}

func newCSVWriter(w io.Writer) *csvWriter {
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString(utf8BOM) // an error shows again at flush
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	return &csvWriter{bw: bw, cw: cw, cells: csvCells{days: map[int]string{}}}
}

func (c *csvWriter) header(cols []Column) error { return c.cw.Write(headers(cols)) }

func (c *csvWriter) put(cols []Column, vs []Value) error {
	c.rec = c.rec[:0]
	for i, v := range vs {
		c.rec = append(c.rec, c.cells.cell(cols[i].Kind, v))
	}
	return c.cw.Write(c.rec)
}

func (c *csvWriter) learner(r *Report, cols []Column, row LearnerRow) error {
	c.vs = r.appendLearnerValues(c.vs[:0], row)
	return c.put(cols, c.vs)
}

func (c *csvWriter) flush() error {
	c.cw.Flush()
	if err := c.cw.Error(); err != nil {
		return err
	}
	return c.bw.Flush()
}

func headers(cols []Column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Header
	}
	return out
}

// csvCells writes cells as CSV text. A learner table repeats a few hundred
// days and percentages a million times, so each is formatted once.
type csvCells struct {
	days     map[int]string // year*10000 + month*100 + day
	percents [1001]string   // 0.0 to 100.0 by tenths, as plainNumber writes them
}

func (c *csvCells) cell(k Kind, v Value) string {
	switch {
	case v.Empty:
		return ""
	case k == Text:
		return v.Text
	case k == Date:
		y, m, d := v.Time.Date()
		key := y*10000 + int(m)*100 + d
		s, ok := c.days[key]
		if !ok {
			s = v.Time.Format("2006-01-02")
			c.days[key] = s
		}
		return s
	}
	// plainNumber depends on the tenths alone.
	if tenths := math.Round(v.Num * 10); tenths >= 0 && tenths <= 1000 && !math.Signbit(tenths) {
		s := &c.percents[int(tenths)]
		if *s == "" {
			*s = plainNumber(v.Num)
		}
		return *s
	}
	return plainNumber(v.Num)
}
