package lessons

import (
	"path"
	"reflect"
	"runtime"
	"strings"
	"unicode/utf8"

	"hocso/quiz"
)

// Decoding the quiz files is most of loading a big pack, and each depends on
// nothing else: while the loader works through one module, the quiz files of
// the next are decoded on the other cores. Only the fast path is taken
// ahead, and its result is used only for the very text the loader then reads
// and cleans itself, so problems, their order and the pack are those of a
// load in one goroutine.

// decodedQuiz is a quiz file decoded ahead.
type decodedQuiz struct {
	text    string // the cleaned text it was decoded from
	z       *quiz.Quiz
	changed bool // cleanStrings changed a decoded string
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

// decodeQuizAhead reads and decodes the quiz file name as loadQuiz would on
// the fast path; nil where loadQuiz would take any other.
func decodeQuizAhead(files *Files, name string) *decodedQuiz {
	b, err := files.bytes(name)
	if err != nil || len(b) > MaxFileSize || !utf8.Valid(b) {
		return nil
	}
	text, _ := Clean(strings.TrimPrefix(string(b), "\ufeff"))
	if checkTOMLLimits(text, DefaultLimits()) != nil {
		return nil
	}
	z := &quiz.Quiz{}
	if !decodeTOMLFast(text, z) {
		return nil
	}
	return &decodedQuiz{text: text, z: z, changed: cleanStrings(reflect.ValueOf(z))}
}
