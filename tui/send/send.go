// Package send is the "Gửi kết quả" screen: the learner writes the progress
// waiting on this PC to a USB drive or folder, encrypted to the office's key,
// and the receipts the office put there are read back, so the dashboard can
// say that the results arrived.
package send

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"hocso/store"
	"hocso/tui/common"
)

// row kinds besides the folders.
const (
	rowOther = iota // type a folder
	rowKey          // install the office key from a file
	rowHub          // push to the hub
)

type row struct {
	folder *common.SendFolder
	kind   int
}

// input says what the text input is for.
type input int

const (
	inputNone input = iota
	inputFolder
	inputKey
)

// Model is the send screen.
type Model struct {
	c       *common.Common
	rows    []row
	cursor  int
	status  store.SyncStatus
	key     string
	editing input
	in      textinput.Model
	busy    bool
	hub     string
	// sent and total are the hub push's progress while busy; progress
	// delivers it from the pushing goroutine.
	sent, total int
	progress    chan progressMsg
	report      *common.SendReport
	err         string
	width       int
}

// sentMsg carries the outcome of writing to a folder.
type sentMsg struct {
	report common.SendReport
	err    error
}

// progressMsg is how far a push has come.
type progressMsg struct{ sent, total int }

// keyMsg carries the outcome of installing the office key.
type keyMsg struct {
	key string
	err error
}

// New returns the send screen.
func New(c *common.Common) *Model { return &Model{c: c, in: c.NewTextInput()} }

// Init reads the state of sending and the folders there are.
func (m *Model) Init() tea.Cmd {
	m.refresh()
	return nil
}

func (m *Model) refresh() {
	c := m.c
	if st, err := c.Store.SyncStatus(c.Ctx); err == nil {
		m.status = st
	}
	m.rows = nil
	if c.Sender == nil {
		return
	}
	m.key, m.hub = c.Sender.OfficeKey(), c.Sender.HubURL()
	if m.hub != "" {
		m.rows = append(m.rows, row{kind: rowHub})
	}
	for _, f := range c.Sender.Folders() {
		m.rows = append(m.rows, row{folder: &f})
	}
	m.rows = append(m.rows, row{kind: rowOther})
	switch {
	case m.key == "" && m.hub == "":
		m.rows = append([]row{{kind: rowKey}}, m.rows...) // nothing can be sent before it
	case m.key == "":
		m.rows = append(m.rows, row{kind: rowKey})
	}
	m.cursor = min(m.cursor, len(m.rows)-1)
}

// SetSize records the width.
func (m *Model) SetSize(w, h int) {
	m.width = w
	m.in.SetWidth(max(10, w-6))
}

// TakingText is true while a path is typed, so letter keys reach the input.
func (m *Model) TakingText() bool { return m.editing != inputNone }

// Update moves the selection, sends, and takes typed paths.
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	switch msg := msg.(type) {
	case progressMsg:
		m.sent, m.total = msg.sent, msg.total
		return m, m.listen()
	case sentMsg:
		m.busy, m.progress = false, nil
		switch {
		case msg.err != nil && msg.report.Hub:
			m.err = m.c.T("SendHubFailed", map[string]any{"Error": msg.err.Error()})
		case msg.err != nil:
			m.err = m.explain(msg.err)
		default:
			m.report, m.err = &msg.report, ""
		}
		m.refresh()
		return m, nil
	case keyMsg:
		m.busy = false
		if msg.err != nil {
			m.err = m.explain(msg.err)
		} else {
			m.err = m.c.T("SendKeyInstalled", map[string]any{"Key": msg.key})
		}
		m.refresh()
		return m, nil
	case tea.KeyPressMsg:
		if m.editing != inputNone {
			return m, m.updateInput(msg)
		}
		return m, m.updateKeys(msg)
	}
	if m.editing != inputNone {
		var cmd tea.Cmd
		m.in, cmd = m.in.Update(msg)
		return m, cmd
	}
	return m, nil
}

func (m *Model) updateKeys(msg tea.KeyPressMsg) tea.Cmd {
	k := m.c.Keys
	switch {
	case m.busy:
		return nil
	case key.Matches(msg, k.Back):
		return common.Go(common.Place{Screen: common.ScreenDashboard})
	case key.Matches(msg, k.Up):
		m.cursor = max(0, m.cursor-1)
	case key.Matches(msg, k.Down):
		m.cursor = min(len(m.rows)-1, m.cursor+1)
	case key.Matches(msg, k.Enter) && len(m.rows) > 0:
		r := m.rows[m.cursor]
		switch {
		case r.folder != nil:
			return m.send(r.folder.Path)
		case r.kind == rowHub:
			return m.push()
		case r.kind == rowKey:
			return m.startInput(inputKey)
		default:
			return m.startInput(inputFolder)
		}
	}
	return nil
}

func (m *Model) startInput(what input) tea.Cmd {
	m.editing, m.err = what, ""
	m.in.Reset()
	m.in.Placeholder = m.c.T(map[input]string{inputFolder: "SendFolderPlaceholder", inputKey: "SendKeyPlaceholder"}[what])
	return m.in.Focus()
}

func (m *Model) updateInput(msg tea.KeyPressMsg) tea.Cmd {
	k := m.c.Keys
	switch {
	case key.Matches(msg, k.Back):
		m.editing = inputNone
		m.in.Blur()
		return nil
	case key.Matches(msg, k.Enter):
		path := strings.TrimSpace(m.in.Value())
		if path == "" {
			return nil
		}
		what := m.editing
		m.editing = inputNone
		m.in.Blur()
		if what == inputKey {
			return m.installKey(path)
		}
		return m.send(path)
	}
	var cmd tea.Cmd
	m.in, cmd = m.in.Update(msg)
	return cmd
}

func (m *Model) send(dir string) tea.Cmd {
	m.busy, m.err, m.report = true, "", nil
	sender := m.c.Sender
	return func() tea.Msg {
		r, err := sender.SendToFolder(dir)
		return sentMsg{report: r, err: err}
	}
}

// push sends to the hub in the background; progress arrives as messages.
func (m *Model) push() tea.Cmd {
	m.busy, m.err, m.report, m.sent, m.total = true, "", nil, 0, m.status.Pending
	progress := make(chan progressMsg, 16)
	m.progress = progress
	sender := m.c.Sender
	done := func() tea.Msg {
		r, err := sender.Push(func(sent, total int) {
			select {
			case progress <- progressMsg{sent, total}:
			default: // the screen is behind: it will see a later figure
			}
		})
		return sentMsg{report: r, err: err}
	}
	return tea.Batch(done, m.listen())
}

// listen waits for the next progress figure of a running push.
func (m *Model) listen() tea.Cmd {
	ch := m.progress
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		p, ok := <-ch
		if !ok {
			return nil
		}
		return p
	}
}

func (m *Model) installKey(path string) tea.Cmd {
	m.busy = true
	sender := m.c.Sender
	return func() tea.Msg {
		k, err := sender.SetOfficeKey(path)
		return keyMsg{key: k, err: err}
	}
}

// explain says what went wrong in words, and what to do.
func (m *Model) explain(err error) string { return common.ExplainSend(m.c, err) }
