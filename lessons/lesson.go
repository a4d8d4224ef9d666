package lessons

import (
	"io/fs"
	"path"
	"sort"
	"strings"

	"hocso/quiz"
)

// MaxLessonMinutes bounds a lesson's reading time: a lesson is read in one sitting.
const MaxLessonMinutes = 600

func (ld *loader) loadLessons(p *Pack, m *Module) {
	entries, err := fs.ReadDir(ld.fsys, m.Dir)
	if err != nil {
		ld.problem(m.Dir, 0, "", "ProblemRead", map[string]any{"Error": err.Error()})
		return
	}
	byStem := map[string]map[string]string{} // stem → lang → file
	var stems []string
	for _, e := range entries {
		match := lessonFile.FindStringSubmatch(e.Name())
		if e.IsDir() || match == nil {
			continue
		}
		stem, lang := match[1], match[2]
		if byStem[stem] == nil {
			byStem[stem] = map[string]string{}
			stems = append(stems, stem)
		}
		byStem[stem][lang] = path.Join(m.Dir, e.Name())
	}
	sort.Strings(stems)
	for _, stem := range stems {
		if l := ld.loadLesson(p, byStem[stem]); l != nil {
			m.Lessons = append(m.Lessons, l)
		}
	}
}

func (ld *loader) loadLesson(p *Pack, files map[string]string) *Lesson {
	l := &Lesson{Title: quiz.Text{}, Body: quiz.Text{}, Files: files}
	var first string
	for _, lang := range p.Languages {
		name, ok := files[lang]
		if !ok {
			some := files[sortedKeys(files)[0]]
			ld.problem(some, 0, "", "ProblemMissingLanguageFile", map[string]any{"Lang": lang})
			continue
		}
		text, ok := ld.readText(name)
		if !ok {
			continue
		}
		fm, body, bodyLine, ok := splitFrontMatter(text)
		if !ok {
			ld.problem(name, 1, "", "ProblemFrontMatter", nil)
			continue
		}
		var meta frontMatter
		// The front matter starts on line 2, after "+++": a blank first line
		// keeps the decoder's line numbers those of the file.
		if !ld.decodeTOML(name, "\n"+fm, &meta) {
			continue
		}
		if first == "" {
			first = name
			l.ID, l.Minutes, l.Sources = meta.ID, meta.Minutes, meta.Sources
			ld.checkID(name, fm, "id", meta.ID)
		} else if meta.ID != l.ID {
			ld.problem(name, lineOfKey(fm, "id")+1, "id", "ProblemLessonIDMismatch",
				map[string]any{"ID": meta.ID, "Other": l.ID, "OtherFile": first})
		}
		if meta.Minutes < 0 || meta.Minutes > MaxLessonMinutes {
			ld.problem(name, lineOfKey(fm, "minutes")+1, "minutes", "ProblemNumberTooLarge",
				map[string]any{"Value": meta.Minutes, "Min": 0, "Max": MaxLessonMinutes})
		}
		if meta.Title == "" {
			ld.problem(name, lineOfKey(fm, "title")+1, "title", "ProblemMissingText", map[string]any{"Lang": lang})
		}
		if strings.TrimSpace(body) == "" {
			ld.problem(name, bodyLine, "", "ProblemEmptyLesson", nil)
		}
		l.Title[lang], l.Body[lang] = meta.Title, body
	}
	for lang, name := range files {
		if !p.HasLanguage(lang) {
			ld.warn(name, 0, "", "ProblemExtraLanguage", map[string]any{"Lang": lang})
		}
	}
	if first == "" {
		return nil
	}
	return l
}

// frontMatter is the TOML between the "+++" lines at the top of a lesson.
type frontMatter struct {
	ID      string   `toml:"id"`
	Title   string   `toml:"title"`
	Minutes int      `toml:"minutes"`
	Sources []string `toml:"sources"`
}

// splitFrontMatter splits "+++\nTOML\n+++\nbody" and says on which line the body starts.
func splitFrontMatter(text string) (fm, body string, bodyLine int, ok bool) {
	const delim = "+++"
	if !strings.HasPrefix(text, delim+"\n") {
		return "", "", 0, false
	}
	rest := text[len(delim)+1:]
	end := strings.Index(rest, "\n"+delim+"\n")
	if end < 0 {
		if strings.HasSuffix(rest, "\n"+delim) {
			return rest[:len(rest)-len(delim)-1], "", 0, true
		}
		return "", "", 0, false
	}
	fm = rest[:end]
	body = rest[end+len(delim)+2:]
	return fm, strings.TrimLeft(body, "\n"), strings.Count(fm, "\n") + 4, true
}
