//go:build !unix

package lessons

import "errors"

func mkfifo(string) error { return errors.New("no FIFOs on this system") }
