package gift

import (
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// maxSlug bounds ids made from long titles.
const maxSlug = 60

// letterFolds spells letters that lose nothing but their accent and yet do
// not decompose in Unicode: đ above all, for Vietnamese.
var letterFolds = map[rune]string{
	'đ': "d", 'Đ': "d", 'ð': "d", 'Ð': "d", 'ø': "o", 'Ø': "o", 'ł': "l", 'Ł': "l",
	'ß': "ss", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe", 'þ': "th", 'Þ': "th", 'ı': "i",
}

// slugify makes an id from a title: lower-case ASCII letters and digits in
// words joined by single hyphens, with diacritics taken off ("Điều 5: Quyền
// và nghĩa vụ" → "dieu-5-quyen-va-nghia-vu"). Apostrophes join words
// ("Grant's" → "grants"). It returns "" when nothing usable is left.
func slugify(title string) string {
	var b strings.Builder
	hyphen := false
	add := func(s string) {
		if hyphen && b.Len() > 0 {
			b.WriteByte('-')
		}
		hyphen = false
		b.WriteString(s)
	}
	for _, r := range norm.NFD.String(title) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == '\'' || r == '’' || r == 'ʼ' || r == '‘':
		case letterFolds[r] != "":
			add(letterFolds[r])
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			add(string(unicode.ToLower(r)))
		default:
			hyphen = true
		}
	}
	s := b.String()
	if len(s) > maxSlug {
		s = s[:maxSlug]
		if i := strings.LastIndexByte(s, '-'); i > maxSlug/2 {
			s = s[:i]
		}
	}
	return strings.Trim(s, "-")
}

// idSet hands out question ids that are unique within one file.
type idSet struct {
	taken map[string]bool
	next  map[string]int // the suffix to try next for a base, so many repeats stay fast
}

func newIDSet() *idSet { return &idSet{taken: map[string]bool{}, next: map[string]int{}} }

// unique returns base, or base-2, base-3… if base is taken, and records it.
func (s *idSet) unique(base string) string {
	id := base
	for n := max(s.next[base], 2); s.taken[id]; n++ {
		id = base + "-" + strconv.Itoa(n)
		s.next[base] = n + 1
	}
	s.taken[id] = true
	return id
}
