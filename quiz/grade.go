package quiz

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Answer is what a learner gave for one question. Which field is used depends
// on the question's kind.
type Answer struct {
	// Choices are option ids (single, multiple) or item ids in the learner's order (ordering).
	Choices []string `json:"choices,omitempty"`
	// Bool is the answer to a true/false question.
	Bool *bool `json:"bool,omitempty"`
	// Text is what was typed (short, numeric).
	Text string `json:"text,omitempty"`
	// Pairs maps a matching question's pair id to the id of the pair whose right side was chosen.
	Pairs map[string]string `json:"pairs,omitempty"`
}

// Empty reports whether nothing was answered.
func (a Answer) Empty() bool {
	return len(a.Choices) == 0 && a.Bool == nil && strings.TrimSpace(a.Text) == "" && len(a.Pairs) == 0
}

// Grade returns the points a answers earn on q: between 0 and q.MaxPoints().
//
//   - single, true/false, short, numeric: all or nothing;
//   - multiple: all or nothing, or with Partial scoring the sum of the chosen
//     options' weights (floored at 0, capped at 100%);
//   - matching and ordering: the share of pairs matched, or items placed, correctly.
func Grade(q *Question, a Answer) float64 {
	f := clamp01(fraction(q, a))
	if f == 0 {
		return 0 // not MaxPoints × 0, which is NaN for points = inf (refused by Check)
	}
	return q.MaxPoints() * f
}

func fraction(q *Question, a Answer) float64 {
	switch q.Kind {
	case Single:
		if len(a.Choices) != 1 {
			return 0
		}
		for _, o := range q.Options {
			if o.ID == a.Choices[0] {
				// The same rule as Check and all-or-nothing multiple choice:
				// a positive weight marks the right option.
				return boolFrac(o.Correct || (o.Weight != nil && *o.Weight > 0))
			}
		}
	case Multiple:
		return multipleFraction(q, a.Choices)
	case TrueFalse:
		return boolFrac(a.Bool != nil && q.Correct != nil && *a.Bool == *q.Correct)
	case Short:
		return boolFrac(shortAccepted(q, a.Text))
	case Numeric:
		x, ok := ParseNumber(a.Text)
		return boolFrac(ok && numericAccepted(q, x))
	case Matching:
		if len(q.Pairs) == 0 {
			return 0
		}
		right := map[string]string{} // pair id → its right side, compared by text so equal answers count equally
		for _, p := range q.Pairs {
			right[p.ID] = p.Right.In(DefaultLang)
		}
		good := 0
		for _, p := range q.Pairs {
			if chosen, ok := a.Pairs[p.ID]; ok {
				if r, known := right[chosen]; known && r == right[p.ID] {
					good++
				}
			}
		}
		return float64(good) / float64(len(q.Pairs))
	case Ordering:
		if len(q.Items) == 0 || len(a.Choices) != len(q.Items) {
			return 0
		}
		good := 0
		for i, it := range q.Items {
			if a.Choices[i] == it.ID {
				good++
			}
		}
		return float64(good) / float64(len(q.Items))
	}
	return 0
}

// Weights returns each option's weight in percent under partial scoring:
// the trainer's where given, else each correct option shares 100% equally
// and each wrong one takes away as much.
func (q *Question) Weights() []float64 {
	correct := 0
	for _, o := range q.Options {
		if o.Correct {
			correct++
		}
	}
	share := 0.0
	if correct > 0 {
		share = 100 / float64(correct)
	}
	w := make([]float64, len(q.Options))
	for i, o := range q.Options {
		switch {
		case o.Weight != nil:
			w[i] = *o.Weight
		case o.Correct:
			w[i] = share
		default:
			w[i] = -share
		}
	}
	return w
}

func multipleFraction(q *Question, choices []string) float64 {
	chosen := map[string]bool{}
	for _, c := range choices {
		chosen[c] = true
	}
	weights := q.Weights()
	if q.Scoring != Partial {
		if len(chosen) == 0 {
			return 0
		}
		for i, o := range q.Options {
			right := o.Correct || (o.Weight != nil && weights[i] > 0)
			if right != chosen[o.ID] {
				return 0
			}
		}
		return 1
	}
	sum := 0.0
	for i, w := range weights {
		if chosen[q.Options[i].ID] {
			sum += w
		}
	}
	return sum / 100
}

func shortAccepted(q *Question, text string) bool {
	given := normalizeShort(text, q.CaseSensitive, q.IgnoreDiacritics)
	if given == "" {
		return false
	}
	for _, lang := range sortedLangs(q.Accept) {
		for _, acc := range q.Accept[lang] {
			if normalizeShort(acc, q.CaseSensitive, q.IgnoreDiacritics) == given {
				return true
			}
		}
	}
	return false
}

func sortedLangs(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// normalizeShort makes typed answers comparable: NFC, inner white space
// folded, case folded unless the trainer asked otherwise, and with
// ignoreDiacritics the marks removed ("người" → "nguoi", "đ" → "d").
func normalizeShort(s string, caseSensitive, ignoreDiacritics bool) string {
	s = norm.NFC.String(foldSpace(s))
	if !caseSensitive {
		s = strings.ToLower(s)
	}
	if ignoreDiacritics {
		s = StripDiacritics(s)
	}
	return s
}

// foldSpace is strings.Join(strings.Fields(s), " "), without a copy when s
// is already so: its words apart by single spaces, none at either end.
func foldSpace(s string) string {
	prevSpace := true // a space first is one to fold
	for _, r := range s {
		switch {
		case r == ' ' && !prevSpace:
			prevSpace = true
		case unicode.IsSpace(r):
			return strings.Join(strings.Fields(s), " ")
		default:
			prevSpace = false
		}
	}
	if prevSpace && s != "" {
		return strings.Join(strings.Fields(s), " ") // a space last
	}
	return s
}

// StripDiacritics removes Vietnamese (and other Latin) diacritics, mapping đ to d.
func StripDiacritics(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		return s
	}
	return strings.NewReplacer("đ", "d", "Đ", "D").Replace(out)
}

// ParseNumber reads a number as a person types it, with a comma or a point as
// the decimal separator ("7,5" and "7.5"); when both appear, the last one is
// the decimal separator and the other groups thousands. A trailing % is allowed.
func ParseNumber(s string) (float64, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	s = strings.ReplaceAll(s, " ", "")
	if s == "" {
		return 0, false
	}
	lastComma, lastPoint := strings.LastIndex(s, ","), strings.LastIndex(s, ".")
	switch {
	case lastComma >= 0 && lastPoint >= 0 && lastComma > lastPoint:
		s = strings.ReplaceAll(s, ".", "")
		s = strings.Replace(s, ",", ".", 1)
	case lastComma >= 0 && lastPoint >= 0:
		s = strings.ReplaceAll(s, ",", "")
	case lastComma >= 0:
		if strings.Count(s, ",") > 1 {
			return 0, false
		}
		s = strings.Replace(s, ",", ".", 1)
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, false
	}
	return x, true
}

func numericAccepted(q *Question, x float64) bool {
	const eps = 1e-9
	if q.Min != nil && q.Max != nil {
		return x >= *q.Min-eps && x <= *q.Max+eps
	}
	if q.Value == nil {
		return false
	}
	return math.Abs(x-*q.Value) <= math.Abs(q.Tolerance)+eps
}

func boolFrac(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func clamp01(f float64) float64 {
	if math.IsNaN(f) || f < 0 {
		return 0
	}
	if f > 1 {
		return 1
	}
	return f
}

// Percent is score as a percentage of max (0 when max is 0).
func Percent(score, max float64) float64 {
	if max <= 0 {
		return 0
	}
	return 100 * score / max
}

// Passed reports whether score reaches the quiz's pass mark.
func (z *Quiz) Passed(score, max float64) bool {
	return Percent(score, max)+1e-9 >= z.PassMark
}

// Equal reports whether a and b are the same answer: the same choices in the
// same order, the same truth value, text and pairs.
func (a Answer) Equal(b Answer) bool {
	if (a.Bool == nil) != (b.Bool == nil) || a.Bool != nil && *a.Bool != *b.Bool {
		return false
	}
	if a.Text != b.Text || !slices.Equal(a.Choices, b.Choices) || len(a.Pairs) != len(b.Pairs) {
		return false
	}
	for k, v := range a.Pairs {
		if w, ok := b.Pairs[k]; !ok || w != v {
			return false
		}
	}
	return true
}
