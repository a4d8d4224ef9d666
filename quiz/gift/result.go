package gift

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"hocso/quiz"
)

// Result is what an import produced: the questions hocso can use, the ones it
// left out and what the trainer should check before publishing.
type Result struct {
	// Questions are the imported questions in file order, with unique ids.
	Questions []quiz.Question
	// Origins[i] says where Questions[i] came from.
	Origins []Origin
	// Skipped lists questions the file holds that hocso does not import.
	Skipped []Skipped
	// Warnings are changes made while importing that the trainer should check.
	Warnings []Warning
}

// Origin is where an imported question came from in its source file.
type Origin struct {
	Line     int      `json:"line"`               // line the question starts on
	Title    string   `json:"title,omitempty"`    // the ::title:: as written, or ""
	Category string   `json:"category,omitempty"` // the $CATEGORY: in force, or ""
	Tags     []string `json:"tags,omitempty"`     // Moodle's [tag:…] comments above the question
}

// SkipReason says why a question in the file was not imported.
type SkipReason string

// Reasons for skipping a question.
const (
	SkipEssay       SkipReason = "essay"       // a free-text answer that a person grades
	SkipDescription SkipReason = "description" // text with no answer at all
)

// Skipped is a question in the file that hocso does not import.
type Skipped struct {
	File   string     `json:"file"`
	Line   int        `json:"line"`
	Title  string     `json:"title,omitempty"`
	Reason SkipReason `json:"reason"`
}

func (s Skipped) String() string {
	what := "essay question (hocso cannot grade free-text answers)"
	if s.Reason == SkipDescription {
		what = "description (text without an answer)"
	}
	if s.Title != "" {
		return fmt.Sprintf("%s:%d: skipped %q: %s", s.File, s.Line, s.Title, what)
	}
	return fmt.Sprintf("%s:%d: skipped %s", s.File, s.Line, what)
}

// Warning is something imported with a change: content hocso has no place for,
// or a guess about what the author meant. ID names a message in hocso's
// locales and Data fills its template, so the trainer reads the warning in
// their own language; a Data with an int Count is a plural message.
type Warning struct {
	File string         `json:"file"`
	Line int            `json:"line"`
	ID   string         `json:"id"`
	Data map[string]any `json:"data,omitempty"`
}

// String is the warning for logs and tests: "file:line: ID Key=value…".
func (w Warning) String() string { return where(w.File, w.Line) + describe(w.ID, w.Data) }

// Error is a problem in the file that kept a question, or the whole file, from
// importing. Its message, named by ID and filled by Data as in Warning, says
// what is wrong and what to do about it.
type Error struct {
	File string         `json:"file"`
	Line int            `json:"line"`
	ID   string         `json:"id"`
	Data map[string]any `json:"data,omitempty"`
}

func (e *Error) Error() string { return where(e.File, e.Line) + describe(e.ID, e.Data) }

func where(file string, line int) string { return fmt.Sprintf("%s:%d: ", file, line) }

// describe writes a message without its text, for people who read logs:
// the id, then the data with keys in order and strings quoted.
func describe(id string, data map[string]any) string {
	var b strings.Builder
	b.WriteString(id)
	for _, k := range slices.Sorted(maps.Keys(data)) {
		if s, ok := data[k].(string); ok {
			fmt.Fprintf(&b, " %s=%q", k, s)
		} else {
			fmt.Fprintf(&b, " %s=%v", k, data[k])
		}
	}
	return b.String()
}

// ErrorList is every Error found in one file, in line order.
type ErrorList []*Error

func (l ErrorList) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap lets errors.As find each Error.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// report collects the problems of one file while it is parsed.
type report struct {
	file   string
	res    *Result
	errors ErrorList
	warned map[string]bool // Warning.String of each warning given
}

// warn adds a warning, once: the same message on the same line says nothing new.
func (r *report) warn(line int, id string, data map[string]any) {
	w := Warning{File: r.file, Line: line, ID: id, Data: data}
	key := w.String()
	if r.warned[key] {
		return
	}
	if r.warned == nil {
		r.warned = map[string]bool{}
	}
	r.warned[key] = true
	r.res.Warnings = append(r.res.Warnings, w)
}

// fail records an error that keeps a question from importing.
func (r *report) fail(line int, id string, data map[string]any) {
	r.errors = append(r.errors, &Error{File: r.file, Line: line, ID: id, Data: data})
}

// done returns the result, with the errors if there were any. Questions that
// parsed are returned even then, so a caller can show everything at once.
func (r *report) done() (*Result, error) {
	if len(r.errors) > 0 {
		return r.res, r.errors
	}
	return r.res, nil
}
