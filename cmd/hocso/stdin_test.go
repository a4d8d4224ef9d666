package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hocso/lessons"
)

// TestRedirectedInputIsRefusedOrServedPlainly runs the real binary with
// input from a pipe and from /dev/null, and output to a pipe: the
// full-screen interface refuses at once with a message in the user's
// language (no hang, no escape sequence, no raw error, no database made),
// and accessible mode works with the piped answers.
func TestRedirectedInputIsRefusedOrServedPlainly(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "hocso.db")
	run := func(stdin *os.File, input string, args ...string) (int, string, string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, append([]string{"--db", db}, args...)...)
		cmd.Env = append(os.Environ(), "HOCSO_LANG=vi")
		if stdin != nil {
			cmd.Stdin = stdin
		} else {
			cmd.Stdin = strings.NewReader(input)
		}
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		if ctx.Err() != nil {
			t.Fatalf("hocso %v hung with redirected input:\n%s", args, out.String())
		}
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
		return code, out.String(), errOut.String()
	}
	devNull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer devNull.Close()
	for name, stdin := range map[string]*os.File{"a pipe": nil, "/dev/null": devNull} {
		code, out, errOut := run(stdin, "x\n")
		if code != 1 || out != "" || !strings.Contains(errOut, "cần chạy trong cửa sổ dòng lệnh") ||
			!strings.Contains(errOut, "hocso --accessible") || strings.Contains(errOut, "epoll") || strings.Contains(errOut, "\x1b") {
			t.Errorf("input from %s: exit %d\nstdout %q\nstderr %q", name, code, out, errOut)
		}
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("a refused start created the database")
	}

	code, out, errOut := run(nil, "Nguyễn Thị Lan\n\nHà Nội / Phường Ba Đình\n\n", "--accessible")
	if code != 0 || !strings.Contains(out, "Nguyễn Thị Lan") || !strings.Contains(out, "Mọi kết quả học tập đều đã được lưu") ||
		lessons.HasUnsafe(out) {
		t.Errorf("accessible mode with piped input: exit %d\n%s\n%s", code, out, errOut)
	}
}
