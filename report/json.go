package report

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"math"
	"strconv"
	"time"

	"hocso/internal/jsontext"
	"hocso/store"
)

// jsonHead is everything of the JSON report but the learners, which stream.
type jsonHead struct {
	Title       string         `json:"title"`
	Pack        string         `json:"pack"`
	PackVersion string         `json:"pack_version"`
	PackTitle   string         `json:"pack_title"`
	Unit        string         `json:"unit"`
	By          string         `json:"by"`
	From        string         `json:"from,omitempty"`
	To          string         `json:"to,omitempty"`
	Generated   time.Time      `json:"generated"`
	Modules     []Module       `json:"modules"`
	Summary     []jsonGroupRow `json:"summary"`
	Total       jsonGroupRow   `json:"total"`
}

type jsonGroupRow struct {
	GroupRow
	Rate         float64  `json:"completion_rate"`
	AverageScore *float64 `json:"average_best_score"`
}

func jsonGroup(g GroupRow) jsonGroupRow {
	j := jsonGroupRow{GroupRow: g, Rate: RoundPercent(g.Rate())}
	if avg, ok := g.AverageScore(); ok {
		avg = RoundPercent(avg)
		j.AverageScore = &avg
	}
	return j
}

// WriteJSON writes the report for scripts: the summary, then every learner
// row, streamed one at a time. Percentages are 0..100; times are RFC 3339 UTC.
func (r *Report) WriteJSON(ctx context.Context, w io.Writer) error {
	h := jsonHead{Title: r.Title, Pack: r.PackID, PackVersion: r.PackVersion, PackTitle: r.PackTitle, Unit: r.Unit,
		By: r.By.String(), Generated: r.Generated.UTC(), Modules: r.Modules, Summary: []jsonGroupRow{}}
	lines := r.SummaryLines()
	h.Total = jsonGroup(lines[len(lines)-1])
	if !r.From.IsZero() {
		h.From = r.From.Format("2006-01-02")
	}
	if !r.To.IsZero() {
		h.To = r.To.Format("2006-01-02")
	}
	for _, g := range r.Groups {
		h.Summary = append(h.Summary, jsonGroup(g))
	}
	head, err := json.Marshal(h)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	// The head object, opened again to append the learners array.
	bw.Write(head[:len(head)-1])
	bw.WriteString(`,"learners":[`)
	n := 0
	var buf []byte
	err = r.Learners(func(row LearnerRow) error {
		n++
		if err := checkCtx(ctx, n); err != nil {
			return err
		}
		if n > 1 {
			bw.WriteByte(',')
		}
		row.Percent = RoundPercent(row.Percent)
		buf, err = appendRowJSON(buf[:0], row)
		if err != nil {
			return err
		}
		bw.WriteString("\n")
		_, err = bw.Write(buf)
		return err
	})
	if err != nil {
		return err
	}
	bw.WriteString("\n]}\n")
	return bw.Flush()
}

// MarshalJSON writes a cell with its best score rounded as every format
// rounds it, and null when there is none.
func (c Cell) MarshalJSON() ([]byte, error) {
	var score *float64
	if c.HasScore {
		v := RoundPercent(c.Score)
		score = &v
	}
	return json.Marshal(struct {
		Status      store.Status `json:"status"`
		CompletedAt time.Time    `json:"completed_at,omitzero"`
		Best        *float64     `json:"best_score"`
	}{c.Status, c.CompletedAt, score})
}

// appendRowJSON appends what json.Marshal makes of row, written directly:
// marshalling each row and each of its cells by reflection took a third of
// a JSON report (TestRowJSONAsMarshal holds the two equal).
func appendRowJSON(b []byte, row LearnerRow) ([]byte, error) {
	b = append(b, `{"full_name":`...)
	b = jsontext.AppendString(b, row.FullName)
	b = append(b, `,"staff_code":`...)
	b = jsontext.AppendString(b, row.StaffCode)
	b = append(b, `,"position":`...)
	b = jsontext.AppendString(b, row.Position)
	b = append(b, `,"unit_path":`...)
	b = jsontext.AppendString(b, row.UnitPath)
	b = append(b, `,"on_roster":`...)
	b = strconv.AppendBool(b, row.OnRoster)
	b = append(b, `,"modules":`...)
	if row.Modules == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, c := range row.Modules {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = c.appendJSON(b); err != nil {
				return b, err
			}
		}
		b = append(b, ']')
	}
	b = append(b, `,"percent":`...)
	b = appendJSONFloat(b, row.Percent)
	b = append(b, `,"status":`...)
	b = jsontext.AppendString(b, string(row.Status))
	if !row.CompletedAt.IsZero() {
		t, err := row.CompletedAt.MarshalJSON()
		if err != nil {
			return b, err
		}
		b = append(append(b, `,"completed_at":`...), t...)
	}
	return append(b, '}'), nil
}

// appendJSON appends c as its MarshalJSON writes it.
func (c Cell) appendJSON(b []byte) ([]byte, error) {
	b = append(b, `{"status":`...)
	b = jsontext.AppendString(b, string(c.Status))
	if !c.CompletedAt.IsZero() {
		t, err := c.CompletedAt.MarshalJSON()
		if err != nil {
			return b, err
		}
		b = append(append(b, `,"completed_at":`...), t...)
	}
	b = append(b, `,"best_score":`...)
	if c.HasScore {
		b = appendJSONFloat(b, RoundPercent(c.Score))
	} else {
		b = append(b, "null"...)
	}
	return append(b, '}'), nil
}

// appendJSONFloat appends f as encoding/json writes a float64.
func appendJSONFloat(b []byte, f float64) []byte {
	if abs := math.Abs(f); f == 0 || abs >= 1e-6 && abs < 1e21 {
		return strconv.AppendFloat(b, f, 'f', -1, 64)
	}
	q, _ := json.Marshal(f)
	return append(b, q...)
}
