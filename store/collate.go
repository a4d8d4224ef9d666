package store

import (
	"strings"
	"sync"

	"golang.org/x/text/unicode/norm"
)

// Vietnamese alphabetical order, as dictionaries, lists of names and
// office documents use it: the alphabet a ă â b c d đ e ê g h i k l m n o ô
// ơ p q r s t u ư v x y (with f, j, w and z where Latin puts them), so that
// Đặng comes after Dương and before Giang, not after Vũ as byte order puts
// it; then the tones, in the order unmarked, huyền, hỏi, ngã, sắc, nặng;
// then case. This is CLDR's Vietnamese collation for the Vietnamese
// letters; other letters follow them in code-point order.
//
// A sort key is compared byte by byte. It is made of weights of at least
// keyMinWeight, so that the separators below it order shorter before longer:
// field (0) < unit level (1) < key level (2) < any weight.
const (
	sepField     = 0x00
	sepUnitLevel = 0x01
	sepKeyLevel  = 0x02
	keyMinWeight = 0x03
)

// Primary weights.
const (
	wSpace  = keyMinWeight     // spaces, so "Hà Nội" sorts before "Hàm"
	wPunct  = keyMinWeight + 1 // other punctuation and symbols
	wDigit  = keyMinWeight + 2 // '0'..'9' take ten weights from here
	wLetter = wDigit + 10      // the alphabet below takes its weights from here
	wOther  = 0xfe             // any other character: wOther, then its code point in three bytes
)

// alphabet is the order of letters, each a base letter and the marks that
// make it a letter of its own in Vietnamese.
var alphabet = []string{"a", "a\u0306", "a\u0302", "b", "c", "d", "đ", "e", "e\u0302", "f", "g", "h",
	"i", "j", "k", "l", "m", "n", "o", "o\u0302", "o\u031b", "p", "q", "r", "s", "t", "u", "u\u031b",
	"v", "w", "x", "y", "z"}

// tones are the marks of the second level, in order; tone 0 is none.
var tones = map[rune]byte{'\u0300': 1, '\u0309': 2, '\u0303': 3, '\u0301': 4, '\u0323': 5}

// otherMark is the second-level weight of a mark Vietnamese does not use
// (ü, ç, …): after every tone.
const otherMark = 6

// charWeights is what a character weighs at each level. primary 0 means the
// character is not in the table.
type charWeights struct{ primary, secondary, tertiary byte }

// weightTable holds the weights of every character below U+1F00, which
// covers ASCII and all Vietnamese letters, precomposed as NFC writes them.
var weightTable = sync.OnceValue(func() *[0x1f00]charWeights {
	var t [0x1f00]charWeights
	letters := map[string]byte{}
	for i, l := range alphabet {
		letters[l] = byte(wLetter + i)
	}
	for r := rune(0); r < rune(len(t)); r++ {
		switch {
		case r >= '0' && r <= '9':
			t[r] = charWeights{byte(wDigit + r - '0'), keyMinWeight, keyMinWeight}
			continue
		case r == ' ' || r == '\t' || r == '\u00a0':
			t[r] = charWeights{wSpace, keyMinWeight, keyMinWeight}
			continue
		case r < 0x80 && !isASCIILetter(r):
			t[r] = charWeights{wPunct, keyMinWeight, byte(r)}
			continue
		}
		lower := []rune(strings.ToLower(string(r)))
		if len(lower) != 1 {
			continue
		}
		upper := lower[0] != r
		d := []rune(norm.NFD.String(string(lower[0])))
		base, tone := string(d[0]), byte(0)
		for _, m := range d[1:] {
			if w, ok := tones[m]; ok && tone == 0 {
				tone = w
			} else if _, ok := letters[base+string(m)]; ok {
				base += string(m)
			} else {
				tone = otherMark
			}
		}
		p, ok := letters[base]
		if !ok {
			continue
		}
		c := charWeights{p, keyMinWeight + tone, keyMinWeight}
		if upper {
			c.tertiary++
		}
		t[r] = c
	}
	return &t
})

func isASCIILetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

// appendSortKey appends the sort key of s: its primary weights, then its
// tones, then its case, each level ended by sepKeyLevel. Marks written apart
// from their letter (NFD) weigh as if composed with it.
func appendSortKey(b []byte, s string) []byte {
	t := weightTable()
	// The primary level is written as the string is read; each character's
	// other two weights wait in rest, written after it.
	var small [64]byte
	rest := small[:0]
	letter := false // whether the last character was one of the table's letters
	for _, r := range s {
		var c charWeights
		if r < rune(len(t)) {
			c = t[r]
		}
		switch {
		case c.primary == 0 && r >= 0x300 && r < 0x370 && letter:
			// A combining mark after its letter (NFD): a tone, a mark that
			// makes another letter (a and a breve are ă), or another mark.
			c = combine(b[len(b)-1], rest[len(rest)-2], r)
			b[len(b)-1], rest[len(rest)-2] = c.primary, c.secondary
		case c.primary == 0:
			// Outside the table: after every letter, in code-point order.
			b = append(b, wOther, byte(3+r/(250*250)), byte(3+r/250%250), byte(3+r%250))
			rest = append(rest, keyMinWeight, keyMinWeight)
			letter = false
		default:
			b = append(b, c.primary)
			rest = append(rest, c.secondary, c.tertiary)
			letter = c.primary >= wLetter
		}
	}
	b = append(b, sepKeyLevel)
	for i := 0; i < len(rest); i += 2 {
		b = append(b, rest[i])
	}
	b = append(b, sepKeyLevel)
	for i := 1; i < len(rest); i += 2 {
		b = append(b, rest[i])
	}
	return b
}

// combine weighs a letter (by its primary and secondary weights) followed by
// the combining mark m.
func combine(primary, secondary byte, m rune) charWeights {
	if w, ok := tones[m]; ok && secondary == keyMinWeight {
		return charWeights{primary, keyMinWeight + w, 0}
	}
	base := primary - wLetter
	if int(base) < len(alphabet) {
		if i := indexOf(alphabet, alphabet[base]+string(m)); i >= 0 {
			return charWeights{byte(wLetter + i), secondary, 0}
		}
	}
	return charWeights{primary, keyMinWeight + otherMark, 0}
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// appendPersonKey appends the key that orders people in a report: by unit,
// level by level (a unit before the units under it), then by given name
// (the last word of the full name, as Vietnamese lists are ordered), then
// by the whole name, the staff code, and the person's id, which makes the
// key unique.
func appendPersonKey(b []byte, unitPath, fullName, staffCode, id string) []byte {
	return appendPersonName(appendUnitKey(b, unitPath), fullName, staffCode, id)
}

// appendUnitKey appends the first part of a person's key: the unit's.
func appendUnitKey(b []byte, unitPath string) []byte {
	for i, level := range strings.Split(unitPath, "/") {
		if i > 0 {
			b = append(b, sepUnitLevel)
		}
		b = appendSortKey(b, strings.TrimSpace(level))
	}
	return append(b, sepField)
}

// appendPersonName appends the rest of a person's key, after the unit's.
func appendPersonName(b []byte, fullName, staffCode, id string) []byte {
	name := strings.TrimSpace(fullName)
	b = appendSortKey(b, name[strings.LastIndexAny(name, " \t")+1:])
	b = append(b, sepField)
	b = appendSortKey(b, name)
	b = append(b, sepField)
	b = append(b, staffCode...)
	b = append(b, sepField)
	b = append(b, id...)
	return append(b, sepField)
}
