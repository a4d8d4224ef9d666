package lessons

import (
	"errors"
	"strings"

	"github.com/BurntSushi/toml"
)

// A TOML parser spends time and memory that grow with the square of how deep
// a key sits: a 46 KB table nested 10,000 levels deep costs gigabytes. Every
// TOML file of a pack is therefore scanned first, in one pass and constant
// memory, for what no pack needs: lines longer than MaxLineBytes, dotted keys
// of more than MaxTOMLKeyParts parts, keys or values nested deeper than
// MaxTOMLDepth (table header parts + key parts + arrays and inline tables),
// and more than MaxTOMLKeys keys and tables, since the parser keeps a few
// hundred bytes for each part of each key. Only a file within the limits
// reaches the parser: measured, the worst such file costs about 100 MB.

// tomlLimitError says which limit a TOML text breaks and on which line.
type tomlLimitError struct {
	Line  int
	ID    string // message id: ProblemTOMLLine, ProblemTOMLKeyParts, ProblemTOMLDepth, ProblemTOMLKeys
	Limit int
}

func (e *tomlLimitError) Error() string { return e.ID }

// tomlScanner walks TOML text token by token. It understands exactly as much
// TOML as the limits need: strings and comments (so that brackets and dots in
// them do not count), table headers, dotted keys and nesting. On text that is
// not TOML it may count too much, never too little for what a parser accepts.
type tomlScanner struct {
	text      string
	lim       Limits
	i         int
	line      int
	lineStart int
	atLine    bool  // nothing but blanks since the last newline (or the start)
	stack     []int // depth of each open array or inline table
	header    int   // key parts of the current [table] header
	run       int   // parts of the dotted name being read
	runDot    bool  // the last token of the run was a dot
	pending   int   // parts of the key just assigned, for the container that follows
	inHeader  bool
	keys      int // keys assigned and tables opened
}

// checkTOMLLimits scans text and returns the first limit it breaks, or nil.
func checkTOMLLimits(text string, lim Limits) *tomlLimitError {
	s := &tomlScanner{text: text, lim: lim, line: 1, atLine: true}
	return s.scan()
}

func (s *tomlScanner) fail(id string, limit int) *tomlLimitError {
	return &tomlLimitError{Line: s.line, ID: id, Limit: limit}
}

func (s *tomlScanner) depth() int {
	if len(s.stack) == 0 {
		return s.header
	}
	return s.stack[len(s.stack)-1]
}

func (s *tomlScanner) scan() *tomlLimitError {
	for s.i < len(s.text) {
		c := s.text[s.i]
		switch {
		case c == '\n':
			if err := s.newline(); err != nil {
				return err
			}
			s.endRun()
			s.pending = 0
			s.i++
			continue
		case c == ' ' || c == '\t' || c == '\r':
			s.i++
			continue
		case c == '#':
			s.skipTo('\n')
			continue
		case c == '"' || c == '\'':
			if err := s.skipString(); err != nil {
				return err
			}
			if err := s.part(); err != nil {
				return err
			}
		case c == '.':
			s.runDot = true
			s.i++
		case c == '=':
			if s.run > 0 && !s.inHeader {
				if d := s.depth() + s.run; d > s.lim.MaxTOMLDepth {
					return s.fail("ProblemTOMLDepth", s.lim.MaxTOMLDepth)
				}
				s.pending = s.run
				if err := s.key(); err != nil {
					return err
				}
			}
			s.endRun()
			s.i++
		case c == '[' && s.atLine && len(s.stack) == 0:
			s.inHeader, s.header = true, 0
			s.i++
			if s.i < len(s.text) && s.text[s.i] == '[' {
				s.i++
			}
		case c == ']' && s.inHeader:
			if s.run > s.lim.MaxTOMLDepth {
				return s.fail("ProblemTOMLDepth", s.lim.MaxTOMLDepth)
			}
			if err := s.key(); err != nil {
				return err
			}
			s.header, s.inHeader = s.run, false
			s.endRun()
			s.i++
			if s.i < len(s.text) && s.text[s.i] == ']' {
				s.i++
			}
		case c == '[' || c == '{':
			d := s.depth() + s.pending + 1
			if d > s.lim.MaxTOMLDepth || len(s.stack) >= s.lim.MaxTOMLDepth {
				return s.fail("ProblemTOMLDepth", s.lim.MaxTOMLDepth)
			}
			s.stack = append(s.stack, d)
			s.endRun()
			s.pending = 0
			s.i++
		case c == ']' || c == '}':
			if len(s.stack) > 0 {
				s.stack = s.stack[:len(s.stack)-1]
			}
			s.endRun()
			s.i++
		case c == ',':
			s.endRun()
			s.pending = 0
			s.i++
		default:
			s.skipWord()
			if err := s.part(); err != nil {
				return err
			}
		}
		s.atLine = false
	}
	return s.newline()
}

// key counts one more key or table.
func (s *tomlScanner) key() *tomlLimitError {
	if s.keys++; s.keys > s.lim.MaxTOMLKeys {
		return s.fail("ProblemTOMLKeys", s.lim.MaxTOMLKeys)
	}
	return nil
}

// newline checks the length of the line that ends at s.i and starts the next.
func (s *tomlScanner) newline() *tomlLimitError {
	if s.i-s.lineStart > s.lim.MaxLineBytes {
		return s.fail("ProblemTOMLLine", s.lim.MaxLineBytes)
	}
	s.line++
	s.lineStart = s.i + 1
	s.atLine = true
	return nil
}

// part counts one more name in a dotted run: "a", "a.b", `"x".'y'`. A name
// that does not follow a dot starts a new run.
func (s *tomlScanner) part() *tomlLimitError {
	if s.run > 0 && !s.runDot {
		s.run = 0
	}
	s.run++
	s.runDot = false
	if s.run > s.lim.MaxTOMLKeyParts {
		return s.fail("ProblemTOMLKeyParts", s.lim.MaxTOMLKeyParts)
	}
	return nil
}

func (s *tomlScanner) endRun() { s.run, s.runDot = 0, false }

// skipWord passes a bare key or a bare value (number, date, true).
func (s *tomlScanner) skipWord() {
	start := s.i
	for s.i < len(s.text) && !strings.ContainsRune(" \t\r\n#\"'.=[]{},", rune(s.text[s.i])) {
		s.i++
	}
	if s.i == start {
		s.i++ // a byte TOML has no use for: let the parser report it
	}
}

func (s *tomlScanner) skipTo(c byte) {
	if j := strings.IndexByte(s.text[s.i:], c); j >= 0 {
		s.i += j
	} else {
		s.i = len(s.text)
	}
}

// skipString passes a basic, literal or multi-line string, counting the
// lines a multi-line string spans.
func (s *tomlScanner) skipString() *tomlLimitError {
	q := s.text[s.i]
	delim := string([]byte{q, q, q})
	if strings.HasPrefix(s.text[s.i:], delim) {
		s.i += 3
		for s.i < len(s.text) {
			switch c := s.text[s.i]; {
			case c == '\\' && q == '"':
				s.i++ // the escaped byte is skipped below, unless it ends the line
				if s.i < len(s.text) && s.text[s.i] != '\n' {
					s.i++
				}
				continue
			case c == '\n':
				if err := s.newline(); err != nil {
					return err
				}
			case strings.HasPrefix(s.text[s.i:], delim):
				s.i += 3
				for n := 0; n < 2 && s.i < len(s.text) && s.text[s.i] == q; n++ {
					s.i++ // up to two quotes may end the string's content
				}
				return nil
			}
			s.i++
		}
		return nil
	}
	for s.i++; s.i < len(s.text); s.i++ {
		switch c := s.text[s.i]; {
		case c == '\\' && q == '"':
			if s.i+1 < len(s.text) && s.text[s.i+1] != '\n' {
				s.i++
			}
		case c == q:
			s.i++
			return nil
		case c == '\n':
			return nil // unterminated: the parser says so
		}
	}
	return nil
}

// CheckTOMLLimits returns the first of the default limits that a TOML text
// breaks, as a problem with its line (File left empty), or nil: what a pack
// file must pass before it is parsed.
func CheckTOMLLimits(text string) *Problem {
	err := checkTOMLLimits(text, DefaultLimits())
	if err == nil {
		return nil
	}
	p := tomlError("", text, err)
	return &p
}

// decodeTOMLLimited checks text against the limits, then decodes it into v.
// A broken limit comes back as a *tomlLimitError; a syntax error as the
// parser's toml.ParseError.
func decodeTOMLLimited(text string, v any, lim Limits) (toml.MetaData, error) {
	if err := checkTOMLLimits(text, lim); err != nil {
		return toml.MetaData{}, err
	}
	if decodeTOMLFast(text, v) {
		return toml.MetaData{}, nil // no metadata: nothing undecoded
	}
	return toml.Decode(text, v)
}

// tomlError turns an error of decodeTOMLLimited on text into a problem of
// file: a broken limit, or what the parser said (see tomlProblem).
func tomlError(file, text string, err error) Problem {
	var le *tomlLimitError
	if !errors.As(err, &le) {
		return tomlProblem(file, text, err)
	}
	limit := le.Limit
	if le.ID == "ProblemTOMLLine" {
		limit = max(1, limit>>10) // in KiB
	}
	return Problem{File: file, Line: le.Line, ID: le.ID, Data: map[string]any{"Limit": limit}}
}
