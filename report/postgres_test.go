package report_test

import (
	"bytes"
	"context"
	"testing"

	"hocso/report"
	"hocso/report/reporttest"
	"hocso/store"
	"hocso/store/pgtest"
)

// TestSameReportOnPostgres fills a hub's PostgreSQL database with the golden
// fixture and checks that every grouping gives, byte for byte, the CSV and
// JSON the SQLite file gives: one query serves both databases.
func TestSameReportOnPostgres(t *testing.T) {
	dsn := pgtest.DSN(t)
	ctx := context.Background()
	pg, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	if err := reporttest.Fill(ctx, pg); err != nil {
		t.Fatal(err)
	}
	lite, p := reporttest.Open(t)
	for _, by := range []string{"learner", "unit", "level:2", "module"} {
		g, err := report.ParseGrouping(by)
		if err != nil {
			t.Fatal(err)
		}
		var out [2][]byte
		for i, s := range []*store.Store{lite, pg} {
			r, err := report.Build(ctx, s, report.Options{By: g, Pack: p, Lang: "vi", Place: "Hà Nội", Now: reporttest.Now})
			if err != nil {
				t.Fatalf("%s on %s: %v", by, []string{"SQLite", "PostgreSQL"}[i], err)
			}
			var b bytes.Buffer
			for _, f := range []string{"csv", "json"} {
				if err := r.Write(ctx, &b, f, report.WriteOptions{}); err != nil {
					t.Fatal(err)
				}
			}
			r.Close()
			out[i] = b.Bytes()
		}
		if !bytes.Equal(out[0], out[1]) {
			t.Errorf("by %s: PostgreSQL's report differs from SQLite's:\n%s\n---\n%s", by, out[1], out[0])
		}
	}
}
