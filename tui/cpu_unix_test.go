//go:build unix

package tui

import (
	"syscall"
	"time"
)

// cpuNow is the CPU time the process has used so far, user and system, in
// every thread.
func cpuNow() time.Duration {
	var r syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &r) != nil {
		return 0
	}
	return time.Duration(r.Utime.Nano() + r.Stime.Nano())
}
