package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"hocso/report"
	"hocso/store"
)

func (e *env) certificateCommand() *cobra.Command {
	var learner, out, pack, font, place, unit string
	cmd := &cobra.Command{
		Use:   "certificate --learner " + e.loc.T("ArgLearnerOrCode") + " [-o " + e.loc.T("ArgPDFFile") + "]",
		Short: e.loc.T("CmdCertificateShort"),
		Long:  e.loc.T("CmdCertificateLong"),
		Args:  e.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if learner == "" {
				return fail(e.loc.T("CertNeedsLearner"))
			}
			return e.issueCertificate(cmd.Context(), learner, out, pack, font, place, unit)
		},
	}
	fs := cmd.Flags()
	stringFlag(fs, &learner, "learner", "", e.loc.T("ArgLearnerOrCode"), "", e.loc.T("FlagCertLearnerUsage"))
	stringFlag(fs, &out, "output", "o", e.loc.T("ArgPDFFile"), "", e.loc.T("FlagCertOutputUsage"))
	stringFlag(fs, &pack, "pack", "", e.loc.T("ArgID"), "", e.loc.T("FlagReportPackUsage"))
	stringFlag(fs, &font, "font", "", e.loc.T("ArgFile"), "", e.loc.T("FlagReportFontUsage"))
	stringFlag(fs, &place, "place", "", e.loc.T("ArgPlace"), "", e.loc.T("FlagReportPlaceUsage"))
	stringFlag(fs, &unit, "reporting-unit", "", e.loc.T("ArgUnitPath"), "", e.loc.T("FlagCertUnitUsage"))
	cmd.AddCommand(e.certificateVerifyCommand())
	return cmd
}

func (e *env) issueCertificate(ctx context.Context, who, out, packID, font, place, unit string) error {
	return e.withStore(ctx, func(s *store.Store) error {
		person, err := s.PersonFor(ctx, who)
		if errors.Is(err, store.ErrNoLearner) {
			return fail(e.loc.T("CertNoLearner", map[string]any{"Who": who}))
		}
		if err != nil {
			return err
		}
		p, err := e.reportPack(ctx, s, packID)
		if err != nil {
			return err
		}
		r, err := report.Build(ctx, s, report.Options{Pack: p, Person: person, Lang: e.loc.Lang(), Unit: unit, Place: place})
		if err != nil {
			return err
		}
		defer r.Close()
		row, ok, err := r.PersonRow()
		if err != nil {
			return err
		}
		if !ok {
			return fail(e.loc.T("CertNoLearner", map[string]any{"Who": who}))
		}
		if row.Status != store.Completed {
			return e.notCompleted(r, row)
		}
		if _, err := report.FindFont(font, os.Getenv); err != nil {
			return e.fontError(err, font)
		}
		if unit == "" {
			r.Unit = row.UnitPath
		}
		if place == "" {
			r.Place = strings.Split(r.Unit, " / ")[0]
		}
		c, err := s.IssueCertificate(ctx, r.CertificateFor(person, row))
		if err != nil {
			return err
		}
		if out == "" {
			out = c.Number + ".pdf"
		}
		err = report.WriteFile(out, func(w io.Writer) error { return r.WriteCertificate(ctx, w, c, font) })
		if err != nil {
			return fail(e.loc.T("ReportWriteFailed", map[string]any{"Path": out, "Error": err.Error()}))
		}
		fmt.Fprintln(e.stdout, e.loc.T("CertWritten", map[string]any{"Number": c.Number, "Name": clean(c.FullName), "Path": out}))
		return nil
	})
}

// notCompleted says which modules stand between a person and a certificate.
func (e *env) notCompleted(r *report.Report, row report.LearnerRow) error {
	var b strings.Builder
	b.WriteString(e.loc.T("CertNotCompleted", map[string]any{"Name": clean(row.FullName), "Course": r.PackTitle}))
	for i, c := range row.Modules {
		if !c.Done() {
			fmt.Fprintf(&b, "\n  %s: %s", r.Modules[i].Title, report.StatusWord(e.loc, c.Status))
		}
	}
	return fail(b.String())
}

func (e *env) certificateVerifyCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "verify " + e.loc.T("ArgCertNumber"),
		Short: e.loc.T("CmdCertificateVerifyShort"),
		Args:  e.exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.withStore(cmd.Context(), func(s *store.Store) error {
				c, err := s.Certificate(cmd.Context(), args[0])
				if errors.Is(err, store.ErrNoCertificate) {
					return fail(e.loc.T("CertUnknown", map[string]any{"Number": args[0]}))
				}
				if err != nil {
					return err
				}
				if asJSON {
					return writeJSON(e, c)
				}
				var d report.CertificateDetails
				json.Unmarshal(c.Details, &d)
				fmt.Fprintln(e.stdout, e.loc.T("CertValid", map[string]any{"Number": c.Number}))
				tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
				for _, kv := range [][2]string{
					{e.loc.T("ReportColName"), c.FullName}, {e.loc.T("ReportColStaffCode"), c.StaffCode},
					{e.loc.T("ReportColUnit"), c.UnitPath}, {e.loc.T("CertColCourse"), d.PackTitle + " (" + c.PackID + " " + c.PackVersion + ")"},
					{e.loc.T("ReportColCompletedAt"), e.loc.Date(c.CompletedAt.Local())}, {e.loc.T("CertColIssued"), e.loc.Date(c.IssuedAt.Local())},
				} {
					fmt.Fprintf(tw, "  %s:\t%s\n", kv[0], clean(kv[1]))
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, e.loc.T("FlagJSONUsage"))
	return cmd
}
