package report

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
)

// Formats are the file formats a report is written in.
var Formats = []string{"csv", "xlsx", "html", "pdf", "json"}

// ErrBadFormat is returned for a format not in Formats.
var ErrBadFormat = errors.New("format must be csv, xlsx, html, pdf or json")

// WriteOptions are what some formats need beyond the report.
type WriteOptions struct {
	// FontPath is a TrueType font for PDF; found on the system when empty.
	FontPath string
}

// Write draws the report in one format.
func (r *Report) Write(ctx context.Context, w io.Writer, format string, opt WriteOptions) error {
	switch format {
	case "csv":
		return r.WriteCSV(ctx, w)
	case "xlsx":
		return r.WriteXLSX(ctx, w)
	case "html":
		return r.WriteHTML(ctx, w)
	case "pdf":
		return r.WritePDF(ctx, w, opt.FontPath)
	case "json":
		return r.WriteJSON(ctx, w)
	}
	return fmt.Errorf("%q: %w", format, ErrBadFormat)
}

// WriteFile writes a file for a person atomically: into a temporary file
// beside it, synced to disk, then renamed over the name. A failure leaves
// any earlier file of that name as it was.
func WriteFile(path string, write func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = write(tmp); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	syncDir(filepath.Dir(path))
	return nil
}

// syncDir makes the rename durable where the OS allows it (not on Windows).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// plainNumber writes a number for machines: a dot, at most one decimal, as
// every format rounds percentages.
func plainNumber(f float64) string {
	return strconv.FormatFloat(RoundPercent(f), 'f', -1, 64)
}

// RoundPercent rounds a percentage to the one decimal every format (and the
// screen) shows, so they agree to the digit.
func RoundPercent(f float64) float64 { return math.Round(f*10) / 10 }

// checkCtx stops a long writer when the caller gives up.
func checkCtx(ctx context.Context, n int) error {
	if n%1024 == 0 {
		return ctx.Err()
	}
	return nil
}
