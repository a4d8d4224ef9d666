package store

import "syscall"

// diskFullErrnos are the system errors that mean "no space left".
var diskFullErrnos = []error{
	syscall.Errno(112), // ERROR_DISK_FULL
	syscall.Errno(39),  // ERROR_HANDLE_DISK_FULL
}
