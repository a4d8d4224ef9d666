package report

import (
	"time"
)

// Kind is what a column holds, so each format can type it: a number stays a
// number in CSV and XLSX, a date a date.
type Kind int

// Column kinds.
const (
	Text Kind = iota
	Integer
	Percent // 0..100
	Date
)

// Column is one column of a table: a header in the report's language.
type Column struct {
	Header string
	Kind   Kind
	Width  float64 // in characters, for XLSX
}

// Value is one cell; Empty when there is nothing to say (no score, not completed).
type Value struct {
	Text  string
	Num   float64
	Time  time.Time
	Empty bool
}

func text(s string) Value    { return Value{Text: s} }
func number(f float64) Value { return Value{Num: f} }
func optNum(f float64, ok bool) Value {
	if !ok {
		return Value{Empty: true}
	}
	return Value{Num: f}
}
func date(t time.Time) Value {
	if t.IsZero() {
		return Value{Empty: true}
	}
	return Value{Time: t}
}

// LearnerColumns are the columns of the learner table: who, then for each
// module its status, completion date and best score, then the course.
func (r *Report) LearnerColumns() []Column {
	t := r.loc.T
	cols := []Column{
		{t("ReportColName"), Text, 26}, {t("ReportColStaffCode"), Text, 12},
		{t("ReportColPosition"), Text, 18}, {t("ReportColUnit"), Text, 40},
	}
	for _, m := range r.Modules {
		d := map[string]any{"Module": m.Title}
		cols = append(cols,
			Column{t("ReportColModuleStatus", d), Text, 16},
			Column{t("ReportColModuleDate", d), Date, 14},
			Column{t("ReportColModuleScore", d), Percent, 12})
	}
	return append(cols, Column{t("ReportColPercent"), Percent, 14}, Column{t("ReportColCompletedAt"), Date, 16})
}

// LearnerValues are a row's cells, in LearnerColumns order.
func (r *Report) LearnerValues(row LearnerRow) []Value {
	return r.appendLearnerValues(make([]Value, 0, 6+3*len(row.Modules)), row)
}

// appendLearnerValues appends a row's cells to vs, so that a writer can
// reuse one slice for every row.
func (r *Report) appendLearnerValues(vs []Value, row LearnerRow) []Value {
	vs = append(vs, text(row.FullName), text(row.StaffCode), text(row.Position), text(row.UnitPath))
	for _, c := range row.Modules {
		vs = append(vs, text(r.statusWord(c.Status)), date(r.local(c.CompletedAt)), optNum(c.Score, c.HasScore))
	}
	return append(vs, number(row.Percent), date(r.local(row.CompletedAt)))
}

// SummaryColumns are the columns of the summary table.
func (r *Report) SummaryColumns() []Column {
	t := r.loc.T
	first := t("ReportColGroupUnit")
	if r.By.Kind == GroupModule {
		first = t("ReportColGroupModule")
	}
	return []Column{
		{first, Text, 44}, {t("ReportColPeople"), Integer, 12}, {t("ReportColNotStarted"), Integer, 14},
		{t("ReportColInProgress"), Integer, 12}, {t("ReportColCompleted"), Integer, 14},
		{t("ReportColRate"), Percent, 16}, {t("ReportColAverage"), Percent, 18},
	}
}

// SummaryValues are a summary line's cells, in SummaryColumns order.
func (r *Report) SummaryValues(g GroupRow) []Value {
	avg, ok := g.AverageScore()
	return []Value{text(g.Name), number(float64(g.People)), number(float64(g.NotStarted)),
		number(float64(g.InProgress)), number(float64(g.Completed)), number(g.Rate()), optNum(avg, ok)}
}

// SummaryLines are the summary lines a format shows: the groups, then the
// total named as such.
func (r *Report) SummaryLines() []GroupRow {
	total := r.Total
	total.Name = r.loc.T("ReportTotal")
	return append(append([]GroupRow{}, r.Groups...), total)
}

// local turns a stored UTC time into the office's local calendar day.
func (r *Report) local(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.In(r.Generated.Location())
}
