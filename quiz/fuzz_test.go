package quiz

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
)

// shape hands out the fuzzer's bytes one at a time, then zeros.
type shape []byte

func (s *shape) next() byte {
	if len(*s) == 0 {
		return 0
	}
	b := (*s)[0]
	*s = (*s)[1:]
	return b
}

// Texts and ids that collide often, so duplicates and near-duplicates get built.
var (
	fuzzIDs   = []string{"a", "b", "", "1"}
	fuzzTexts = []string{"Hà Nội", "hà  nội", "Huế", "", "Đà Nẵng", "Ha\u0300 Nô\u0323i", "\u0301", "Cần Thơ"}
)

// fuzzQuestion builds a question of any kind, sane or not, from fuzzed parts.
func fuzzQuestion(kind uint8, sh []byte, points, value, tol, lo, hi float64, accept string) (Question, []string) {
	s := shape(sh)
	q := Question{ID: "q", Text: viEn("Câu hỏi?", "Question?")}
	if k := int(kind) % (len(Kinds) + 1); k < len(Kinds) {
		q.Kind = Kinds[k]
	} else {
		q.Kind = Kind("essay")
	}
	flags, more := s.next(), s.next()
	switch {
	case flags&1 != 0:
		q.Scoring = Partial
	case flags&2 != 0:
		q.Scoring = AllOrNothing
	case flags&4 != 0:
		q.Scoring = "half"
	}
	q.CaseSensitive, q.IgnoreDiacritics = flags&8 != 0, flags&16 != 0
	if flags&32 != 0 {
		q.Correct = boolp(flags&64 != 0)
	}
	if more&1 != 0 {
		q.Value = &value
	}
	if more&2 != 0 {
		q.Min = &lo
	}
	if more&4 != 0 {
		q.Max = &hi
	}
	if more&8 != 0 {
		q.Points = points
	}
	q.Tolerance = tol
	langs := []string{"vi"}
	if more&16 != 0 {
		langs = bothLangs
	}

	text := func(i int, b byte) Text {
		t := "Mục " + strconv.Itoa(i)
		if b&0x40 != 0 {
			t = fuzzTexts[int(b)%len(fuzzTexts)]
		}
		return Text{"vi": t, "en": t}
	}
	id := func(i int, b byte) string {
		if b&0x80 != 0 {
			return fuzzIDs[int(b)%len(fuzzIDs)]
		}
		return string(rune('a' + i))
	}
	n := int(s.next() % 9)
	for i := 0; i < n; i++ {
		b := s.next()
		o := Option{ID: id(i, b), Text: text(i, b), Correct: b&1 != 0}
		switch {
		case b&2 != 0:
			o.Weight = f64(float64(int8(s.next())) * 2)
		case b&4 != 0:
			o.Weight = f64(value) // anything, NaN and ±Inf included
		}
		q.Options = append(q.Options, o)
		right := "P" + strconv.Itoa(i)
		if b&8 != 0 {
			right = "P0" // duplicate right-hand text
		}
		q.Pairs = append(q.Pairs, Pair{ID: id(i, b), Left: text(i, b), Right: Text{"vi": right, "en": right}})
		q.Items = append(q.Items, Item{ID: id(i, b), Text: text(i, b)})
	}
	if accept != "" {
		parts := strings.Split(accept, "|")
		q.Accept = map[string][]string{"vi": parts, "en": parts[len(parts)/2:]}
	}
	return q, langs
}

func fuzzAnswer(sh []byte, choices, text string) Answer {
	a := Answer{Text: text}
	if len(sh) > 0 && sh[0]&128 != 0 {
		a.Bool = boolp(len(sh) > 1 && sh[1]&32 != 0)
	}
	if choices != "" {
		a.Choices = strings.Split(choices, ",")
		a.Pairs = map[string]string{}
		for _, c := range a.Choices {
			k, v, _ := strings.Cut(c, "=")
			a.Pairs[k] = v
		}
	}
	return a
}

// keyAnswer is the answer that should earn full points on a question Check
// accepts; ok is false where full points need not be reachable (partial
// scoring with trainer weights below 100%).
func keyAnswer(q *Question) (a Answer, ok bool) {
	right := func(o Option) bool { return o.Correct || (o.Weight != nil && *o.Weight > 0) }
	switch q.Kind {
	case Single:
		for _, o := range q.Options {
			if right(o) {
				return Answer{Choices: []string{o.ID}}, true
			}
		}
	case Multiple:
		if q.Scoring == Partial {
			return a, false
		}
		for _, o := range q.Options {
			if right(o) {
				a.Choices = append(a.Choices, o.ID)
			}
		}
		return a, true
	case TrueFalse:
		return Answer{Bool: q.Correct}, true
	case Short:
		for _, s := range q.Accept[DefaultLang] {
			if normalizeShort(s, q.CaseSensitive, q.IgnoreDiacritics) != "" {
				return Answer{Text: s}, true
			}
		}
	case Numeric:
		x := 0.0
		if q.Min != nil && q.Max != nil {
			x = math.Max(*q.Min, -math.MaxFloat64)
		} else if q.Value != nil {
			x = *q.Value
		}
		return Answer{Text: strconv.FormatFloat(x, 'f', -1, 64)}, true
	case Matching:
		a.Pairs = map[string]string{}
		for _, p := range q.Pairs {
			a.Pairs[p.ID] = p.ID
		}
		return a, true
	case Ordering:
		for _, it := range q.Items {
			a.Choices = append(a.Choices, it.ID)
		}
		return a, true
	}
	return a, false
}

func FuzzGrade(f *testing.F) {
	seeds := []struct {
		kind                        uint8
		shape                       []byte
		points, value, tol, lo, hi  float64
		accept, choices, answerText string
	}{
		{0, []byte{0, 0, 3, 1, 0, 0}, 1, 0, 0, 0, 0, "", "a", ""},
		{1, []byte{1, 0, 4, 1, 1, 2, 0xF6, 0}, 2, 0, 0, 0, 0, "", "a,b", ""},
		{1, []byte{0, 0, 4, 1, 1, 0, 0}, 1, 0, 0, 0, 0, "", "a,b,c", ""},
		{2, []byte{0xE0, 0x20}, 1, 0, 0, 0, 0, "", "", ""},
		{3, []byte{0x10, 0x10}, 1, 0, 0, 0, 0, "người|Hà Nội|Hanoi", "", "nguoi"},
		{4, []byte{0, 1}, 1, 7.5, 0.1, 0, 0, "", "", "7,6"},
		{4, []byte{0, 6}, 1, 0, 0, 10, 20, "", "", "1.234,5"},
		{5, []byte{0, 0, 3, 0, 0, 8}, 3, 0, 0, 0, 0, "", "a=a,b=c,c=b", ""},
		{6, []byte{0, 0, 4}, 1, 0, 0, 0, 0, "", "a,b,d,c", ""},
		{7, []byte{0xFF}, 1, 0, 0, 0, 0, "", "", ""},
		// Floats the mutator seldom makes: a pack can spell them (inf, nan).
		{2, []byte{0x60, 0x08}, math.Inf(1), 0, 0, 0, 0, "", "", ""},
		{1, []byte{1, 0, 3, 5, 5, 1}, 1, math.NaN(), 0, 0, 0, "", "a,b", ""},
		{4, []byte{0, 7}, 1, math.Inf(-1), math.NaN(), math.Inf(-1), math.Inf(1), "", "", "5"},
	}
	for _, s := range seeds {
		f.Add(s.kind, s.shape, s.points, s.value, s.tol, s.lo, s.hi, s.accept, s.choices, s.answerText)
	}
	f.Fuzz(func(t *testing.T, kind uint8, sh []byte, points, value, tol, lo, hi float64, accept, choices, answerText string) {
		q, langs := fuzzQuestion(kind, sh, points, value, tol, lo, hi, accept)
		a := fuzzAnswer(sh, choices, answerText)
		max := q.MaxPoints()
		got := Grade(&q, a)
		if !(got >= 0 && got <= max) {
			t.Fatalf("Grade = %v; want within [0, %v]\n%s\nanswer %+v", got, max, describe(&q), a)
		}
		if again := Grade(&q, a); again != got {
			t.Fatalf("Grade = %v, then %v for the same answer", got, again)
		}
		if issues := q.Check(langs); len(issues) == 0 {
			if key, ok := keyAnswer(&q); ok {
				if full := Grade(&q, key); full != max {
					t.Fatalf("Check accepts the question but its key earns %v of %v\n%s\nkey %+v", full, max, describe(&q), key)
				}
			}
		}
	})
}

// describe shows a question with its pointers followed, for failure messages.
func describe(q *Question) string {
	val := func(p *float64) string {
		if p == nil {
			return "nil"
		}
		return strconv.FormatFloat(*p, 'g', -1, 64)
	}
	correct := "nil"
	if q.Correct != nil {
		correct = strconv.FormatBool(*q.Correct)
	}
	var opts []string
	for _, o := range q.Options {
		opts = append(opts, fmt.Sprintf("%q %q correct=%v weight=%s", o.ID, o.Text["vi"], o.Correct, val(o.Weight)))
	}
	return fmt.Sprintf("question kind=%s points=%v scoring=%q correct=%s value=%s tolerance=%v min=%s max=%s accept=%q\noptions %s\npairs %+v\nitems %+v",
		q.Kind, q.Points, q.Scoring, correct, val(q.Value), q.Tolerance, val(q.Min), val(q.Max), q.Accept,
		strings.Join(opts, "; "), q.Pairs, q.Items)
}

func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"7,5", "7.5", "1.234,5", "1,234.5", "30%", " -0,25 % ", "NaN", "Inf", "1e999", "0x1p-2", ",", "1,2.3,4", ""} {
		f.Add(s, 1234.5)
	}
	f.Add("", math.SmallestNonzeroFloat64)
	f.Add("", -math.MaxFloat64)
	f.Fuzz(func(t *testing.T, s string, x float64) {
		if got, ok := ParseNumber(s); ok && (math.IsNaN(got) || math.IsInf(got, 0)) {
			t.Fatalf("ParseNumber(%q) = %v, true; want a finite number", s, got)
		} else if !ok && got != 0 {
			t.Fatalf("ParseNumber(%q) = %v, false; want 0 with false", s, got)
		}
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return
		}
		// Plain decimals come back exactly, however a person writes the separator.
		plain := strconv.FormatFloat(x, 'f', -1, 64)
		forms := []string{plain, strings.Replace(plain, ".", ",", 1), plain + "%", "  " + plain + " % "}
		if whole, frac, ok := strings.Cut(plain, "."); ok {
			// With a decimal part, thousands grouping is unambiguous.
			forms = append(forms, group(whole, ".")+","+frac, group(whole, ",")+"."+frac, group(whole, " ")+","+frac)
		}
		for _, in := range forms {
			if got, ok := ParseNumber(in); !ok || got != x {
				t.Fatalf("ParseNumber(%q) = %v, %v; want %v, true", in, got, ok, x)
			}
		}
	})
}

// group writes an integer's digits in groups of three: group("-1234567", ".") is "-1.234.567".
func group(whole, sep string) string {
	sign := ""
	if strings.HasPrefix(whole, "-") {
		sign, whole = "-", whole[1:]
	}
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	return sign + b.String()
}
