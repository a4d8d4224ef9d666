package lessons

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// TOML decoding keeps no positions, so problems found after decoding are
// placed by looking for the key in the text: good enough to send the trainer
// to the right line, which is what the line is for.

// firstInvalidLine is the 1-based line of the first byte that is not UTF-8.
func firstInvalidLine(b []byte) int {
	line := 1
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size <= 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		b = b[size:]
	}
	return line
}

// firstDifferentLine is the 1-based line where a and b first differ.
func firstDifferentLine(a, b string) int {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range la {
		if i >= len(lb) || la[i] != lb[i] {
			return i + 1
		}
	}
	return len(la)
}

// lineOfKey is the 1-based line where key is first assigned or opened as a table, or 0.
func lineOfKey(text, key string) int {
	return lineOfKeyFrom(strings.Split(text, "\n"), 0, len(strings.Split(text, "\n")), key)
}

func lineOfKeyFrom(lines []string, from, to int, key string) int {
	for i := from; i < to && i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		if rest, ok := strings.CutPrefix(t, key); ok {
			rest = strings.TrimSpace(rest)
			if strings.HasPrefix(rest, "=") || strings.HasPrefix(rest, ".") {
				return i + 1
			}
		}
		if t == "["+key+"]" || t == "[["+key+"]]" {
			return i + 1
		}
	}
	return 0
}

// questionFieldLine finds the line of a field of the question with the given
// id in a quiz.toml: the question's own `id = "…"` line, then within that
// question the n-th [[question.option]] (or pair, item) for "option[n]…".
func questionFieldLine(text, questionID, field string) int {
	lines := strings.Split(text, "\n")
	start, end := -1, len(lines)
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if t == "[[question]]" {
			if start >= 0 {
				end = i
				break
			}
			continue
		}
		if start < 0 && strings.HasPrefix(t, "id") && strings.Contains(t, strconv.Quote(questionID)) {
			start = i
			// back up to the [[question]] header so that fields above id are found
			for start > 0 && strings.TrimSpace(lines[start]) != "[[question]]" {
				start--
			}
		}
	}
	if start < 0 {
		return 0
	}
	head, _, _ := strings.Cut(field, ".")
	name, index, isIndexed := strings.Cut(head, "[")
	if isIndexed {
		n, _ := strconv.Atoi(strings.TrimSuffix(index, "]"))
		count := 0
		for i := start; i < end; i++ {
			if strings.TrimSpace(lines[i]) == "[[question."+name+"]]" {
				count++
				if count == n {
					return i + 1
				}
			}
		}
	}
	if l := lineOfKeyFrom(lines, start+1, end, name); l > 0 {
		return l
	}
	for i := start; i < end; i++ {
		if strings.TrimSpace(lines[i]) == "[[question."+name+"]]" {
			return i + 1
		}
	}
	return start + 1
}
