package report_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"hocso/report/reporttest"
	"hocso/store"
)

// TestWriteSamples writes the fixture's report in every format into
// $HOCSO_REPORT_SAMPLES, with the fixture database as office.db, for a
// person to look at; it does nothing otherwise.
func TestWriteSamples(t *testing.T) {
	dir := os.Getenv("HOCSO_REPORT_SAMPLES")
	if dir == "" {
		t.Skip("set HOCSO_REPORT_SAMPLES=DIR to write sample reports there")
	}
	s, err := store.Open(context.Background(), filepath.Join(dir, "office.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := reporttest.Fill(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	for _, by := range []string{"learner", "unit"} {
		r := build(t, by, "vi")
		for _, f := range []string{"csv", "xlsx", "html", "pdf", "json"} {
			if err := os.WriteFile(dir+"/"+by+"."+f, render(t, r, f), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
