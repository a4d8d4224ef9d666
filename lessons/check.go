package lessons

import (
	"path"
	"strconv"
	"strings"

	"hocso/quiz"
)

func (ld *loader) checkID(file, text, field, id string) {
	switch {
	case id == "":
		ld.problem(file, 0, field, "ProblemMissingField", nil)
	case !idPattern.MatchString(id):
		ld.problem(file, lineOfKey(text, field), field, "ProblemBadID", map[string]any{"ID": id})
	}
}

// idKey is an id with what it names (a kind, or the file it is met in).
type idKey struct{ in, id string }

// checkIDs reports the ids of module m used twice, in m or in the modules
// checked before it: progress is keyed by them.
func (ld *loader) checkIDs(m *Module) {
	seen := ld.seen         // kind, id → file
	uses := map[idKey]int{} // file, id → times met in that file (a file is in one module)
	dup := func(kind, id, file string) {
		if id == "" {
			return
		}
		key := idKey{kind, id}
		nth := uses[idKey{file, id}]
		uses[idKey{file, id}]++
		if other, ok := seen[key]; ok {
			line := idLine(ld.text(file), id, nth)
			ld.problem(file, line, "id", "ProblemDuplicateID", map[string]any{"ID": id, "OtherFile": other})
			return
		}
		seen[key] = file
	}
	dup("module", m.ID, path.Join(m.Dir, "module.toml"))
	for _, l := range m.Lessons {
		dup("lesson", l.ID, l.Files[quiz.DefaultLang])
	}
	if m.Quiz != nil {
		name := path.Join(m.Dir, "quiz.toml")
		dup("quiz", m.Quiz.ID, name)
		for _, q := range m.Quiz.Questions {
			dup("question", q.ID, name)
		}
	}
}

// checkCitations reports source ids of module m that sources.toml does not list.
func (ld *loader) checkCitations(p *Pack, m *Module) {
	if ld.broken["sources.toml"] {
		return // its own problem is reported; every citation would look unknown
	}
	known := make(map[string]bool, len(p.Sources))
	for _, s := range p.Sources {
		known[s.ID] = true
	}
	for _, l := range m.Lessons {
		for _, s := range l.Sources {
			if !known[s] {
				file := l.Files[quiz.DefaultLang]
				ld.problem(file, lineOfKey(ld.text(file), "sources"), "sources", "ProblemUnknownSource", map[string]any{"ID": s})
			}
		}
	}
	if m.Quiz == nil {
		return
	}
	for _, q := range m.Quiz.Questions {
		for _, s := range q.Sources {
			if !known[s] {
				file := path.Join(m.Dir, "quiz.toml")
				ld.problem(file, questionFieldLine(ld.text(file), q.ID, "sources"), q.ID+".sources", "ProblemUnknownSource", map[string]any{"ID": s})
			}
		}
	}
}

// text is a file of the pack as read, for finding the line a problem is on.
func (ld *loader) text(name string) string { return string(ld.content(name)) }

// idLine is the line of the nth (from 0) `id = "…"` with this id in text, or
// of the last one there is; 0 when there is none.
func idLine(text, id string, nth int) int {
	quoted := strconv.Quote(id)
	line := 0
	for i, l := range strings.Split(text, "\n") {
		t := strings.TrimSpace(l)
		if rest, ok := strings.CutPrefix(t, "id"); ok && strings.HasPrefix(strings.TrimSpace(rest), "=") && strings.Contains(rest, quoted) {
			line = i + 1
			if nth == 0 {
				break
			}
			nth--
		}
	}
	return line
}
