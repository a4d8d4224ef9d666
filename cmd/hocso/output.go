package main

import (
	"io"
	"unicode/utf8"

	"hocso/lessons"
)

// cleanWriter is the edge where the command line prints: everything written
// through it passes lessons.Clean, so no value from a database, a pack, a
// bundle or a person can reach the terminal as an escape sequence or a
// bidirectional control, whichever command prints it and however (tables,
// messages, JSON, help). Only the full-screen interface writes to the
// terminal directly; it cleans what it shows itself.
type cleanWriter struct {
	w    io.Writer
	tail []byte // the start of a character split between two writes
}

func newCleanWriter(w io.Writer) *cleanWriter { return &cleanWriter{w: w} }

func (c *cleanWriter) Write(p []byte) (int, error) {
	b := append(c.tail, p...)
	c.tail = nil
	if cut := incompleteTail(b); cut > 0 {
		c.tail = append([]byte(nil), b[len(b)-cut:]...)
		b = b[:len(b)-cut]
	}
	clean, _ := lessons.Clean(string(b))
	if _, err := io.WriteString(c.w, clean); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes a character left incomplete by the last write.
func (c *cleanWriter) Flush() error {
	if len(c.tail) == 0 {
		return nil
	}
	clean, _ := lessons.Clean(string(c.tail))
	c.tail = nil
	_, err := io.WriteString(c.w, clean)
	return err
}

// incompleteTail is how many bytes at the end of b begin a UTF-8 character
// that the next write completes.
func incompleteTail(b []byte) int {
	for n := 1; n <= min(utf8.UTFMax-1, len(b)); n++ {
		if utf8.RuneStart(b[len(b)-n]) {
			if !utf8.FullRune(b[len(b)-n:]) {
				return n
			}
			return 0
		}
	}
	return 0
}
