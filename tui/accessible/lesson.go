package accessible

import (
	"hocso/lessons"
	"hocso/tui/common"
)

// pageLines is about how many lines a page of a lesson holds: a screenful
// on the smallest console, and a stretch a listener can take in at once.
const pageLines = 20

// page is the lines [start, end) of a lesson's text.
type page struct{ start, end int }

// paginate cuts lines into pages of about size lines, ending a page at a
// blank line (between paragraphs) when one falls in its second half, but
// never right after a heading.
func paginate(lines []string, heading map[int]bool, size int) []page {
	var pages []page
	for start := 0; start < len(lines); {
		for start < len(lines) && lines[start] == "" {
			start++
		}
		if start == len(lines) {
			break
		}
		end := min(start+size, len(lines))
		if end < len(lines) {
			for b := end; b > start+size/2; b-- {
				if lines[b] == "" && !heading[b-1] {
					end = b
					break
				}
			}
		}
		pages = append(pages, page{start, end})
		start = end
	}
	if len(pages) == 0 {
		pages = []page{{0, len(lines)}}
	}
	return pages
}

// pageAt is the page holding line.
func pageAt(pages []page, line int) int {
	for i := len(pages) - 1; i > 0; i-- {
		if line >= pages[i].start {
			return i
		}
	}
	return 0
}

// lesson reads a lesson page by page from where the learner left it. Reaching
// its last page marks it read; the first line of the page on show is kept as
// the reading position.
func (s *session) lesson(mod *lessons.Module, l *lessons.Lesson) error {
	c := s.c
	s.savePlace(common.Place{Screen: common.ScreenReader, ModuleID: mod.ID, LessonID: l.ID})
	if err := c.Store.OpenLesson(s.ctx, c.Learner.ID, c.PackRef(), mod.ID, l.ID); err != nil {
		s.fail(err)
		return s.stopped(nil)
	}
	lines, heading := plainText(l.Body.In(c.Lang()), textWidth)
	pages := paginate(lines, heading, pageLines)
	saved, _ := c.Store.ReadingPosition(s.ctx, c.Learner.ID, c.Pack.ID, l.ID)
	cur := pageAt(pages, saved)
	completed := lessonDone(s.lessonState(c.Pack.ID), l)
	total := len(pages)

	s.say("", c.T("AccessibleLessonOpen", map[string]any{"Title": l.Title.In(c.Lang()), "Pages": c.Loc.N("AccessiblePages", total)}))
	if cur > 0 {
		s.say(c.T("AccessibleResumePage", map[string]any{"N": cur + 1}))
	}
	for {
		pg := pages[cur]
		s.say("", c.T("AccessiblePage", map[string]any{"N": cur + 1, "Total": total}))
		s.say(lines[pg.start:pg.end]...)
		if pg.start != saved {
			if err := c.Store.SaveReadingPosition(s.ctx, c.Learner.ID, c.Pack.ID, l.ID, pg.start); err != nil {
				s.fail(err)
			}
			saved = pg.start
		}
		last := cur == total-1
		if last {
			if !completed {
				if err := c.Store.CompleteLesson(s.ctx, c.Learner.ID, c.PackRef(), mod.ID, l.ID); err != nil {
					s.fail(err)
					return s.stopped(nil)
				}
				completed = true
			}
			s.say("", c.T("AccessibleLessonEnd"))
		}
		prompt := c.T("AccessiblePageAsk", map[string]any{"Total": total})
		if last {
			prompt = c.T("AccessibleEndAsk", map[string]any{"Total": total})
		}
		next, back, err := s.turnPage(prompt, total)
		if err != nil || back {
			return err
		}
		switch {
		case next >= 0:
			cur = next
		case last:
			return nil
		default:
			cur++
		}
	}
}

// turnPage asks where to go from a page: a page index, -1 for Enter (read
// on), or back for q.
func (s *session) turnPage(prompt string, total int) (next int, back bool, err error) {
	for {
		line, err := s.ask(prompt)
		if err != nil {
			return 0, false, err
		}
		switch {
		case line == "":
			return -1, false, nil
		case isQuit(line):
			return 0, true, nil
		}
		if n, ok := number(line, total); ok {
			return n - 1, false, nil
		}
		s.say(s.c.T("AccessiblePageInvalid", map[string]any{"Input": line, "Total": total}))
	}
}
