package main

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"hocso/locales"
)

// cobraEnglish is cobra's own wording, which must never reach a Vietnamese reader.
var cobraEnglish = []string{
	"Usage:", "Flags:", "Global Flags", "Available Commands", "Additional Commands", "Examples:",
	"for more information about a command", "help for ", "Help about any command", "completion",
	"[flags]", "[command]", "(default", " string ", "unknown command", "unknown flag", "unknown shorthand",
	"accepts ", "arg(s)", "required flag", "flag needs an argument", "invalid argument", "bad flag syntax",
	"Did you mean", "Error:", "Run '",
}

// commandPaths lists every command a person can ask help for, as arguments.
func commandPaths(t *testing.T) [][]string {
	t.Helper()
	e := &env{ctx: context.Background(), stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }}
	e.loc = locales.New("vi")
	var paths [][]string
	var walk func(c *cobra.Command, path []string)
	walk = func(c *cobra.Command, path []string) {
		paths = append(paths, path)
		for _, sub := range c.Commands() {
			if !sub.Hidden {
				walk(sub, append(append([]string{}, path...), sub.Name()))
			}
		}
	}
	walk(e.rootCommand(), nil)
	if len(paths) < 20 {
		t.Fatalf("only %d commands found: %v", len(paths), paths)
	}
	return paths
}

// Every help page reads in the user's language, with no cobra English in
// Vietnamese, and fits a default Windows console.
func TestHelpSpeaksTheUsersLanguage(t *testing.T) {
	vi := map[string]string{"HOCSO_DB": "hocso.db"}
	en := map[string]string{"HOCSO_DB": "hocso.db", "LANG": "en_US.UTF-8"}
	for _, path := range commandPaths(t) {
		args := append(append([]string{}, path...), "--help")
		name := strings.Join(append([]string{"hocso"}, path...), " ")

		code, out, errOut := hocso(t, vi, args...)
		if code != 0 || errOut != "" || !strings.Contains(out, "Cách dùng:\n  "+name) || !strings.Contains(out, "Tùy chọn:") {
			t.Errorf("%s --help: exit %d, stderr %q\n%s", name, code, errOut, out)
			continue
		}
		for _, english := range cobraEnglish {
			if strings.Contains(out, english) {
				t.Errorf("%s --help shows %q in Vietnamese:\n%s", name, english, out)
			}
		}
		for line := range strings.SplitSeq(out, "\n") {
			if n := utf8.RuneCountInString(line); n > helpWidth {
				t.Errorf("%s --help: a line of %d columns: %q", name, n, line)
			}
		}

		code, outEN, _ := hocso(t, en, args...)
		if code != 0 || !strings.Contains(outEN, "Usage:\n  "+name) || strings.Contains(outEN, "Cách dùng") || strings.Contains(outEN, "Tùy chọn") {
			t.Errorf("%s --help in English: exit %d\n%s", name, code, outEN)
		}
	}
}

func TestHelpPages(t *testing.T) {
	cases := []struct {
		env  map[string]string
		args []string
		want []string
	}{
		{nil, []string{"--help"}, []string{
			"Cách dùng:\n  hocso [tùy chọn]\n  hocso [lệnh]\n", "Các lệnh:\n  certificate ", "  help          Xem hướng dẫn", "  pack          Gói bài học",
			"-h, --help ", "xem hướng dẫn sử dụng lệnh hocso\n", "--lang vi|en ", "Để xem hướng dẫn của từng lệnh, gõ: hocso [lệnh] --help"}},
		{nil, []string{"pack", "--help"}, []string{
			"Cách dùng:\n  hocso pack [lệnh]\n\n", "  install        Cài đặt hoặc nâng cấp một gói",
			"Tùy chọn chung, dùng được với mọi lệnh:\n      --db TỆP ", "hocso pack [lệnh] --help"}},
		{nil, []string{"pack", "install", "--help"}, []string{
			"Cách dùng:\n  hocso pack install TỆP.hocpack [tùy chọn]\n", "--allow-unsigned ", "--force "}},
		{nil, []string{"pack", "keygen", "-h"}, []string{"-o, --output TÊN ", "(mặc định: hocso)"}},
		{nil, []string{"help", "pack", "trust"}, []string{"Cách dùng:\n  hocso pack trust [lệnh]\n", "  remove   Thôi tin cậy"}},
		{nil, []string{"learner"}, []string{"Cách dùng:\n  hocso learner [lệnh]\n", "  list     Liệt kê các học viên", "  import   Nhập danh sách"}},
		{map[string]string{"LANG": "en_US.UTF-8"}, []string{"pack", "--help"}, []string{
			"Usage:\n  hocso pack [command]\n", "Commands:\n", "Global flags, for every command:\n      --db FILE ",
			"For help on a command: hocso pack [command] --help"}},
		{nil, []string{"--lang", "en", "pack", "install", "--help"}, []string{
			"Usage:\n  hocso pack install FILE.hocpack [flags]\n", "help for hocso pack install"}},
		{map[string]string{"HOCSO_LANG": "en"}, []string{"pack", "diff", "--help"}, []string{
			"OLD and NEW are each a pack", "Usage:\n  hocso pack diff OLD NEW [flags]\n"}},
	}
	for _, c := range cases {
		env := map[string]string{"HOCSO_DB": "hocso.db"}
		for k, v := range c.env {
			env[k] = v
		}
		code, out, errOut := hocso(t, env, c.args...)
		if code != 0 || errOut != "" {
			t.Errorf("%v: exit %d, stderr %q", c.args, code, errOut)
		}
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: no %q in\n%s", c.args, w, out)
			}
		}
	}
}

// A mistyped command line fails, saying in the user's language what is wrong
// and which help to read.
func TestCommandLineMistakes(t *testing.T) {
	cases := []struct {
		lang string
		args []string
		want []string
	}{
		{"vi", []string{"packk"}, []string{"Không có lệnh “hocso packk”", "gần giống: hocso pack.", "hocso --help"}},
		{"vi", []string{"pack", "instal", "x.hocpack"}, []string{"Không có lệnh “hocso pack instal”", "hocso pack install", "hocso pack --help"}},
		{"vi", []string{"learner", "xoa"}, []string{"Không có lệnh “hocso learner xoa”", "hocso learner --help"}},
		{"vi", []string{"help", "packk"}, []string{"Không có lệnh “hocso packk”", "hocso --help"}},
		{"vi", []string{"pack", "install"}, []string{"hocso pack install cần đúng 1 tham số", "nhập 0 tham số",
			"Cách viết: hocso pack install TỆP.hocpack.", "hocso pack install --help"}},
		{"vi", []string{"pack", "diff", "a"}, []string{"cần đúng 2 tham số", "hocso pack diff BẢN-CŨ BẢN-MỚI"}},
		{"vi", []string{"version", "x"}, []string{"hocso version không nhận tham số", "“x”", "hocso version --help"}},
		{"vi", []string{"--nope"}, []string{"Lệnh hocso không có tùy chọn --nope", "hocso --help"}},
		{"vi", []string{"pack", "list", "-x"}, []string{"Lệnh hocso pack list không có tùy chọn -x", "hocso pack list --help"}},
		{"vi", []string{"pack", "build", "goi", "-o"}, []string{"Tùy chọn --output cần có giá trị đi kèm, ví dụ: --output TỆP.hocpack"}},
		{"vi", []string{"version", "--json=co"}, []string{"Giá trị “co” không dùng được cho tùy chọn --json"}},
		{"vi", []string{"---x"}, []string{"Không hiểu “---x”"}},
		{"vi", []string{"pack", "sign", "goi.hocpack"}, []string{"hocso pack sign cần có tùy chọn --key",
			"hocso pack sign TỆP.hocpack --key KHÓA", "hocso pack sign --help"}},
		{"en", []string{"pack", "instal"}, []string{"There is no command \"hocso pack instal\"", "Did you mean: hocso pack install?"}},
		{"en", []string{"pack", "install"}, []string{"takes 1 argument, but got 0", "hocso pack install FILE.hocpack"}},
		{"en", []string{"--nope"}, []string{"hocso has no flag --nope. See its flags with: hocso --help"}},
	}
	for _, c := range cases {
		env := map[string]string{"HOCSO_DB": filepath.Join(t.TempDir(), "hocso.db"), "HOCSO_LANG": c.lang}
		code, out, errOut := hocso(t, env, c.args...)
		if code == 0 || out != "" {
			t.Errorf("%v: exit %d, stdout %q", c.args, code, out)
		}
		for _, w := range c.want {
			if !strings.Contains(errOut, w) {
				t.Errorf("%v (%s): no %q in %q", c.args, c.lang, w, errOut)
			}
		}
		for _, english := range cobraEnglish {
			if c.lang == "vi" && strings.Contains(errOut, english) {
				t.Errorf("%v: %q in %q", c.args, english, errOut)
			}
		}
	}
}

// Every command and flag takes its words from the locales: no description
// reads the same in Vietnamese and English, and every flag that takes a
// value names it in help.
func TestCommandsAndFlagsAreLocalized(t *testing.T) {
	tree := func(lang string) *cobra.Command {
		e := &env{ctx: context.Background(), stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }}
		e.loc = locales.New(lang)
		return e.rootCommand()
	}
	var compare func(vi, en *cobra.Command)
	compare = func(vi, en *cobra.Command) {
		path := vi.CommandPath()
		if vi.Short == "" || vi.Short == en.Short || vi.Long == en.Long && vi.Long != "" {
			t.Errorf("%s: description not localized: %q / %q", path, vi.Short, en.Short)
		}
		vi.Flags().VisitAll(func(f *pflag.Flag) {
			other := en.Flags().Lookup(f.Name)
			if other == nil || f.Usage == "" || f.Usage == other.Usage {
				t.Errorf("%s --%s: usage not localized: %q", path, f.Name, f.Usage)
			}
			if f.Value.Type() != "bool" && len(f.Annotations[valueNameAnnotation]) == 0 {
				t.Errorf("%s --%s: help does not name its value", path, f.Name)
			}
		})
		viSubs, enSubs := vi.Commands(), en.Commands()
		if len(viSubs) != len(enSubs) {
			t.Fatalf("%s: %d subcommands in Vietnamese, %d in English", path, len(viSubs), len(enSubs))
		}
		for i := range viSubs {
			compare(viSubs[i], enSubs[i])
		}
	}
	compare(tree("vi"), tree("en"))
}

func TestVersionSpeaksTheUsersLanguage(t *testing.T) {
	for lang, want := range map[string]string{"vi": "hocso phiên bản " + version + " (", "en": "hocso version " + version + " ("} {
		code, out, _ := hocso(t, map[string]string{"HOCSO_LANG": lang}, "version")
		if code != 0 || !strings.HasPrefix(out, want) {
			t.Errorf("version (%s) = %d %q; want %q…", lang, code, out, want)
		}
	}
}
