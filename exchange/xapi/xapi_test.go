package xapi

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"hocso/lessons"
	"hocso/quiz"
	"hocso/store"
)

// learned makes a device where one learner with a staff code and one without
// read lessons and took a quiz, one passing, one failing.
func learned(t *testing.T) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "hocso.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	clock := time.Date(2026, 10, 5, 2, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { clock = clock.Add(90 * time.Second); return clock }
	pack := store.PackRef{ID: "nq52", Version: "1.0.0", Hash: "sha256:x"}
	for i, staff := range []string{"HN-0042", ""} {
		l, err := s.CreateLearner(ctx, store.ProfilePayload{FullName: "Lê Văn Tám", StaffCode: staff, UnitPath: "Hà Nội / Phường Ba Đình"})
		check(t, err)
		check(t, s.OpenLesson(ctx, l.ID, pack, "m1", "l1"))
		check(t, s.CompleteLesson(ctx, l.ID, pack, "m1", "l1"))
		a, err := s.StartAttempt(ctx, l.ID, pack, "m1", "q1", 5, []string{"c1", "c2"}, 50)
		check(t, err)
		check(t, s.RecordAnswer(ctx, a, pack, "c1", store.AnsweredPayload{QuestionHash: "h", Answer: json.RawMessage(`{"choices":["b"]}`), Score: float64(1 - i), MaxScore: 1}))
		check(t, s.RecordAnswer(ctx, a, pack, "c2", store.AnsweredPayload{QuestionHash: "h", Answer: json.RawMessage(`{"choices":["a"]}`), Score: float64(1 - i), MaxScore: 1}))
		_, err = s.SubmitAttempt(ctx, a, pack, 2)
		check(t, err)
	}
	return s
}

func check(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func catalog() *Catalog {
	return NewCatalog([]*lessons.Pack{{ID: "nq52", Title: quiz.Text{"vi": "Nghị quyết 52", "en": "Resolution 52"},
		Modules: []*lessons.Module{{ID: "m1", Title: quiz.Text{"vi": "Chương 1", "en": "Chapter 1"},
			Lessons: []*lessons.Lesson{{ID: "l1", Title: quiz.Text{"vi": "Bài 1", "en": "Lesson 1"}}},
			Quiz: &quiz.Quiz{ID: "q1", Title: quiz.Text{"vi": "Kiểm tra", "en": "Quiz"},
				Questions: []quiz.Question{{ID: "c1", Text: quiz.Text{"vi": "Câu một?", "en": "Question one?"}}}}}}}})
}

func statements(t *testing.T, s *store.Store) []Statement {
	t.Helper()
	m := &Mapper{HomePage: "https://hanoi.gov.vn", Names: catalog(), Store: s}
	evs, err := s.Events(context.Background(), "")
	check(t, err)
	var out []Statement
	for _, ev := range evs {
		st, err := m.Statement(context.Background(), ev)
		if err == ErrNoStatement {
			continue
		}
		check(t, err)
		out = append(out, st)
	}
	return out
}

func TestStatementMapping(t *testing.T) {
	s := learned(t)
	sts := statements(t, s)
	evs, _ := s.Events(context.Background(), "")
	if len(sts) != len(evs)-2 {
		t.Fatalf("%d statements for %d events; want one for each but the 2 profiles", len(sts), len(evs))
	}
	byVerb := map[string][]Statement{}
	for _, st := range sts {
		byVerb[st.Verb.Display["en-US"]] = append(byVerb[st.Verb.Display["en-US"]], st)
	}
	for verb, n := range map[string]int{"experienced": 2, "completed": 2, "attempted": 2, "answered": 4, "passed": 1, "failed": 1} {
		if len(byVerb[verb]) != n {
			t.Errorf("%d %q statements; want %d", len(byVerb[verb]), verb, n)
		}
	}
	passed := byVerb["passed"][0]
	if passed.Actor.Account != (Account{HomePage: "https://hanoi.gov.vn", Name: "HN-0042"}) {
		t.Errorf("actor = %+v; want the staff code on the homePage", passed.Actor)
	}
	if name := byVerb["failed"][0].Actor.Account.Name; len(name) != 36 {
		t.Errorf("actor without a staff code = %q; want the learner id", name)
	}
	if passed.Object.ID != "https://hanoi.gov.vn/xapi/packs/nq52/quizzes/q1" || passed.Object.Definition.Type != typeQuiz ||
		passed.Object.Definition.Name["vi-VN"] != "Kiểm tra" {
		t.Errorf("quiz object = %+v", passed.Object)
	}
	r := passed.Result
	if r == nil || *r.Success != true || *r.Completion != true || r.Score.Scaled != 1 || r.Score.Raw != 2 || r.Score.Max != 2 ||
		r.Duration != "PT9M" { // six ticks of the test clock, 90 s each, from start to submission
		t.Errorf("passed result = %+v (score %+v)", r, r.Score)
	}
	parents := passed.Context.ContextActivities.Parent
	if len(parents) != 2 || !strings.HasSuffix(parents[0].ID, "/packs/nq52/modules/m1") || !strings.HasSuffix(parents[1].ID, "/packs/nq52") {
		t.Errorf("parents = %+v; want the module and the pack", parents)
	}
	answer := byVerb["answered"][0]
	if answer.Context.Registration != passed.Context.Registration || answer.Result.Response != `{"choices":["b"]}` ||
		answer.Object.Definition.Name["en-US"] != "Question one?" {
		t.Errorf("answer = %+v, result %+v", answer, answer.Result)
	}
	for _, st := range sts {
		if _, err := time.Parse(time.RFC3339Nano, st.Timestamp); err != nil || !strings.HasSuffix(st.Timestamp, "Z") {
			t.Errorf("timestamp %q is not UTC RFC 3339", st.Timestamp)
		}
	}
}

func TestDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0:                       "PT0S",
		1500 * time.Millisecond: "PT1.5S",
		6 * time.Minute:         "PT6M",
		time.Hour + 2*time.Minute + 3*time.Second: "PT1H2M3S",
		26 * time.Hour: "PT26H",
	} {
		if got := Duration(d); got != want {
			t.Errorf("Duration(%v) = %q; want %q", d, got, want)
		}
	}
}

// validator returns the folder holding node_modules/@learninglocker/xapi-validation,
// installing it with npm into a cache folder when needed, or skips.
func validator(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("xAPI validation skipped: node is not installed (apt-get install nodejs npm)")
	}
	dir := os.Getenv("HOCSO_XAPI_VALIDATION")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "hocso-xapi-validation")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@learninglocker", "xapi-validation")); err == nil {
		return dir
	}
	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("xAPI validation skipped: npm is not installed (apt-get install npm)")
	}
	out, err := exec.Command("npm", "install", "--prefix", dir, "--no-audit", "--no-fund",
		"@learninglocker/xapi-validation@3.0.0").CombinedOutput()
	if err != nil {
		t.Skipf("xAPI validation skipped: npm could not install @learninglocker/xapi-validation: %v\n%s", err, out)
	}
	return dir
}

// Every statement passes Learning Locker's validator.
func TestStatementsPassXAPIValidation(t *testing.T) {
	dir := validator(t)
	sts := statements(t, learned(t))
	file := filepath.Join(t.TempDir(), "statements.json")
	b, _ := json.Marshal(sts)
	check(t, os.WriteFile(file, b, 0o644))
	script := `const v = require('@learninglocker/xapi-validation').default;
const sts = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'));
const bad = sts.map((s, i) => ({i, w: v(s)})).filter(x => x.w.length > 0);
console.log(JSON.stringify({count: sts.length, bad}));`
	cmd := exec.Command("node", "-e", script, file)
	cmd.Env = append(os.Environ(), "NODE_PATH="+filepath.Join(dir, "node_modules"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	var res struct {
		Count int               `json:"count"`
		Bad   []json.RawMessage `json:"bad"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("validator said %s", out)
	}
	if res.Count != len(sts) || len(res.Bad) > 0 {
		t.Fatalf("%d of %d statements invalid:\n%s", len(res.Bad), res.Count, out)
	}
}

// lrsDouble is a minimal LRS on a real loopback socket: it keeps statements
// by id, answers a batch holding a known id with 409 as many LRSs do, and a
// PUT of a known id with 204 when the statement is the same.
type lrsDouble struct {
	mu         sync.Mutex
	statements map[string]json.RawMessage
	posts      int
	failFirst  int // answer 503 to this many requests first
	failAfter  int // answer 500 to every POST after this many (0: never)
	badHeaders []string
}

func (l *lrsDouble) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if r.Header.Get("X-Experience-API-Version") != "1.0.3" || r.Header.Get("Authorization") != "Basic "+base64.StdEncoding.EncodeToString([]byte("lrs:secret")) {
		l.badHeaders = append(l.badHeaders, fmt.Sprint(r.Header))
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	if l.failFirst > 0 {
		l.failFirst--
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	body, _ := io.ReadAll(r.Body)
	switch r.Method {
	case http.MethodPost:
		l.posts++
		if l.failAfter > 0 && l.posts > l.failAfter {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		var sts []json.RawMessage
		json.Unmarshal(body, &sts)
		var ids []string
		for _, st := range sts {
			var head struct{ ID string }
			json.Unmarshal(st, &head)
			if _, ok := l.statements[head.ID]; ok {
				w.WriteHeader(http.StatusConflict)
				return
			}
			ids = append(ids, head.ID)
		}
		for i, st := range sts {
			l.statements[ids[i]] = st
		}
		json.NewEncoder(w).Encode(ids)
	case http.MethodPut:
		id := r.URL.Query().Get("statementId")
		if old, ok := l.statements[id]; ok && string(old) != string(body) {
			w.WriteHeader(http.StatusConflict)
			return
		}
		l.statements[id] = body
		w.WriteHeader(http.StatusNoContent)
	}
}

func TestPushToLRS(t *testing.T) {
	ctx := context.Background()
	s := learned(t)
	all := statements(t, s)
	double := &lrsDouble{statements: map[string]json.RawMessage{}, failFirst: 1, failAfter: 2}
	// The LRS already has two statements, as after an earlier push that lost its answer.
	for _, st := range all[:2] {
		b, _ := json.Marshal(st)
		double.statements[st.ID] = b
	}
	srv := httptest.NewServer(double)
	defer srv.Close()
	lrs, err := NewLRS(srv.URL, "lrs", "secret")
	check(t, err)
	lrs.Backoff.First = time.Millisecond
	m := &Mapper{HomePage: "https://hanoi.gov.vn", Names: catalog(), Store: s}

	// Batches of 3 events; the LRS fails for good after two POSTs.
	res, err := Push(ctx, s, m, lrs, 3, nil)
	if err == nil {
		t.Fatal("push to a failing LRS returned nil")
	}
	firstCursor := res.Cursor
	if firstCursor == 0 {
		t.Fatalf("cursor did not move past the delivered batches: %+v", res)
	}
	double.mu.Lock()
	double.failAfter = 0
	double.mu.Unlock()
	if res, err = Push(ctx, s, m, lrs, 3, nil); err != nil {
		t.Fatal(err)
	}
	double.mu.Lock()
	defer double.mu.Unlock()
	if len(double.badHeaders) > 0 {
		t.Fatalf("requests without version header or Basic auth: %v", double.badHeaders)
	}
	if len(double.statements) != len(all) {
		t.Fatalf("LRS holds %d statements; want %d", len(double.statements), len(all))
	}
	for _, st := range all {
		if _, ok := double.statements[st.ID]; !ok {
			t.Fatalf("statement %s (%s) not delivered", st.ID, st.Verb.ID)
		}
	}
	if res.Cursor <= firstCursor {
		t.Fatalf("second push cursor %d; want past %d", res.Cursor, firstCursor)
	}
}

func TestExportWritesAJSONArray(t *testing.T) {
	s := learned(t)
	var b strings.Builder
	n, err := Export(context.Background(), s, &Mapper{HomePage: "https://hanoi.gov.vn", Store: s}, &b)
	check(t, err)
	var sts []Statement
	if err := json.Unmarshal([]byte(b.String()), &sts); err != nil || len(sts) != n || n != 12 {
		t.Fatalf("export wrote %d statements, parsed %d, %v", n, len(sts), err)
	}
}
