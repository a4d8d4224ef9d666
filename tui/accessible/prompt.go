package accessible

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"hocso/lessons"
)

// lineReader reads input a line at a time, only when a prompt asks for one,
// so that a cancelled context ends the wait at once and nothing typed ahead
// is consumed by a session that is ending.
type lineReader struct {
	sc      *bufio.Scanner
	pending chan scanned // the read under way, if any
}

type scanned struct {
	line string
	ok   bool
}

func newLineReader(r io.Reader) *lineReader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	return &lineReader{sc: sc}
}

// next waits for a line; the read goes on in the background so the wait can
// end with the context (a terminal read cannot be interrupted). A read left
// running is picked up by the next call.
func (r *lineReader) next(done <-chan struct{}) (string, error) {
	if r.pending == nil {
		ch := make(chan scanned, 1)
		r.pending = ch
		go func() {
			ok := r.sc.Scan()
			ch <- scanned{r.sc.Text(), ok}
		}()
	}
	select {
	case <-done:
		return "", errStop
	case got := <-r.pending:
		r.pending = nil
		if !got.ok {
			return "", errStop
		}
		return got.line, nil
	}
}

// clean makes a typed line safe to store and compare: no escape sequences,
// control or bidirectional characters, NFC (an IME may send decomposed
// Vietnamese), one space between words.
func clean(s string) string { return lessons.CleanLine(s) }

// say prints lines, each on its own (and wrapped when long).
func (s *session) say(lines ...string) {
	for _, l := range lines {
		for _, part := range strings.Split(l, "\n") {
			for _, w := range wrapLine(part) {
				s.write(w + "\n")
			}
		}
	}
}

// write is the one place the session prints: whatever the text holds (a
// name from the database, a pack's words, a typed answer), it passes the
// sanitiser here.
func (s *session) write(text string) {
	if s.err != nil {
		return
	}
	text, _ = lessons.Clean(text)
	_, s.err = io.WriteString(s.out, text)
}

// ask prints a prompt on a line of its own, the answer typed after it, and
// returns the cleaned line.
func (s *session) ask(prompt string) (string, error) {
	s.prompt(prompt)
	if s.err != nil {
		return "", s.err
	}
	line, err := s.in.next(s.ctx.Done())
	if err != nil {
		s.write("\n") // the bye message must not land on the prompt's line
		return "", err
	}
	return clean(line), nil
}

// prompt prints a prompt, wrapped when long, leaving the cursor after it.
func (s *session) prompt(prompt string) {
	lines := wrapLine(prompt)
	s.say(lines[:len(lines)-1]...)
	s.write(lines[len(lines)-1] + " ")
}

// choose lists numbered items under title and returns the index of the one
// picked. An empty answer lists them again.
func (s *session) choose(title string, items []string) (int, error) {
	var headings map[int]string
	if title != "" {
		headings = map[int]string{0: title}
	}
	return s.chooseGrouped(items, headings)
}

// chooseGrouped is choose with headings said before some items (by index),
// numbered on across the groups.
func (s *session) chooseGrouped(items []string, headings map[int]string) (int, error) {
	list := func() {
		for i, it := range items {
			if h, ok := headings[i]; ok {
				s.say(h)
			}
			s.say(fmt.Sprintf("%d. %s", i+1, it))
		}
	}
	list()
	for {
		line, err := s.ask(s.c.T("AccessibleChoose", map[string]any{"Max": len(items)}))
		if err != nil {
			return 0, err
		}
		if line == "" {
			list()
			continue
		}
		if n, ok := number(line, len(items)); ok {
			return n - 1, nil
		}
		s.say(s.c.T("AccessibleChoiceInvalid", map[string]any{"Input": line, "Max": len(items)}))
	}
}

// isQuit is "q", which leaves a lesson or pauses a quiz.
func isQuit(line string) bool { return strings.EqualFold(line, "q") }

// yesNo reads c/có/y/yes and k/không/n/no.
func yesNo(line string) (yes, ok bool) {
	switch strings.ToLower(strings.TrimRight(line, ".!")) {
	case "c", "có", "co", "y", "yes":
		return true, true
	case "k", "không", "khong", "n", "no":
		return false, true
	}
	return false, false
}

// number reads a choice from 1 to max; "3." and "3)" read as 3.
func number(s string, max int) (int, bool) {
	s = strings.TrimRight(strings.TrimSpace(s), ".)")
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > max {
		return 0, false
	}
	return n, true
}

// numbers reads choices separated by spaces, commas or semicolons; bad is
// the first item that is not a number from 1 to max.
func numbers(s string, max int) (ns []int, bad string) {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || unicode.IsSpace(r) })
	for _, f := range fields {
		n, ok := number(f, max)
		if !ok {
			return nil, f
		}
		ns = append(ns, n)
	}
	return ns, ""
}
