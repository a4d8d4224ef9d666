package gift

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"hocso/quiz"
)

// answer is one answer inside the braces: ~wrong, =right, =%50%partial…
type answer struct {
	mark     rune     // '=' or '~'; 0 for text before the first mark
	weight   *float64 // an explicit %weight%, in percent
	text     string   // with its format marker, if any
	feedback string   // after #, with its format marker, if any
	line     int
}

// answers reads the braces' content into q, choosing the question type the
// way Moodle does. It reports false, after recording an error, if it cannot.
func (p *giftParser) answers(q *quiz.Question, cs chars, qf textFormat, line int) bool {
	switch {
	case cs.hasPrefix("#"):
		return p.numeric(q, cs[1:], qf, line)
	case cs.has('~'):
		return p.choice(q, cs, qf, line)
	case cs.has('=') && strings.Contains(cs.String(), "->"):
		return p.matching(q, cs, qf, line)
	}
	head, _, _ := cs.cut('#')
	switch word := head.trim().String(); strings.ToUpper(word) {
	case "T", "TRUE", "F", "FALSE":
		if word != strings.ToUpper(word) {
			p.warn(line, "GiftTrueFalseCase", map[string]any{"Answer": "{" + word + "}", "Capitals": "{" + strings.ToUpper(word) + "}"})
		}
		return p.trueFalse(q, cs, qf, line)
	}
	return p.short(q, cs, qf, line)
}

// splitAnswers cuts the braces' content before each unescaped mark in marks
// and reads each answer's weight and feedback. The text before the first
// mark, if any, comes first with mark 0.
func (p *giftParser) splitAnswers(cs chars, marks string, feedback bool) ([]answer, bool) {
	var out []answer
	for i, piece := range cs.cutAny(marks) {
		a := answer{line: piece.lineAt(0)}
		if i > 0 {
			a.mark, piece = piece[0].r, piece[1:]
		} else if piece = piece.trim(); len(piece) == 0 {
			continue
		}
		piece = piece.trim()
		if piece.hasPrefix("%") {
			end := piece.index('%', 1)
			w, err := parseNumber(piece[1:max(end, 1)].String())
			if end < 0 || err != nil {
				p.fail(a.line, "GiftBadWeight", map[string]any{"Text": truncate(piece.String())})
				return nil, false
			}
			if w < -100 || w > 100 {
				p.fail(a.line, "GiftWeightOutOfRange", map[string]any{"Weight": w})
				return nil, false
			}
			a.weight, piece = &w, piece[end+1:]
		}
		text, fb := piece, chars(nil)
		if feedback {
			text, fb, _ = piece.cut('#')
		}
		a.text, a.feedback = text.trim().String(), fb.trim().String()
		out = append(out, a)
	}
	return out, true
}

// credit is the credit an answer gives, in percent: its weight, else 100 for
// = and 0 for ~.
func (a answer) credit() float64 {
	switch {
	case a.weight != nil:
		return *a.weight
	case a.mark == '~':
		return 0
	}
	return 100
}

// choice reads a multiple-choice question: one right option makes it single
// choice, several right options or weights make it multiple choice.
func (p *giftParser) choice(q *quiz.Question, cs chars, qf textFormat, line int) bool {
	opts, ok := p.splitAnswers(cs, "~=", true)
	if !ok {
		return false
	}
	if len(opts) > 0 && opts[0].mark == 0 {
		p.fail(opts[0].line, "GiftTextBeforeOptions", nil)
		return false
	}
	if len(opts) < 2 {
		p.fail(line, "GiftTooFewOptions", nil)
		return false
	}
	partial, full, equals := false, 0, false
	for i, o := range opts {
		if o.text == "" {
			p.fail(o.line, "GiftEmptyOption", map[string]any{"N": i + 1, "Mark": string(o.mark)})
			return false
		}
		c := o.credit()
		partial = partial || (c != 0 && c != 100)
		equals = equals || o.mark == '='
		if c == 100 {
			full++
		}
	}
	switch {
	case !partial && full == 0:
		p.fail(line, "GiftNoRightOption", nil)
		return false
	case !partial && full > 1:
		q.Kind, q.Scoring = quiz.Multiple, quiz.AllOrNothing
		id := "GiftManyFullCredit"
		if equals {
			id = "GiftManyRightAnyOne" // Moodle accepted any one of them
		}
		p.warn(line, id, map[string]any{"Options": full})
	case !partial || (equals && full == 1):
		q.Kind = quiz.Single
	default:
		q.Kind, q.Scoring = quiz.Multiple, quiz.Partial
	}
	sum := 0.0
	for i, o := range opts {
		c := o.credit()
		opt := quiz.Option{
			ID:       optionID(i),
			Text:     p.rich(o.text, qf, o.line),
			Correct:  c == 100,
			Feedback: p.rich(o.feedback, qf, o.line),
		}
		if opt.Text == nil {
			p.fail(o.line, "GiftOptionOnlyMarkup", map[string]any{"N": i + 1, "Mark": string(o.mark)})
			return false
		}
		switch {
		case q.Scoring == quiz.Partial:
			opt.Correct, opt.Weight = c > 0, &c
			sum += max(c, 0)
		case c != 0 && c != 100:
			p.warn(o.line, "GiftPartialInSingle", map[string]any{"Option": truncate(o.text), "Weight": c})
		}
		q.Options = append(q.Options, opt)
	}
	if !distinct(p.report, p.lang, line, "GiftSameOptions", q.Options, func(o quiz.Option) quiz.Text { return o.Text }) {
		return false
	}
	if q.Scoring == quiz.Partial {
		if sum <= 0 {
			p.fail(line, "GiftNoPositiveWeight", nil)
			return false
		}
		if math.Abs(sum-100) > 0.1 {
			p.warn(line, "GiftWeightsSum", map[string]any{"Sum": sum})
		}
	}
	return true
}

// trueFalse reads {T}, {FALSE#wrong-answer feedback#right-answer feedback}.
func (p *giftParser) trueFalse(q *quiz.Question, cs chars, qf textFormat, line int) bool {
	head, rest, _ := cs.cut('#')
	wrong, right, _ := rest.cut('#')
	truth := strings.HasPrefix(strings.ToUpper(head.trim().String()), "T")
	q.Kind, q.Correct = quiz.TrueFalse, &truth
	p.explain(q, line, "GiftFeedbackDroppedTrueFalse", p.rich(wrong.String(), qf, line), p.rich(right.String(), qf, line))
	return true
}

// explain fills an empty explanation with the first of the feedbacks given,
// for question types whose answers have no feedback of their own in hocso.
// droppedID is the warning, for the question's type, about the others.
func (p *giftParser) explain(q *quiz.Question, line int, droppedID string, feedbacks ...quiz.Text) {
	dropped := 0
	for _, fb := range feedbacks {
		switch {
		case fb == nil:
		case q.Explanation == nil:
			q.Explanation = fb
			p.warn(line, "GiftFeedbackAsExplanation", map[string]any{"Feedback": truncate(fb[p.lang])})
		case fb[p.lang] != q.Explanation[p.lang]:
			dropped++
		}
	}
	if dropped > 0 {
		p.warn(line, droppedID, map[string]any{"Count": dropped})
	}
}

// short reads a short-answer question: every answer that gets full credit is
// accepted, case-insensitively.
func (p *giftParser) short(q *quiz.Question, cs chars, qf textFormat, line int) bool {
	answers, ok := p.splitAnswers(cs, "=", true)
	if !ok {
		return false
	}
	var accept, partial []string
	var feedbacks []quiz.Text
	for i, a := range answers {
		text := p.plain(a.text, qf)
		if text == "" {
			p.fail(a.line, "GiftEmptyAnswer", map[string]any{"N": i + 1})
			return false
		}
		if c := a.credit(); c != 100 {
			partial = append(partial, fmt.Sprintf("%q (%g%%)", truncate(text), c))
			continue
		}
		if strings.Contains(text, "*") {
			p.warn(a.line, "GiftWildcard", map[string]any{"Answer": truncate(text)})
		}
		if !contains(accept, text) {
			accept = append(accept, text)
		}
		feedbacks = append(feedbacks, p.rich(a.feedback, qf, a.line))
	}
	if len(accept) == 0 {
		p.fail(line, "GiftNoFullCreditAnswer", nil)
		return false
	}
	if len(partial) > 0 {
		p.warn(line, "GiftShortPartialDropped", map[string]any{"Answers": strings.Join(partial, ", ")})
	}
	q.Kind, q.Accept = quiz.Short, map[string][]string{p.lang: accept}
	p.explain(q, line, "GiftFeedbackDroppedShort", feedbacks...)
	return true
}

// numeric reads {#3.14:0.01}, {#1..5} or {#=1822:0 =%50%1822:2}: the first
// answer with full credit is kept.
func (p *giftParser) numeric(q *quiz.Question, cs chars, qf textFormat, line int) bool {
	body, wrong := cs, chars(nil)
	if i := cs.index('~', 0); i >= 0 {
		body, wrong = cs[:i], cs[i:]
	}
	answers, ok := p.splitAnswers(body, "=", true)
	if !ok {
		return false
	}
	if len(answers) == 0 {
		p.fail(line, "GiftNoNumericAnswer", nil)
		return false
	}
	kept := false
	for _, a := range answers {
		n, problem, bad := parseNumeric(a.text)
		if problem != "" {
			p.fail(a.line, problem, map[string]any{"Value": bad})
			return false
		}
		if kept || a.credit() != 100 {
			id := "GiftNumericDropped"
			if a.feedback != "" {
				id = "GiftNumericDroppedFeedback"
			}
			p.warn(a.line, id, map[string]any{"Answer": a.text, "Weight": a.credit()})
			continue
		}
		kept = true
		q.Value, q.Tolerance, q.Min, q.Max = n.value, n.tolerance, n.min, n.max
		p.explain(q, a.line, "GiftFeedbackDroppedNumeric", p.rich(a.feedback, qf, a.line))
	}
	if !kept {
		p.fail(line, "GiftNoFullCreditNumber", nil)
		return false
	}
	if _, fb, _ := wrong.cut('#'); len(fb.trim()) > 0 {
		p.warn(wrong.lineAt(0), "GiftWrongFeedbackDropped", nil)
	}
	q.Kind = quiz.Numeric
	return true
}

// numericAnswer is a right numeric answer: value ± tolerance, or [min, max].
type numericAnswer struct {
	value     *float64
	tolerance float64
	min, max  *float64
}

// parseNumeric reads a numeric answer. If it cannot, problem is the id of
// the error to report and bad the text at fault.
func parseNumeric(s string) (n numericAnswer, problem, bad string) {
	if lo, hi, ok := strings.Cut(s, ".."); ok {
		min, err1 := parseNumber(lo)
		max, err2 := parseNumber(hi)
		switch {
		case err1 != nil || err2 != nil:
			return n, "GiftRangeNotNumbers", s
		case min > max:
			return n, "GiftRangeReversed", s
		}
		return numericAnswer{min: &min, max: &max}, "", ""
	}
	v, t, _ := strings.Cut(s, ":")
	value, err := parseNumber(v)
	if err != nil {
		return n, "GiftNotANumber", strings.TrimSpace(v)
	}
	tol := 0.0
	if t != "" {
		if tol, err = parseNumber(t); err != nil || tol < 0 {
			return n, "GiftBadTolerance", strings.TrimSpace(t)
		}
	}
	return numericAnswer{value: &value, tolerance: tol}, "", ""
}

// parseNumber reads a finite number, taking a lone comma as the decimal
// separator, as Vietnamese writes it (3,14).
func parseNumber(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return f, nil
}

// matching reads {=left -> right =left -> right}. A right-hand item with no
// left-hand one is an extra choice in Moodle, which hocso does not have.
func (p *giftParser) matching(q *quiz.Question, cs chars, qf textFormat, line int) bool {
	pairs, ok := p.splitAnswers(cs, "=", false)
	if !ok {
		return false
	}
	for i, a := range pairs {
		if a.mark == 0 {
			p.fail(a.line, "GiftTextBeforePairs", nil)
			return false
		}
		left, right, found := strings.Cut(a.text, "->")
		right = strings.TrimSpace(right)
		switch {
		case !found:
			p.fail(a.line, "GiftPairNoArrow", map[string]any{"N": i + 1})
			return false
		case right == "":
			p.fail(a.line, "GiftPairNoRight", map[string]any{"N": i + 1})
			return false
		}
		l := p.rich(left, qf, a.line)
		if l == nil {
			p.warn(a.line, "GiftExtraRightItem", map[string]any{"Text": truncate(right)})
			continue
		}
		q.Pairs = append(q.Pairs, quiz.Pair{
			ID:    optionID(len(q.Pairs)),
			Left:  l,
			Right: p.textOf(escapeText(newlines(right, " "))),
		})
	}
	if len(q.Pairs) < 2 {
		p.fail(line, "GiftTooFewPairs", nil)
		return false
	}
	if !distinct(p.report, p.lang, line, "GiftSameLeftItems", q.Pairs, func(pr quiz.Pair) quiz.Text { return pr.Left }) {
		return false
	}
	q.Kind = quiz.Matching
	return true
}

// distinct reports the error id if two of items read the same, ignoring case
// and spacing as hocso's pack check does: a learner could not tell them apart.
func distinct[T any](r *report, lang string, line int, id string, items []T, text func(T) quiz.Text) bool {
	seen := map[string]int{}
	for i, it := range items {
		key := strings.ToLower(strings.Join(strings.Fields(text(it)[lang]), " "))
		if j, ok := seen[key]; ok {
			r.fail(line, id, map[string]any{"First": j + 1, "Second": i + 1, "Text": truncate(text(it)[lang])})
			return false
		}
		seen[key] = i
	}
	return true
}

// optionID names options and pairs a, b, c… as trainers write them by hand.
func optionID(i int) string {
	if i < 26 {
		return string(rune('a' + i))
	}
	return "o" + strconv.Itoa(i+1)
}

// truncate shortens text quoted in a message.
func truncate(s string) string {
	s = strings.Join(strings.Fields(newlines(s, " ")), " ")
	if r := []rune(s); len(r) > 40 {
		return string(r[:39]) + "…"
	}
	return s
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
