// Package tmuxlater keeps lipgloss from asking tmux for its colours before
// hocso's main starts, so that the question can be asked beside the start-up
// work instead of before it.
//
// lipgloss v2 sets lipgloss.Writer in its package initialisation with
// colorprofile.NewWriter, which inside tmux (TMUX set, no COLORTERM=truecolor,
// no NO_COLOR) runs `tmux info` and waits for it: an external process, about
// 12 ms of every start of every command here, spent before main and in
// series with everything else. A Go program initialises its packages one at a
// time, each after the packages it imports, choosing among those ready the
// first by import path (the Go specification, "Package initialization", since
// Go 1.21). This package imports only syscall, and "hocso/…" sorts before
// "os/exec", which colorprofile imports: it is initialised before colorprofile
// and lipgloss, and hides TMUX from the environment for their initialisation.
// Restore, the first thing main does, puts TMUX back; the full-screen
// interface then detects the colour profile again in a goroutine while it
// opens the database, and waits for the answer before the first frame. Other
// commands keep the profile lipgloss found without tmux's answer: inside
// tmux, at most 256 colours where tmux would have allowed true colour.
//
// TestTmuxAskedBesideStartUp (in package main) fails if lipgloss runs `tmux
// info` before main again, whatever the reason.
package tmuxlater

import "syscall"

var tmux string // the TMUX hidden at initialisation, "" when none was

func init() {
	if v, ok := syscall.Getenv("TMUX"); ok && v != "" {
		tmux = v
		syscall.Unsetenv("TMUX")
	}
}

// Restore puts back the TMUX variable hidden at initialisation and reports
// whether one was: then lipgloss.Writer's colour profile was detected without
// asking tmux, and should be detected again. Later calls do nothing.
func Restore() (hidden bool) {
	if tmux == "" {
		return false
	}
	syscall.Setenv("TMUX", tmux)
	tmux = ""
	return true
}
