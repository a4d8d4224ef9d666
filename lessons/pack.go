// Package lessons is the lesson pack: its model, loading from a directory, an
// archive or the embedded default, sanitising and validation.
package lessons

import (
	"maps"
	"strings"

	"hocso/quiz"
)

// FormatVersion is the newest pack format this build reads.
const FormatVersion = 1

// Module completion rules, after cmi5's moveOn.
const (
	CompleteWhenCompleted = "completed"
	CompleteWhenPassed    = "passed"
	CompleteWhenBoth      = "completed_and_passed"
)

// Pack is a loaded, sanitised lesson pack.
type Pack struct {
	Format      int       `toml:"format" json:"format"`
	ID          string    `toml:"id" json:"id"`
	Version     string    `toml:"version" json:"version"`
	MinHocso    string    `toml:"min_hocso" json:"min_hocso,omitempty"`
	License     string    `toml:"license" json:"license,omitempty"`
	Authors     []string  `toml:"authors" json:"authors,omitempty"`
	Languages   []string  `toml:"languages" json:"languages"`
	Title       quiz.Text `toml:"title" json:"title"`
	Description quiz.Text `toml:"description" json:"description,omitempty"`

	// minHocsoLine is the line of min_hocso in pack.toml, for RequireHocso.
	minHocsoLine int

	Modules  []*Module `toml:"-" json:"modules"`
	Sources  []Source  `toml:"-" json:"sources,omitempty"`
	Glossary []Term    `toml:"-" json:"glossary,omitempty"`
	// Hash is the SHA-256 of the pack's files (paths and contents), in hex.
	Hash string `toml:"-" json:"hash"`

	// hashed are the files Hash covers, kept by Load so that LoadedFrom can
	// tell whether a set of files is the one this pack was loaded from.
	hashed []string
	// counted holds, for a pack loaded by LoadFilesEach, what its modules
	// held before their lessons and quizzes were let go.
	counted map[string]Counts
}

// Module is a unit of a pack: lessons to read and a quiz to pass.
type Module struct {
	ID           string    `toml:"id" json:"id"`
	CompleteWhen string    `toml:"complete_when" json:"complete_when"`
	Title        quiz.Text `toml:"title" json:"title"`
	Summary      quiz.Text `toml:"summary" json:"summary,omitempty"`
	// Required is false for a module a learner may skip: course completion,
	// overall progress and "continue" count required modules only. Nil
	// (not written) means required.
	Required *bool `toml:"required" json:"required,omitempty"`

	Dir     string     `toml:"-" json:"dir"`
	Lessons []*Lesson  `toml:"-" json:"lessons"`
	Quiz    *quiz.Quiz `toml:"-" json:"quiz,omitempty"`
}

// IsRequired reports whether the module counts towards completing the course.
func (m *Module) IsRequired() bool { return m.Required == nil || *m.Required }

// Lesson is one reading, in each language the pack has.
type Lesson struct {
	ID      string    `json:"id"`
	Title   quiz.Text `json:"title"`
	Minutes int       `json:"minutes,omitempty"`
	Sources []string  `json:"sources,omitempty"`
	// Body is the Markdown after the front matter, per language.
	Body quiz.Text `json:"body"`
	// Files names the source file of each language, for messages.
	Files map[string]string `json:"-"`
}

// Source is a reference that lessons and questions cite by id.
type Source struct {
	ID    string `toml:"id" json:"id"`
	Title string `toml:"title" json:"title"`
	URL   string `toml:"url" json:"url,omitempty"`
}

// Term is a glossary entry.
type Term struct {
	ID         string    `toml:"id" json:"id"`
	VI         string    `toml:"vi" json:"vi"`
	EN         string    `toml:"en" json:"en"`
	Definition quiz.Text `toml:"definition" json:"definition,omitempty"`
}

// Module returns the module with the given id, or nil.
func (p *Pack) Module(id string) *Module {
	for _, m := range p.Modules {
		if m.ID == id {
			return m
		}
	}
	return nil
}

// Lesson returns the lesson with the given id and its module, or nils.
func (p *Pack) Lesson(id string) (*Module, *Lesson) {
	for _, m := range p.Modules {
		for _, l := range m.Lessons {
			if l.ID == id {
				return m, l
			}
		}
	}
	return nil, nil
}

// HasLanguage reports whether the pack provides lang.
func (p *Pack) HasLanguage(lang string) bool {
	for _, l := range p.Languages {
		if l == lang {
			return true
		}
	}
	return false
}

// Counts are the numbers of modules, lessons and questions a pack has in one language.
type Counts struct {
	Modules   int `json:"modules"`
	Lessons   int `json:"lessons"`
	Questions int `json:"questions"`
}

// CountsByLanguage counts what the pack actually provides in each of its languages:
// a lesson counts where its body is written, a question where its text is.
func (p *Pack) CountsByLanguage() map[string]Counts {
	if p.counted != nil {
		return maps.Clone(p.counted)
	}
	out := map[string]Counts{}
	for _, lang := range p.Languages {
		var c Counts
		for _, m := range p.Modules {
			c = c.add(m.counts(lang))
		}
		out[lang] = c
	}
	return out
}

// counts is what module m provides in lang.
func (m *Module) counts(lang string) Counts {
	var c Counts
	if m.Title[lang] != "" {
		c.Modules++
	}
	for _, l := range m.Lessons {
		if l.Body[lang] != "" {
			c.Lessons++
		}
	}
	if m.Quiz != nil {
		for _, q := range m.Quiz.Questions {
			if q.Text[lang] != "" {
				c.Questions++
			}
		}
	}
	return c
}

func (c Counts) add(d Counts) Counts {
	return Counts{Modules: c.Modules + d.Modules, Lessons: c.Lessons + d.Lessons, Questions: c.Questions + d.Questions}
}

// RequireHocso returns a problem when the pack's min_hocso is newer than
// running, the version of this hocso, else nil. A build of a version not yet
// released ("0.2.0-dev") runs the packs made for that version.
func (p *Pack) RequireHocso(running string) *Problem {
	if p.MinHocso == "" || !semverPattern.MatchString(p.MinHocso) {
		return nil
	}
	core, _, _ := strings.Cut(running, "-")
	core, _, _ = strings.Cut(core, "+")
	if CompareVersions(p.MinHocso, core) <= 0 {
		return nil
	}
	return &Problem{File: "pack.toml", Line: p.minHocsoLine, Field: "min_hocso", ID: "ProblemNeedsNewerHocso",
		Data: map[string]any{"Need": p.MinHocso, "Version": running}}
}
