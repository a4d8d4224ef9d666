package tui

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"hocso/lessons"
	"hocso/locales"
	"hocso/store"
	"hocso/tui/common"
)

// benchCommon is the app as a learner runs it: the built-in pack and a
// database on disk with one learner who has used it before.
func benchCommon(b *testing.B, db string) *common.Common {
	b.Helper()
	ctx := context.Background()
	p, err := lessons.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	s, err := store.Open(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	loc := locales.New("vi")
	c := &common.Common{Ctx: ctx, Loc: loc, Keys: common.NewKeyMap(loc), Store: s, Pack: p,
		ThemeName: common.ThemeAuto, DarkBackground: true}
	c.ApplyTheme()
	return c
}

func seedLearner(b *testing.B, db string) {
	b.Helper()
	s, err := store.Open(context.Background(), db)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	l, _ := s.CreateLearner(context.Background(), store.ProfilePayload{FullName: "Nguyễn Thị Lan", UnitPath: "Hà Nội / Phường Ba Đình"})
	s.SetCurrentLearner(context.Background(), l.ID)
}

// BenchmarkFirstFrame is the work between process start and a learner's
// dashboard: loading the embedded pack, opening the database, building the
// dashboard and drawing it at 80×24. On a PC shared by several learners the
// first frame is the learner picker; the benchmark then also chooses the
// learner with the most history, as a learner would, and draws their dashboard.
func BenchmarkFirstFrame(b *testing.B) {
	db := benchDB(b)
	busiest := busiestLearner(b, db)
	var cpu cpuMeter
	defer cpu.report(b)
	for b.Loop() {
		cpu.start()
		c := benchCommon(b, db)
		m := New(c)
		m.Init()
		m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		if c.Learner.ID == "" {
			if !strings.Contains(m.View().Content, c.Loc.T("LearnersTitle")) {
				b.Fatalf("the learner picker did not draw:\n%s", m.View().Content)
			}
			m.Update(common.LearnerMsg{Learner: busiest})
		}
		v := m.View().Content
		cpu.stop()
		if !strings.Contains(v, "Chuyển đổi số") {
			b.Fatalf("the dashboard did not draw:\n%s", v)
		}
		c.Store.Close()
	}
}

// busiestLearner is the learner of db with the most attempts and lessons in
// the built-in pack: the dashboard benchmarks measure theirs.
func busiestLearner(b *testing.B, db string) store.Learner {
	b.Helper()
	c := benchCommon(b, db)
	defer c.Store.Close()
	all, err := c.Store.Learners(c.Ctx)
	if err != nil || len(all) == 0 {
		b.Fatalf("no learner in %s: %v", db, err)
	}
	var best store.Learner
	most := -1
	for _, l := range all {
		mods, err := c.Store.PackProgress(c.Ctx, l.ID, c.Pack)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for _, mp := range mods {
			n += mp.Attempts + mp.LessonsDone
		}
		if n > most {
			best, most = l, n
		}
	}
	return best
}

// benchDB is the database the dashboard benchmarks read: $HOCSO_BENCH_DB when
// set (bench/run makes one with a long history, or many learners, with
// hocso dev), else a new one with one learner and no history. Benchmarks
// only read it.
func benchDB(b *testing.B) string {
	b.Helper()
	if db := os.Getenv("HOCSO_BENCH_DB"); db != "" {
		return db
	}
	db := filepath.Join(b.TempDir(), "hocso.db")
	seedLearner(b, db)
	return db
}

// BenchmarkBackToDashboard is what a learner waits for on leaving a lesson:
// the dashboard reads their progress in every module and draws it at 80×24.
// With several learners it is the dashboard of the one with most history.
func BenchmarkBackToDashboard(b *testing.B) {
	db := benchDB(b)
	busiest := busiestLearner(b, db)
	c := benchCommon(b, db)
	m := New(c)
	m.Init()
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	if c.Learner.ID == "" { // the learner picker of a shared PC
		m.Update(common.LearnerMsg{Learner: busiest})
	}
	mod, les := longestLesson(c.Pack)
	reader := common.GoMsg{To: common.Place{Screen: common.ScreenReader, ModuleID: mod.ID, LessonID: les.ID}}
	back := common.GoMsg{To: common.Place{Screen: common.ScreenDashboard}}
	m.Update(reader)
	m.View()
	var cpu cpuMeter
	defer cpu.report(b)
	for b.Loop() {
		b.StopTimer()
		m.Update(reader)
		b.StartTimer()
		cpu.start()
		m.Update(back)
		v := m.View().Content
		cpu.stop()
		if !strings.Contains(v, "Chuyển đổi số") || !strings.Contains(v, "%") {
			b.Fatalf("the dashboard did not draw:\n%s", v)
		}
	}
}

// longestLesson is the lesson with the most Vietnamese text.
func longestLesson(p *lessons.Pack) (*lessons.Module, *lessons.Lesson) {
	var mod *lessons.Module
	var les *lessons.Lesson
	for _, m := range p.Modules {
		for _, l := range m.Lessons {
			if les == nil || len(l.Body["vi"]) > len(les.Body["vi"]) {
				mod, les = m, l
			}
		}
	}
	return mod, les
}

// BenchmarkReaderKey is one key press in the reader (scroll a line, redraw)
// on the longest lesson, after its first render, at 80 and 200 columns.
func BenchmarkReaderKey(b *testing.B) {
	for _, width := range []int{80, 200} {
		b.Run(strconv.Itoa(width), func(b *testing.B) {
			db := filepath.Join(b.TempDir(), "hocso.db")
			seedLearner(b, db)
			c := benchCommon(b, db)
			m := New(c)
			m.Init()
			m.Update(tea.WindowSizeMsg{Width: width, Height: 40})
			mod, les := longestLesson(c.Pack)
			m.Update(common.GoMsg{To: common.Place{Screen: common.ScreenReader, ModuleID: mod.ID, LessonID: les.ID}})
			m.View()
			keys := []tea.KeyPressMsg{{Code: tea.KeyDown}, {Code: tea.KeyUp}}
			i := 0
			var cpu cpuMeter
			defer cpu.report(b)
			cpu.start()
			for b.Loop() {
				m.Update(keys[i%2])
				m.View()
				i++
			}
			cpu.stop()
		})
	}
}

// BenchmarkReadEveryLesson opens and renders every lesson of the built-in
// pack at 80 columns, scrolled to its end, and reports the process's resident
// memory afterwards (rss-MiB) and the live heap (heap-MiB).
func BenchmarkReadEveryLesson(b *testing.B) {
	db := filepath.Join(b.TempDir(), "hocso.db")
	seedLearner(b, db)
	var c *common.Common
	for b.Loop() {
		c = benchCommon(b, db)
		m := New(c)
		m.Init()
		m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		for _, mod := range c.Pack.Modules {
			for _, l := range mod.Lessons {
				m.Update(common.GoMsg{To: common.Place{Screen: common.ScreenReader, ModuleID: mod.ID, LessonID: l.ID}})
				m.Update(tea.KeyPressMsg{Code: tea.KeyEnd})
				m.View()
			}
		}
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MiB")
	if rss := residentMiB(); rss > 0 {
		b.ReportMetric(rss, "rss-MiB")
	}
	runtime.KeepAlive(c)
}

// cpuMeter adds up the CPU time of the process (every thread, the garbage
// collector's too) over the timed part of each op. On a machine shared with
// other work the wall time per op varies with the load; the CPU time much
// less, so bench/run prints both.
type cpuMeter struct{ total, t0 time.Duration }

func (m *cpuMeter) start() { m.t0 = cpuNow() }
func (m *cpuMeter) stop()  { m.total += cpuNow() - m.t0 }

// report adds cpu-ms/op to the benchmark's result, where it can be measured.
func (m *cpuMeter) report(b *testing.B) {
	if m.total > 0 && b.N > 0 {
		b.ReportMetric(float64(m.total)/float64(b.N)/1e6, "cpu-ms/op")
	}
}

// residentMiB reads VmRSS from /proc (Linux); 0 elsewhere.
func residentMiB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			return float64(kb) / 1024
		}
	}
	return 0
}

// BenchmarkQuizKey is one key press on a quiz question (move between the
// options, redraw) at 80×24, after the quiz started; nothing is saved.
func BenchmarkQuizKey(b *testing.B) {
	db := filepath.Join(b.TempDir(), "hocso.db")
	seedLearner(b, db)
	c := benchCommon(b, db)
	m := New(c)
	m.Init()
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	var mod *lessons.Module
	for _, md := range c.Pack.Modules {
		if md.Quiz != nil {
			mod = md
			break
		}
	}
	m.Update(common.GoMsg{To: common.Place{Screen: common.ScreenQuiz, ModuleID: mod.ID}})
	m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	if !strings.Contains(m.View().Content, "Câu 1/") {
		b.Fatalf("the quiz did not start:\n%s", m.View().Content)
	}
	keys := []tea.KeyPressMsg{{Code: tea.KeyDown}, {Code: tea.KeyUp}}
	i := 0
	for b.Loop() {
		m.Update(keys[i%2])
		m.View()
		i++
	}
}
