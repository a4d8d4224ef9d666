package report_test

import (
	"os"
	"testing"
)

// TestWriteSamples writes the fixture's report in every format into
// $HOCSO_REPORT_SAMPLES, for a person to look at; it does nothing otherwise.
func TestWriteSamples(t *testing.T) {
	dir := os.Getenv("HOCSO_REPORT_SAMPLES")
	if dir == "" {
		t.Skip("set HOCSO_REPORT_SAMPLES=DIR to write sample reports there")
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
