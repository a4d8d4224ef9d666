package lessons

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"hocso/quiz"
)

// MaxFileSize is the largest file a pack may hold.
const MaxFileSize = 2 << 20

var (
	idPattern     = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)
	semverPattern = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`)
	lessonFile    = regexp.MustCompile(`^(.+)\.([a-z]{2,3})\.md$`)
)

// loader carries what one Load has read so far.
type loader struct {
	fsys     fs.FS
	problems Problems
	hashes   map[string][]byte
	shown    map[string]int  // problems reported per file
	hidden   map[string]int  // problems past the limits, per file
	hiddenEr map[string]bool // whether one of those is an error
	// broken holds the files that exist but could not be decoded: checks
	// that depend on them keep quiet rather than report a second, false error.
	broken map[string]bool
	// seen maps a kind and id to the file that first used it (checkIDs).
	seen map[idKey]string
	// each, when set, is handed every module once loaded and checked, and
	// the module's lessons and quiz are then let go (LoadFilesEach).
	each   func(*Module)
	counts map[string]Counts // what the modules let go held, per language
	ahead  *quizzesAhead     // quiz files decoded on other cores; nil for none
}

// maxProblemsPerFile and maxProblems bound what one Load reports: enough to
// work on, and finding each problem's line stays cheap however broken the
// pack (a file with 50,000 bad questions must not take hours to report).
const (
	maxProblemsPerFile = 20
	maxProblems        = 200
)

func (ld *loader) problem(file string, line int, field, id string, data map[string]any) {
	ld.add(Problem{File: file, Line: line, Field: field, ID: id, Data: data})
}

func (ld *loader) warn(file string, line int, field, id string, data map[string]any) {
	ld.add(Problem{File: file, Line: line, Field: field, ID: id, Data: data, Warning: true})
}

func (ld *loader) add(p Problem) {
	if ld.full(p.File) {
		ld.hidden[p.File]++
		ld.hiddenEr[p.File] = ld.hiddenEr[p.File] || !p.Warning
		return
	}
	ld.shown[p.File]++
	ld.problems = append(ld.problems, p)
}

// full reports whether further problems of file are only counted; callers
// then skip the work of finding their line.
func (ld *loader) full(file string) bool {
	return ld.shown[file] >= maxProblemsPerFile || len(ld.problems) >= maxProblems
}

// finish adds, for each file with problems past the limits, one saying how
// many more there are (an error if one of them is).
func (ld *loader) finish() Problems {
	for _, file := range sortedKeys(ld.hidden) {
		ld.problems = append(ld.problems, Problem{File: file, ID: "ProblemMoreProblems",
			Data: map[string]any{"Count": ld.hidden[file]}, Warning: !ld.hiddenEr[file]})
	}
	return ld.problems.sorted()
}

// Load reads a pack from the root of fsys, sanitises its text and validates
// it. It reports every problem it finds rather than the first; the pack is nil
// only when there is no readable pack.toml. Callers must not use a pack whose
// problems include an error (Problems.Err).
func Load(fsys fs.FS) (*Pack, Problems) { return load(fsys, nil) }

// load is Load, handing each module to each when it is set (see loader.each).
func load(fsys fs.FS, each func(*Module)) (*Pack, Problems) {
	ld := &loader{fsys: fsys, hashes: map[string][]byte{}, broken: map[string]bool{},
		shown: map[string]int{}, hidden: map[string]int{}, hiddenEr: map[string]bool{},
		seen: map[idKey]string{}, each: each}
	p := ld.loadManifest()
	if p == nil {
		return nil, ld.finish()
	}
	ld.loadSources(p)
	ld.loadGlossary(p)
	ld.loadModules(p)
	p.counted = ld.counts
	p.hashed = sortedKeys(ld.hashes)
	p.Hash = contentHash(p.hashed, ld.content)
	return p, ld.finish()
}

// content is a file read before, for the hash and for finding a problem's line.
func (ld *loader) content(name string) []byte {
	if b := ld.hashes[name]; b != nil {
		return b
	}
	b, _ := ld.readBytes(name) // an error leaves a hash that LoadedFrom refuses
	return b
}

// readBytes reads a file of the pack, at most MaxFileSize+1 bytes. Files
// already in memory are shared, not copied: the loader only reads them, and
// a large pack would otherwise be held twice.
func (ld *loader) readBytes(name string) ([]byte, error) {
	if files, ok := ld.fsys.(sharedFS); ok {
		return files.shared(name)
	}
	f, err := ld.fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, MaxFileSize+1))
}

// refusedFS says which files are in the pack but were refused as they were
// read (too large, a link, unreadable), a problem already reported: the
// loader must not report them missing as well.
type refusedFS interface {
	refused(name string) bool
}

// present reports whether the pack has the file name, read or refused.
func (ld *loader) present(name string) bool {
	_, read := ld.hashes[name]
	return read || ld.broken[name]
}

// sharedFS gives the bytes of a file it holds, not a copy, and gives them
// again, the same, when asked again: the loader need not keep them.
type sharedFS interface {
	shared(name string) ([]byte, error)
}

// readText reads a text file of the pack: bounded, valid UTF-8, sanitised.
func (ld *loader) readText(name string) (string, bool) {
	b, err := ld.readBytes(name)
	if errors.Is(err, fs.ErrNotExist) {
		if r, ok := ld.fsys.(refusedFS); ok && r.refused(name) {
			ld.broken[name] = true // reported when it was refused
		}
		return "", false
	}
	if err != nil {
		ld.problem(name, 0, "", "ProblemRead", map[string]any{"Error": err.Error()})
		return "", false
	}
	if len(b) > MaxFileSize {
		ld.problem(name, 0, "", "ProblemFileTooLarge", map[string]any{"Limit": MaxFileSize >> 20})
		return "", false
	}
	ld.hashes[name] = nil // read again for the hash: see content
	if _, ok := ld.fsys.(sharedFS); !ok {
		ld.hashes[name] = b
	}
	if !utf8.Valid(b) {
		ld.problem(name, firstInvalidLine(b), "", "ProblemNotUTF8", nil)
		return "", false
	}
	s := strings.TrimPrefix(string(b), "\ufeff")
	clean, changed := Clean(s)
	if changed {
		ld.warn(name, firstDifferentLine(strings.ReplaceAll(s, "\r\n", "\n"), clean), "", "ProblemSanitised", nil)
	}
	return clean, true
}

// decodeTOML decodes text of file name into v: within the limits (checked
// before parsing), reporting syntax errors and unknown keys, and cleaning
// every decoded string (escapes in TOML strings can encode control codes).
func (ld *loader) decodeTOML(name, text string, v any) bool {
	var md toml.MetaData
	var err error
	if le := checkTOMLLimits(text, DefaultLimits()); le != nil {
		err = le
	} else if ok, changed := decodeTOMLFastClean(text, v, true); ok { // cleaned as stored
		if changed {
			ld.warn(name, 0, "", "ProblemSanitised", nil)
		}
		return true
	} else {
		md, err = toml.Decode(text, v)
	}
	if err != nil {
		ld.add(tomlError(name, text, err))
		ld.broken[name] = true
		return false
	}
	for _, k := range md.Undecoded() {
		line := 0
		if !ld.full(name) {
			line = lineOfKey(text, k[len(k)-1])
		}
		ld.warn(name, line, k.String(), "ProblemUnknownField", nil)
	}
	if cleanStrings(reflect.ValueOf(v)) {
		ld.warn(name, 0, "", "ProblemSanitised", nil)
	}
	return true
}

func (ld *loader) loadManifest() *Pack {
	const name = "pack.toml"
	text, ok := ld.readText(name)
	if !ok {
		if !ld.present(name) {
			ld.problem(name, 0, "", "ProblemNoManifest", nil)
		}
		return nil
	}
	p := &Pack{}
	if !ld.decodeTOML(name, text, p) {
		return nil
	}
	if p.Format > FormatVersion {
		ld.problem(name, lineOfKey(text, "format"), "format", "ProblemNewerFormat",
			map[string]any{"Found": p.Format, "Supported": FormatVersion})
		return nil
	}
	if p.Format < 1 {
		ld.problem(name, lineOfKey(text, "format"), "format", "ProblemMissingField", nil)
	}
	ld.checkID(name, text, "id", p.ID)
	if !semverPattern.MatchString(p.Version) {
		ld.problem(name, lineOfKey(text, "version"), "version", "ProblemVersion", map[string]any{"Value": p.Version})
	}
	p.minHocsoLine = lineOfKey(text, "min_hocso")
	if p.MinHocso != "" && !semverPattern.MatchString(p.MinHocso) {
		ld.problem(name, p.minHocsoLine, "min_hocso", "ProblemVersion", map[string]any{"Value": p.MinHocso})
	}
	if len(p.Languages) == 0 {
		p.Languages = []string{quiz.DefaultLang}
	}
	if !slices.Contains(p.Languages, quiz.DefaultLang) {
		ld.problem(name, lineOfKey(text, "languages"), "languages", "ProblemNeedVietnamese", nil)
	}
	for _, l := range p.Languages {
		if p.Title[l] == "" {
			ld.problem(name, lineOfKey(text, "title"), "title."+l, "ProblemMissingText", map[string]any{"Lang": l})
		}
	}
	return p
}

func (ld *loader) loadSources(p *Pack) {
	text, ok := ld.readText("sources.toml")
	if !ok {
		return
	}
	var f struct {
		Source []Source `toml:"source"`
	}
	if ld.decodeTOML("sources.toml", text, &f) {
		p.Sources = f.Source
	}
}

func (ld *loader) loadGlossary(p *Pack) {
	text, ok := ld.readText("glossary.toml")
	if !ok {
		return
	}
	var f struct {
		Term []Term `toml:"term"`
	}
	if ld.decodeTOML("glossary.toml", text, &f) {
		p.Glossary = f.Term
	}
}

func (ld *loader) loadModules(p *Pack) {
	entries, err := fs.ReadDir(ld.fsys, "modules")
	if err != nil {
		ld.problem("modules", 0, "", "ProblemNoModules", nil)
		return
	}
	var dirs []string
	for _, e := range entries {
		if e.IsDir() {
			dirs = append(dirs, path.Join("modules", e.Name()))
		}
	}
	ld.ahead = ld.startQuizzesAhead(dirs)
	for _, dir := range dirs {
		m := ld.loadModule(p, dir)
		ld.ahead.get(path.Join(dir, "quiz.toml")) // taken, if loadModule did not, so the next can start
		if m != nil {
			// Sources are loaded before modules, and ids are checked against
			// those of the modules before, so each module is checked whole
			// here and need not be kept for checks across the pack.
			ld.checkIDs(m)
			ld.checkCitations(p, m)
			p.Modules = append(p.Modules, m)
			ld.handOver(p, m)
		}
	}
	if len(p.Modules) == 0 {
		ld.problem("modules", 0, "", "ProblemNoModules", nil)
		return
	}
	// A course of optional modules only would count as complete before the
	// learner opens it.
	if !slices.ContainsFunc(p.Modules, (*Module).IsRequired) {
		ld.problem("modules", 0, "required", "ProblemNoRequiredModule", nil)
	}
}

// handOver gives m to ld.each, if set, and lets go of its lessons and quiz,
// counting first what they hold.
func (ld *loader) handOver(p *Pack, m *Module) {
	if ld.each == nil {
		return
	}
	if ld.counts == nil {
		ld.counts = map[string]Counts{}
	}
	for _, lang := range p.Languages {
		ld.counts[lang] = ld.counts[lang].add(m.counts(lang))
	}
	ld.each(m)
	m.Lessons, m.Quiz = nil, nil
}

func (ld *loader) loadModule(p *Pack, dir string) *Module {
	name := path.Join(dir, "module.toml")
	text, ok := ld.readText(name)
	if !ok {
		if !ld.present(name) {
			ld.problem(name, 0, "", "ProblemNoModuleFile", nil)
		}
		return nil
	}
	m := &Module{Dir: dir}
	if !ld.decodeTOML(name, text, m) {
		return nil
	}
	ld.checkID(name, text, "id", m.ID)
	for _, l := range p.Languages {
		if m.Title[l] == "" {
			ld.problem(name, lineOfKey(text, "title"), "title."+l, "ProblemMissingText", map[string]any{"Lang": l})
		}
	}
	switch m.CompleteWhen {
	case "":
		m.CompleteWhen = CompleteWhenBoth
	case CompleteWhenCompleted, CompleteWhenPassed, CompleteWhenBoth:
	default:
		ld.problem(name, lineOfKey(text, "complete_when"), "complete_when", "ProblemOneOf", map[string]any{
			"Value": m.CompleteWhen, "Allowed": CompleteWhenCompleted + ", " + CompleteWhenPassed + ", " + CompleteWhenBoth})
	}
	ld.loadLessons(p, m)
	ld.loadQuiz(p, m)
	if len(m.Lessons) == 0 && m.Quiz == nil && !ld.present(path.Join(dir, "quiz.toml")) {
		ld.problem(name, 0, "", "ProblemEmptyModule", nil)
	}
	if m.Quiz == nil && !ld.present(path.Join(dir, "quiz.toml")) && m.CompleteWhen != CompleteWhenCompleted {
		ld.problem(name, lineOfKey(text, "complete_when"), "complete_when", "ProblemNeedsQuiz", nil)
	}
	return m
}

func (ld *loader) loadQuiz(p *Pack, m *Module) {
	name := path.Join(m.Dir, "quiz.toml")
	var text string
	ahead := ld.ahead.get(name)
	if ahead != nil {
		text = ld.take(name, ahead)
	} else if t, ok := ld.readText(name); ok {
		text = t
	} else {
		return
	}
	z := &quiz.Quiz{}
	if ahead != nil && ahead.z != nil {
		// What decodeTOML does on its fast path, done on another core.
		z = ahead.z
		if ahead.changed {
			ld.warn(name, 0, "", "ProblemSanitised", nil)
		}
	} else if !ld.decodeTOML(name, text, z) {
		return
	}
	ld.checkID(name, text, "id", z.ID)
	if z.Grading == "" {
		z.Grading = quiz.GradeHighest
	}
	if z.Feedback == "" {
		z.Feedback = quiz.FeedbackEnd
	}
	for i := range z.Questions {
		z.Questions[i].Normalize()
	}
	for _, is := range z.Check(p.Languages) {
		line := 0
		switch {
		case ld.full(name):
		case is.Question != "":
			line = questionFieldLine(text, is.Question, is.Field)
		default:
			line = lineOfKey(text, strings.SplitN(is.Field, ".", 2)[0])
		}
		field := is.Field
		if is.Question != "" {
			field = is.Question + "." + field
		}
		ld.problem(name, line, field, is.ID, is.Data)
	}
	for i := range z.Questions {
		q := &z.Questions[i]
		if q.ID != "" && !idPattern.MatchString(q.ID) {
			line := 0
			if !ld.full(name) {
				line = questionFieldLine(text, q.ID, "id")
			}
			ld.problem(name, line, q.ID+".id", "ProblemBadID", map[string]any{"ID": q.ID})
		}
	}
	m.Quiz = z
}

// contentHash digests the files read, in path order, so that the same content
// gives the same hash wherever it was loaded from.
func contentHash(names []string, content func(name string) []byte) string {
	h := sha256.New()
	for _, name := range names {
		b := content(name)
		fmt.Fprintf(h, "%s\x00%d\x00", name, len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// LoadedFrom reports whether files hold exactly what p was loaded from, so
// that an install can trust p without parsing files again. A pack that Load
// did not make (a snapshot, say) is never taken for any files.
func (p *Pack) LoadedFrom(files *Files) bool {
	if p.hashed == nil || files == nil {
		return false
	}
	for _, name := range p.hashed {
		if _, ok := files.sizes[name]; !ok {
			return false
		}
	}
	return contentHash(p.hashed, func(name string) []byte { b, _ := files.bytes(name); return b }) == p.Hash
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
