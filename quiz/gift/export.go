package gift

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"hocso/quiz"
)

// WriteGIFT writes a quiz's questions in one language as GIFT that Moodle
// imports, so a province that also runs Moodle keeps one question bank.
// Every text is written as [markdown], hocso's own format, so Moodle shows it
// as the learner sees it in hocso.
//
// What Moodle's GIFT has no words for is kept in comments Moodle ignores and
// ParseGIFT reads back: [tag:…] for tags (Moodle reads these too) and
// [hocso:…] for the question's kind (recall, concept, applied), points,
// sources, all-or-nothing scoring and the short-answer settings. Moodle itself gets the nearest equivalent: an all-or-nothing
// multiple choice goes to Moodle with its partial-credit weights. Ordering
// questions have no GIFT form; their ids are returned as skipped.
func WriteGIFT(w io.Writer, z *quiz.Quiz, lang string) (skipped []string, err error) {
	bw := bufio.NewWriter(w)
	title := z.Title.In(lang)
	if title != "" {
		fmt.Fprintf(bw, "// %s\n", oneLineText(title))
	}
	fmt.Fprintf(bw, "// %s (hocso)\n\n", z.ID)
	for i := range z.Questions {
		q := &z.Questions[i]
		if q.Kind == quiz.Ordering {
			skipped = append(skipped, q.ID)
			continue
		}
		writeQuestion(bw, q, lang)
	}
	return skipped, bw.Flush()
}

func writeQuestion(w *bufio.Writer, q *quiz.Question, lang string) {
	if len(q.Tags) > 0 {
		var tags []string
		for _, t := range q.Tags {
			tags = append(tags, "[tag:"+escapeComment(t)+"]")
		}
		fmt.Fprintf(w, "// %s\n", strings.Join(tags, " "))
	}
	if s := hocsoSettings(q); s != "" {
		fmt.Fprintf(w, "// [hocso:%s]\n", s)
	}
	fmt.Fprintf(w, "::%s::[markdown]%s {", escapeGIFT(q.ID), escapeGIFT(q.Text.In(lang)))
	switch q.Kind {
	case quiz.Single, quiz.Multiple:
		writeChoices(w, q, lang)
	case quiz.TrueFalse:
		if q.Correct != nil && *q.Correct {
			w.WriteString("TRUE")
		} else {
			w.WriteString("FALSE")
		}
	case quiz.Short:
		for _, a := range q.Accept[lang] {
			w.WriteString("\n\t=" + escapeGIFT(a))
		}
		w.WriteString("\n")
	case quiz.Numeric:
		w.WriteString("#")
		if q.Value != nil {
			w.WriteString(number(*q.Value))
			if q.Tolerance != 0 {
				w.WriteString(":" + number(q.Tolerance))
			}
		} else if q.Min != nil && q.Max != nil {
			w.WriteString(number(*q.Min) + ".." + number(*q.Max))
		}
	case quiz.Matching:
		for _, p := range q.Pairs {
			w.WriteString("\n\t=" + escapeGIFT(p.Left.In(lang)) + " -> " + escapeGIFT(oneLineText(p.Right.In(lang))))
		}
		w.WriteString("\n")
	}
	if e := q.Explanation.In(lang); e != "" {
		w.WriteString("####" + escapeGIFT(e))
	}
	w.WriteString("}\n\n")
}

// writeChoices writes options: "=" for the one right option of a single
// choice; weights for a multiple choice, as Moodle grades those.
func writeChoices(w *bufio.Writer, q *quiz.Question, lang string) {
	weights := q.Weights()
	for i, o := range q.Options {
		w.WriteString("\n\t")
		switch {
		case q.Kind == quiz.Single && o.Correct:
			w.WriteString("=")
		case q.Kind == quiz.Single:
			w.WriteString("~")
		default:
			w.WriteString("~%" + number(roundWeight(weights[i])) + "%")
		}
		w.WriteString(escapeGIFT(o.Text.In(lang)))
		if fb := o.Feedback.In(lang); fb != "" {
			w.WriteString("#" + escapeGIFT(fb))
		}
	}
	w.WriteString("\n")
}

// hocsoSettings are a question's settings GIFT cannot say, as "key=value;…".
func hocsoSettings(q *quiz.Question) string {
	var parts []string
	if q.Skill != "" {
		parts = append(parts, "kind="+string(q.Skill))
	}
	if q.Points != 0 {
		parts = append(parts, "points="+number(q.Points))
	}
	if len(q.Sources) > 0 {
		parts = append(parts, "sources="+strings.Join(q.Sources, ","))
	}
	if q.Kind == quiz.Multiple && q.Scoring != quiz.Partial {
		parts = append(parts, "scoring="+quiz.AllOrNothing)
	}
	if q.Kind == quiz.Short && q.CaseSensitive {
		parts = append(parts, "case_sensitive")
	}
	if q.Kind == quiz.Short && q.IgnoreDiacritics {
		parts = append(parts, "ignore_diacritics")
	}
	return escapeComment(strings.Join(parts, ";"))
}

// applyHocsoSettings sets what a [hocso:…] comment says on q, once its answers
// are read. Settings that do not fit the question's type are left alone.
func applyHocsoSettings(q *quiz.Question, settings string) {
	for _, part := range strings.Split(settings, ";") {
		key, value, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch key {
		case "kind":
			if slices.Contains(quiz.Skills, quiz.Skill(value)) {
				q.Skill = quiz.Skill(value)
			}
		case "points":
			if f, err := parseNumber(value); err == nil && f > 0 {
				q.Points = f
			}
		case "sources":
			for _, s := range strings.Split(value, ",") {
				if s = strings.TrimSpace(s); s != "" && !slices.Contains(q.Sources, s) {
					q.Sources = append(q.Sources, s)
				}
			}
		case "scoring":
			if value == quiz.AllOrNothing && q.Kind == quiz.Multiple {
				// The weights were Moodle's nearest equivalent; hocso's rule is
				// all or nothing, with the options marked right kept right.
				q.Scoring = quiz.AllOrNothing
				for i := range q.Options {
					q.Options[i].Weight = nil
				}
			}
		case "case_sensitive":
			q.CaseSensitive = q.Kind == quiz.Short
		case "ignore_diacritics":
			q.IgnoreDiacritics = q.Kind == quiz.Short
		}
	}
}

// roundWeight keeps five decimals, as Moodle writes its grade fractions
// (33.33333), so the weights of a three-way split still add up.
func roundWeight(w float64) float64 { return math.Round(w*1e5) / 1e5 }

func number(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// escapeGIFT writes text so that GIFT reads it back as it is: its special
// characters escaped, line breaks as \n (a blank line would end the question).
func escapeGIFT(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '~', '=', '#', '{', '}', ':':
			b.WriteRune('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// escapeComment writes a value for an [id:…], [tag:…] or [hocso:…] comment.
func escapeComment(s string) string {
	return strings.NewReplacer(`\`, `\\`, `]`, `\]`, "\n", " ").Replace(s)
}

func oneLineText(s string) string { return strings.Join(strings.Fields(s), " ") }
