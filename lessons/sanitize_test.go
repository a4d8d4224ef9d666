package lessons

import (
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// hostileText is text a person, a pack or a foreign program may put where a
// name goes, each meant to act on the terminal that prints it.
var hostileText = map[string]string{
	"SGR colour":       "\x1b[31mĐỏ\x1b[0m",
	"OSC 8 link":       "\x1b]8;;https://gia-mao.example\x1b\\Bấm đây\x1b]8;;\x1b\\",
	"OSC 52 clipboard": "An\x1b]52;c;cm0gLXJmIH4K\x07",
	"OSC title":        "\x1b]0;hacked\x07Bình",
	"DCS":              "\x1bP+q544e\x1b\\Chi",
	"APC":              "\x1b_Gf=100;AAAA\x1b\\Dũng",
	"C1 CSI":           "\u009b2J\u009b31mHoa",
	"C1 OSC":           "\u009d8;;x\u009cLan",
	"clear screen":     "\x1b[2J\x1b[HMai",
	"bell and nul":     "T\x07h\x00u",
	"RLO":              "Nguyễn \u202eVăn A",
	"isolates":         "\u2066Lê\u2069 \u2067Bảo\u2069",
	"marks":            "Trần\u200e\u200f\u061c Huy",
	"line separator":   "Phạm\u2028Thị",
	"NFD":              norm.NFD.String("Nguyễn Thị Lan"),
	"newline":          "Hà\nNội",
}

func TestCleanRemovesEveryHostileKind(t *testing.T) {
	for kind, s := range hostileText {
		got, changed := Clean(s)
		if HasUnsafe(got) || !norm.NFC.IsNormalString(got) || (!changed && kind != "newline") {
			t.Errorf("%s: Clean(%q) = %q, changed %v", kind, s, got, changed)
		}
		line := CleanLine(s)
		if HasUnsafe(line) || strings.ContainsAny(line, "\n\t") {
			t.Errorf("%s: CleanLine(%q) = %q", kind, s, line)
		}
		if again, changed := Clean(got); again != got || changed {
			t.Errorf("%s: Clean is not idempotent: %q → %q", kind, got, again)
		}
	}
	for in, want := range map[string]string{
		hostileText["OSC 8 link"]: "Bấm đây",
		hostileText["RLO"]:        "Nguyễn Văn A",
		hostileText["C1 CSI"]:     "Hoa",
		hostileText["C1 OSC"]:     "Lan",
		hostileText["newline"]:    "Hà Nội",
		"  Lê   Văn\tTám  ":       "Lê Văn Tám",
	} {
		if got := CleanLine(in); got != want {
			t.Errorf("CleanLine(%q) = %q; want %q", in, got, want)
		}
	}
}

// TestPlainRunes checks Clean's fast path: every character plainRune accepts
// is printable, in NFC alone and never combines with the one before it, so a
// text of them is in NFC; and Clean leaves alone any text plainText accepts.
func TestPlainRunes(t *testing.T) {
	n := 0
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !plainRune(r) {
			continue
		}
		n++
		s := string(r)
		if isUnsafeControl(r) || !norm.NFC.IsNormalString(s) || !norm.NFC.PropertiesString(s).BoundaryBefore() {
			t.Errorf("%U: plainRune accepts it, but Clean could change it", r)
		}
	}
	if n < 700 {
		t.Fatalf("plainRune accepts only %d characters", n)
	}
	texts := []string{"Câu hỏi số 1 về Nghị quyết 52-NQ/TW?", "“Đúng” – sai… 100₫", "a\tb\nc", "ơ\u0301", "a\r\nb", "\xff", "\u0085"}
	for _, s := range hostileText {
		texts = append(texts, s)
	}
	for _, s := range texts {
		for i := range len(s) + 1 { // every prefix and suffix, invalid UTF-8 included
			for _, part := range []string{s[:i], s[i:]} {
				if plainText(part) {
					if clean, changed := Clean(part); changed || clean != part {
						t.Errorf("%q: plainText accepts it, but Clean makes it %q", part, clean)
					}
				}
			}
		}
	}
}
