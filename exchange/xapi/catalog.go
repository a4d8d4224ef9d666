package xapi

import (
	"hocso/lessons"
)

// Catalog names activities from the packs installed here, in Vietnamese and
// English. An activity no pack names is named by its id.
type Catalog struct {
	names map[string]map[string]string // pack/kind/id → language → name
}

// NewCatalog indexes the names of packs.
func NewCatalog(packs []*lessons.Pack) *Catalog {
	c := &Catalog{names: map[string]map[string]string{}}
	for _, p := range packs {
		c.add(p.ID, "packs", p.ID, p.Title)
		for _, m := range p.Modules {
			c.add(p.ID, "modules", m.ID, m.Title)
			for _, l := range m.Lessons {
				c.add(p.ID, "lessons", l.ID, l.Title)
			}
			if m.Quiz == nil {
				continue
			}
			c.add(p.ID, "quizzes", m.Quiz.ID, m.Quiz.Title)
			for _, q := range m.Quiz.Questions {
				c.add(p.ID, "questions", q.ID, q.Text)
			}
		}
	}
	return c
}

func (c *Catalog) add(pack, kind, id string, text map[string]string) {
	name := map[string]string{}
	for lang, tag := range map[string]string{"vi": "vi-VN", "en": "en-US"} {
		if s := text[lang]; s != "" {
			name[tag] = clip(s)
		}
	}
	if len(name) > 0 {
		c.names[pack+"/"+kind+"/"+id] = name
	}
}

// clip keeps long question texts to a name's length.
func clip(s string) string {
	r := []rune(s)
	if len(r) > 200 {
		return string(r[:199]) + "…"
	}
	return s
}

func (c *Catalog) name(pack, kind, id string) map[string]string {
	if c != nil {
		if n, ok := c.names[pack+"/"+kind+"/"+id]; ok {
			return n
		}
	}
	return map[string]string{"vi-VN": id, "en-US": id}
}
