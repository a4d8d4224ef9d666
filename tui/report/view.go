package report

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"

	"hocso/lessons"
	"hocso/report"
	"hocso/tui/common"
)

// layout writes the table the viewport scrolls: the summary lines, or the
// people who have not started.
func (m *Model) layout() {
	if m.width == 0 || m.built == nil {
		return
	}
	if m.showNot {
		m.vp.SetContent(m.notStartedTable())
	} else {
		m.vp.SetContent(m.summaryTable())
	}
}

func (m *Model) summaryTable() string {
	c, s, r := m.c, m.c.Styles, m.built.rep
	cols := r.SummaryColumns()
	lines := r.SummaryLines()
	// Numbers take what they need; the group name gets the rest.
	numW := []int{7, 9, 8, 9, 9, 10}
	nameW := max(16, m.width-2-sum(numW)-len(numW))
	var b strings.Builder
	head := []string{fit(cols[0].Header, nameW)}
	for i, w := range numW {
		head = append(head, right(short(c, i+1), w))
	}
	b.WriteString(s.Label.Render(strings.Join(head, " ")) + "\n")
	for i, g := range lines {
		vals := r.SummaryValues(g)
		row := []string{fitTail(clean(g.Name), nameW)}
		for j, w := range numW {
			row = append(row, right(cellText(c, cols[j+1].Kind, vals[j+1]), w))
		}
		line := strings.Join(row, " ")
		if i == len(lines)-1 {
			line = s.Selected.Render(line)
		}
		b.WriteString(line + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// short is a narrow header for a summary column on a terminal.
func short(c *common.Common, col int) string {
	return c.T([]string{"", "ReportShortPeople", "ReportShortNotStarted", "ReportShortInProgress",
		"ReportShortCompleted", "ReportShortRate", "ReportShortAverage"}[col])
}

func (m *Model) notStartedTable() string {
	c, s := m.c, m.c.Styles
	if len(m.built.notStarted) == 0 {
		return s.Subtle.Render(c.T("ReportNobody"))
	}
	nameW, codeW := 28, 12
	unitW := max(10, m.width-2-nameW-codeW-2)
	var b strings.Builder
	b.WriteString(s.Label.Render(fit(c.T("ReportColName"), nameW)+" "+fit(c.T("ReportColStaffCode"), codeW)+" "+fit(c.T("ReportColUnit"), unitW)) + "\n")
	for _, row := range m.built.notStarted {
		b.WriteString(fit(clean(row.FullName), nameW) + " " + fit(clean(row.StaffCode), codeW) + " " +
			fit(clean(row.UnitPath), unitW) + "\n")
	}
	if m.built.more > 0 {
		b.WriteString(s.Subtle.Render(c.Loc.N("ReportScreenMore", m.built.more)))
	}
	return strings.TrimRight(b.String(), "\n")
}

// View draws the title, the choices, the table and the export line.
func (m *Model) View() string {
	c, s := m.c, m.c.Styles
	var b strings.Builder
	b.WriteString(s.Title.Render(c.T("ReportScreenTitle")) + s.Subtle.Render(" · "+c.Pack.Title.In(c.Lang())) + "\n")
	unit := m.unit
	if unit == "" {
		unit = c.T("ReportScreenAllUnits")
	}
	view := c.T("ReportScreenSummary")
	if m.showNot {
		view = c.T("ReportScreenNotStarted")
	}
	choices := c.T("ReportScreenChoices", map[string]any{"Group": c.T("ReportGroup_" + strings.ReplaceAll(groupings[m.group], ":", "")),
		"Unit": clean(unit), "View": view})
	b.WriteString(common.Truncate(choices, m.width) + "\n")
	if m.built == nil {
		b.WriteString(s.Subtle.Render(m.status) + "\n")
		return b.String()
	}
	b.WriteString(m.vp.View() + "\n")
	b.WriteString(m.footer())
	return b.String()
}

// footer is the line under the table: what the keys are doing now.
func (m *Model) footer() string {
	c, s := m.c, m.c.Styles
	switch m.mode {
	case typingUnit:
		return s.Label.Render(c.T("ReportScreenUnitPrompt")) + " " + m.input.View()
	case pickingFormat:
		var opts []string
		for i, f := range report.Formats {
			opts = append(opts, fmt.Sprintf("%d %s", i+1, strings.ToUpper(f)))
		}
		return s.Label.Render(c.T("ReportScreenFormatPrompt")) + " " + strings.Join(opts, " · ")
	case typingFile:
		return s.Label.Render(c.T("ReportScreenFilePrompt")) + " " + m.input.View()
	case exporting:
		total := max(1, m.built.rep.Total.People)
		return c.T("ReportScreenExporting") + " " + m.bar.ViewAs(float64(min(m.done, total))/float64(total)) +
			fmt.Sprintf(" %d/%d", min(m.done, total), total)
	}
	t := m.built.rep.Total
	line := c.T("ReportScreenTotals", map[string]any{"People": t.People, "NotStarted": t.NotStarted,
		"Completed": t.Completed, "Rate": c.Loc.Percent(report.RoundPercent(t.Rate()))})
	if m.status != "" {
		line = m.status
	}
	return s.Subtle.Render(common.Truncate(line, m.width))
}

func cellText(c *common.Common, k report.Kind, v report.Value) string {
	switch {
	case v.Empty:
		return "–"
	case k == report.Percent:
		return c.Loc.Percent(report.RoundPercent(v.Num))
	}
	return fmt.Sprintf("%.0f", v.Num)
}

// fit pads or cuts text to exactly w cells; a cut name ends in an ellipsis
// (the full one is in every export).
func fit(text string, w int) string {
	if lipgloss.Width(text) > w {
		text = common.Truncate(text, w)
	}
	return text + strings.Repeat(" ", max(0, w-lipgloss.Width(text)))
}

// fitTail is fit for a unit path, cut at the front: the end names the unit.
func fitTail(text string, w int) string {
	if lipgloss.Width(text) <= w {
		return fit(text, w)
	}
	rs := []rune(text)
	for len(rs) > 0 && lipgloss.Width(string(rs))+1 > w {
		rs = rs[1:]
	}
	return fit("…"+string(rs), w)
}

func right(text string, w int) string {
	return strings.Repeat(" ", max(0, w-lipgloss.Width(text))) + text
}

func sum(ns []int) int {
	t := 0
	for _, n := range ns {
		t += n
	}
	return t
}

// clean makes text from the database safe for the terminal: it may come
// from a bundle written by another program.
func clean(s string) string {
	c, _ := lessons.Clean(s)
	return c
}
