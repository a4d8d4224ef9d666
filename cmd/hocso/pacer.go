package main

import (
	"reflect"
	"sync"
	"time"
	"unsafe"

	tea "charm.land/bubbletea/v2"
)

// Bubble Tea v2 (up to at least v2.1.1) draws from a time.Ticker that runs at
// the frame rate for the program's whole life: 60 wakeups a second, each
// comparing the view with the last one, about 1% of a core on an idle
// dashboard. Every change of the view comes from a message the model
// handles, so a frame is only due shortly after an Update. The pacer keeps
// the ticker at the frame rate while messages arrive and slows it once none
// has come for a while; the next message brings the frame rate back before
// its view is drawn, so no frame waits longer than it did.
//
// The ticker is a private field of tea.Program; no option reaches it (the
// upstream change that would make this unnecessary is not released). When a
// Bubble Tea upgrade renames the field, tickerOf finds nothing and the
// program runs at its fixed rate as before; TestPacerFindsTicker fails then.

const (
	// paceFast is Bubble Tea's default frame interval (60 fps).
	paceFast = time.Second / 60
	// paceSettle is how long after the last message frames stay at paceFast:
	// long enough for the frame of that message and any terminal query
	// written with it to be flushed.
	paceSettle = 250 * time.Millisecond
	// paceSlow is the interval while idle. Bubble Tea also writes its own
	// queued output (terminal queries, window title) on a tick; one a second
	// bounds how late that can be.
	paceSlow = time.Second
	// pullDelay is how soon after a new view the pacer has the next tick
	// come: long enough for Bubble Tea to hand the view to its renderer
	// (microseconds), short against a frame interval.
	pullDelay = time.Millisecond
)

// pacer switches a program's frame ticker between paceFast and paceSlow.
type pacer struct {
	prog *tea.Program

	mu     sync.Mutex
	ticker *time.Ticker // nil until found, or when Bubble Tea has no such field
	looked bool
	fast   bool
	last   time.Time   // the last message
	settle *time.Timer // slows the ticker paceSettle after the last message
	pulled time.Time   // the last tick brought forward by drawn

	settled func() // called when the ticker is first slowed (the interface has settled); may be nil
}

// kick is called for every message, on Bubble Tea's event loop goroutine
// (the one that created the ticker before the model's Init).
func (p *pacer) kick() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.find()
	if p.ticker == nil {
		return
	}
	p.last = time.Now()
	if !p.fast {
		p.ticker.Reset(paceFast)
		p.fast = true
	}
	if p.settle == nil {
		p.settle = time.AfterFunc(paceSettle, p.idle)
	} else {
		p.settle.Reset(paceSettle)
	}
}

// find looks for the program's ticker once; p.mu is held.
func (p *pacer) find() {
	if !p.looked {
		p.looked = true
		p.ticker = tickerOf(p.prog)
		p.fast = true // Bubble Tea starts it at its frame rate
		if p.ticker == nil && p.settled != nil {
			p.settled() // the pacer will never see the interface settle
			p.settled = nil
		}
	}
}

// drawn is called when the model has made a new view, on the event loop,
// just before Bubble Tea hands it to the renderer, which writes it at the
// next tick: up to a frame interval later (16.7 ms), between a key and its
// frame and, at start, between the first view and the first frame. drawn
// brings that tick forward to pullDelay from now, at most once a frame
// interval, and then puts the ticker back on its cadence.
func (p *pacer) drawn() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.find()
	if p.ticker == nil {
		return
	}
	now := time.Now()
	if now.Sub(p.pulled) < paceFast {
		return
	}
	p.pulled = now
	p.ticker.Reset(pullDelay)
	time.AfterFunc(3*pullDelay, p.recadence)
}

// recadence puts the ticker back on its interval after drawn brought a tick
// forward.
func (p *pacer) recadence() {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case p.ticker == nil:
	case p.fast:
		p.ticker.Reset(paceFast)
	default:
		p.ticker.Reset(paceSlow)
	}
}

// idle slows the ticker unless a message came in the meantime.
func (p *pacer) idle() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if wait := paceSettle - time.Since(p.last); wait > 0 {
		p.settle.Reset(wait)
		return
	}
	if p.fast && p.ticker != nil {
		p.ticker.Reset(paceSlow)
		p.fast = false
	}
	if p.settled != nil {
		p.settled()
		p.settled = nil
	}
}

// stop releases the settle timer when the program ends.
func (p *pacer) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.settle != nil {
		p.settle.Stop()
	}
	p.ticker = nil // Bubble Tea stopped it; a recadence left to come must not start it again
}

// tickerOf is the frame ticker of a running program, or nil.
func tickerOf(prog *tea.Program) *time.Ticker {
	v := reflect.ValueOf(prog).Elem().FieldByName("ticker")
	if !v.IsValid() || v.Type() != reflect.TypeFor[*time.Ticker]() {
		return nil
	}
	return *(**time.Ticker)(unsafe.Pointer(v.UnsafeAddr()))
}

// pacedModel hands every message to the pacer before the model, and tells it
// of every view.
type pacedModel struct {
	tea.Model
	pace *pacer
}

func (m pacedModel) Init() tea.Cmd {
	m.pace.kick()
	return m.Model.Init()
}

func (m pacedModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m.pace.kick()
	var cmd tea.Cmd
	m.Model, cmd = m.Model.Update(msg)
	return m, cmd
}

// View is called for the view after each message; the pacer has it written
// at once rather than at the next tick.
func (m pacedModel) View() tea.View {
	v := m.Model.View()
	m.pace.drawn()
	return v
}
