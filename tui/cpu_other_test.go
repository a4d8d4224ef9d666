//go:build !unix

package tui

import "time"

// cpuNow is not measured here: the benchmarks then report no CPU time.
func cpuNow() time.Duration { return 0 }
