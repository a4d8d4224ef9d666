// Command hocso trains Vietnamese civil servants in digital skills, offline.
// This package is the only place that wires the other packages together.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"hocso/cmd/hocso/internal/tmuxlater"
)

func main() {
	askTmuxLater = tmuxlater.Restore()
	// Closing the terminal window (SIGHUP; on Windows the console's close
	// arrives as SIGTERM) ends hocso as q does: the database is closed
	// cleanly, so the next start has no log to recover and nothing to check.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// exitError carries a message already written for a person and the exit code.
type exitError struct {
	msg  string
	code int
}

func (e *exitError) Error() string { return e.msg }

func fail(msg string) error { return &exitError{msg: msg, code: 1} }
