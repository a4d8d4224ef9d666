package attempt

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"hocso/quiz"
	"hocso/tui/common"
)

// input is the answering widget of one question type.
type input interface {
	// update handles a key and reports whether it used it.
	update(msg tea.KeyPressMsg) (bool, tea.Cmd)
	// answer is the answer as it stands, or the id of the message saying
	// why there is nothing to save yet. It never chooses for the learner.
	answer() (a quiz.Answer, problem string)
	view(width int) string
	keys() []key.Binding
	takingText() bool
}

func newInput(c *common.Common, z *quiz.Quiz, q *quiz.Question, seed int64, prev *quiz.Answer) input {
	order := z.Arrangement(q, seed)
	switch q.Kind {
	case quiz.Single, quiz.Multiple, quiz.TrueFalse:
		return newChoice(c, q, order, prev)
	case quiz.Short, quiz.Numeric:
		return newTyped(c, q, prev)
	case quiz.Matching:
		return newMatch(c, q, order, prev)
	case quiz.Ordering:
		return newOrder(c, q, order, prev)
	}
	return newChoice(c, q, order, prev)
}

// digit returns 1–9 for a number key, else 0.
func digit(msg tea.KeyPressMsg) int {
	if n, err := strconv.Atoi(msg.String()); err == nil && n >= 1 && n <= 9 {
		return n
	}
	return 0
}

// choice answers single, multiple and true/false questions.
type choice struct {
	c        *common.Common
	q        *quiz.Question
	ids      []string // option ids in the order shown
	labels   []quiz.Text
	cursor   int
	selected map[string]bool
	multi    bool
}

func newChoice(c *common.Common, q *quiz.Question, order []int, prev *quiz.Answer) *choice {
	ch := &choice{c: c, q: q, selected: map[string]bool{}, multi: q.Kind == quiz.Multiple}
	if q.Kind == quiz.TrueFalse {
		ch.ids = []string{"true", "false"}
		ch.labels = []quiz.Text{{"vi": c.Loc.T("True"), "en": c.Loc.T("True")}, {"vi": c.Loc.T("False"), "en": c.Loc.T("False")}}
		if prev != nil && prev.Bool != nil {
			ch.selected[strconv.FormatBool(*prev.Bool)] = true
		}
	} else {
		for _, i := range order {
			ch.ids = append(ch.ids, q.Options[i].ID)
			ch.labels = append(ch.labels, q.Options[i].Text)
		}
		if prev != nil {
			for _, id := range prev.Choices {
				ch.selected[id] = true
			}
		}
	}
	for i, id := range ch.ids {
		if ch.selected[id] {
			ch.cursor = i
			break
		}
	}
	return ch
}

func (ch *choice) update(msg tea.KeyPressMsg) (bool, tea.Cmd) {
	k := ch.c.Keys
	switch {
	case key.Matches(msg, k.Up):
		ch.cursor = max(0, ch.cursor-1)
	case key.Matches(msg, k.Down):
		ch.cursor = min(len(ch.ids)-1, ch.cursor+1)
	case key.Matches(msg, k.Toggle):
		ch.pick(ch.cursor)
	default:
		n := digit(msg)
		if n == 0 || n > len(ch.ids) {
			return false, nil
		}
		ch.cursor = n - 1
		ch.pick(n - 1)
	}
	return true, nil
}

func (ch *choice) pick(i int) {
	id := ch.ids[i]
	if ch.multi {
		ch.selected[id] = !ch.selected[id]
		return
	}
	ch.selected = map[string]bool{id: true}
}

func (ch *choice) answer() (quiz.Answer, string) {
	var a quiz.Answer
	for _, id := range ch.ids {
		if ch.selected[id] {
			a.Choices = append(a.Choices, id)
		}
	}
	if len(a.Choices) == 0 {
		return a, "QuizChooseFirst"
	}
	if ch.q.Kind == quiz.TrueFalse {
		b := a.Choices[0] == "true"
		return quiz.Answer{Bool: &b}, ""
	}
	return a, ""
}

func (ch *choice) view(width int) string {
	s := ch.c.Styles
	var b strings.Builder
	for i, id := range ch.ids {
		mark := "( )"
		if ch.multi {
			mark = "[ ]"
		}
		if ch.selected[id] {
			mark = "(•)"
			if ch.multi {
				mark = "[x]"
			}
		}
		row := common.Hang(fmt.Sprintf("%s %d. ", mark, i+1), ch.labels[i].In(ch.c.Lang()), width-2)
		if i == ch.cursor {
			row = s.Selected.Render(row)
		}
		b.WriteString(common.Prefix(ch.c.Cursor(i == ch.cursor), row) + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

func (ch *choice) keys() []key.Binding {
	k := ch.c.Keys
	if ch.multi {
		return []key.Binding{k.Up, k.Down, k.Toggle, k.Answer}
	}
	return []key.Binding{k.Up, k.Down, k.Answer}
}

func (ch *choice) takingText() bool { return false }

// typed answers short-answer and numeric questions.
type typed struct {
	c    *common.Common
	q    *quiz.Question
	in   textinput.Model
	warn string
}

func newTyped(c *common.Common, q *quiz.Question, prev *quiz.Answer) *typed {
	in := c.NewTextInput()
	in.CharLimit = 200
	in.SetWidth(50)
	if q.Kind == quiz.Numeric {
		in.Placeholder = c.T("NumericPlaceholder")
	} else {
		in.Placeholder = c.T("ShortPlaceholder")
	}
	if prev != nil {
		in.SetValue(prev.Text)
	}
	in.Focus()
	return &typed{c: c, q: q, in: in}
}

func (t *typed) update(msg tea.KeyPressMsg) (bool, tea.Cmd) {
	if key.Matches(msg, t.c.Keys.Enter, t.c.Keys.Back, t.c.Keys.ForceQuit) {
		return false, nil
	}
	t.warn = ""
	if t.q.Kind == quiz.Numeric && strings.IndexFunc(msg.Text, notNumeric) >= 0 {
		t.warn = "QuizNumbersOnly"
		return true, nil
	}
	var cmd tea.Cmd
	t.in, cmd = t.in.Update(msg)
	return true, cmd
}

// notNumeric is a rune a number box does not take (it may then mean a key of the app).
func notNumeric(r rune) bool { return !strings.ContainsRune("0123456789,.-+ ", r) }

func (t *typed) answer() (quiz.Answer, string) {
	v := strings.TrimSpace(t.in.Value())
	if v == "" {
		return quiz.Answer{}, "AnswerEmpty"
	}
	if t.q.Kind == quiz.Numeric {
		if _, ok := quiz.ParseNumber(v); !ok {
			return quiz.Answer{}, "NumericInvalid"
		}
	}
	return quiz.Answer{Text: v}, ""
}

func (t *typed) view(width int) string {
	t.in.SetWidth(min(50, width-4))
	out := t.in.View()
	if t.q.Kind == quiz.Short {
		out += "\n" + t.c.Styles.Subtle.Render(common.Wrap(t.c.T("QuizTypingRule"), width))
	}
	if t.warn != "" {
		out += "\n" + t.c.Styles.Error.Render("✗ "+t.c.T(t.warn))
	}
	return out
}

func (t *typed) keys() []key.Binding { return []key.Binding{t.c.Keys.Answer} }

// takingText is true for a short answer, whose letters are the answer; a
// number box takes only numbers, so q and L keep their global meaning there.
func (t *typed) takingText() bool { return t.q.Kind == quiz.Short }
