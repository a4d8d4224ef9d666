package report

import (
	"bufio"
	"context"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"

	"hocso/store"
)

//go:embed report.html.tmpl
var htmlSource string

var htmlTemplates = template.Must(template.New("report").Funcs(template.FuncMap{
	"inc": func(i int) int { return i + 1 },
}).Parse(htmlSource))

// htmlHead is what the page says before the learner rows.
type htmlHead struct {
	Lang, Title, PackTitle, Period, DateLine      string
	Parent, Unit, NationalName, NationalMotto     string
	SummaryCols, LearnerCols                      []string
	Summary                                       [][]htmlCell
	Chart                                         template.HTML
	ChartTitle, LearnersTitle, SignLeft           string
	Legend                                        []string
	SignLeftNote, SignRight, SignRightNote, Empty string
	SummaryTitle                                  string
	Modules                                       []Module
	ModuleLabel                                   string
	NotStartedOnly                                bool
}

type htmlCell struct {
	Text  string
	Class string
}

// WriteHTML writes one self-contained page — no file or network it needs —
// laid out as an administrative document: the national heading, the summary
// with a bar chart per group (inline SVG), the learner table, a signature
// block, and print CSS for A4.
func (r *Report) WriteHTML(ctx context.Context, w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	h := r.htmlHead()
	if err := htmlTemplates.ExecuteTemplate(bw, "head", h); err != nil {
		return err
	}
	n := 0
	err := r.Learners(func(row LearnerRow) error {
		if h.NotStartedOnly && row.Status != store.NotStarted {
			return nil
		}
		n++
		if err := checkCtx(ctx, n); err != nil {
			return err
		}
		writeHTMLRow(bw, r.htmlRow(n, row))
		return nil
	})
	if err != nil {
		return err
	}
	if err := htmlTemplates.ExecuteTemplate(bw, "tail", struct {
		htmlHead
		Rows int
	}{h, n}); err != nil {
		return err
	}
	return bw.Flush()
}

func (r *Report) htmlHead() htmlHead {
	t := r.loc.T
	h := htmlHead{Lang: r.loc.Lang(), Title: t("ReportTitle"), PackTitle: r.PackTitle, Period: r.period(),
		DateLine: r.dateLine(), Parent: r.parentHeading(), Unit: r.unitHeading(),
		NationalName: nationalName, NationalMotto: nationalMotto, ChartTitle: t("ReportChartTitle"), SummaryTitle: t("ReportSummaryTitle"),
		Legend: []string{t("ReportColCompleted"), t("ReportColInProgress"), t("ReportColNotStarted")}, SignLeft: t("ReportSignPreparer"), SignLeftNote: t("ReportSignNote"),
		SignRight: t("ReportSignHead"), SignRightNote: t("ReportSignHeadNote"), Empty: t("ReportNobody"),
		Modules: r.Modules, ModuleLabel: t("ReportModuleShort")}
	h.NotStartedOnly = r.By.Kind != GroupLearner
	h.LearnersTitle = t("ReportLearnersTitle")
	if h.NotStartedOnly {
		h.LearnersTitle = t("ReportNotStartedTitle")
	}
	cols := r.SummaryColumns()
	for _, c := range cols {
		h.SummaryCols = append(h.SummaryCols, c.Header)
	}
	lines := r.SummaryLines()
	for i, g := range lines {
		var row []htmlCell
		for j, v := range r.SummaryValues(g) {
			c := htmlCell{Text: r.cellText(cols[j].Kind, v)}
			if cols[j].Kind != Text {
				c.Class = "num"
			}
			if i == len(lines)-1 {
				c.Class += " total"
			}
			row = append(row, c)
		}
		h.Summary = append(h.Summary, row)
	}
	h.Chart = r.chartSVG(lines)
	h.LearnerCols = r.compactHeaders()
	return h
}

// compactHeaders are the learner table's headers on paper: one column per
// module (HP1, HP2 …, named in a legend) rather than three.
func (r *Report) compactHeaders() []string {
	t := r.loc.T
	cols := []string{t("ReportColNo"), t("ReportColName"), t("ReportColStaffCode"), t("ReportColPosition"), t("ReportColUnit")}
	for i := range r.Modules {
		cols = append(cols, fmt.Sprintf("%s%d", t("ReportModuleShort"), i+1))
	}
	return append(cols, t("ReportColPercent"), t("ReportColCompletedAt"))
}

// compactCells are a learner row on paper, in compactHeaders order: each
// module as its status word and best score.
func (r *Report) compactCells(n int, row LearnerRow) []string {
	cells := []string{fmt.Sprint(n), row.FullName, row.StaffCode, row.Position, row.UnitPath}
	for _, c := range row.Modules {
		// A dash for "not started" keeps six module columns on an A4 line;
		// the legend above the table says what it means.
		s := "–"
		if c.Status != store.NotStarted {
			s = r.statusWord(c.Status)
		}
		if c.HasScore {
			s += " " + r.loc.Percent(RoundPercent(c.Score))
		}
		cells = append(cells, s)
	}
	done := ""
	if !row.CompletedAt.IsZero() {
		done = r.loc.Date(r.local(row.CompletedAt))
	}
	return append(cells, r.loc.Percent(RoundPercent(row.Percent)), done)
}

func (r *Report) htmlRow(n int, row LearnerRow) []htmlCell {
	var out []htmlCell
	for i, s := range r.compactCells(n, row) {
		c := htmlCell{Text: s}
		switch {
		case i == 0 || i >= 5:
			c.Class = "num"
		case i == 2:
			c.Class = "code"
		}
		if i >= 5 && i < 5+len(row.Modules) {
			c.Class = "st st-" + string(row.Modules[i-5].Status)
		}
		out = append(out, c)
	}
	return out
}

// writeHTMLRow writes a learner row as the page's template would, escaped
// as html/template escapes text and quoted attributes, without its
// reflection: executing a template for each row was two thirds of an HTML
// report's time.
func writeHTMLRow(w *bufio.Writer, cells []htmlCell) {
	w.WriteString("<tr>")
	for _, c := range cells {
		if c.Class != "" {
			w.WriteString(`<td class="`)
			htmlText.WriteString(w, c.Class)
			w.WriteString(`">`)
		} else {
			w.WriteString("<td>")
		}
		htmlText.WriteString(w, c.Text)
		w.WriteString("</td>")
	}
	w.WriteString("</tr>\n")
}

// htmlText escapes what html/template escapes in text and in quoted
// attribute values.
var htmlText = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;",
	"<", "&lt;", ">", "&gt;")

// chartSVG draws one horizontal bar per group, split into completed, in
// progress and not started, with the counts written on it: it reads in grey
// on paper as well as in colour.
func (r *Report) chartSVG(lines []GroupRow) template.HTML {
	const labelW, barW, rowH, top = 260.0, 420.0, 26.0, 8.0
	var b strings.Builder
	height := top + rowH*float64(len(lines)) + 8
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 %g %g" width="100%%" aria-label="%s">`,
		labelW+barW+70, height, template.HTMLEscapeString(r.loc.T("ReportChartTitle")))
	for i, g := range lines {
		y := top + rowH*float64(i)
		fmt.Fprintf(&b, `<text x="%g" y="%g" class="lbl" text-anchor="end">%s</text>`, labelW-8, y+15,
			template.HTMLEscapeString(shorten(g.Name, 40)))
		x := labelW
		for _, part := range []struct {
			n     int
			class string
		}{{g.Completed, "c-done"}, {g.InProgress, "c-prog"}, {g.NotStarted, "c-none"}} {
			if part.n == 0 || g.People == 0 {
				continue
			}
			w := barW * float64(part.n) / float64(g.People)
			fmt.Fprintf(&b, `<rect x="%.1f" y="%g" width="%.1f" height="18" class="%s"/>`, x, y+2, w, part.class)
			if w > 28 {
				fmt.Fprintf(&b, `<text x="%.1f" y="%g" class="cnt %s" text-anchor="middle">%d</text>`, x+w/2, y+15, part.class+"-t", part.n)
			}
			x += w
		}
		fmt.Fprintf(&b, `<text x="%g" y="%g" class="pct">%s</text>`, labelW+barW+6, y+15,
			template.HTMLEscapeString(r.loc.Percent(RoundPercent(g.Rate()))))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// shorten keeps a chart label on one line; the full name is in the table.
func shorten(s string, n int) string {
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	return "…" + string(rs[len(rs)-n+1:])
}
