package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"golang.org/x/text/unicode/norm"

	"hocso/lessons"
	"hocso/store"
	"hocso/tui/common"
)

// Human output: tables with a header in the user's language, for a person
// at a terminal (--json stays for scripts).

// table writes rows under a header, columns aligned. Cells hold data from
// the database, which another program may have written: each is cleaned of
// escapes, controls and bidi overrides here, at the edge where it is printed.
func (e *env) table(header []string, rows [][]string) error {
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for _, r := range rows {
		cells := make([]string, len(r))
		for i, c := range r {
			indent := c[:len(c)-len(strings.TrimLeft(c, " "))] // the table's own, kept
			cells[i] = indent + lessons.CleanLine(c)
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	return tw.Flush()
}

func (e *env) learnerTable(ls []store.Learner) error {
	var rows [][]string
	for _, l := range ls {
		rows = append(rows, []string{l.FullName, dash(l.StaffCode), dash(l.UnitPath), l.ID})
	}
	return e.table([]string{e.loc.T("ColName"), e.loc.T("ColStaff"), e.loc.T("ColUnit"), e.loc.T("ColID")}, rows)
}

// progressTable is each learner, then one row a module: its title, lessons
// read, the quiz result and the status in words.
func (e *env) progressTable(ctx context.Context, s *store.Store, out []learnerProgress) error {
	packs, err := e.packs(ctx, s)
	if err != nil {
		return err
	}
	lang := e.loc.Lang()
	for i, lp := range out {
		if i > 0 {
			fmt.Fprintln(e.stdout)
		}
		head := lp.Learner.FullName
		if lp.Learner.StaffCode != "" {
			head += " (" + lp.Learner.StaffCode + ")"
		}
		if lp.Learner.UnitPath != "" {
			head += " · " + lp.Learner.UnitPath
		}
		fmt.Fprintln(e.stdout, lessons.CleanLine(head))
		var rows [][]string
		for _, pr := range lp.Packs {
			for _, m := range pr.Modules {
				title := m.ModuleID
				for _, p := range packs {
					if p.Pack.ID == pr.PackID {
						if mod := p.Pack.Module(m.ModuleID); mod != nil {
							title = mod.Title.In(lang)
						}
					}
				}
				quizCol := "—"
				if m.HasQuiz && m.Attempts > 0 {
					quizCol = e.loc.Percent(m.QuizPercent)
				} else if m.HasQuiz {
					quizCol = e.loc.T("DashboardQuizNone")
				}
				rows = append(rows, []string{"  " + title, fmt.Sprintf("%d/%d", m.LessonsDone, m.LessonsTotal), quizCol,
					e.loc.T(common.StatusMessage(m.Status))})
			}
		}
		if err := e.table([]string{"  " + e.loc.T("ColModule"), e.loc.T("ColLessons"), e.loc.T("ColQuiz"), e.loc.T("ColStatus")}, rows); err != nil {
			return err
		}
	}
	return nil
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// findLearner finds the learner a person named on the command line: by id,
// by staff code, or by a name only one learner has (case and Unicode form
// ignored). Several matches are listed, not guessed.
func (e *env) findLearner(ctx context.Context, s *store.Store, q string) (store.Learner, error) {
	all, err := s.Learners(ctx)
	if err != nil {
		return store.Learner{}, err
	}
	fold := func(v string) string { return strings.ToLower(norm.NFC.String(strings.Join(strings.Fields(v), " "))) }
	for _, match := range []func(store.Learner) bool{
		func(l store.Learner) bool { return l.ID == q },
		func(l store.Learner) bool {
			return l.StaffCode != "" && strings.EqualFold(l.StaffCode, strings.TrimSpace(q))
		},
		func(l store.Learner) bool { return fold(l.FullName) == fold(q) },
	} {
		var found []store.Learner
		for _, l := range all {
			if match(l) {
				found = append(found, l)
			}
		}
		switch {
		case len(found) == 1:
			return found[0], nil
		case len(found) > 1:
			var b strings.Builder
			b.WriteString(e.loc.T("LearnerAmbiguous", map[string]any{"Query": q}))
			for _, l := range found {
				fmt.Fprintf(&b, "\n  %s\t%s\t%s\t%s", lessons.CleanLine(l.ID), lessons.CleanLine(dash(l.StaffCode)),
					lessons.CleanLine(l.FullName), lessons.CleanLine(dash(l.UnitPath)))
			}
			return store.Learner{}, usageFail(b.String())
		}
	}
	return store.Learner{}, fail(e.loc.T("LearnerNotFound", map[string]any{"ID": q}))
}
