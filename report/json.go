package report

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"time"

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
	err = r.Learners(func(row LearnerRow) error {
		n++
		if err := checkCtx(ctx, n); err != nil {
			return err
		}
		if n > 1 {
			bw.WriteByte(',')
		}
		row.Percent = RoundPercent(row.Percent)
		b, err := json.Marshal(row)
		if err != nil {
			return err
		}
		bw.WriteString("\n")
		_, err = bw.Write(b)
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
