package report

import (
	"fmt"
	"strings"
	"time"

	"hocso/locales"
)

// The national heading of every Vietnamese administrative document
// (Decree 30/2020/NĐ-CP): the state's name and its motto, underlined. It is
// the same in every language of the UI, since the document is Vietnamese.
const (
	nationalName  = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
	nationalMotto = "Độc lập - Tự do - Hạnh phúc"
)

// dateLine is the place and date under the heading:
// "Hà Nội, ngày 2 tháng 12 năm 2026" (or its English form).
func (r *Report) dateLine() string {
	return dateLine(r.loc, r.Place, r.Generated)
}

// dateLine spells the month as a number in Vietnamese ("tháng 12") and as a
// name in English ("December").
func dateLine(loc *locales.Localizer, place string, at time.Time) string {
	var month any = int(at.Month())
	if loc.Lang() == "en" {
		month = at.Month().String()
	}
	d := map[string]any{"Place": place, "Day": at.Day(), "Month": month, "Year": at.Year()}
	if place == "" {
		return loc.T("ReportDateLineNoPlace", d)
	}
	return loc.T("ReportDateLine", d)
}

// unitHeading is the reporting unit as the heading's left block writes it.
func (r *Report) unitHeading() string {
	u := r.Unit
	if u == "" {
		return ""
	}
	// The last level is the unit itself; the one above is who it belongs to.
	parts := strings.Split(u, " / ")
	return strings.ToUpper(parts[len(parts)-1])
}

// parentHeading is the level above the unit, shown above it when there is one.
func (r *Report) parentHeading() string {
	parts := strings.Split(r.Unit, " / ")
	if len(parts) < 2 {
		return ""
	}
	return strings.ToUpper(parts[len(parts)-2])
}

// period says which days a report covers.
func (r *Report) period() string {
	l := r.loc
	switch {
	case !r.From.IsZero() && !r.To.IsZero():
		return l.T("ReportPeriodFromTo", map[string]any{"From": l.Date(r.From), "To": l.Date(r.To)})
	case !r.From.IsZero():
		return l.T("ReportPeriodFrom", map[string]any{"From": l.Date(r.From)})
	case !r.To.IsZero():
		return l.T("ReportPeriodTo", map[string]any{"To": l.Date(r.To)})
	}
	return l.T("ReportPeriodAll", map[string]any{"Date": l.Date(r.Generated)})
}

// cellText is a value as a person reads it, in the report's language.
func (r *Report) cellText(k Kind, v Value) string {
	switch {
	case v.Empty:
		return ""
	case k == Text:
		return v.Text
	case k == Date:
		return r.loc.Date(v.Time)
	case k == Percent:
		return r.loc.Percent(RoundPercent(v.Num))
	}
	return fmt.Sprintf("%.0f", v.Num)
}
