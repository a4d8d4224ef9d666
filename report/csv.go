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
	bw := bufio.NewWriterSize(w, 1<<16)
	if _, err := bw.WriteString(utf8BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	var rec []string
	var vs []Value
	cells := csvCells{days: map[int]string{}}
	put := func(cols []Column, vs []Value) error {
		rec = rec[:0]
		for i, v := range vs {
			rec = append(rec, cells.cell(cols[i].Kind, v))
		}
		return cw.Write(rec)
	}
	if r.By.Kind == GroupLearner {
		cols := r.LearnerColumns()
		if err := cw.Write(headers(cols)); err != nil {
			return err
		}
		n := 0
		err := r.Learners(func(row LearnerRow) error {
			n++
			if err := checkCtx(ctx, n); err != nil {
				return err
			}
			vs = r.appendLearnerValues(vs[:0], row)
			return put(cols, vs)
		})
		if err != nil {
			return err
		}
	} else {
		cols := r.SummaryColumns()
		if err := cw.Write(headers(cols)); err != nil {
			return err
		}
		for _, g := range r.SummaryLines() {
			if err := put(cols, r.SummaryValues(g)); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
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
