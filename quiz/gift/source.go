package gift

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// maxFileSize bounds what an import reads; real question banks are far smaller.
const maxFileSize = 32 << 20

// Private-use runes that stand for GIFT structure inside converted text.
// Input never contains them: cleanLine removes them.
const (
	// blankMark stands for the "_____" of a missing-word question while the
	// text around it is converted, so that conversion cannot mangle it.
	blankMark = '\uE000'
	// hardBreak is a line break written as \n, which the author meant to show,
	// unlike a line the file merely wraps.
	hardBreak = '\uE001'
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// readSource reads a whole text file and returns its lines, checked to be
// UTF-8, without a byte order mark, with any line ending, NFC-normalised and
// without control characters.
func readSource(r io.Reader, name string, rep *report) ([]string, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > maxFileSize {
		return nil, &Error{File: name, Line: 1, ID: "GiftFileTooLarge", Data: map[string]any{"Limit": maxFileSize >> 20}}
	}
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return nil, &Error{File: name, Line: 1, ID: "GiftUTF16"}
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	if err := checkUTF8(data, name); err != nil {
		return nil, err
	}
	text := norm.NFC.String(string(data))
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	lines := strings.Split(text, "\n")
	removed, first := 0, 0
	for i, line := range lines {
		clean, n := cleanLine(line)
		if n > 0 && first == 0 {
			first = i + 1
		}
		removed += n
		lines[i] = clean
	}
	if removed > 0 {
		rep.warn(first, "GiftControlRemoved", map[string]any{"Count": removed})
	}
	return lines, nil
}

// checkUTF8 rejects data that is not UTF-8, naming the line and column of the
// first bad byte. Vietnamese files from old tools are often in TCVN3, VNI or
// Windows-1258, so the message says how to fix that.
func checkUTF8(data []byte, name string) error {
	line, col := 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return &Error{File: name, Line: line, ID: "GiftNotUTF8",
				Data: map[string]any{"Byte": fmt.Sprintf("0x%02X", data[i]), "Column": col}}
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i += size
	}
	return nil
}

// terminalSequence matches ANSI escape sequences (CSI, OSC and two-byte
// ones), which are dropped whole rather than leaving "[31m" behind.
var terminalSequence = lazyRegexp("\x1b\\[[0-?]*[ -/]*[@-~]|\x1b\\][^\x07\x1b]*(\x07|\x1b\\\\)?|\x1b[@-_]|\u009b[0-?]*[ -/]*[@-~]")

// cleanLine drops terminal escape sequences and control characters other
// than tab, which could drive the learner's terminal, and the private-use
// marks. It returns how many it dropped.
func cleanLine(s string) (string, int) {
	if !strings.ContainsFunc(s, dropRune) {
		return s, 0
	}
	n := 0
	s = terminalSequence().ReplaceAllStringFunc(s, func(string) string { n++; return "" })
	return strings.Map(func(r rune) rune {
		if dropRune(r) {
			n++
			return -1
		}
		return r
	}, s), n
}

func dropRune(r rune) bool {
	return r == blankMark || r == hardBreak || (unicode.IsControl(r) && r != '\t' && r != '\n')
}

// cleanText applies the same cleaning to converted text, whose entities may
// have decoded to control characters, and re-normalises it.
func cleanText(s string) string {
	s, _ = cleanLine(s)
	return norm.NFC.String(s)
}
