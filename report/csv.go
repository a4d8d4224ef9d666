package report

import (
	"bufio"
	"context"
	"encoding/csv"
	"io"
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
	rec := []string{}
	put := func(cols []Column, vs []Value) error {
		rec = rec[:0]
		for i, v := range vs {
			rec = append(rec, csvCell(cols[i].Kind, v))
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
			return put(cols, r.LearnerValues(row))
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

func csvCell(k Kind, v Value) string {
	switch {
	case v.Empty:
		return ""
	case k == Text:
		return v.Text
	case k == Date:
		return v.Time.Format("2006-01-02")
	}
	return plainNumber(v.Num)
}
