package accessible

import (
	"errors"
	"io"
	"os"
	"strings"
	"time"

	"hocso/report"
	"hocso/store"
)

// officeReport is the report screen as plain lines: the summary said one
// group per line, then a menu to change the grouping or the unit, hear who
// has not started, or export the report to a file.
func (s *session) officeReport() error {
	c := s.c
	groups := []string{"unit", "level:1", "level:2", "module", "learner"}
	group, unit := 0, ""
	for {
		by, _ := report.ParseGrouping(groups[group])
		opt := report.Options{By: by, Pack: c.Pack, UnitPrefix: unit, Unit: unit, Lang: c.Lang(),
			Place: strings.Split(unit, " / ")[0]}
		r, err := report.Build(s.ctx, c.Store, opt)
		if errors.Is(err, store.ErrScratch) {
			// Said, and back to the menu: freeing space needs no restart.
			s.say(c.T("ReportScratch", map[string]any{"Dir": os.TempDir(), "Error": err.Error()}))
			return nil
		} else if err != nil {
			return s.stopped(err)
		}
		s.say("", c.T("ReportScreenTitle")+": "+c.Pack.Title.In(c.Lang())+".",
			c.T("AccessibleReportGroupBy")+": "+c.T("ReportGroup_"+strings.ReplaceAll(groups[group], ":", ""))+".")
		for _, g := range r.SummaryLines() {
			s.say(c.T("AccessibleReportLine", map[string]any{"Name": clean(g.Name), "People": g.People,
				"NotStarted": g.NotStarted, "InProgress": g.InProgress, "Completed": g.Completed,
				"Rate": c.Loc.Percent(report.RoundPercent(g.Rate()))}))
		}
		i, err := s.choose("", []string{c.T("AccessibleReportNotStarted"), c.T("AccessibleReportChangeGroup"),
			c.T("AccessibleReportChangeUnit"), c.T("AccessibleReportExport"), c.T("AccessibleReportBack")})
		if err == nil {
			switch i {
			case 0:
				err = s.notStarted(r)
			case 1:
				group = (group + 1) % len(groups)
			case 2:
				var line string
				if line, err = s.ask(c.T("ReportScreenUnitPrompt")); err == nil {
					unit = report.NormalizeUnit(line)
				}
			case 3:
				err = s.exportReport(r)
			default:
				r.Close()
				return nil
			}
		}
		r.Close()
		if err != nil {
			return err
		}
	}
}

// notStarted says each person who has not started, one per line.
func (s *session) notStarted(r *report.Report) error {
	c, n := s.c, 0
	err := r.Learners(func(row report.LearnerRow) error {
		if row.Status != store.NotStarted {
			return nil
		}
		n++
		s.say(c.T("AccessibleReportPerson", map[string]any{"Name": clean(row.FullName), "Code": clean(row.StaffCode),
			"Unit": clean(row.UnitPath)}))
		return s.err
	})
	if n == 0 {
		s.say(c.T("ReportNobody"))
	}
	return err
}

// exportReport asks for a format and a file name and writes the report,
// saying how far it got every few thousand rows.
func (s *session) exportReport(r *report.Report) error {
	c := s.c
	var names []string
	for _, f := range report.Formats {
		names = append(names, strings.ToUpper(f))
	}
	i, err := s.choose(c.T("AccessibleReportFormat"), names)
	if err != nil {
		return err
	}
	format := report.Formats[i]
	name := c.T("ReportFileStem") + "-" + time.Now().Format("2006-01-02") + "." + format
	line, err := s.ask(c.T("ReportScreenFilePrompt") + " [" + name + "]")
	if err != nil {
		return err
	}
	if line != "" {
		name = line
	}
	r.Progress = func(n int) {
		if n%8192 == 0 {
			s.say(c.T("ReportScreenExporting") + " " + c.Loc.Number(float64(n), 0) + "/" + c.Loc.Number(float64(r.Total.People), 0))
		}
	}
	err = report.WriteFile(name, func(w io.Writer) error { return r.Write(s.ctx, w, format, report.WriteOptions{}) })
	if err != nil {
		s.fail(err)
		return nil
	}
	s.say(c.T("ReportScreenExported", map[string]any{"Path": name}))
	return nil
}
