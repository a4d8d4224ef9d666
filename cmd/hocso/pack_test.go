package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"hocso/lessons"
	"hocso/store"
)

// trainer is a trainer's laptop and a learner's PC in one: a working folder
// and a database, with hocso run in-process.
type trainer struct {
	t   *testing.T
	dir string
	env map[string]string
}

func newTrainer(t *testing.T) *trainer {
	dir := t.TempDir()
	return &trainer{t: t, dir: dir, env: map[string]string{"HOCSO_DB": filepath.Join(dir, "data", "hocso.db"), "HOCSO_LANG": "vi"}}
}

func (tr *trainer) path(name string) string { return filepath.Join(tr.dir, name) }

// ok runs hocso and fails the test unless it succeeds; it returns stdout.
func (tr *trainer) ok(args ...string) string {
	tr.t.Helper()
	code, out, errOut := hocso(tr.t, tr.env, args...)
	if code != 0 {
		tr.t.Fatalf("hocso %s = %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

// refused runs hocso, expects exit code 1 and returns stdout and stderr together.
func (tr *trainer) refused(args ...string) string {
	tr.t.Helper()
	code, out, errOut := hocso(tr.t, tr.env, args...)
	if code != 1 {
		tr.t.Fatalf("hocso %s = %d; want 1\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out, errOut)
	}
	return out + errOut
}

func (tr *trainer) edit(name, old, new string) {
	tr.t.Helper()
	name = tr.path(name)
	b, err := os.ReadFile(name)
	if err != nil || !bytes.Contains(b, []byte(old)) {
		tr.t.Fatalf("%s has no %q (%v)", name, old, err)
	}
	os.WriteFile(name, bytes.Replace(b, []byte(old), []byte(new), 1), 0o644)
}

// installed lists the ids and versions `pack list --json` shows, and who signed each.
func (tr *trainer) installed() []packInfo {
	tr.t.Helper()
	var infos []packInfo
	if err := json.Unmarshal([]byte(tr.ok("pack", "list", "--json")), &infos); err != nil {
		tr.t.Fatal(err)
	}
	return infos[1:] // the built-in pack is always first
}

func wantIn(t *testing.T, text string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(text, p) {
			t.Errorf("output lacks %q:\n%s", p, text)
		}
	}
}

const (
	quizTOML = "goi/modules/01-gioi-thieu/quiz.toml"
	lessonVI = "goi/modules/01-gioi-thieu/01-bai-dau-tien.vi.md"
)

func TestPackNewValidateBuild(t *testing.T) {
	tr := newTrainer(t)
	out := tr.ok("pack", "new", tr.path("goi"), "--id", "vn.gov.thu-nghiem")
	wantIn(t, out, "Đã tạo gói mẫu", "hocso pack validate")
	tr.refused("pack", "new", tr.path("goi"))
	wantIn(t, tr.refused("pack", "new", tr.path("khac"), "--id", "Sai Mã"), "không phải mã gói hợp lệ")

	out = tr.ok("pack", "validate", tr.path("goi"))
	wantIn(t, out, "vn.gov.thu-nghiem phiên bản 1.0.0 hợp lệ (0 cảnh báo", "vi: 1 học phần, 1 bài học, 2 câu hỏi", "en: 1 học phần")
	var rep validateReport
	if err := json.Unmarshal([]byte(tr.ok("pack", "validate", "--json", tr.path("goi"))), &rep); err != nil {
		t.Fatal(err)
	}
	if !rep.Valid || rep.Errors != 0 || len(rep.Problems) != 0 || rep.Counts["vi"] != (lessons.Counts{Modules: 1, Lessons: 1, Questions: 2}) ||
		rep.Counts["en"] != rep.Counts["vi"] {
		t.Errorf("validate --json = %+v", rep)
	}

	out = tr.ok("pack", "build", tr.path("goi"), "-o", tr.path("goi.hocpack"))
	wantIn(t, out, "Đã đóng gói", "goi.hocpack", "hocso pack sign")
	wantIn(t, tr.ok("pack", "validate", tr.path("goi.hocpack")), "hợp lệ")
	wantIn(t, tr.refused("pack", "build", tr.path("goi.hocpack")), "cần thư mục của gói")
	wantIn(t, tr.refused("pack", "validate", tr.path("khong-co")), "Không tìm thấy")

	// Without -o the archive is named after the pack.
	cwd, _ := os.Getwd()
	os.Chdir(tr.dir)
	defer os.Chdir(cwd)
	tr.ok("pack", "build", "goi")
	if _, err := os.Stat(tr.path("vn.gov.thu-nghiem-1.0.0.hocpack")); err != nil {
		t.Error(err)
	}
}

// TestPackValidateReportsEveryProblem spoils a new pack in every way the
// issue names and checks one run reports them all, each with its file,
// line and field, in Vietnamese and in English.
func TestPackValidateReportsEveryProblem(t *testing.T) {
	tr := newTrainer(t)
	tr.ok("pack", "new", tr.path("goi"))
	tr.edit(quizTOML, "correct = true", "")                                                                  // no correct option
	tr.edit(quizTOML, `id = "gioi-thieu-q02"`, `id = "gioi-thieu-q01"`)                                      // duplicate id
	tr.edit(lessonVI, "Viết đoạn văn ngắn", "Vi\xe1t đoạn văn ngắn")                                         // invalid UTF-8
	tr.edit("goi/modules/01-gioi-thieu/01-bai-dau-tien.en.md", "Write short", "\x1b[31mWrite short")         // escape
	tr.edit("goi/modules/01-gioi-thieu/module.toml", `vi = "Giới thiệu"`, "vi = \"Gio\u0301i thie\u0323u\"") // NFD
	os.Symlink("/etc/passwd", tr.path("goi/modules/01-gioi-thieu/02-passwd.vi.md"))

	code, out, errOut := hocso(t, tr.env, "pack", "validate", tr.path("goi"))
	if code != 1 {
		t.Fatalf("validate = %d\n%s%s", code, out, errOut)
	}
	wantIn(t, errOut,
		"modules/01-gioi-thieu/quiz.toml:20: gioi-thieu-q01.option: lỗi: Câu chọn một đáp án phải có đúng một phương án correct = true (đang có 0).",
		"modules/01-gioi-thieu/quiz.toml:34: id: lỗi: Mã \"gioi-thieu-q01\" bị trùng",
		"modules/01-gioi-thieu/01-bai-dau-tien.vi.md:13: lỗi: Tệp không được mã hóa UTF-8",
		"modules/01-gioi-thieu/01-bai-dau-tien.en.md:13: cảnh báo: Đã loại bỏ ký tự điều khiển",
		"modules/01-gioi-thieu/module.toml:5: cảnh báo: Đã loại bỏ ký tự điều khiển hoặc chuỗi thoát của terminal, hoặc chuẩn hóa văn bản về dạng NFC",
		"modules/01-gioi-thieu/02-passwd.vi.md: lỗi: Đây là liên kết tượng trưng (symlink)",
		"có 4 lỗi cần sửa (và 2 cảnh báo)")
	if strings.Contains(errOut, "\x1b") {
		t.Error("a terminal escape from the pack reached the output")
	}

	tr.env["HOCSO_LANG"] = "en"
	code, out, _ = hocso(t, tr.env, "pack", "validate", "--json", tr.path("goi"))
	var rep validateReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 1 {
		t.Fatalf("validate --json = %d, %v\n%s", code, err, out)
	}
	if rep.Valid || rep.Errors != 4 || rep.Warnings != 2 {
		t.Errorf("report = %+v", rep)
	}
	found := false
	for _, p := range rep.Problems {
		if p.ID == "ProblemSingleCorrect" {
			found = p.File == "modules/01-gioi-thieu/quiz.toml" && p.Line == 20 && p.Field == "gioi-thieu-q01.option" &&
				strings.HasPrefix(p.Message, "A single-choice question needs exactly one option with correct = true")
		}
	}
	if !found {
		t.Errorf("the JSON lacks the quiz problem with file, line, field and message: %+v", rep.Problems)
	}
	wantIn(t, tr.refused("pack", "build", tr.path("goi")), "4 errors must be fixed before the pack can be built")
	wantIn(t, tr.refused("pack", "install", tr.path("goi"), "--allow-unsigned"), "nothing was installed")
	if got := tr.installed(); len(got) != 0 {
		t.Errorf("an invalid pack was installed: %+v", got)
	}
}

// craft rewrites a built archive with change applied to its entries.
func craft(t *testing.T, src, dst string, change func(w *zip.Writer, name string, data []byte) bool, extra func(w *zip.Writer)) {
	t.Helper()
	zr, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		if change != nil && change(zw, f.Name, data) {
			continue
		}
		w, _ := zw.Create(f.Name)
		w.Write(data)
	}
	if extra != nil {
		extra(zw)
	}
	zw.Close()
	os.WriteFile(dst, buf.Bytes(), 0o644)
}

// TestPackBadArchivesAreRefused checks that validate and install refuse each
// kind of bad .hocpack with a clear message, and install nothing.
func TestPackBadArchivesAreRefused(t *testing.T) {
	tr := newTrainer(t)
	tr.ok("pack", "new", tr.path("goi"))
	tr.ok("pack", "build", tr.path("goi"), "-o", tr.path("goi.hocpack"))
	good := tr.path("goi.hocpack")
	add := func(name string, data []byte) func(w *zip.Writer) {
		return func(w *zip.Writer) { f, _ := w.Create(name); f.Write(data) }
	}
	tests := []struct {
		name   string
		change func(w *zip.Writer, name string, data []byte) bool
		extra  func(w *zip.Writer)
		want   string
	}{
		{"zip slip", nil, add("../../../.bashrc", []byte("rm -rf ~")),
			"../../../.bashrc: lỗi: Đường dẫn này không được phép trong gói"},
		{"absolute path", nil, add("/etc/cron.d/hocso", []byte("x")), "/etc/cron.d/hocso: lỗi: Đường dẫn này không được phép"},
		{"symlink", nil, func(w *zip.Writer) {
			h := &zip.FileHeader{Name: "modules/01-gioi-thieu/02-link.vi.md"}
			h.SetMode(os.ModeSymlink | 0o777)
			f, _ := w.CreateHeader(h)
			f.Write([]byte("/etc/passwd"))
		}, "modules/01-gioi-thieu/02-link.vi.md: lỗi: Đây là liên kết tượng trưng"},
		{"zip bomb", nil, add("bom.md", make([]byte, 2<<20)), "bom.md: lỗi: Tệp này khi giải nén sẽ lớn gấp"},
		{"tampered file", func(w *zip.Writer, name string, data []byte) bool {
			if name != "modules/01-gioi-thieu/quiz.toml" {
				return false
			}
			f, _ := w.Create(name)
			f.Write(bytes.Replace(data, []byte("Bộ Chính trị"), []byte("Quốc hội"), 1))
			return true
		}, nil, "modules/01-gioi-thieu/quiz.toml: lỗi: Nội dung tệp không khớp với mã băm SHA-256"},
		{"newer manifest", func(w *zip.Writer, name string, data []byte) bool {
			if name != lessons.ManifestName {
				return false
			}
			f, _ := w.Create(name)
			f.Write(bytes.Replace(data, []byte("format = 1"), []byte("format = 7"), 1))
			return true
		}, nil, "hocpack.toml:2: format: lỗi: Tệp nén dùng định dạng 7, mới hơn định dạng 1"},
		{"no manifest", func(w *zip.Writer, name string, data []byte) bool { return name == lessons.ManifestName }, nil,
			"hocpack.toml: lỗi: Tệp nén thiếu tệp kê khai"},
		{"file added", nil, add("modules/01-gioi-thieu/02-them.vi.md", []byte("x")),
			"modules/01-gioi-thieu/02-them.vi.md: lỗi: Tệp có trong tệp nén nhưng không có trong tệp kê khai"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bad := tr.path(strings.ReplaceAll(tc.name, " ", "-") + ".hocpack")
			craft(t, good, bad, tc.change, tc.extra)
			wantIn(t, tr.refused("pack", "validate", bad), tc.want)
			wantIn(t, tr.refused("pack", "install", bad, "--allow-unsigned"), tc.want, "chưa cài đặt gì")
			if got := tr.installed(); len(got) != 0 {
				t.Errorf("installed: %+v", got)
			}
			if entries, _ := os.ReadDir(filepath.Join(tr.dir, "data", "packs")); len(entries) != 0 {
				t.Errorf("left in the packs folder: %v", entries)
			}
		})
	}
	os.WriteFile(tr.path("notzip.hocpack"), []byte("Đây không phải tệp nén"), 0o644)
	wantIn(t, tr.refused("pack", "validate", tr.path("notzip.hocpack")), "Đây không phải tệp .hocpack")
}

func TestPackSignVerifyTrust(t *testing.T) {
	tr := newTrainer(t)
	tr.ok("pack", "new", tr.path("goi"))
	tr.ok("pack", "build", tr.path("goi"), "-o", tr.path("goi.hocpack"))
	out := tr.ok("pack", "keygen", "-o", tr.path("so-noi-vu"))
	wantIn(t, out, "Đã tạo khóa", "so-noi-vu.key", "hocso pack trust add "+tr.path("so-noi-vu.pub"))
	if fi, err := os.Stat(tr.path("so-noi-vu.key")); err != nil || fi.Mode().Perm()&0o077 != 0 {
		t.Errorf("secret key file: %v %v", fi.Mode(), err)
	}
	wantIn(t, tr.refused("pack", "keygen", "-o", tr.path("so-noi-vu")), "không bao giờ ghi đè khóa")

	pack := tr.path("goi.hocpack")
	wantIn(t, tr.refused("pack", "verify", pack), "chưa được ký", "goi.hocpack.minisig")
	wantIn(t, tr.ok("pack", "sign", pack, "--key", tr.path("so-noi-vu.key")), "Đã ký", "goi.hocpack.minisig")
	wantIn(t, tr.refused("pack", "sign", pack, "--key", tr.path("so-noi-vu.pub")), "không phải khóa minisign")
	wantIn(t, tr.refused("pack", "verify", pack), "mà máy này chưa tin cậy", "hocso pack trust add")
	wantIn(t, tr.ok("pack", "verify", pack, "--pub", tr.path("so-noi-vu.pub")), "chữ ký hợp lệ")

	wantIn(t, tr.ok("pack", "trust", "list"), "Chưa có khóa nào")
	wantIn(t, tr.ok("pack", "trust", "add", tr.path("so-noi-vu.pub"), "--comment", "Sở Nội vụ Hà Nội"), "(Sở Nội vụ Hà Nội)")
	var keys []store.TrustedKey
	json.Unmarshal([]byte(tr.ok("pack", "trust", "list", "--json")), &keys)
	if len(keys) != 1 || keys[0].Comment != "Sở Nội vụ Hà Nội" {
		t.Fatalf("trusted keys = %+v", keys)
	}
	out = tr.ok("pack", "verify", pack)
	wantIn(t, out, "chữ ký hợp lệ", "mọi tệp trong gói đều khớp", "Khóa ký: "+keys[0].KeyID+" (Sở Nội vụ Hà Nội)",
		"Thời điểm ký: ", "Tên tệp khi ký: goi.hocpack")
	if strings.Contains(out, "timestamp:") || strings.Contains(out, "hashed") {
		t.Errorf("minisign's raw trusted comment is shown:\n%s", out)
	}

	data, _ := os.ReadFile(pack)
	tampered := bytes.Clone(data)
	tampered[len(tampered)/2] ^= 0x20
	os.WriteFile(pack, tampered, 0o644)
	wantIn(t, tr.refused("pack", "verify", pack), "không khớp với", "tệp đã bị thay đổi sau khi ký")
	os.WriteFile(pack, data, 0o644)

	wantIn(t, tr.ok("pack", "trust", "remove", strings.ToLower(keys[0].KeyID)), "Đã thôi tin cậy khóa "+keys[0].KeyID)
	wantIn(t, tr.refused("pack", "trust", "remove", keys[0].KeyID), "Không có khóa tin cậy nào")
	wantIn(t, tr.refused("pack", "trust", "add", "không-phải-khóa"), "không phải khóa minisign")
}

func TestPackInstallChecksSignatures(t *testing.T) {
	tr := newTrainer(t)
	tr.ok("pack", "new", tr.path("goi"), "--id", "vn.gov.ky")
	pack := tr.path("goi.hocpack")
	tr.ok("pack", "build", tr.path("goi"), "-o", pack)
	tr.ok("pack", "keygen", "-o", tr.path("a"))
	tr.ok("pack", "keygen", "-o", tr.path("b"))

	wantIn(t, tr.refused("pack", "install", pack), "chưa được ký nên chưa được cài đặt", "--allow-unsigned")
	tr.ok("pack", "sign", pack, "--key", tr.path("b.key"))
	wantIn(t, tr.refused("pack", "install", pack), "mà máy này chưa tin cậy nên chưa được cài đặt")
	if got := tr.installed(); len(got) != 0 {
		t.Fatalf("installed: %+v", got)
	}

	tr.ok("pack", "trust", "add", tr.path("a.pub"))
	sigB, _ := os.ReadFile(pack + ".minisig")
	tr.ok("pack", "sign", pack, "--key", tr.path("a.key"))
	data, _ := os.ReadFile(pack)
	os.WriteFile(pack, append(bytes.Clone(data), 0), 0o644)
	wantIn(t, tr.refused("pack", "install", pack, "--allow-unsigned"), "không khớp với", "Không cài đặt tệp này")
	os.WriteFile(pack, data, 0o644)

	out := tr.ok("pack", "install", pack)
	wantIn(t, out, "Đã cài đặt gói vn.gov.ky 1.0.0", "Gói được ký bằng khóa tin cậy")
	got := tr.installed()
	if len(got) != 1 || !got[0].Signed || got[0].Signer == "" {
		t.Fatalf("pack list = %+v", got)
	}
	wantIn(t, tr.ok("pack", "list"), "vn.gov.ky", "đã ký: "+got[0].Signer)
	wantIn(t, tr.ok("pack", "install", pack), "đã được cài đặt; không có gì thay đổi")

	// The same content signed by an untrusted key installs only when asked, then shows as unsigned.
	os.WriteFile(pack+".minisig", sigB, 0o644)
	wantIn(t, tr.ok("pack", "install", pack, "--allow-unsigned"), "không có chữ ký tin cậy")
	if got := tr.installed(); got[0].Signed {
		t.Errorf("installed with an untrusted signature yet listed as signed: %+v", got)
	}
}

// signedBuild builds, signs and returns the archive of the pack folder in tr.
func (tr *trainer) signedBuild(name string) string {
	pack := tr.path(name)
	tr.ok("pack", "build", tr.path("goi"), "-o", pack)
	tr.ok("pack", "sign", pack, "--key", tr.path("khoa.key"))
	return pack
}

// TestPackRoundTripUpgradeKeepsProgress is the trainer's whole path: new →
// validate → build → sign → install 1.0 → a learner studies → 1.1 with one
// question changed, one added, one removed → install → progress intact and
// pack diff says what changed and whom it concerns.
func TestPackRoundTripUpgradeKeepsProgress(t *testing.T) {
	ctx := context.Background()
	tr := newTrainer(t)
	tr.ok("pack", "new", tr.path("goi"), "--id", "vn.gov.hanoi.cds")
	tr.ok("pack", "validate", tr.path("goi"))
	tr.ok("pack", "keygen", "-o", tr.path("khoa"))
	tr.ok("pack", "trust", "add", tr.path("khoa.pub"), "--comment", "Sở Nội vụ")
	v1 := tr.signedBuild("cds-1.0.hocpack")
	wantIn(t, tr.ok("pack", "install", v1), "Đã cài đặt gói vn.gov.hanoi.cds 1.0.0")

	// A learner reads the lesson and takes the quiz, against 1.0.
	p1, _, _, _ := lessons.LoadPath(v1)
	ref1 := store.PackRef{ID: p1.ID, Version: p1.Version, Hash: p1.Hash}
	s, err := store.Open(ctx, tr.env["HOCSO_DB"])
	if err != nil {
		t.Fatal(err)
	}
	l, _ := s.CreateLearner(ctx, store.ProfilePayload{FullName: "Nguyễn Thị Lan", UnitPath: "Hà Nội / Phường Ba Đình"})
	m := p1.Modules[0]
	if err := s.CompleteLesson(ctx, l.ID, ref1, m.ID, m.Lessons[0].ID); err != nil {
		t.Fatal(err)
	}
	ids := []string{m.Quiz.Questions[0].ID, m.Quiz.Questions[1].ID}
	a, err := s.StartAttempt(ctx, l.ID, ref1, m.ID, m.Quiz.ID, 7, ids, m.Quiz.PassMark)
	if err != nil {
		t.Fatal(err)
	}
	for i := range m.Quiz.Questions {
		q := &m.Quiz.Questions[i]
		if err := s.RecordAnswer(ctx, a, ref1, q.ID, store.AnsweredPayload{QuestionHash: q.Hash(), Answer: []byte(`{"choices":["a"]}`), Score: 1, MaxScore: 1}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.SubmitAttempt(ctx, a, ref1, 2, 2, true); err != nil {
		t.Fatal(err)
	}
	s.Close()

	// Version 1.1: q01 reworded, q02 removed, q03 added, the lesson revised.
	tr.edit("goi/pack.toml", `version = "1.0.0"`, `version = "1.1.0"`)
	tr.edit(quizTOML, "Nghị quyết 52-NQ/TW do cơ quan nào ban hành?", "Cơ quan nào ban hành Nghị quyết 52-NQ/TW ngày 27/9/2019?")
	tr.edit(quizTOML, `id = "gioi-thieu-q02"`, `id = "gioi-thieu-q03"`)
	tr.edit(lessonVI, "Viết đoạn văn ngắn", "Viết câu ngắn, đoạn văn ngắn")
	v2 := tr.signedBuild("cds-1.1.hocpack")

	var diff diffReport
	if err := json.Unmarshal([]byte(tr.ok("pack", "diff", "--json", v1, v2)), &diff); err != nil {
		t.Fatal(err)
	}
	got := map[string]diffChange{}
	for _, c := range diff.Changes {
		got[string(c.Change)+" "+c.Kind+" "+c.ID] = c
	}
	for key, learners := range map[string]int{
		"changed lesson gioi-thieu-bai-dau-tien": 1,
		"changed question gioi-thieu-q01":        1,
		"removed question gioi-thieu-q02":        1,
		"added question gioi-thieu-q03":          0,
	} {
		if c, ok := got[key]; !ok || c.Learners != learners {
			t.Errorf("diff lacks %q with %d learners: %+v", key, learners, diff.Changes)
		}
	}
	if len(diff.Changes) != 4 || diff.OldVersion != "1.0.0" || diff.NewVersion != "1.1.0" {
		t.Errorf("diff = %+v", diff)
	}
	wantIn(t, tr.ok("pack", "diff", "vn.gov.hanoi.cds", v2),
		"vn.gov.hanoi.cds: 1.0.0 → 1.1.0",
		"1 học viên đã trả lời theo nội dung cũ",
		"1 học viên đã trả lời; lịch sử học tập vẫn được lưu",
		"1 học viên đã hoàn thành",
		"+ thêm mới, ~ sửa đổi, - bỏ đi",
		// The wording itself, old and new, for each changed question and lesson.
		"Thay đổi ở câu hỏi gioi-thieu-q01 — nội dung cũ (-) và mới (+):",
		"  - text [vi]: Nghị quyết 52-NQ/TW do cơ quan nào ban hành?",
		"  + text [vi]: Cơ quan nào ban hành Nghị quyết 52-NQ/TW ngày 27/9/2019?",
		"Thay đổi ở bài học gioi-thieu-bai-dau-tien",
		"  + [vi] - Viết câu ngắn, đoạn văn ngắn")
	if c := got["changed question gioi-thieu-q01"]; !strings.Contains(c.Before, "Nghị quyết 52-NQ/TW do") || !strings.Contains(c.After, "ngày 27/9/2019?") {
		t.Errorf("--json lacks the old and new wording: %+v", c)
	}

	out := tr.ok("pack", "install", v2)
	wantIn(t, out, "Đã nâng cấp gói vn.gov.hanoi.cds từ 1.0.0 lên 1.1.0", "Tiến độ học của học viên được giữ nguyên",
		"~  câu hỏi", "gioi-thieu-q01", "-  câu hỏi", "gioi-thieu-q02", "+  câu hỏi", "gioi-thieu-q03")

	// Everything the learner did survives, keyed by the stable ids.
	s, err = store.Open(ctx, tr.env["HOCSO_DB"])
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	done, _ := s.Lessons(ctx, l.ID, p1.ID)
	if st, ok := done[m.Lessons[0].ID]; !ok || st.CompletedAt == nil {
		t.Errorf("lesson completion lost: %+v", done)
	}
	attempts, _ := s.Attempts(ctx, l.ID, p1.ID, "")
	if len(attempts) != 1 || attempts[0].PackVersion != "1.0.0" || !attempts[0].Passed {
		t.Fatalf("attempts = %+v", attempts)
	}
	answers, _ := s.Answers(ctx, attempts[0].ID)
	if len(answers) != 2 || answers["gioi-thieu-q02"].QuestionHash != m.Quiz.Questions[1].Hash() {
		t.Errorf("answers = %+v", answers)
	}
	p2, _, _, _ := lessons.LoadPath(v2)
	if answers["gioi-thieu-q01"].QuestionHash == p2.Modules[0].Quiz.Question("gioi-thieu-q01").Hash() {
		t.Error("the changed question's hash did not change, so its old answers cannot be told apart")
	}
	var progress []learnerProgress
	json.Unmarshal([]byte(tr.ok("progress", "--json")), &progress)
	var rec *packRecord
	for i := range progress[0].Packs {
		if progress[0].Packs[i].PackID == p1.ID {
			rec = &progress[0].Packs[i]
		}
	}
	if rec == nil || rec.Version != "1.1.0" || rec.Modules[0].LessonsDone != 1 || !rec.Modules[0].QuizPassed ||
		rec.Modules[0].Status != store.Passed || len(rec.Attempts) != 1 {
		t.Fatalf("progress after the upgrade = %+v", rec)
	}
	got11 := tr.installed()
	if len(got11) != 1 || got11[0].Version != "1.1.0" || !got11[0].Signed || got11[0].SignerNote != "Sở Nội vụ" {
		t.Errorf("pack list = %+v", got11)
	}

	// Going back to 1.0, or shipping other content as 1.1, needs --force.
	wantIn(t, tr.refused("pack", "install", v1), "mới hơn 1.0.0", "--force")
	tr.edit(quizTOML, "Cơ quan nào", "Cơ quan nào đã")
	v2b := tr.signedBuild("cds-1.1b.hocpack")
	wantIn(t, tr.refused("pack", "install", v2b), "với nội dung khác", "1.0.1")
	tr.ok("pack", "install", v1, "--force")
	if got := tr.installed(); got[0].Version != "1.0.0" {
		t.Errorf("after a forced downgrade: %+v", got)
	}

	// Removing keeps the record; a builtin pack cannot be removed.
	wantIn(t, tr.ok("pack", "remove", "vn.gov.hanoi.cds"), "Đã gỡ bỏ gói vn.gov.hanoi.cds 1.0.0", "vẫn được lưu")
	wantIn(t, tr.refused("pack", "remove", "vn.gov.hanoi.cds"), "Không có gói đã cài nào mang mã")
	wantIn(t, tr.refused("pack", "remove", "vn.hocso.chuyen-doi-so"), "không gỡ bỏ được")
	if done, _ := s.Lessons(ctx, l.ID, p1.ID); len(done) != 1 {
		t.Errorf("progress lost on removal: %+v", done)
	}
	if entries, _ := os.ReadDir(filepath.Join(tr.dir, "data", "packs")); len(entries) != 0 {
		t.Errorf("left in the packs folder: %v", entries)
	}
}

func TestPackImportGift(t *testing.T) {
	tr := newTrainer(t)
	tr.ok("pack", "new", tr.path("goi"))
	gift := "// Ngân hàng câu hỏi\n" +
		"::Câu 1:: Nghị quyết 52-NQ/TW do cơ quan nào ban hành? {=Bộ Chính trị ~Quốc hội ~Chính phủ}\n\n" +
		"::Câu 2:: Ngày Chuyển đổi số quốc gia là ngày 10/10. {T}\n\n" +
		"::Tự luận:: Hãy nêu ba lợi ích của chuyển đổi số. {}\n"
	os.WriteFile(tr.path("ngan-hang.gift"), []byte(gift), 0o644)
	module := tr.path("goi/modules/01-gioi-thieu")
	code, out, errOut := hocso(t, tr.env, "pack", "import-gift", tr.path("ngan-hang.gift"), "--module", module)
	if code != 1 || !strings.Contains(errOut, "đã tồn tại") {
		t.Fatalf("import over an existing quiz.toml = %d %s %s", code, out, errOut)
	}
	code, out, errOut = hocso(t, tr.env, "pack", "import-gift", tr.path("ngan-hang.gift"), "--module", module, "--force")
	if code != 0 {
		t.Fatalf("import = %d\n%s\n%s", code, out, errOut)
	}
	wantIn(t, out, "Đã ghi", "2 câu hỏi (bỏ qua 1")
	wantIn(t, errOut, "ngan-hang.gift:6: bỏ qua: câu hỏi tự luận")
	p, _, problems := lessons.LoadDir(tr.path("goi"))
	if p == nil || len(p.Modules[0].Quiz.Questions) != 2 {
		t.Fatalf("imported quiz does not load: %v", problems)
	}
	for _, pr := range problems.Errors() {
		if pr.ID != "ProblemMissingText" || !strings.HasSuffix(pr.Field, ".en") {
			t.Errorf("only the English translations should be missing, got %s", pr)
		}
	}

	os.WriteFile(tr.path("aiken.txt"), []byte("Thủ đô của Việt Nam là?\nA. Hà Nội\nB. Huế\nANSWER: A\n"), 0o644)
	out = tr.ok("pack", "import-aiken", tr.path("aiken.txt"))
	wantIn(t, out, "[[question]]", `type = "single"`, "Hà Nội")
}

// TestPackImportMessages checks that what an import reports reads in the
// user's language, numbers included, and that --lang is the language of
// hocso while --text-lang is the language of the questions.
func TestPackImportMessages(t *testing.T) {
	tr := newTrainer(t)
	os.WriteFile(tr.path("moodle.gift"), []byte("::Q1::Chọn?{=a ~%33.5%b ~c}\n\nCâu hai?{T}\n\nCâu ba?{T}\n"), 0o644)
	code, out, errOut := hocso(t, tr.env, "pack", "import-gift", tr.path("moodle.gift"))
	if code != 0 {
		t.Fatalf("import = %d\n%s\n%s", code, out, errOut)
	}
	wantIn(t, errOut,
		`moodle.gift:1: cảnh báo: Phương án "b" được 33,5% số điểm trong Moodle`,
		"moodle.gift:3: cảnh báo: Có 2 câu hỏi chưa có tiêu đề")
	wantIn(t, out, `vi = "Chọn?"`)

	code, out, errOut = hocso(t, tr.env, "pack", "import-gift", tr.path("moodle.gift"), "--lang", "en", "--text-lang", "en")
	if code != 0 {
		t.Fatalf("import --lang en = %d\n%s\n%s", code, out, errOut)
	}
	wantIn(t, errOut,
		`moodle.gift:1: warning: Option "b" is worth 33.5% in Moodle`,
		"moodle.gift:3: warning: 2 questions have no ::title::")
	wantIn(t, out, `en = "Chọn?"`)

	os.WriteFile(tr.path("hong.gift"), []byte("Chọn?{~a ~b}\n"), 0o644)
	code, _, errOut = hocso(t, tr.env, "pack", "import-gift", tr.path("hong.gift"))
	if code != 1 {
		t.Fatalf("import of a broken file = %d, want 1", code)
	}
	wantIn(t, errOut, "hong.gift:1: lỗi: Chưa có phương án nào được đánh dấu là đúng.")

	// One bad question among good ones: the good ones are written, the bad
	// one is listed with its line; --strict writes nothing.
	os.WriteFile(tr.path("mot-loi.gift"), []byte("::A::Một?{T}\n\n::B::Hai?{~a ~b}\n\n::C::Ba?{F}\n"), 0o644)
	code, out, errOut = hocso(t, tr.env, "pack", "import-gift", tr.path("mot-loi.gift"), "-o", tr.path("mot-loi.toml"))
	if code != 0 {
		t.Fatalf("import with one bad question = %d\n%s\n%s", code, out, errOut)
	}
	wantIn(t, errOut, "mot-loi.gift:3: lỗi: Chưa có phương án nào được đánh dấu là đúng.")
	wantIn(t, out, "2 câu hỏi", "Chưa nhập 1 câu hỏi bị lỗi")
	code, _, errOut = hocso(t, tr.env, "pack", "import-gift", tr.path("mot-loi.gift"), "--strict", "-o", tr.path("strict.toml"))
	if _, err := os.Stat(tr.path("strict.toml")); code != 1 || err == nil {
		t.Errorf("--strict with a bad question = %d, file written: %v\n%s", code, err == nil, errOut)
	}

	// A file of only essays: each skipped essay is listed before the refusal.
	os.WriteFile(tr.path("tu-luan.gift"), []byte("::E1::Nêu ý kiến.{}\n\n::E2::Vì sao?{}\n"), 0o644)
	code, _, errOut = hocso(t, tr.env, "pack", "import-gift", tr.path("tu-luan.gift"))
	if code != 1 {
		t.Fatalf("import of essays only = %d, want 1", code)
	}
	wantIn(t, errOut, "tu-luan.gift:1: bỏ qua: câu hỏi tự luận", "tu-luan.gift:3: bỏ qua: câu hỏi tự luận", "không có câu hỏi nào")

	if info, err := os.Stat(os.DevNull); err == nil && info.Mode()&os.ModeDevice != 0 {
		code, _, errOut = hocso(t, tr.env, "pack", "import-gift", tr.path("moodle.gift"), "-o", os.DevNull)
		if info, err := os.Stat(os.DevNull); code != 0 || err != nil || info.Mode()&os.ModeDevice == 0 {
			t.Errorf("import -o %s = %d %s; afterwards %v, %v", os.DevNull, code, errOut, info, err)
		}
	}
}

// TestMinisignToolAndHocsoInterop signs with the minisign tool and installs
// in hocso, and checks hocso's signature with the minisign tool.
func TestMinisignToolAndHocsoInterop(t *testing.T) {
	tool, err := exec.LookPath("minisign")
	if err != nil {
		t.Skip("minisign is not on PATH: install it (apt-get install minisign; .ci/run does) to test interoperability with the minisign tool")
	}
	tr := newTrainer(t)
	tr.ok("pack", "new", tr.path("goi"), "--id", "vn.gov.minisign")
	pack := tr.path("goi.hocpack")
	tr.ok("pack", "build", tr.path("goi"), "-o", pack)
	minisign := func(args ...string) {
		t.Helper()
		if out, err := exec.Command(tool, args...).CombinedOutput(); err != nil {
			t.Fatalf("minisign %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	minisign("-G", "-W", "-p", tr.path("m.pub"), "-s", tr.path("m.key"))
	minisign("-S", "-s", tr.path("m.key"), "-m", pack)
	tr.ok("pack", "trust", "add", tr.path("m.pub"))
	tr.ok("pack", "verify", pack)
	wantIn(t, tr.ok("pack", "install", pack), "Gói được ký bằng khóa tin cậy")

	tr.ok("pack", "keygen", "-o", tr.path("h"))
	tr.ok("pack", "sign", pack, "--key", tr.path("h.key"))
	minisign("-V", "-q", "-p", tr.path("h.pub"), "-m", pack)
	tr.ok("pack", "sign", pack, "--key", tr.path("m.key"))
	minisign("-V", "-q", "-p", tr.path("m.pub"), "-m", pack)
}

// TestInstalledPackDamagedOnDisk: a pack whose installed files were changed
// loads but is no longer trusted; one that no longer loads is left out with a
// warning, and hocso keeps working.
func TestInstalledPackDamagedOnDisk(t *testing.T) {
	tr := newTrainer(t)
	tr.ok("pack", "new", tr.path("goi"), "--id", "vn.gov.hong")
	tr.ok("pack", "keygen", "-o", tr.path("khoa"))
	tr.ok("pack", "trust", "add", tr.path("khoa.pub"))
	tr.ok("pack", "install", tr.signedBuild("goi.hocpack"))
	dirs, _ := filepath.Glob(filepath.Join(tr.dir, "data", "packs", "vn.gov.hong@*"))
	if len(dirs) != 1 {
		t.Fatalf("installed folders: %v", dirs)
	}
	lesson := filepath.Join(dirs[0], "modules", "01-gioi-thieu", "01-bai-dau-tien.vi.md")
	b, _ := os.ReadFile(lesson)
	os.WriteFile(lesson, bytes.Replace(b, []byte("Viết"), []byte("Đọc"), 1), 0o644)
	code, out, errOut := hocso(t, tr.env, "pack", "list", "--json")
	if code != 0 || !strings.Contains(errOut, "đã bị thay đổi sau khi cài đặt") {
		t.Fatalf("list = %d\n%s", code, errOut)
	}
	var infos []packInfo
	json.Unmarshal([]byte(out), &infos)
	if len(infos) != 2 || infos[1].Signed {
		t.Errorf("a changed pack is still shown as signed: %+v", infos)
	}
	os.Remove(filepath.Join(dirs[0], "pack.toml"))
	code, out, errOut = hocso(t, tr.env, "pack", "list")
	if code != 0 || !strings.Contains(errOut, "Không nạp được gói đã cài vn.gov.hong") || strings.Contains(out, "vn.gov.hong") {
		t.Fatalf("list = %d\n%s\n%s", code, out, errOut)
	}
	wantIn(t, tr.ok("progress"), "") // learners' views keep working
}

// TestPackSuggestionsPasteAndFilesShare checks what a trainer copies from
// hocso's output: a suggested command runs as pasted even for a folder with
// spaces, and the .hocpack they hand out can be read by others.
func TestPackSuggestionsPasteAndFilesShare(t *testing.T) {
	tr := newTrainer(t)
	dir := tr.path("gói của tôi")
	out := tr.ok("pack", "new", dir)
	if runtime.GOOS != "windows" {
		wantIn(t, out, "hocso pack validate '"+dir+"'")
	}
	pack := tr.path("gói của tôi.hocpack")
	out = tr.ok("pack", "build", dir, "-o", pack)
	wantIn(t, out, "--key KHÓA")
	if runtime.GOOS != "windows" {
		wantIn(t, out, "hocso pack sign '"+pack+"'")
		if fi, err := os.Stat(pack); err != nil || fi.Mode().Perm() != 0o644 {
			t.Errorf("the built pack's mode = %v, %v; want 0644 so others can read what is handed out", fi.Mode(), err)
		}
	}
}
