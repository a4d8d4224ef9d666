package attempt

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"hocso/quiz"
	"hocso/tui/common"
)

// match answers matching questions: the learner picks a row on the left with
// ↑/↓ and gives it the number of a right-hand item.
type match struct {
	c      *common.Common
	q      *quiz.Question
	rights []int // pair indices in the order the right column is shown
	chosen map[string]string
	cursor int
}

func newMatch(c *common.Common, q *quiz.Question, order []int, prev *quiz.Answer) *match {
	m := &match{c: c, q: q, rights: order, chosen: map[string]string{}}
	if prev != nil {
		for k, v := range prev.Pairs {
			m.chosen[k] = v
		}
	}
	return m
}

func (m *match) update(msg tea.KeyPressMsg) (bool, tea.Cmd) {
	k := m.c.Keys
	switch {
	case key.Matches(msg, k.Up):
		m.cursor = max(0, m.cursor-1)
	case key.Matches(msg, k.Down):
		m.cursor = min(len(m.q.Pairs)-1, m.cursor+1)
	default:
		n := digit(msg)
		if n == 0 || n > len(m.rights) {
			return false, nil
		}
		m.chosen[m.q.Pairs[m.cursor].ID] = m.q.Pairs[m.rights[n-1]].ID
		m.cursor = min(len(m.q.Pairs)-1, m.cursor+1)
	}
	return true, nil
}

func (m *match) answer() (quiz.Answer, string) {
	a := quiz.Answer{Pairs: map[string]string{}}
	for k, v := range m.chosen {
		a.Pairs[k] = v
	}
	if len(a.Pairs) != len(m.q.Pairs) {
		return a, "QuizMatchIncomplete"
	}
	return a, ""
}

func (m *match) view(width int) string {
	c, s := m.c, m.c.Styles
	lang := c.Lang()
	number := map[string]int{}
	for n, i := range m.rights {
		number[m.q.Pairs[i].ID] = n + 1
	}
	var b strings.Builder
	for i, p := range m.q.Pairs {
		got := "[?]"
		if r, ok := m.chosen[p.ID]; ok {
			got = fmt.Sprintf("[%d]", number[r])
		}
		row := common.Hang(fmt.Sprintf("%s %c. ", got, 'a'+rune(i)), p.Left.In(lang), width-2)
		if i == m.cursor {
			row = s.Selected.Render(row)
		}
		b.WriteString(common.Prefix(c.Cursor(i == m.cursor), row) + "\n")
	}
	b.WriteString("\n" + s.Label.Render(c.T("MatchRightColumn")) + "\n")
	for n, i := range m.rights {
		b.WriteString(common.Hang(fmt.Sprintf("  %d. ", n+1), m.q.Pairs[i].Right.In(lang), width) + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

func (m *match) keys() []key.Binding {
	k := m.c.Keys
	return []key.Binding{k.Up, k.Down, numberKey(m.c, "KeyMatchNumber"), k.Answer}
}

func (m *match) takingText() bool { return false }

// order answers ordering questions: space picks an item up, ↑/↓ carry it,
// space puts it down.
type order struct {
	c       *common.Common
	q       *quiz.Question
	items   []int // item indices in the learner's current order
	cursor  int
	holding bool
}

func newOrder(c *common.Common, q *quiz.Question, arrangement []int, prev *quiz.Answer) *order {
	o := &order{c: c, q: q, items: arrangement}
	if prev != nil && len(prev.Choices) == len(q.Items) {
		index := map[string]int{}
		for i, it := range q.Items {
			index[it.ID] = i
		}
		restored := make([]int, 0, len(q.Items))
		for _, id := range prev.Choices {
			if i, ok := index[id]; ok {
				restored = append(restored, i)
			}
		}
		if len(restored) == len(q.Items) {
			o.items = restored
		}
	}
	return o
}

func (o *order) update(msg tea.KeyPressMsg) (bool, tea.Cmd) {
	k := o.c.Keys
	move := 0
	switch {
	case key.Matches(msg, k.Up):
		move = -1
	case key.Matches(msg, k.Down):
		move = 1
	case key.Matches(msg, k.Toggle):
		o.holding = !o.holding
		return true, nil
	default:
		return false, nil
	}
	next := o.cursor + move
	if next < 0 || next >= len(o.items) {
		return true, nil
	}
	if o.holding {
		o.items[o.cursor], o.items[next] = o.items[next], o.items[o.cursor]
	}
	o.cursor = next
	return true, nil
}

func (o *order) answer() (quiz.Answer, string) {
	var a quiz.Answer
	for _, i := range o.items {
		a.Choices = append(a.Choices, o.q.Items[i].ID)
	}
	o.holding = false
	return a, ""
}

func (o *order) view(width int) string {
	c, s := o.c, o.c.Styles
	var b strings.Builder
	for n, i := range o.items {
		mark := "  "
		if o.holding && n == o.cursor {
			mark = "⇅ "
		}
		row := common.Hang(fmt.Sprintf("%s%d. ", mark, n+1), o.q.Items[i].Text.In(c.Lang()), width-2)
		if n == o.cursor {
			row = s.Selected.Render(row)
		}
		b.WriteString(common.Prefix(c.Cursor(n == o.cursor), row) + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

func (o *order) keys() []key.Binding {
	k := o.c.Keys
	toggle := key.NewBinding(key.WithKeys("space"), key.WithHelp("space", o.c.T("KeyPickUp")))
	return []key.Binding{k.Up, k.Down, toggle, k.Answer}
}

func (o *order) takingText() bool { return false }

func numberKey(c *common.Common, help string) key.Binding {
	return key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8", "9"), key.WithHelp("1-9", c.T(help)))
}
