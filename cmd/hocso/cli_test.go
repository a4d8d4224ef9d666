package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"hocso/store"
)

// hocso runs one invocation in-process and returns its exit code and output.
func hocso(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &out, &errOut, func(k string) string { return env[k] })
	return code, out.String(), errOut.String()
}

func TestDefaultDBPath(t *testing.T) {
	noAccount := func() string { return "" }
	account := func() string { return "/home/lan" }
	cases := []struct {
		goos    string
		env     map[string]string
		account func() string
		want    string
	}{
		{"linux", map[string]string{"HOME": "/home/lan", "XDG_DATA_HOME": "/data"}, noAccount, "/data/hocso/hocso.db"},
		{"linux", map[string]string{"HOME": "/home/lan", "XDG_DATA_HOME": "rel"}, noAccount, "/home/lan/.local/share/hocso/hocso.db"},
		{"linux", map[string]string{"HOME": "/home/lan"}, noAccount, "/home/lan/.local/share/hocso/hocso.db"},
		{"darwin", map[string]string{"HOME": "/home/lan", "XDG_DATA_HOME": "/data"}, noAccount, "/home/lan/Library/Application Support/hocso/hocso.db"},
		// An empty or relative HOME never puts the database under the current folder.
		{"linux", map[string]string{"HOME": ""}, account, "/home/lan/.local/share/hocso/hocso.db"},
		{"linux", map[string]string{"HOME": "."}, account, "/home/lan/.local/share/hocso/hocso.db"},
		{"linux", map[string]string{"HOME": ""}, noAccount, ""},
		{"darwin", map[string]string{}, noAccount, ""},
	}
	for _, c := range cases {
		got := DefaultDBPath(c.goos, func(k string) string { return c.env[k] }, c.account)
		if got != filepath.FromSlash(c.want) {
			t.Errorf("%s %v: %q; want %q", c.goos, c.env, got, c.want)
		}
	}
	env := map[string]string{"LOCALAPPDATA": `C:\Users\lan\AppData\Local`}
	if runtime.GOOS == "windows" {
		if got := DefaultDBPath("windows", func(k string) string { return env[k] }, noAccount); !strings.HasPrefix(got, `C:\Users\lan`) {
			t.Errorf("windows: %s", got)
		}
	}
	if got := DefaultDBPath("windows", func(string) string { return "" }, noAccount); got != "" {
		t.Errorf("windows without any folder: %q", got)
	}
}

func TestListsOnEmptyDatabase(t *testing.T) {
	env := map[string]string{"HOCSO_DB": filepath.Join(t.TempDir(), "hocso.db")}
	code, out, errOut := hocso(t, env, "learner", "list", "--json")
	if code != 0 || strings.TrimSpace(out) != "[]" {
		t.Fatalf("learner list = %d %q %q", code, out, errOut)
	}
	code, out, _ = hocso(t, env, "progress", "--json")
	if code != 0 || strings.TrimSpace(out) != "[]" {
		t.Fatalf("progress = %d %q", code, out)
	}
	code, _, errOut = hocso(t, env, "progress", "--json", "--learner", "nobody")
	if code != 1 || !strings.Contains(errOut, "Không có học viên mã nobody") {
		t.Fatalf("progress --learner nobody = %d %q", code, errOut)
	}
}

func TestPackListCountsPerLanguage(t *testing.T) {
	env := map[string]string{"HOCSO_DB": filepath.Join(t.TempDir(), "hocso.db")}
	code, out, errOut := hocso(t, env, "pack", "list", "--json")
	if code != 0 {
		t.Fatalf("pack list = %d %s", code, errOut)
	}
	var packs []struct {
		ID      string `json:"id"`
		Builtin bool   `json:"builtin"`
		Counts  map[string]struct{ Modules, Lessons, Questions int }
	}
	if err := json.Unmarshal([]byte(out), &packs); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(packs) == 0 || !packs[0].Builtin {
		t.Fatalf("the built-in pack is not listed first: %s", out)
	}
	vi, en := packs[0].Counts["vi"], packs[0].Counts["en"]
	if vi.Modules < 6 || vi.Lessons < 20 || vi.Questions < 60 || vi != en {
		t.Fatalf("counts vi %+v en %+v", vi, en)
	}
}

func TestProgressAfterLearning(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "hocso.db")
	s, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	l, _ := s.CreateLearner(ctx, store.ProfilePayload{FullName: "Đỗ Văn Hùng", UnitPath: "Cần Thơ / Phường Ninh Kiều"})
	pack := store.PackRef{ID: "vn.hocso.chuyen-doi-so", Version: "1.0.0"}
	s.OpenLesson(ctx, l.ID, pack, "cmcn4", "cmcn4-khai-niem")
	s.CompleteLesson(ctx, l.ID, pack, "cmcn4", "cmcn4-khai-niem")
	s.Close()

	env := map[string]string{"HOCSO_DB": db}
	code, out, _ := hocso(t, env, "learner", "list", "--json")
	if code != 0 || !strings.Contains(out, "Đỗ Văn Hùng") {
		t.Fatalf("learner list = %d %s", code, out)
	}
	code, out, _ = hocso(t, env, "progress", "--json", "--learner", l.ID)
	var lp []learnerProgress
	if code != 0 || json.Unmarshal([]byte(out), &lp) != nil || len(lp) != 1 {
		t.Fatalf("progress = %d %s", code, out)
	}
	m := lp[0].Packs[0].Modules[0]
	if m.ModuleID != "cmcn4" || m.LessonsDone != 1 || m.Status != store.InProgress {
		t.Fatalf("module progress = %+v", m)
	}
	code, out, _ = hocso(t, map[string]string{"HOCSO_DB": db, "LANG": "en_US.UTF-8"}, "progress")
	if code != 0 || !strings.Contains(out, "In progress") {
		t.Fatalf("progress in English = %d %s", code, out)
	}
}

// A database hocso must not use is refused with a message in the user's
// language and a non-zero exit, and the file is left exactly as it was.
func TestBadDatabaseIsRefusedUnchanged(t *testing.T) {
	dir := t.TempDir()
	notDB := filepath.Join(dir, "ghi-chu.txt")
	os.WriteFile(notDB, []byte("Biên bản họp giao ban tuần.\n"), 0o644)

	newer := filepath.Join(dir, "newer.db")
	db, err := sql.Open("sqlite", newer)
	if err != nil {
		t.Fatal(err)
	}
	db.Exec(`CREATE TABLE x(y); PRAGMA user_version = 42`)
	db.Close()
	sqliteFile := func(name, stmts string) string {
		path := filepath.Join(dir, name)
		db, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(stmts); err != nil {
			t.Fatal(err)
		}
		db.Close()
		return path
	}
	foreign := sqliteFile("o.db", `CREATE TABLE users(id INT)`)
	foreignMeta := sqliteFile("meta.db", `CREATE TABLE meta(k, v); CREATE TABLE events(x)`)
	minusOne := sqliteFile("minus.db", `CREATE TABLE t(x); PRAGMA user_version = -1`)
	cut := filepath.Join(dir, "cut.db")
	s, err := store.Open(context.Background(), cut)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	whole, _ := os.ReadFile(cut)
	os.WriteFile(cut, whole[:len(whole)-1000], 0o644)

	cases := []struct {
		path, lang, want string
	}{
		{notDB, "vi", "không phải cơ sở dữ liệu của hocso"},
		{notDB, "en", "is not a hocso database"},
		{newer, "vi", "phiên bản hocso mới hơn tạo ra (lược đồ 42"},
		{newer, "en", "newer hocso (schema 42"},
		{foreign, "vi", "là cơ sở dữ liệu SQLite của một chương trình khác"},
		{foreignMeta, "en", "an SQLite database of another program"},
		{minusOne, "vi", "ghi phiên bản lược đồ -1"},
		{minusOne, "en", "schema version -1, a number"},
		{cut, "vi", "hocso doctor --repair"},
		{cut, "en", "is damaged"},
	}
	for _, c := range cases {
		before, _ := os.ReadFile(c.path)
		code, _, errOut := hocso(t, map[string]string{"HOCSO_DB": c.path, "HOCSO_LANG": c.lang}, "learner", "list")
		if code == 0 || !strings.Contains(errOut, c.want) || !strings.Contains(errOut, c.path) {
			t.Errorf("%s (%s): exit %d, %q; want %q", filepath.Base(c.path), c.lang, code, errOut, c.want)
		}
		if after, _ := os.ReadFile(c.path); !bytes.Equal(before, after) {
			t.Errorf("%s was changed", c.path)
		}
		if _, err := os.Stat(c.path + "-wal"); err == nil {
			t.Errorf("%s-wal was created", c.path)
		}
	}
}

// A read-only database still serves the commands that only read, opened
// without a byte changing; learning, which writes, is refused with a clear
// message. Read-only files can only be tested as a user the permissions bind;
// as root the test runs the real binary as "nobody" when setpriv can switch
// to it.
func TestReadOnlyDatabaseServesReadCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "hocso.db")
	s, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	l, _ := s.CreateLearner(context.Background(), store.ProfilePayload{FullName: "Lý Thị Hoa", UnitPath: "Huế / Phường Thuận Hóa"})
	s.Close()
	os.Chmod(db, 0o444)
	os.Chmod(dir, 0o555)
	defer os.Chmod(dir, 0o755)
	before, _ := os.ReadFile(db)

	var bin string
	run := func(args ...string) (int, string, string) {
		if os.Geteuid() != 0 {
			return hocso(t, map[string]string{"HOCSO_DB": db, "HOCSO_LANG": "vi"}, args...)
		}
		setpriv, err := exec.LookPath("setpriv")
		if err != nil {
			t.Skip("running as root without setpriv: cannot test a read-only file")
		}
		for d := dir; d != "/" && d != "."; d = filepath.Dir(d) {
			if d != dir {
				os.Chmod(d, 0o755) // nobody must reach the file to read it
			}
		}
		if bin == "" {
			bin = buildBinary(t)
			os.Chmod(filepath.Dir(bin), 0o755)
		}
		cmd := exec.Command(setpriv, append([]string{"--reuid=65534", "--regid=65534", "--clear-groups", bin}, args...)...)
		cmd.Env = []string{"HOCSO_DB=" + db, "HOCSO_LANG=vi", "PATH=/usr/bin:/bin"}
		cmd.Stdin = strings.NewReader("")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		code := 0
		if ee, ok := cmd.Run().(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
		return code, stdout.String(), stderr.String()
	}
	code, out, errOut := run("learner", "list", "--json")
	if code != 0 || !strings.Contains(out, l.ID) {
		t.Fatalf("learner list on a read-only database: exit %d, %q %q", code, out, errOut)
	}
	code, out, errOut = run("progress", "--json")
	if code != 0 || !strings.Contains(out, "Lý Thị Hoa") {
		t.Fatalf("progress --json on a read-only database: exit %d, %q %q", code, out, errOut)
	}
	code, _, errOut = run("--accessible")
	if code == 0 || !strings.Contains(errOut, "chỉ cho đọc") {
		t.Fatalf("learning on a read-only database: exit %d, %q", code, errOut)
	}
	if after, _ := os.ReadFile(db); !bytes.Equal(before, after) {
		t.Fatal("the read-only database was changed")
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(db + suffix); err == nil {
			t.Fatalf("%s%s was created", db, suffix)
		}
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := hocso(t, nil, "version", "--json")
	var v map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &v) != nil || v["version"] == "" || v["schema"] == nil {
		t.Fatalf("version = %d %s", code, out)
	}
}

// A PIN-protected learner's answers are not shown without the PIN: the whole
// list keeps scores and statuses but withholds the answers, and asking for
// the learner by id without a terminal to type the PIN on is refused.
func TestProgressWithholdsPINLearnersAnswers(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "hocso.db")
	s, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	ref := store.PackRef{ID: "vn.hocso.chuyen-doi-so", Version: "1.0.0"} // the built-in pack
	var ids []string
	for _, name := range []string{"Có PIN", "Không PIN"} {
		l, _ := s.CreateLearner(ctx, store.ProfilePayload{FullName: name})
		a, _ := s.StartAttempt(ctx, l.ID, ref, "m", "q", 1, []string{"q1"}, 50)
		s.RecordAnswer(ctx, a, ref, "q1", store.AnsweredPayload{Answer: []byte(`{"text":"bí mật"}`), Score: 1, MaxScore: 1})
		ids = append(ids, l.ID)
	}
	s.SetPIN(ctx, ids[0], "2468")
	s.Close()
	env := map[string]string{"HOCSO_DB": db, "HOCSO_LANG": "vi"}
	code, out, errOut := hocso(t, env, "progress", "--json", "--answers", "--learner", ids[0])
	if code != 1 || strings.Contains(out, "bí mật") || !strings.Contains(errOut, "có mã PIN") {
		t.Fatalf("progress --learner (PIN, no terminal): exit %d, %q, %q", code, out, errOut)
	}
	code, out, _ = hocso(t, env, "progress", "--json", "--answers", "--learner", ids[1])
	if code != 0 || !strings.Contains(out, "bí mật") {
		t.Fatalf("progress --learner (no PIN): exit %d, %q", code, out)
	}
	code, out, _ = hocso(t, env, "progress", "--json", "--answers")
	if code != 0 || strings.Count(out, "bí mật") != 1 || len(regexp.MustCompile(`"answers_withheld":\s*true`).FindAllString(out, -1)) != 1 {
		t.Fatalf("progress (all): exit %d\n%s", code, out)
	}
}

// progress --json lists every attempt with its scores but no answers; they
// come with --answers, in the order the attempt asked the questions, which
// only makes sense with --json.
func TestProgressAnswersOnlyWhenAsked(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "hocso.db")
	s, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	l, _ := s.CreateLearner(ctx, store.ProfilePayload{FullName: "Vũ Thị Thu"})
	ref := store.PackRef{ID: "vn.hocso.chuyen-doi-so", Version: "1.0.0"} // the built-in pack
	a, _ := s.StartAttempt(ctx, l.ID, ref, "cmcn4", "cmcn4-quiz", 1, []string{"q2", "q1"}, 50)
	for _, q := range []string{"q1", "q2"} {
		s.RecordAnswer(ctx, a, ref, q, store.AnsweredPayload{QuestionHash: "h", Answer: []byte(`{"text":"đáp-án-` + q + `"}`), Score: 1, MaxScore: 2})
	}
	s.SubmitAttempt(ctx, a, ref, 4)
	s.Close()
	env := map[string]string{"HOCSO_DB": db, "HOCSO_LANG": "vi"}
	decode := func(out string) attemptRecord {
		t.Helper()
		var lp []learnerProgress
		if err := json.Unmarshal([]byte(out), &lp); err != nil || len(lp) != 1 || len(lp[0].Packs[0].Attempts) != 1 {
			t.Fatalf("progress --json: %v\n%s", err, out)
		}
		return lp[0].Packs[0].Attempts[0]
	}
	code, out, errOut := hocso(t, env, "progress", "--json")
	got := decode(out)
	if code != 0 || strings.Contains(out, "đáp-án") || strings.Contains(out, `"answers"`) ||
		got.ID != a.ID || got.Score != 2 || got.MaxScore != 4 || got.SubmittedAt == nil || len(got.QuestionIDs) != 2 {
		t.Fatalf("progress --json: exit %d %s\n%s", code, errOut, out)
	}
	code, out, errOut = hocso(t, env, "progress", "--json", "--answers")
	got = decode(out)
	if code != 0 || len(got.Answers) != 2 || got.Answers[0].QuestionID != "q2" || string(got.Answers[1].Answer) != `{"text":"đáp-án-q1"}` {
		t.Fatalf("progress --json --answers: exit %d %s\n%s", code, errOut, out)
	}
	code, out, errOut = hocso(t, env, "progress", "--answers")
	if code != 2 || out != "" || !strings.Contains(errOut, "--answers chỉ dùng cùng --json") {
		t.Fatalf("progress --answers without --json: exit %d, %q, %q", code, out, errOut)
	}
}

// On a terminal, progress --learner asks for a PIN-protected learner's PIN
// without echoing it; a wrong PIN is refused and counts towards the lockout.
func TestProgressAsksForPINOnTerminal(t *testing.T) {
	needTmux(t)
	needBinaryTests(t)
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "hocso.db")
	s, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	l, _ := s.CreateLearner(ctx, store.ProfilePayload{FullName: "Có PIN"})
	ref := store.PackRef{ID: "vn.hocso.chuyen-doi-so", Version: "1.0.0"}
	a, _ := s.StartAttempt(ctx, l.ID, ref, "m", "q", 1, []string{"q1"}, 50)
	s.RecordAnswer(ctx, a, ref, "q1", store.AnsweredPayload{Answer: []byte(`{"text":"bi-mat-42"}`), Score: 1, MaxScore: 1})
	s.SetPIN(ctx, l.ID, "2468")
	s.Close()
	bin := buildBinary(t)

	tm := startTmux(t, bin, db, "progress", "--json", "--answers", "--learner", l.ID)
	tm.waitFor("Nhập mã PIN của Có PIN:")
	tm.send("1111", "Enter")
	scr := tm.waitFor("Mã PIN không đúng")
	if strings.Contains(scr, "1111") || strings.Contains(scr, "bi-mat-42") {
		t.Fatalf("the PIN was echoed or the answers shown:\n%s", scr)
	}
	tm.kill()
	tm = startTmux(t, bin, db, "progress", "--json", "--answers", "--learner", l.ID)
	tm.waitFor("Nhập mã PIN của Có PIN:")
	tm.send("2468", "Enter")
	// An attempt is one line of JSON, which the pane wraps: look for the
	// answer with the wrapping undone.
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(strings.ReplaceAll(tm.screen(), "\n", ""), "bi-mat-42") {
		if time.Now().After(deadline) {
			t.Fatalf("the answers were not shown after the PIN:\n%s", tm.screen())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if strings.Contains(tm.screen(), "2468") {
		t.Fatalf("the PIN was echoed:\n%s", tm.screen())
	}
}
