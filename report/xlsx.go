package report

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"
)

// xlsxStyles are the cell styles of a workbook, made once.
type xlsxStyles struct {
	header, date, percent, integer int
}

func newXLSXStyles(f *excelize.File) (xlsxStyles, error) {
	var s xlsxStyles
	var err error
	border := []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}}
	if s.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Border: border,
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}}); err != nil {
		return s, err
	}
	dateFmt := "dd/mm/yyyy"
	if s.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt}); err != nil {
		return s, err
	}
	pctFmt := "0.0%"
	if s.percent, err = f.NewStyle(&excelize.Style{CustomNumFmt: &pctFmt}); err != nil {
		return s, err
	}
	s.integer, err = f.NewStyle(&excelize.Style{NumFmt: 1})
	return s, err
}

// WriteXLSX writes a workbook with a summary sheet and a learner sheet, each
// with a bold frozen header, filters and column widths; dates are dates and
// percentages percentages. Rows stream to disk, so memory stays flat.
func (r *Report) WriteXLSX(ctx context.Context, w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newXLSXStyles(f)
	if err != nil {
		return fmt.Errorf("xlsx styles: %w", err)
	}
	summary, learners := r.loc.T("ReportSheetSummary"), r.loc.T("ReportSheetLearners")
	if err := f.SetSheetName("Sheet1", summary); err != nil {
		return err
	}
	if _, err := f.NewSheet(learners); err != nil {
		return err
	}
	lines := r.SummaryLines()
	cols := r.SummaryColumns()
	err = r.xlsxSheet(f, st, summary, "Summary", cols, func(row func([]Value) error) error {
		for _, g := range lines {
			if err := row(r.SummaryValues(g)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	n := 0
	err = r.xlsxSheet(f, st, learners, "Learners", r.LearnerColumns(), func(row func([]Value) error) error {
		return r.Learners(func(lr LearnerRow) error {
			n++
			if err := checkCtx(ctx, n); err != nil {
				return err
			}
			return row(r.LearnerValues(lr))
		})
	})
	if err != nil {
		return err
	}
	f.SetActiveSheet(0)
	return f.Write(w)
}

// xlsxSheet streams one sheet: widths, a frozen bold header, the rows from
// each, and a table over them for the filter buttons.
func (r *Report) xlsxSheet(f *excelize.File, st xlsxStyles, sheet, table string, cols []Column,
	each func(row func([]Value) error) error) error {
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for i, c := range cols {
		if err := sw.SetColWidth(i+1, i+1, c.Width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	head := make([]any, len(cols))
	for i, c := range cols {
		head[i] = excelize.Cell{StyleID: st.header, Value: c.Header}
	}
	if err := sw.SetRow("A1", head, excelize.RowOpts{Height: 32}); err != nil {
		return err
	}
	rowNum := 1
	cells := make([]any, len(cols))
	err = each(func(vs []Value) error {
		rowNum++
		for i, v := range vs {
			cells[i] = xlsxCell(st, cols[i].Kind, v)
		}
		cell, _ := excelize.CoordinatesToCellName(1, rowNum)
		return sw.SetRow(cell, cells)
	})
	if err != nil {
		return err
	}
	last, _ := excelize.CoordinatesToCellName(len(cols), max(rowNum, 2))
	if err := sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: table, StyleName: ""}); err != nil {
		return fmt.Errorf("xlsx table %s: %w", sheet, err)
	}
	return sw.Flush()
}

func xlsxCell(st xlsxStyles, k Kind, v Value) any {
	switch {
	case v.Empty:
		return nil
	case k == Text:
		return v.Text
	case k == Date:
		// The office's calendar day, with no time of day to shift it.
		d := time.Date(v.Time.Year(), v.Time.Month(), v.Time.Day(), 0, 0, 0, 0, time.UTC)
		return excelize.Cell{StyleID: st.date, Value: d}
	case k == Percent:
		return excelize.Cell{StyleID: st.percent, Value: RoundPercent(v.Num) / 100}
	}
	return excelize.Cell{StyleID: st.integer, Value: v.Num}
}
