package lessons

import (
	"fmt"
	"sort"
	"strings"
)

// Problem is one thing wrong (or, with Warning, worth a look) in a pack, with
// where it is. ID names a message in hocso's locales and Data fills it, so the
// trainer reads the problem in their own language.
//
// Line is 0 when the problem is about the file as a whole (a missing file, a
// folder); Col is 0 when no column says more than the line.
type Problem struct {
	File    string         `json:"file"`
	Line    int            `json:"line"`
	Col     int            `json:"col,omitempty"`
	Field   string         `json:"field,omitempty"`
	ID      string         `json:"id"`
	Data    map[string]any `json:"data,omitempty"`
	Warning bool           `json:"warning,omitempty"`
	// Detail is what a library said, in its own words, for bug reports; the
	// message named by ID is what a person reads.
	Detail string `json:"detail,omitempty"`
}

// Word is a Problem data value that is itself a message id ("TomlKind_boolean"),
// to be put in the reader's language before it fills the message.
type Word string

// Where is "file:line:col: field" with the parts that are known.
func (p Problem) Where() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
		if p.Col > 0 {
			fmt.Fprintf(&b, ":%d", p.Col)
		}
	}
	if p.Field != "" {
		b.WriteString(": " + p.Field)
	}
	return b.String()
}

func (p Problem) String() string {
	return fmt.Sprintf("%s: %s %v", p.Where(), p.ID, p.Data)
}

// Problems is every problem found in a pack.
type Problems []Problem

// Errors returns the problems that prevent installing the pack.
func (ps Problems) Errors() Problems {
	var out Problems
	for _, p := range ps {
		if !p.Warning {
			out = append(out, p)
		}
	}
	return out
}

// Err is nil when no problem is an error, else an error listing them.
func (ps Problems) Err() error {
	errs := ps.Errors()
	if len(errs) == 0 {
		return nil
	}
	return &InvalidError{Problems: errs}
}

func (ps Problems) sorted() Problems {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].File != ps[j].File {
			return ps[i].File < ps[j].File
		}
		return ps[i].Line < ps[j].Line
	})
	return ps
}

// InvalidError is a pack that cannot be used, with the reasons.
type InvalidError struct{ Problems Problems }

func (e *InvalidError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "invalid pack (%d problems)", len(e.Problems))
	for i, p := range e.Problems {
		if i == 5 {
			b.WriteString("; …")
			break
		}
		b.WriteString("; " + p.String())
	}
	return b.String()
}
