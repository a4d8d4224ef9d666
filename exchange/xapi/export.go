package xapi

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"hocso/store"
)

// Export writes every event of the store that is a learning experience as a
// JSON array of statements, streaming: memory stays flat however long the log.
// It returns how many statements it wrote.
func Export(ctx context.Context, s *store.Store, m *Mapper, w io.Writer) (int, error) {
	plan, err := s.PlanExport(ctx, true)
	if err != nil {
		return 0, err
	}
	bw := bufio.NewWriter(w)
	bw.WriteString("[")
	n := 0
	err = s.ExportEvents(ctx, plan, func(_ int64, ev store.Event) error {
		st, err := m.Statement(ctx, ev)
		if errors.Is(err, ErrNoStatement) {
			return nil
		}
		if err != nil {
			return err
		}
		b, err := json.Marshal(st)
		if err != nil {
			return err
		}
		if n > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n")
		bw.Write(b)
		n++
		return nil
	})
	if err != nil {
		return n, fmt.Errorf("xAPI export: %w", err)
	}
	bw.WriteString("\n]\n")
	return n, bw.Flush()
}
