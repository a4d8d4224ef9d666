package report_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"hocso/lessons"
	"hocso/report"
	"hocso/store"
)

// benchDB opens the database named by HOCSO_BENCH_DB, made by
// `hocso dev generate --learners 100000 --devices 50 --db FILE`.
func benchDB(b *testing.B) (*store.Store, *lessons.Pack, string) {
	path := os.Getenv("HOCSO_BENCH_DB")
	if path == "" {
		b.Skip("set HOCSO_BENCH_DB to a database from: hocso dev generate --learners 100000 --devices 50 --db FILE")
	}
	s, err := store.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	p, err := lessons.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	return s, p, path
}

// BenchmarkLearnerReport makes the learner report of the whole database in
// each format, written to nowhere, beside two floors measured in the same
// run: the report query alone through Go's driver, and the same SQL run by
// the sqlite3 command on the same file.
func BenchmarkLearnerReport(b *testing.B) {
	s, p, path := benchDB(b)
	ctx := context.Background()
	opt := report.Options{By: report.Grouping{Kind: report.GroupLearner}, Pack: p, Lang: "vi"}
	for _, format := range report.Formats {
		b.Run(format, func(b *testing.B) {
			if format == "pdf" {
				if _, err := report.FindFont("", os.Getenv); err != nil {
					b.Skip(err)
				}
			}
			defer reportCPU(b, processCPU)()
			for b.Loop() {
				r, err := report.Build(ctx, s, opt)
				if err != nil {
					b.Fatal(err)
				}
				if err := r.Write(ctx, io.Discard, format, report.WriteOptions{}); err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(r.Total.People), "people")
				r.Close()
			}
		})
	}
	b.Run("query-only", func(b *testing.B) {
		q := reportQuery(p)
		defer reportCPU(b, processCPU)()
		for b.Loop() {
			n := 0
			if err := s.ReportRows(ctx, q, func(*store.PersonProgress) error { n++; return nil }); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(n), "people")
		}
	})
	// The bare GROUP BY through the pure-Go engine the report runs on: what
	// the engine alone costs for it, beside the sqlite3 command's figure.
	b.Run("go-groupby-floor", func(b *testing.B) {
		db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		defer reportCPU(b, processCPU)()
		for b.Loop() {
			for q := range strings.SplitSeq(strings.TrimSpace(fmt.Sprintf(bareGroupBy, p.ID, p.ID)), ";") {
				if strings.TrimSpace(q) == "" {
					continue
				}
				if err := drain(ctx, db, q); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	// Two floors by the sqlite3 command: the report's own SQL, and the bare
	// GROUP BY that totals each learner's modules with no people, names or
	// order at all.
	floors := map[string]string{
		"sqlite3-floor":         inline(store.ReportSQL(reportQuery(p))) + ";\n",
		"sqlite3-groupby-floor": fmt.Sprintf(bareGroupBy, p.ID, p.ID),
	}
	for _, name := range []string{"sqlite3-floor", "sqlite3-groupby-floor"} {
		b.Run(name, func(b *testing.B) {
			sqlite3, err := exec.LookPath("sqlite3")
			if err != nil {
				b.Skip("sqlite3 not installed (apt-get install sqlite3): no floor measured")
			}
			var cpu time.Duration
			defer reportCPU(b, func() time.Duration { return cpu })()
			for b.Loop() {
				cmd := exec.Command(sqlite3, "-readonly", path)
				cmd.Stdin = strings.NewReader(".output /dev/null\n" + floors[name])
				if out, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("sqlite3: %v\n%s", err, out)
				}
				cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
			}
		})
	}
}

// reportCPU reports the CPU time per operation, user and system, as
// cpu-ms/op: on a shared machine it is steadier than the time on the clock.
// Call the function it returns when the loop is done.
func reportCPU(b *testing.B, cpu func() time.Duration) func() {
	start := cpu()
	return func() {
		if used := cpu() - start; used > 0 && b.N > 0 {
			b.ReportMetric(float64(used.Milliseconds())/float64(b.N), "cpu-ms/op")
		}
	}
}

// drain runs a query and reads every column of every row as raw bytes.
func drain(ctx context.Context, db *sql.DB, q string) error {
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	vals := make([]sql.RawBytes, len(cols))
	dest := make([]any, len(cols))
	for i := range vals {
		dest[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
	}
	return rows.Err()
}

// bareGroupBy totals every learner's modules: lessons completed, the last
// completion, the best score and the first pass.
const bareGroupBy = `SELECT learner_id, module_id, count(completed_at), max(completed_at)
FROM lesson_progress WHERE pack_id = '%s' GROUP BY learner_id, module_id;
SELECT learner_id, module_id, max(score * 100 / max_score), min(CASE WHEN passed = 1 THEN submitted_at END)
FROM attempts WHERE pack_id = '%s' GROUP BY learner_id, module_id;
`

// reportQuery is the query Build runs for a whole-database learner report.
func reportQuery(p *lessons.Pack) store.ReportQuery {
	q := store.ReportQuery{PackID: p.ID}
	for _, m := range p.Modules {
		rm := store.ReportModule{ID: m.ID}
		for _, l := range m.Lessons {
			rm.LessonIDs = append(rm.LessonIDs, l.ID)
		}
		if m.Quiz != nil {
			rm.QuizID = m.Quiz.ID
		}
		q.Modules = append(q.Modules, rm)
	}
	return q
}

// inline puts the arguments into the SQL as literals, for the sqlite3 command.
func inline(text string, args []any) string {
	var b strings.Builder
	i := 0
	for _, r := range text {
		if r == '?' && i < len(args) {
			fmt.Fprintf(&b, "'%s'", strings.ReplaceAll(fmt.Sprint(args[i]), "'", "''"))
			i++
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// TestWriteReportSQL writes the benchmark's query, arguments inlined, to
// $HOCSO_REPORT_SQL, so the floor can be timed by hand:
// time sqlite3 -readonly FILE < query.sql > /dev/null
func TestWriteReportSQL(t *testing.T) {
	path := os.Getenv("HOCSO_REPORT_SQL")
	if path == "" {
		t.Skip("set HOCSO_REPORT_SQL=FILE to write the report query there")
	}
	p, err := lessons.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(inline(store.ReportSQL(reportQuery(p)))+";\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}
