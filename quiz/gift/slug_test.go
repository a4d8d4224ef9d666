package gift

import (
	"regexp"
	"strings"
	"testing"
)

func TestSlugify(t *testing.T) {
	tests := map[string]string{
		"Điều 5: Quyền và nghĩa vụ":       "dieu-5-quyen-va-nghia-vu",
		"Đường đến 2045":                  "duong-den-2045",
		"Chuyển đổi số — Câu 1":           "chuyen-doi-so-cau-1",
		"Ứng dụng ĐỊNH DANH điện tử":      "ung-dung-dinh-danh-dien-tu",
		"Grant's Tomb":                    "grants-tomb",
		"Jesus' hometown (Short ex.)":     "jesus-hometown-short-ex",
		"EE_mod_05_T39_P079":              "ee-mod-05-t39-p079",
		"  --Q1--  ":                      "q1",
		"Straße, Œuvre, Ørsted, Łódź":     "strasse-oeuvre-orsted-lodz",
		"日本語":                             "",
		"":                                "",
		"2-08 TSL":                        "2-08-tsl",
		"Cơ quan nào ban hành Nghị quyết": "co-quan-nao-ban-hanh-nghi-quyet",
	}
	for in, want := range tests {
		if got := slugify(in); got != want {
			t.Errorf("slugify(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSlugifyIsAnID(t *testing.T) {
	valid := regexp.MustCompile(`^([a-z0-9]+(-[a-z0-9]+)*)?$`)
	long := strings.Repeat("Nghị quyết về chuyển đổi số quốc gia ", 5)
	for _, in := range []string{long, "a--b", "-x-", "Ω≈ç√ ∫˜µ", "đ" + strings.Repeat("x", 100)} {
		got := slugify(in)
		if !valid.MatchString(got) || len(got) > maxSlug {
			t.Errorf("slugify(%q) = %q: not a valid id of at most %d characters", in, got, maxSlug)
		}
	}
	if got := slugify(long); got != "nghi-quyet-ve-chuyen-doi-so-quoc-gia-nghi-quyet-ve-chuyen" {
		t.Errorf("a long title is cut at a word: %q", got)
	}
}

func TestIDSetUnique(t *testing.T) {
	ids := newIDSet()
	var got []string
	for _, base := range []string{"a", "a", "b", "a", "a-2"} {
		got = append(got, ids.unique(base))
	}
	if want := "a a-2 b a-3 a-2-2"; strings.Join(got, " ") != want {
		t.Errorf("ids %v, want %s", got, want)
	}
}
