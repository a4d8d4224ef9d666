package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"hocso/lessons"
	"hocso/report"
	"hocso/store"
)

// reportFlags are the choices of `hocso report`.
type reportFlags struct {
	by, format, out, pack, unit, from, to, font, place, title string
}

func (e *env) reportCommand() *cobra.Command {
	var f reportFlags
	cmd := &cobra.Command{
		Use:   "report",
		Short: e.loc.T("CmdReportShort"),
		Long:  e.loc.T("CmdReportLong"),
		Args:  e.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.runReport(cmd.Context(), f)
		},
	}
	fs := cmd.Flags()
	stringFlag(fs, &f.by, "by", "", "learner|unit|level:N|module", "learner", e.loc.T("FlagReportByUsage"))
	stringFlag(fs, &f.format, "format", "", strings.Join(report.Formats, "|"), "", e.loc.T("FlagReportFormatUsage"))
	stringFlag(fs, &f.out, "output", "o", e.loc.T("ArgFile"), "", e.loc.T("FlagReportOutputUsage"))
	stringFlag(fs, &f.pack, "pack", "", e.loc.T("ArgID"), "", e.loc.T("FlagReportPackUsage"))
	stringFlag(fs, &f.unit, "unit", "", e.loc.T("ArgUnitPath"), "", e.loc.T("FlagReportUnitUsage"))
	stringFlag(fs, &f.from, "from", "", e.loc.T("ArgDate"), "", e.loc.T("FlagReportFromUsage"))
	stringFlag(fs, &f.to, "to", "", e.loc.T("ArgDate"), "", e.loc.T("FlagReportToUsage"))
	stringFlag(fs, &f.font, "font", "", e.loc.T("ArgFile"), "", e.loc.T("FlagReportFontUsage"))
	stringFlag(fs, &f.place, "place", "", e.loc.T("ArgPlace"), "", e.loc.T("FlagReportPlaceUsage"))
	stringFlag(fs, &f.title, "reporting-unit", "", e.loc.T("ArgUnitPath"), "", e.loc.T("FlagReportUnitNameUsage"))
	return cmd
}

func (e *env) runReport(ctx context.Context, f reportFlags) error {
	by, err := report.ParseGrouping(f.by)
	if err != nil {
		return fail(e.loc.T("ReportBadGrouping", map[string]any{"Value": f.by}))
	}
	format, err := e.reportFormat(f.format, f.out)
	if err != nil {
		return err
	}
	opt := report.Options{By: by, UnitPrefix: report.NormalizeUnit(f.unit), Lang: e.loc.Lang(), Unit: f.title, Place: f.place}
	if opt.From, err = e.parseDay("from", f.from); err != nil {
		return err
	}
	if opt.To, err = e.parseDay("to", f.to); err != nil {
		return err
	}
	if format == "pdf" {
		if _, err := report.FindFont(f.font, os.Getenv); err != nil {
			return e.fontError(err, f.font)
		}
	}
	return e.withStore(ctx, func(s *store.Store) error {
		if opt.Pack, err = e.reportPack(ctx, s, f.pack); err != nil {
			return err
		}
		if opt.Unit == "" {
			opt.Unit = opt.UnitPrefix
		}
		if opt.Place == "" {
			opt.Place = strings.Split(opt.Unit, " / ")[0]
		}
		if format == "csv" {
			return e.streamCSV(ctx, s, opt, f.out)
		}
		r, err := report.Build(ctx, s, opt)
		if errors.Is(err, store.ErrScratch) {
			return e.scratchError(err)
		} else if err != nil {
			return err
		}
		defer r.Close()
		e.sayAmbiguous(ctx, s)
		write := func(w io.Writer) error {
			return r.Write(ctx, w, format, report.WriteOptions{FontPath: f.font})
		}
		if f.out == "" || f.out == "-" {
			if format == "xlsx" || format == "pdf" {
				return write(e.term) // bytes, not text: the cleaning writer would break them
			}
			return write(e.stdout)
		}
		if err := report.WriteFile(f.out, write); err != nil {
			return fail(e.loc.T("ReportWriteFailed", map[string]any{"Path": f.out, "Error": err.Error()}))
		}
		fmt.Fprintln(e.stderr, e.loc.N("ReportWritten", r.Total.People, map[string]any{"Path": f.out}))
		return nil
	})
}

// streamCSV writes a CSV report in one pass, each row as the query gives it
// (report.StreamCSV), to the file out (atomically) or to standard output.
func (e *env) streamCSV(ctx context.Context, s *store.Store, opt report.Options, out string) error {
	var r *report.Report
	write := func(w io.Writer) (err error) {
		r, err = report.StreamCSV(ctx, s, opt, w)
		return err
	}
	var err error
	if out == "" || out == "-" {
		err = write(e.stdout)
	} else {
		err = report.WriteFile(out, write)
	}
	switch {
	case errors.Is(err, store.ErrScratch):
		return e.scratchError(err)
	case err != nil && r == nil && !errors.Is(err, report.ErrWriting):
		return err // reading the database failed, not writing the file
	case err != nil && out != "" && out != "-":
		return fail(e.loc.T("ReportWriteFailed", map[string]any{"Path": out, "Error": err.Error()}))
	case err != nil:
		return err
	}
	e.sayAmbiguous(ctx, s)
	if out != "" && out != "-" {
		fmt.Fprintln(e.stderr, e.loc.N("ReportWritten", r.Total.People, map[string]any{"Path": out}))
	}
	return nil
}

// scratchError says that the report's temporary files could not be written.
func (e *env) scratchError(err error) error {
	return fail(e.loc.T("ReportScratch", map[string]any{"Dir": os.TempDir(), "Error": err.Error()}))
}

// sayAmbiguous tells how many learners match several roster entries.
func (e *env) sayAmbiguous(ctx context.Context, s *store.Store) {
	if amb, err := s.Ambiguous(ctx); err == nil && len(amb) > 0 {
		fmt.Fprintln(e.stderr, e.loc.N("ReportAmbiguous", len(amb)))
	}
}

// reportFormat is --format, else the output file's extension, else CSV.
func (e *env) reportFormat(format, out string) (string, error) {
	if format == "" {
		format = strings.TrimPrefix(strings.ToLower(filepath.Ext(out)), ".")
		if format == "" || format == "htm" {
			format = map[string]string{"": "csv", "htm": "html"}[format]
		}
	}
	for _, f := range report.Formats {
		if f == format {
			if (f == "xlsx" || f == "pdf") && (out == "" || out == "-") && isTerminal(e.term) {
				return "", fail(e.loc.T("ReportNeedsFile", map[string]any{"Format": f}))
			}
			return f, nil
		}
	}
	return "", fail(e.loc.T("ReportBadFormat", map[string]any{"Value": format, "Formats": strings.Join(report.Formats, ", ")}))
}

// parseDay reads a calendar day as 2026-12-02 or 2/12/2026.
func (e *env) parseDay(flag, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{"2006-01-02", "2/1/2006"} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fail(e.loc.T("ReportBadDate", map[string]any{"Flag": flag, "Value": s}))
}

// reportPack is the pack a report is about: --pack, else the built-in course.
func (e *env) reportPack(ctx context.Context, s *store.Store, id string) (*lessons.Pack, error) {
	packs, err := e.packs(ctx, s)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, p := range packs {
		if id == "" || p.Pack.ID == id {
			return p.Pack, nil
		}
		ids = append(ids, p.Pack.ID)
	}
	return nil, fail(e.loc.T("ReportNoPack", map[string]any{"ID": id, "IDs": strings.Join(ids, ", ")}))
}

func (e *env) fontError(err error, path string) error {
	var fe *report.FontError
	if errors.As(err, &fe) {
		return fail(e.loc.T("ReportFontLacks", map[string]any{"Path": fe.Path, "Missing": fe.Missing}))
	}
	if path != "" {
		return fail(e.loc.T("ReportFontMissing", map[string]any{"Path": path}))
	}
	return fail(e.loc.T("ReportNoFont"))
}
