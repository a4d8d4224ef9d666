package accessible

import "hocso/tui/glossary"

// glossaryPage is how many terms are said before the glossary waits.
const glossaryPage = 8

// glossary says the pack's terms, a page at a time; a word typed at the
// prompt searches them (without diacritics too), Enter goes on, q stops.
func (s *session) glossary() error {
	c := s.c
	terms := c.Pack.Glossary
	s.say("", c.T("GlossaryTitle")+": "+c.Loc.N("GlossaryCount", len(terms))+".")
	if len(terms) == 0 {
		s.say(c.T("GlossaryEmpty"))
		return nil
	}
	query := ""
	shown := 0
	for i, t := range terms {
		if query != "" && !glossary.Matches(t, c.Lang(), query) {
			continue
		}
		first, second := t.VI, t.EN
		if c.Lang() == "en" {
			first, second = t.EN, t.VI
		}
		s.say("", first+" — "+second+".")
		if d := t.Definition.In(c.Lang()); d != "" {
			s.say(d)
		}
		shown++
		if shown%glossaryPage == 0 && i < len(terms)-1 {
			line, err := s.ask(c.T("AccessibleGlossaryMore"))
			if err != nil {
				return err
			}
			if isQuit(line) {
				return nil
			}
			if line != "" {
				query = glossary.Fold(line)
			}
		}
	}
	return nil
}

// sources says the pack's sources: what a citation "(Nguồn: S7)" refers to.
func (s *session) sources() error {
	c := s.c
	s.say("", c.T("SourcesTitle")+".", c.T("SourcesHint"))
	if len(c.Pack.Sources) == 0 {
		s.say(c.T("SourcesEmpty"))
	}
	for i, src := range c.Pack.Sources {
		line := src.ID + ": " + src.Title
		if src.URL != "" {
			line += ". " + src.URL
		}
		s.say(line)
		if (i+1)%glossaryPage == 0 && i < len(c.Pack.Sources)-1 {
			if more, err := s.more(); err != nil || !more {
				return err
			}
		}
	}
	return nil
}
