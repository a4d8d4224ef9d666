package accessible

import (
	"fmt"
	"slices"
	"strings"

	"hocso/quiz"
	"hocso/tui/common"
)

// showChoices lists what a question's answer is made of, numbered in the
// attempt's arrangement: options, the right-hand column of a matching
// question, or the items of an ordering question.
func (t *attempt) showChoices(q *quiz.Question) {
	s, c := t.s, t.s.c
	lang := c.Lang()
	order := t.z.Arrangement(q, t.sit.Attempt.Seed)
	list := func(texts []string) {
		for i, text := range texts {
			s.say(fmt.Sprintf("%d. %s", i+1, text))
		}
	}
	switch q.Kind {
	case quiz.TrueFalse:
		list([]string{common.TrueFalse(c, true), common.TrueFalse(c, false)})
	case quiz.Single, quiz.Multiple:
		var texts []string
		for _, i := range order {
			texts = append(texts, q.Options[i].Text.In(lang))
		}
		list(texts)
	case quiz.Matching:
		var texts []string
		for _, i := range order {
			texts = append(texts, q.Pairs[i].Right.In(lang))
		}
		s.say(c.T("MatchRightColumn"))
		list(texts)
		s.say(c.T("AccessibleMatchIntro"))
	case quiz.Ordering:
		var texts []string
		for _, i := range order {
			texts = append(texts, q.Items[i].Text.In(lang))
		}
		list(texts)
	}
}

// answerLine asks for a line of an answer: q pauses the quiz, an empty line
// asks the question again.
func (t *attempt) answerLine(prompt string) (string, error) {
	line, err := t.s.ask(prompt)
	switch {
	case err != nil:
		return "", err
	case line == "":
		return "", errRepeat
	case isQuit(line):
		return "", errPause
	}
	return line, nil
}

// read asks for the answer to q until it is complete and well formed.
func (t *attempt) read(q *quiz.Question) (quiz.Answer, error) {
	switch q.Kind {
	case quiz.Short, quiz.Numeric:
		return t.readTyped(q)
	case quiz.Matching:
		return t.readMatch(q)
	case quiz.Ordering:
		return t.readOrder(q)
	}
	return t.readChoice(q)
}

// readChoice reads the number of one option (single, true/false) or the
// numbers of several (multiple).
func (t *attempt) readChoice(q *quiz.Question) (quiz.Answer, error) {
	c := t.s.c
	ids := []string{"true", "false"}
	if q.Kind != quiz.TrueFalse {
		ids = nil
		for _, i := range t.z.Arrangement(q, t.sit.Attempt.Seed) {
			ids = append(ids, q.Options[i].ID)
		}
	}
	prompt := c.T("AccessibleAskSingle", map[string]any{"Max": len(ids)})
	if q.Kind == quiz.Multiple {
		prompt = c.T("AccessibleAskMultiple")
	}
	for {
		line, err := t.answerLine(prompt)
		if err != nil {
			return quiz.Answer{}, err
		}
		if q.Kind == quiz.TrueFalse { // the word itself will do too
			for _, b := range []bool{true, false} {
				if strings.EqualFold(line, common.TrueFalse(c, b)) {
					return quiz.Answer{Bool: &b}, nil
				}
			}
		}
		ns, bad := numbers(line, len(ids))
		switch {
		case bad != "" || len(ns) == 0:
			if bad == "" {
				bad = line
			}
			t.s.say(c.T("AccessibleChoiceInvalid", map[string]any{"Input": bad, "Max": len(ids)}))
			continue
		case q.Kind != quiz.Multiple && len(ns) > 1:
			t.s.say(c.T("AccessibleOneNumber", map[string]any{"Max": len(ids)}))
			continue
		}
		if q.Kind == quiz.TrueFalse {
			b := ns[0] == 1
			return quiz.Answer{Bool: &b}, nil
		}
		// the chosen ids in the order shown, each once, as the TUI records them
		var a quiz.Answer
		for i, id := range ids {
			if slices.Contains(ns, i+1) {
				a.Choices = append(a.Choices, id)
			}
		}
		return a, nil
	}
}

// readTyped reads a short answer, or a number that quiz.ParseNumber reads.
func (t *attempt) readTyped(q *quiz.Question) (quiz.Answer, error) {
	c := t.s.c
	prompt := c.T("ShortPlaceholder") + ":"
	if q.Kind == quiz.Numeric {
		prompt = c.T("NumericPlaceholder") + ":"
	}
	for {
		line, err := t.answerLine(prompt)
		if err != nil {
			return quiz.Answer{}, err
		}
		if q.Kind == quiz.Numeric {
			if _, ok := quiz.ParseNumber(line); !ok {
				t.s.say(c.T("NumericInvalid"))
				continue
			}
		}
		return quiz.Answer{Text: line}, nil
	}
}

// readMatch asks, for each left-hand item in the pack's order, the number of
// the right-hand item that goes with it. Right-hand items may be used twice.
func (t *attempt) readMatch(q *quiz.Question) (quiz.Answer, error) {
	c := t.s.c
	order := t.z.Arrangement(q, t.sit.Attempt.Seed)
	a := quiz.Answer{Pairs: map[string]string{}}
	for _, p := range q.Pairs {
		prompt := c.T("AccessibleAskMatch", map[string]any{"Left": p.Left.In(c.Lang()), "Max": len(order)})
		for {
			line, err := t.answerLine(prompt)
			if err != nil {
				return quiz.Answer{}, err
			}
			if n, ok := number(line, len(order)); ok {
				a.Pairs[p.ID] = q.Pairs[order[n-1]].ID
				break
			}
			t.s.say(c.T("AccessibleChoiceInvalid", map[string]any{"Input": line, "Max": len(order)}))
		}
	}
	return a, nil
}

// readOrder reads the item numbers in the order the learner puts them.
func (t *attempt) readOrder(q *quiz.Question) (quiz.Answer, error) {
	c := t.s.c
	order := t.z.Arrangement(q, t.sit.Attempt.Seed)
	for {
		line, err := t.answerLine(c.T("AccessibleAskOrder"))
		if err != nil {
			return quiz.Answer{}, err
		}
		ns, _ := numbers(line, len(order))
		if !isPermutation(ns, len(order)) {
			t.s.say(c.T("AccessibleOrderInvalid", map[string]any{"Count": len(order)}))
			continue
		}
		var a quiz.Answer
		for _, n := range ns {
			a.Choices = append(a.Choices, q.Items[order[n-1]].ID)
		}
		return a, nil
	}
}

// isPermutation reports whether ns holds each of 1..n exactly once.
func isPermutation(ns []int, n int) bool {
	if len(ns) != n {
		return false
	}
	seen := make([]bool, n+1)
	for _, k := range ns {
		if k < 1 || k > n || seen[k] {
			return false
		}
		seen[k] = true
	}
	return true
}
