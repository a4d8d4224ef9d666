package lessons

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"hocso/quiz"
)

// EncodeQuiz writes z as a quiz.toml in the layout docs/pack-format.md shows
// (rules, [title], then each [[question]] with its options, pairs or items),
// so that a trainer can keep editing it by hand. What it writes loads back
// through Load as the same quiz.
func EncodeQuiz(w io.Writer, z *quiz.Quiz) error {
	e := &encoder{w: bufio.NewWriter(w)}
	e.kv("id", str(z.ID))
	e.kv("pass_mark", num(z.PassMark))
	if z.Draw != 0 {
		e.kv("draw", strconv.Itoa(z.Draw))
	}
	e.kv("shuffle_questions", strconv.FormatBool(z.ShuffleQuestions))
	e.kv("shuffle_options", strconv.FormatBool(z.ShuffleOptions))
	if z.MaxAttempts != 0 {
		e.kv("max_attempts", strconv.Itoa(z.MaxAttempts))
	}
	if z.Grading != "" {
		e.kv("grading", str(z.Grading))
	}
	if z.Feedback != "" {
		e.kv("feedback", str(z.Feedback))
	}
	if z.TimeLimitMinutes != 0 {
		e.kv("time_limit_minutes", strconv.Itoa(z.TimeLimitMinutes))
	}
	if len(z.Title) > 0 {
		e.line("")
		e.line("[title]")
		for _, lang := range sortedLangs(z.Title) {
			e.kv(key(lang), str(z.Title[lang]))
		}
	}
	for i := range z.Questions {
		e.question(&z.Questions[i])
	}
	return e.flush()
}

type encoder struct {
	w   *bufio.Writer
	err error
}

func (e *encoder) line(s string) {
	if e.err == nil {
		_, e.err = e.w.WriteString(s + "\n")
	}
}

func (e *encoder) kv(k, v string) { e.line(k + " = " + v) }

func (e *encoder) flush() error {
	if e.err != nil {
		return e.err
	}
	return e.w.Flush()
}

func (e *encoder) question(q *quiz.Question) {
	e.line("")
	e.line("[[question]]")
	e.kv("id", str(q.ID))
	e.kv("type", str(string(q.Kind)))
	if q.Skill != "" {
		e.kv("kind", str(string(q.Skill)))
	}
	if q.Points != 0 {
		e.kv("points", num(q.Points))
	}
	if q.Scoring != "" {
		e.kv("scoring", str(q.Scoring))
	}
	if len(q.Sources) > 0 {
		e.kv("sources", strs(q.Sources))
	}
	if len(q.Tags) > 0 {
		e.kv("tags", strs(q.Tags))
	}
	e.text("text", q.Text)
	e.text("explanation", q.Explanation)
	if q.Correct != nil {
		e.kv("correct", strconv.FormatBool(*q.Correct))
	}
	if len(q.Accept) > 0 {
		parts := make([]string, 0, len(q.Accept))
		for _, lang := range sortedLangs(q.Accept) {
			parts = append(parts, key(lang)+" = "+strs(q.Accept[lang]))
		}
		e.kv("accept", "{ "+strings.Join(parts, ", ")+" }")
	}
	if q.CaseSensitive {
		e.kv("case_sensitive", "true")
	}
	if q.IgnoreDiacritics {
		e.kv("ignore_diacritics", "true")
	}
	for _, f := range []struct {
		name string
		v    *float64
	}{{"value", q.Value}, {"min", q.Min}, {"max", q.Max}} {
		if f.v != nil {
			e.kv(f.name, num(*f.v))
		}
	}
	if q.Tolerance != 0 {
		e.kv("tolerance", num(q.Tolerance))
	}
	for _, o := range q.Options {
		e.line("")
		e.line("  [[question.option]]")
		e.kv("  id", str(o.ID))
		e.text("  text", o.Text)
		if o.Correct {
			e.kv("  correct", "true")
		}
		if o.Weight != nil {
			e.kv("  weight", num(*o.Weight))
		}
		e.text("  feedback", o.Feedback)
	}
	for _, p := range q.Pairs {
		e.line("")
		e.line("  [[question.pair]]")
		e.kv("  id", str(p.ID))
		e.text("  left", p.Left)
		e.text("  right", p.Right)
	}
	for _, it := range q.Items {
		e.line("")
		e.line("  [[question.item]]")
		e.kv("  id", str(it.ID))
		e.text("  text", it.Text)
	}
}

// text writes a text in every language as an inline table, `text = { vi = "…", en = "…" }`.
func (e *encoder) text(k string, t quiz.Text) {
	if len(t) == 0 {
		return
	}
	parts := make([]string, 0, len(t))
	for _, lang := range sortedLangs(t) {
		parts = append(parts, key(lang)+" = "+str(t[lang]))
	}
	e.kv(k, "{ "+strings.Join(parts, ", ")+" }")
}

// sortedLangs puts Vietnamese first, then the other languages in order.
func sortedLangs[V any](m map[string]V) []string {
	langs := make([]string, 0, len(m))
	for l := range m {
		langs = append(langs, l)
	}
	sort.Slice(langs, func(i, j int) bool {
		if (langs[i] == quiz.DefaultLang) != (langs[j] == quiz.DefaultLang) {
			return langs[i] == quiz.DefaultLang
		}
		return langs[i] < langs[j]
	})
	return langs
}

var bareKey = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

func key(k string) string {
	if bareKey.MatchString(k) {
		return k
	}
	return str(k)
}

// str writes a TOML basic string: printable text as is, quotes, backslashes
// and control characters escaped (newlines as \n keep one line per field).
func str(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		s = s[size:]
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteString(`\uFFFD`) // not UTF-8: a TOML file cannot hold the byte
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func strs(ss []string) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = str(s)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// num writes a number as TOML reads it back exactly: integers without a
// decimal point, others in the shortest form that round-trips.
func num(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case f == math.Trunc(f) && math.Abs(f) < 1e15:
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	return s
}
