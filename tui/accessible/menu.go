package accessible

import (
	"strings"

	"hocso/lessons"
	"hocso/locales"
	"hocso/quiz"
	"hocso/store"
	"hocso/tui/common"
)

// home is the main menu: the modules of every installed pack with the
// learner's progress in words, then continuing with the next thing, the
// other language, another learner (a PC is often shared), and quitting.
func (s *session) home() error {
	c := s.c
	for {
		s.savePlace(common.Place{Screen: common.ScreenDashboard})
		var (
			items    []string
			headings = map[int]string{}
			targets  []nextStep // what each module entry opens
			next     *nextStep
			label    string
			course   store.CourseProgress
		)
		for _, e := range c.Packs {
			progress, err := c.Store.PackProgress(s.ctx, c.Learner.ID, e.Pack)
			if err != nil {
				return s.stopped(err)
			}
			heading := c.T("AccessiblePackHeading", map[string]any{"Title": e.Pack.Title.In(c.Lang())})
			if !e.Builtin && !e.Trusted {
				heading = s.item(heading, c.T("PackUnsigned"))
			}
			headings[len(items)] = heading
			course = course.Add(e.Pack, progress)
			for i, mod := range e.Pack.Modules {
				var p store.ModuleProgress
				if i < len(progress) {
					p = progress[i]
				}
				details := s.moduleProgress(p)
				if !mod.IsRequired() {
					details = c.T("ModuleOptional") + ", " + details
				}
				items = append(items, s.item(mod.Title.In(c.Lang()), details))
				targets = append(targets, nextStep{pack: e.Pack, mod: mod})
			}
			if next == nil {
				next, label = s.next(e.Pack, progress, s.lessonState(e.Pack.ID))
			}
		}
		headings[len(items)] = c.T("AccessibleMenuOther")
		if next != nil {
			items = append(items, label)
		}
		items = append(items, c.T("AccessibleSwitchLanguage"), c.T("AccessibleSwitchLearner"), c.T("AccessibleQuit"))

		s.say("", c.T("DashboardTotal")+": "+c.Loc.Percent(course.Fraction*100)+".")
		i, err := s.chooseGrouped(items, headings)
		if err != nil {
			return err
		}
		switch n := len(targets); {
		case i < n:
			err = s.module(targets[i].pack, targets[i].mod, "")
		case next != nil && i == n:
			err = s.module(next.pack, next.mod, next.item)
		case i == len(items)-3:
			s.switchLanguage()
		case i == len(items)-2:
			var picked bool
			if picked, err = s.pickLearner(); picked && err == nil {
				err = s.resume()
			}
		default:
			return errStop
		}
		if err != nil {
			return err
		}
	}
}

// moduleProgress says a module's progress in words: "2/4 bài, bài kiểm
// tra: 80%, Đang học".
func (s *session) moduleProgress(p store.ModuleProgress) string {
	c := s.c
	var parts []string
	if p.LessonsTotal > 0 {
		parts = append(parts, c.Loc.N("DashboardLessons", p.LessonsTotal, map[string]any{"Done": p.LessonsDone}))
	}
	if p.HasQuiz {
		switch {
		case p.OpenAttempt:
			parts = append(parts, c.T("AccessibleQuizOpen"))
		case p.Attempts > 0:
			parts = append(parts, c.T("DashboardQuizScore", map[string]any{"Percent": c.Loc.Percent(p.QuizPercent)}))
		default:
			parts = append(parts, c.T("DashboardQuizNone"))
		}
	}
	parts = append(parts, s.c.T(common.StatusMessage(p.Status)))
	return strings.Join(parts, ", ")
}

// nextStep is a module to open, and in it a lesson (item is its id), the
// quiz (item is common.QuizRow) or nothing yet (item is "").
type nextStep struct {
	pack *lessons.Pack
	mod  *lessons.Module
	item string
}

// next is what the TUI's "continue" opens in a pack: the first unread
// lesson of the first unfinished module, else that module's quiz; nil when
// all is done. label says it in words.
func (s *session) next(p *lessons.Pack, progress []store.ModuleProgress, done map[string]store.LessonState) (step *nextStep, label string) {
	c := s.c
	lang := c.Lang()
	switch mod, l := store.NextStep(p, progress, done); {
	case l != nil:
		return &nextStep{p, mod, l.ID}, c.T("AccessibleContinueLesson", map[string]any{
			"Lesson": l.Title.In(lang), "Module": mod.Title.In(lang)})
	case mod != nil:
		return &nextStep{p, mod, common.QuizRow}, c.T("AccessibleContinueQuiz", map[string]any{"Quiz": mod.Quiz.Title.In(lang)})
	}
	return nil, ""
}

// switchLanguage turns the interface to the other language and remembers the
// choice on this device, as the TUI does.
func (s *session) switchLanguage() {
	c := s.c
	next := "en"
	if c.Lang() == "en" {
		next = "vi"
	}
	c.Loc = locales.New(next)
	c.Keys = common.NewKeyMap(c.Loc)
	if err := c.Store.SetMeta(s.ctx, "lang", next); err != nil {
		s.fail(err)
	}
	s.say(c.T("AccessibleLanguageChanged"))
}

// module is the menu of one module of pack: its lessons, its quiz and the
// way back. open names a lesson, or common.QuizRow, to open before the menu
// is shown.
func (s *session) module(pack *lessons.Pack, mod *lessons.Module, open string) error {
	c := s.c
	c.Pack = pack // what the module's events and progress belong to
	first := true
	for {
		var err error
		switch {
		case open == common.QuizRow && mod.Quiz != nil:
			err = s.quiz(mod)
		case open != "":
			for _, l := range mod.Lessons {
				if l.ID == open {
					err = s.lesson(mod, l)
				}
			}
		}
		if err != nil {
			return err
		}
		open = ""

		s.savePlace(common.Place{Screen: common.ScreenModule, ModuleID: mod.ID})
		lang := c.Lang()
		done := s.lessonState(pack.ID)
		var items []string
		for _, l := range mod.Lessons {
			items = append(items, s.lessonItem(l, done))
		}
		if mod.Quiz != nil {
			items = append(items, s.quizItem(mod))
		}
		extra := len(items)
		items = append(items, c.T("GlossaryTitle"), c.T("SourcesTitle"), c.T("AccessibleBackToModules"))

		// The summary is said on entering the module, not after each lesson.
		title := c.T("AccessibleModuleTitle", map[string]any{"Title": mod.Title.In(lang)})
		if sum := mod.Summary.In(lang); sum != "" && first {
			title += "\n" + sum
		}
		if !mod.IsRequired() && first {
			title += "\n" + c.T("ModuleOptionalNote")
		}
		first = false
		s.say("")
		i, err := s.choose(title, items)
		if err != nil {
			return err
		}
		switch {
		case i < len(mod.Lessons):
			open = mod.Lessons[i].ID
		case mod.Quiz != nil && i == len(mod.Lessons):
			open = common.QuizRow
		case i == extra:
			err = s.glossary()
		case i == extra+1:
			err = s.sources()
		default:
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// item is a title with details after it, as menus list modules, lessons and quizzes.
func (s *session) item(title, details string) string {
	return s.c.T("AccessibleItem", map[string]any{"Title": title, "Details": details})
}

func (s *session) lessonItem(l *lessons.Lesson, done map[string]store.LessonState) string {
	c := s.c
	var parts []string
	if l.Minutes > 0 {
		parts = append(parts, c.Loc.N("Minutes", l.Minutes))
	}
	state := c.T("AccessibleLessonNew")
	if st, ok := done[l.ID]; ok {
		state = c.T("AccessibleLessonOpened")
		if st.CompletedAt != nil {
			state = c.T("AccessibleLessonDone")
		}
	}
	return s.item(l.Title.In(c.Lang()), strings.Join(append(parts, state), ", "))
}

// quizItem says what the quiz asks and where the learner stands in it.
func (s *session) quizItem(mod *lessons.Module) string {
	c, z := s.c, mod.Quiz
	var p store.ModuleProgress
	if all, err := c.Store.PackProgress(s.ctx, c.Learner.ID, c.Pack); err == nil {
		for _, mp := range all {
			if mp.ModuleID == mod.ID {
				p = mp
			}
		}
	}
	parts := s.quizRules(z)
	switch {
	case p.OpenAttempt:
		parts = append(parts, c.T("QuizInProgress"))
	case p.Attempts > 0 && p.QuizPassed:
		parts = append(parts, c.T("QuizPassedScore", map[string]any{"Percent": c.Loc.Percent(p.QuizPercent)}))
	case p.Attempts > 0:
		parts = append(parts, c.T("QuizFailedScore", map[string]any{"Percent": c.Loc.Percent(p.QuizPercent)}))
	default:
		parts = append(parts, c.T("DashboardQuizNone"))
	}
	if p.AttemptsLeft >= 0 && z.MaxAttempts > 0 {
		parts = append(parts, c.Loc.N("AccessibleAttemptsLeft", p.AttemptsLeft))
	}
	return s.item(c.T("AccessibleQuizItem", map[string]any{"Title": z.Title.In(c.Lang())}), strings.Join(parts, ", "))
}

// quizRules are the quiz's size, pass mark and time limit, in words.
func (s *session) quizRules(z *quiz.Quiz) []string {
	c := s.c
	parts := []string{
		c.Loc.N("QuestionCount", z.Asked()),
		c.T("PassMark", map[string]any{"Percent": c.Loc.Percent(z.PassMark)}),
	}
	if z.TimeLimitMinutes > 0 {
		parts = append(parts, c.T("AccessibleQuizTimeLimit", map[string]any{"Minutes": c.Loc.N("Minutes", z.TimeLimitMinutes)}))
	}
	return parts
}
