package send

import (
	"strings"

	"charm.land/bubbles/v2/key"

	"hocso/tui/common"
)

// View shows what waits, where it can go, and what the last action did.
func (m *Model) View() string {
	c, s := m.c, m.c.Styles
	w := max(20, m.width-2)
	var b strings.Builder
	b.WriteString(s.Title.Render(c.T("SendTitle")) + "\n\n")
	b.WriteString(common.Wrap(c.Loc.N("SyncPending", m.status.Pending)+" · "+m.lastSent(), w) + "\n")
	if c.Sender == nil {
		b.WriteString("\n" + common.Wrap(c.T("SendUnavailable"), w))
		return b.String()
	}
	if m.key == "" && m.hub == "" {
		b.WriteString(s.Warn.Render(common.Wrap(c.T("SendNoKey"), w)) + "\n")
	}
	b.WriteString("\n" + common.Wrap(c.T("SendChoose"), w) + "\n")
	for i, r := range m.rows {
		line := m.rowLabel(r)
		if i == m.cursor {
			line = s.Selected.Render(line)
		}
		b.WriteString(c.Cursor(i == m.cursor) + common.Truncate(line, w-2) + "\n")
	}
	if m.editing != inputNone {
		b.WriteString("\n" + m.in.View() + "\n")
	}
	b.WriteString("\n")
	switch {
	case m.busy && m.progress != nil:
		frac := 0.0
		if m.total > 0 {
			frac = float64(m.sent) / float64(m.total)
		}
		b.WriteString(common.Wrap(c.T("SendPushing", map[string]any{"Sent": m.sent, "Total": m.total}), w) + "\n")
		b.WriteString(c.Bar(frac, min(40, w-8)))
	case m.busy:
		b.WriteString(common.Wrap(c.T("SendBusy"), w))
	case m.err != "":
		b.WriteString(common.Wrap(m.err, w))
	case m.report != nil:
		b.WriteString(m.reportText(w))
	}
	return b.String()
}

func (m *Model) lastSent() string {
	if m.status.LastSent.IsZero() {
		return m.c.T("SyncNever")
	}
	return m.c.T("SyncLastSent", map[string]any{"When": m.c.Loc.DateTime(m.status.LastSent.Local())})
}

func (m *Model) rowLabel(r row) string {
	c := m.c
	switch {
	case r.folder != nil && r.folder.Removable:
		label := c.T("SendDrive", map[string]any{"Path": r.folder.Path})
		if r.folder.Remembered {
			label += " · " + c.T("SendLastTime")
		}
		return label
	case r.folder != nil:
		return c.T("SendFolder", map[string]any{"Path": r.folder.Path}) + " · " + c.T("SendLastTime")
	case r.kind == rowKey:
		return c.T("SendInstallKey")
	case r.kind == rowHub:
		return c.T("SendHub", map[string]any{"URL": m.hub})
	}
	return c.T("SendOtherFolder")
}

func (m *Model) reportText(w int) string {
	c, r := m.c, m.report
	var lines []string
	if r.Receipts > 0 && !r.Hub {
		lines = append(lines, c.Loc.N("SendAcked", r.Acked, map[string]any{"Receipts": r.Receipts}))
	}
	switch {
	case r.Hub:
		lines = append(lines, c.Loc.N("SendPushed", r.Written))
		if r.Conflicts > 0 {
			lines = append(lines, c.T("HubPushConflicts", map[string]any{"Count": r.Conflicts}))
		}
	case r.Path != "":
		lines = append(lines, c.Loc.N("SendWritten", r.Written, map[string]any{"Path": r.Path}))
	}
	if r.Pending == 0 {
		lines = append(lines, c.T("SendAllSent"))
	}
	for i, l := range lines {
		lines[i] = common.Wrap(l, w)
	}
	return strings.Join(lines, "\n")
}

// ShortHelp lists the keys of the screen.
func (m *Model) ShortHelp() []key.Binding {
	k := m.c.Keys
	return []key.Binding{k.Up, k.Down, k.Enter, k.Back}
}

// FullHelp lists the keys in groups.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.c.Keys
	return [][]key.Binding{m.ShortHelp(), {k.Help, k.Quit}}
}
