//go:build !windows

package store

import "syscall"

// diskFullErrnos are the system errors that mean "no space left".
var diskFullErrnos = []error{syscall.ENOSPC, syscall.EDQUOT}
