package main

import (
	"runtime"
	"strings"
)

// shellArg writes a path or value so that a command hocso suggests can be
// pasted as it stands: plain words go as they are, anything with a space or a
// character the shell reads is quoted as the user's shell wants it (cmd.exe
// and PowerShell take "…"; POSIX shells take '…', which nothing inside opens).
func shellArg(s string) string {
	return quoteFor(runtime.GOOS, s)
}

func quoteFor(goos, s string) string {
	safe := s != "" && strings.IndexFunc(s, func(r rune) bool {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r > 0x7f:
			return false
		}
		return !strings.ContainsRune("-_./:\\+,=@", r) || (r == '\\' && goos != "windows")
	}) < 0
	if safe {
		return s
	}
	if goos == "windows" {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
