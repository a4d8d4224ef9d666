package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"hocso/locales"
	"hocso/store"
	"hocso/store/pgtest"
)

// The office's and the learner's whole hub path through the CLI: tokens, a
// running hub, setup, push, pull, revocation and an xAPI export.
func TestHubCommandsEndToEnd(t *testing.T) {
	dir := t.TempDir()
	hubDB, devDB := filepath.Join(dir, "hub.db"), filepath.Join(dir, "device.db")
	env := map[string]string{}

	if code, _, errOut := hocso(t, env, "--db", hubDB, "hub", "token", "create"); code != 1 || !strings.Contains(errOut, "--unit") {
		t.Fatalf("token create without a unit = %d %q", code, errOut)
	}
	code, out, errOut := hocso(t, env, "--db", hubDB, "hub", "token", "create", "--unit", "Hà Nội", "--label", "PC 1", "--json")
	var tok struct{ Token, ID string }
	if code != 0 || json.Unmarshal([]byte(out), &tok) != nil || tok.Token == "" {
		t.Fatalf("token create = %d %q %q", code, out, errOut)
	}
	if code, out, _ := hocso(t, env, "--db", hubDB, "hub", "token", "list"); code != 0 || !strings.Contains(out, tok.ID) || !strings.Contains(out, "đang dùng") {
		t.Fatalf("token list = %d %q", code, out)
	}
	if code, _, errOut := hocso(t, env, "--db", hubDB, "serve", "--listen", "0.0.0.0:0"); code != 1 || !strings.Contains(errOut, "TLS") {
		t.Fatalf("serve on all interfaces without TLS = %d %q", code, errOut)
	}
	url := serveInProcess(t, hubDB)

	learner := recordSomething(t, devDB, "Hà Nội / Phường Ba Đình")
	if code, _, errOut := hocso(t, env, "--db", devDB, "sync", "push"); code != 1 || !strings.Contains(errOut, "hocso sync setup") {
		t.Fatalf("push before setup = %d %q", code, errOut)
	}
	if code, out, errOut := hocso(t, env, "--db", devDB, "sync", "setup", "--hub", url, "--token", tok.Token); code != 0 {
		t.Fatalf("setup = %d %q %q", code, out, errOut)
	}
	code, out, errOut = hocso(t, env, "--db", devDB, "sync", "push", "--json")
	var pushed struct{ Sent, New, Pending int }
	if code != 0 || json.Unmarshal([]byte(out), &pushed) != nil || pushed.Sent != 3 || pushed.New != 3 || pushed.Pending != 0 {
		t.Fatalf("push = %d %q %q", code, out, errOut)
	}

	// Another PC pulls the learner.
	other := filepath.Join(dir, "other.db")
	hocso(t, env, "--db", other, "sync", "setup", "--hub", url, "--token", tok.Token)
	if code, out, errOut := hocso(t, env, "--db", other, "sync", "pull", "--learner", learner); code != 0 || !strings.Contains(out, "3") {
		t.Fatalf("pull = %d %q %q", code, out, errOut)
	}
	if code, out, _ := hocso(t, env, "--db", other, "learner", "list"); code != 0 || !strings.Contains(out, "Đỗ Thị Hoa") {
		t.Fatalf("learner list after pull = %d %q", code, out)
	}

	// The office exports statements for its LRS.
	file := filepath.Join(dir, "statements.json")
	if code, out, errOut := hocso(t, env, "--db", hubDB, "xapi", "export", "-o", file, "--home-page", "https://hanoi.gov.vn"); code != 0 || !strings.Contains(out, "2 câu lệnh") {
		t.Fatalf("xapi export = %d %q %q", code, out, errOut)
	}
	if b, err := os.ReadFile(file); err != nil || !strings.Contains(string(b), `"homePage":"https://hanoi.gov.vn"`) {
		t.Fatalf("statements file: %v\n%s", err, b)
	}

	// A revoked token sends nothing more.
	if code, _, _ := hocso(t, env, "--db", hubDB, "hub", "token", "revoke", tok.ID); code != 0 {
		t.Fatal("revoke failed")
	}
	recordSomething(t, devDB, "Hà Nội / Phường Ba Đình")
	if code, _, errOut := hocso(t, env, "--db", devDB, "sync", "push"); code != 1 || !strings.Contains(errOut, "thu hồi") {
		t.Fatalf("push with a revoked token = %d %q", code, errOut)
	}
}

var listeningLine = regexp.MustCompile(`Hub listening on (\S+),`)

// serveInProcess runs `hocso serve` until the test ends and returns its URL.
func serveInProcess(t *testing.T, db string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"--lang", "en", "--db", db, "serve", "--listen", "127.0.0.1:0"},
			strings.NewReader(""), pw, io.Discard, func(string) string { return "" })
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	m := listeningLine.FindStringSubmatch(line)
	if err != nil || m == nil {
		t.Fatalf("serve said %q, %v", line, err)
	}
	go io.Copy(io.Discard, pr)
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve exited %d", code)
		}
	})
	return "http://" + m[1]
}

// recordSomething makes a learner on a device with a profile and a lesson
// opened and completed (three events), and returns the learner's id.
func recordSomething(t *testing.T, db, unit string) string {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	l, err := s.CreateLearner(ctx, store.ProfilePayload{FullName: "Đỗ Thị Hoa", UnitPath: unit})
	if err != nil {
		t.Fatal(err)
	}
	pack := store.PackRef{ID: "nq52", Version: "1", Hash: "h"}
	if err := s.OpenLesson(ctx, l.ID, pack, "m1", "l1"); err != nil {
		t.Fatal(err)
	}
	if err := s.CompleteLesson(ctx, l.ID, pack, "m1", "l1"); err != nil {
		t.Fatal(err)
	}
	return l.ID
}

// The send screen's Push pushes to the hub set up on the PC and reports progress.
func TestSenderSendsToHub(t *testing.T) {
	dir := t.TempDir()
	hubDB, devDB := filepath.Join(dir, "hub.db"), filepath.Join(dir, "device.db")
	_, out, _ := hocso(t, map[string]string{}, "--db", hubDB, "hub", "token", "create", "--unit", "Huế", "--json")
	var tok struct{ Token string }
	json.Unmarshal([]byte(out), &tok)
	url := serveInProcess(t, hubDB)
	recordSomething(t, devDB, "Huế / Phường Thuận Hóa")
	ctx := context.Background()
	s, err := store.Open(ctx, devDB)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	e := &env{ctx: ctx, stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }, loc: locales.New("en")}
	x := e.newSender(ctx, s)
	if x.HubURL() != "" {
		t.Fatal("HubURL before setup is not empty")
	}
	if _, err := x.Push(func(int, int) {}); err == nil {
		t.Fatal("Push before setup returned nil")
	}
	if code, _, errOut := hocso(t, map[string]string{}, "--db", devDB, "sync", "setup", "--hub", url, "--token", tok.Token); code != 0 {
		t.Fatalf("setup: %s", errOut)
	}
	// A copy of this PC's file, made before it sends, with one event
	// altered (a cloned PC, a damaged disk): the hub confirms its events
	// and counts the altered one a conflict.
	clone := filepath.Join(dir, "clone.db")
	copyFile(t, devDB, clone)
	db, err := sql.Open("sqlite", clone)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE events SET item_id = item_id || '-khác' WHERE seq = (SELECT max(seq) FROM events)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if code, _, errOut := hocso(t, map[string]string{}, "--db", clone, "sync", "setup", "--hub", url, "--token", tok.Token); code != 0 {
		t.Fatalf("setup of the copy: %s", errOut)
	}

	var last [2]int
	rep, err := x.Push(func(sent, total int) { last = [2]int{sent, total} })
	if err != nil || rep.Written != 3 || rep.Pending != 0 || rep.Conflicts != 0 || last != [2]int{3, 3} || x.HubURL() != url {
		t.Fatalf("Push = %+v, %v; progress %v; HubURL %q", rep, err, last, x.HubURL())
	}
	cs, err := store.Open(ctx, clone)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	rep, err = e.newSender(ctx, cs).Push(func(int, int) {})
	if err != nil || rep.Written != 3 || rep.Pending != 0 || rep.Conflicts != 1 {
		t.Fatalf("Push of the altered copy = %+v, %v; want 3 confirmed, 1 conflict", rep, err)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// A PostgreSQL address is not a path: no folder check refuses it.
func TestPostgresAddressIsNotAFolder(t *testing.T) {
	e := &env{dbPath: "postgres://hocso@127.0.0.1:1/hocso", dbExplicit: true}
	if err := e.checkDBPath(); err != nil {
		t.Fatalf("checkDBPath(postgres://…) = %v", err)
	}
}

// A pack installed into a PostgreSQL database goes to hocso's data folder,
// in a folder of that database's own, and is found there again.
func TestPostgresPacksInDataFolder(t *testing.T) {
	if !pgtest.Configured() {
		t.Skipf("skipped: %s is not set", pgtest.EnvVar)
	}
	dsn := pgtest.DSN(t)
	home := t.TempDir()
	env := map[string]string{"HOME": home, "XDG_DATA_HOME": filepath.Join(home, "data")}
	pack := filepath.Join(t.TempDir(), "goi")
	if code, _, errOut := hocso(t, env, "dev", "pack", "--questions", "20", "--modules", "2", "-o", pack); code != 0 {
		t.Fatalf("dev pack: %s", errOut)
	}
	if code, _, errOut := hocso(t, env, "--db", dsn, "pack", "install", pack, "--allow-unsigned"); code != 0 {
		t.Fatalf("pack install: %s", errOut)
	}
	dirs, _ := filepath.Glob(filepath.Join(home, "data", "hocso", "postgres-*", "packs", "*@*"))
	if len(dirs) != 1 {
		t.Fatalf("installed pack folders in the data folder: %v; want one", dirs)
	}
	if stray, _ := filepath.Glob("postgres*"); len(stray) > 0 {
		t.Fatalf("the install wrote %v into the current folder", stray)
	}
	code, out, errOut := hocso(t, env, "--db", dsn, "pack", "list", "--json")
	if code != 0 || !strings.Contains(out, filepath.Base(dirs[0])) {
		t.Fatalf("pack list: exit %d\n%s%s", code, out, errOut)
	}
}
