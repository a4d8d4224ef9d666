package lessons

import (
	"path"

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

// checkIDs reports ids used twice: progress is keyed by them.
func (ld *loader) checkIDs(p *Pack) {
	seen := map[string]string{} // kind:id → file
	dup := func(kind, id, file string, line int) {
		if id == "" {
			return
		}
		key := kind + ":" + id
		if other, ok := seen[key]; ok {
			ld.problem(file, line, "id", "ProblemDuplicateID", map[string]any{"ID": id, "OtherFile": other})
			return
		}
		seen[key] = file
	}
	for _, m := range p.Modules {
		dup("module", m.ID, path.Join(m.Dir, "module.toml"), 0)
		for _, l := range m.Lessons {
			dup("lesson", l.ID, l.Files[quiz.DefaultLang], 2)
		}
		if m.Quiz != nil {
			name := path.Join(m.Dir, "quiz.toml")
			dup("quiz", m.Quiz.ID, name, 0)
			for _, q := range m.Quiz.Questions {
				dup("question", q.ID, name, 0)
			}
		}
	}
}

// checkCitations reports source ids that sources.toml does not list.
func (ld *loader) checkCitations(p *Pack) {
	if ld.broken["sources.toml"] {
		return // its own problem is reported; every citation would look unknown
	}
	known := map[string]bool{}
	for _, s := range p.Sources {
		known[s.ID] = true
	}
	for _, m := range p.Modules {
		for _, l := range m.Lessons {
			for _, s := range l.Sources {
				if !known[s] {
					ld.problem(l.Files[quiz.DefaultLang], 0, "sources", "ProblemUnknownSource", map[string]any{"ID": s})
				}
			}
		}
		if m.Quiz == nil {
			continue
		}
		for _, q := range m.Quiz.Questions {
			for _, s := range q.Sources {
				if !known[s] {
					ld.problem(path.Join(m.Dir, "quiz.toml"), 0, q.ID+".sources", "ProblemUnknownSource", map[string]any{"ID": s})
				}
			}
		}
	}
}
