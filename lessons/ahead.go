package lessons

import (
	"path"
	"runtime"
	"strings"
	"unicode/utf8"

	"hocso/quiz"
)

// Decoding the quiz files is most of loading a big pack, and each depends on
// nothing else: while the loader works through one module, the quiz files of
// the next are read, cleaned and decoded on the other cores. A file is read
// once: the loader takes the cleaned text from the result, and reports for
// it what readText would have (only a file read and cleaned without error
// is taken ahead; the loader reads any other itself). Only the fast path of
// decoding is taken ahead, so problems, their order and the pack are those of
// a load in one goroutine.

// decodedQuiz is a quiz file read and decoded ahead.
type decodedQuiz struct {
	text          string     // the cleaned text, as readText returns it
	sanitisedLine int        // > 0: Clean changed the text, first at this line (readText's warning)
	z             *quiz.Quiz // nil: the fast path refused the text
	changed       bool       // a decoded string was cleaned
}

// noQuizzesAhead turns decoding ahead off, for tests that compare.
var noQuizzesAhead = false

// quizzesAhead hands out, in module order, the quiz files decoded ahead.
type quizzesAhead struct {
	results map[string]chan *decodedQuiz // by file; nil for a file not decoded
	taken   map[string]bool
	window  chan struct{} // one token per result decoded and not yet taken
}

// startQuizzesAhead starts decoding the quiz file of each of dirs, in order,
// at most a few ahead of the loader. It does nothing on one core, or when
// the pack's files cannot be read from several goroutines at once.
func (ld *loader) startQuizzesAhead(dirs []string) *quizzesAhead {
	rec, ok := ld.fsys.(*recordingFS)
	n := runtime.GOMAXPROCS(0)
	if !ok || n < 2 || len(dirs) < 2 || noQuizzesAhead {
		return nil
	}
	qa := &quizzesAhead{results: map[string]chan *decodedQuiz{}, taken: map[string]bool{}, window: make(chan struct{}, n)}
	names := make([]string, len(dirs))
	for i, dir := range dirs {
		names[i] = path.Join(dir, "quiz.toml")
		qa.results[names[i]] = make(chan *decodedQuiz, 1)
	}
	go func() {
		for _, name := range names {
			qa.window <- struct{}{}
			go func() { qa.results[name] <- decodeQuizAhead(rec.files, name) }()
		}
	}()
	return qa
}

// get waits for the quiz file name decoded ahead; nil if it was not.
func (qa *quizzesAhead) get(name string) *decodedQuiz {
	if qa == nil {
		return nil
	}
	c, ok := qa.results[name]
	if !ok || qa.taken[name] {
		return nil
	}
	qa.taken[name] = true
	d := <-c
	<-qa.window
	return d
}

// decodeQuizAhead reads and decodes the quiz file name as readText and
// loadQuiz would on the fast path; nil where readText would report a problem.
func decodeQuizAhead(files *Files, name string) *decodedQuiz {
	b, err := files.bytes(name)
	if err != nil || len(b) > MaxFileSize || !utf8.Valid(b) {
		return nil
	}
	s := strings.TrimPrefix(string(b), "\ufeff")
	d := &decodedQuiz{}
	var changed bool
	if d.text, changed = Clean(s); changed {
		d.sanitisedLine = firstDifferentLine(strings.ReplaceAll(s, "\r\n", "\n"), d.text)
	}
	if checkTOMLLimits(d.text, DefaultLimits()) != nil {
		return d
	}
	if changed || len(d.text) != len(b) { // b is not the text: cleaned, or a BOM left out
		b = []byte(d.text)
	}
	z := &quiz.Quiz{}
	if ok, changed := decodeTOMLBytesFastClean(b, z, true); ok {
		d.z, d.changed = z, changed
	}
	return d
}

// take is readText for a quiz file read ahead as d: the file counts as
// read, and Clean's change, if any, is reported.
func (ld *loader) take(name string, d *decodedQuiz) string {
	ld.fsys.(*recordingFS).opened[name] = true
	ld.hashes[name] = nil // read again for the hash: see content
	if d.sanitisedLine > 0 {
		ld.warn(name, d.sanitisedLine, "", "ProblemSanitised", nil)
	}
	return d.text
}
