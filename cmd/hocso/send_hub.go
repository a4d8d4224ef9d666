package main

import (
	"hocso/exchange/hub"
	"hocso/tui/common"
)

// The send screen's hub half: what the TUI calls, through its Sender, to push
// to the hub set up on this PC. (common.Sender gains these two methods when
// the screen offers the hub.)

// HubURL is the hub set up on this PC, or "".
func (x *sender) HubURL() string {
	c, err := hub.FromSettings(x.ctx, x.s)
	if err != nil {
		return ""
	}
	return c.URL
}

// SendToHub pushes what is waiting to the hub, calling progress after each
// confirmed batch (and while a failed request waits to be retried).
func (x *sender) SendToHub(progress func(sent, total int)) (common.SendReport, error) {
	c, err := hub.FromSettings(x.ctx, x.s)
	if err != nil {
		return common.SendReport{}, err
	}
	res, err := hub.Push(x.ctx, x.s, c, 0, func(p hub.Progress) {
		if progress != nil {
			progress(p.Sent, p.Total)
		}
	})
	return common.SendReport{Written: res.Sent, Acked: res.Sent, Pending: res.Pending}, err
}
