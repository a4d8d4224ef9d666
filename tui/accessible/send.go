package accessible

import (
	"strings"

	"hocso/tui/common"
)

// sendItem is the main menu's entry for sending results, with what waits.
func (s *session) sendItem() string {
	pending := 0
	if st, err := s.c.Store.SyncStatus(s.ctx); err == nil {
		pending = st.Pending
	}
	return s.item(s.c.T("SendTitle"), s.c.Loc.N("SyncPending", pending))
}

// sendResults is the send screen as a dialogue: where to write (drives
// first, the folder used last time marked), or a folder typed in, or the
// office key to install first; then what happened, in words.
func (s *session) sendResults() error {
	c := s.c
	for {
		key := c.Sender.OfficeKey()
		if key == "" {
			s.say(c.T("SendNoKey"))
		}
		folders := c.Sender.Folders()
		var items []string
		hubAt := -1
		if u := c.Sender.HubURL(); u != "" {
			hubAt = len(items)
			items = append(items, c.T("SendHub", map[string]any{"URL": u}))
		}
		first := len(items)
		for _, f := range folders {
			label := c.T("SendFolder", map[string]any{"Path": f.Path})
			if f.Removable {
				label = c.T("SendDrive", map[string]any{"Path": f.Path})
			}
			if f.Remembered {
				label = s.item(label, c.T("SendLastTime"))
			}
			items = append(items, label)
		}
		items = append(items, c.T("SendOtherFolder"))
		if key == "" {
			items = append(items, c.T("SendInstallKey"))
		}
		items = append(items, c.T("AccessibleBackToModules"))
		i, err := s.choose(c.T("SendChoose"), items)
		if err != nil {
			return err
		}
		switch n := first + len(folders); {
		case i == hubAt:
			s.push()
		case i < n:
			s.sendTo(folders[i-first].Path)
		case i == n:
			path, err := s.ask(c.T("SendFolderPlaceholder") + ":")
			if err != nil {
				return err
			}
			if path = strings.TrimSpace(path); path != "" {
				s.sendTo(path)
			}
		case key == "" && i == n+1:
			path, err := s.ask(c.T("SendKeyPlaceholder") + ":")
			if err != nil {
				return err
			}
			if k, err := c.Sender.SetOfficeKey(strings.TrimSpace(path)); err != nil {
				s.say(s.explainSend(err))
			} else {
				s.say(c.T("SendKeyInstalled", map[string]any{"Key": k}))
			}
		default:
			return nil
		}
	}
}

func (s *session) sendTo(dir string) {
	c := s.c
	s.say(c.T("SendBusy"))
	r, err := c.Sender.SendToFolder(dir)
	if err != nil {
		s.say(s.explainSend(err))
		return
	}
	if r.Receipts > 0 {
		s.say(c.Loc.N("SendAcked", r.Acked, map[string]any{"Receipts": r.Receipts}))
	}
	if r.Path != "" {
		s.say(c.Loc.N("SendWritten", r.Written, map[string]any{"Path": r.Path}))
	}
	if r.Pending == 0 {
		s.say(c.T("SendAllSent"))
	}
}

// push sends to the hub, saying how far it has come at each quarter.
func (s *session) push() {
	c := s.c
	said := 0
	r, err := c.Sender.Push(func(sent, total int) {
		if total > 0 && sent*4/total > said {
			said = sent * 4 / total
			s.say(c.T("SendPushing", map[string]any{"Sent": sent, "Total": total}))
		}
	})
	if err != nil {
		s.say(c.T("SendHubFailed", map[string]any{"Error": err.Error()}))
		return
	}
	s.say(c.Loc.N("SendPushed", r.Written))
	if r.Conflicts > 0 {
		s.say(c.T("HubPushConflicts", map[string]any{"Count": r.Conflicts}))
	}
	if r.Pending == 0 {
		s.say(c.T("SendAllSent"))
	}
}

// explainSend says in words why sending failed.
func (s *session) explainSend(err error) string {
	return common.ExplainSend(s.c, err)
}
