package report

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"golang.org/x/image/font/sfnt"
)

// ErrNoFont is returned when no Times New Roman (or a metric-compatible
// serif with every Vietnamese letter) is found for a PDF.
var ErrNoFont = errors.New("no Times New Roman or Liberation Serif font found")

// FontSet is the TrueType files of one serif family.
type FontSet struct {
	Regular, Bold, Italic string
}

// fontCandidates are where Times New Roman or its metric-compatible Liberation
// Serif live on Windows, Linux and macOS, in order of preference.
func fontCandidates(getenv func(string) string) []FontSet {
	var out []FontSet
	if runtime.GOOS == "windows" || getenv("WINDIR") != "" {
		dir := filepath.Join(getenv("WINDIR"), "Fonts")
		out = append(out, FontSet{filepath.Join(dir, "times.ttf"), filepath.Join(dir, "timesbd.ttf"), filepath.Join(dir, "timesi.ttf")})
	}
	for _, dir := range []string{
		// liberation2 before liberation: Debian's fonts-liberation (1.x) has
		// no Vietnamese letters; fonts-liberation2 (2.x) has them all.
		"/usr/share/fonts/truetype/msttcorefonts", "/usr/share/fonts/truetype/liberation2",
		"/usr/share/fonts/truetype/liberation", "/usr/share/fonts/liberation-serif", "/usr/share/fonts/liberation",
		"/usr/local/share/fonts", "/System/Library/Fonts/Supplemental", "/Library/Fonts",
	} {
		out = append(out,
			FontSet{filepath.Join(dir, "Times_New_Roman.ttf"), filepath.Join(dir, "Times_New_Roman_Bold.ttf"), filepath.Join(dir, "Times_New_Roman_Italic.ttf")},
			FontSet{filepath.Join(dir, "Times New Roman.ttf"), filepath.Join(dir, "Times New Roman Bold.ttf"), filepath.Join(dir, "Times New Roman Italic.ttf")},
			FontSet{filepath.Join(dir, "LiberationSerif-Regular.ttf"), filepath.Join(dir, "LiberationSerif-Bold.ttf"), filepath.Join(dir, "LiberationSerif-Italic.ttf")})
	}
	return out
}

// FindFont returns the serif to draw a PDF in: the file given (with its bold
// and italic siblings when they are beside it), else Times New Roman or
// Liberation Serif where the system keeps them.
func FindFont(path string, getenv func(string) string) (FontSet, error) {
	if path != "" {
		if _, err := os.Stat(path); err != nil {
			return FontSet{}, fmt.Errorf("%s: %w", path, ErrNoFont)
		}
		if missing := missingVietnamese(path); missing != "" {
			return FontSet{}, &FontError{Path: path, Missing: missing}
		}
		return withSiblings(path), nil
	}
	for _, fs := range fontCandidates(getenv) {
		if exists(fs.Regular) && missingVietnamese(fs.Regular) == "" {
			if !exists(fs.Bold) {
				fs.Bold = fs.Regular
			}
			if !exists(fs.Italic) {
				fs.Italic = fs.Regular
			}
			return fs, nil
		}
	}
	return FontSet{}, ErrNoFont
}

// withSiblings finds the bold and italic files named like a regular one
// (times.ttf → timesbd.ttf, X-Regular.ttf → X-Bold.ttf); the regular stands
// in for a missing one.
func withSiblings(regular string) FontSet {
	fs := FontSet{regular, regular, regular}
	dir, base := filepath.Dir(regular), filepath.Base(regular)
	ext := filepath.Ext(base)
	stem := strings.TrimSuffix(base, ext)
	try := func(names ...string) string {
		for _, n := range names {
			if p := filepath.Join(dir, n+ext); exists(p) {
				return p
			}
		}
		return regular
	}
	if s, ok := strings.CutSuffix(stem, "-Regular"); ok {
		fs.Bold, fs.Italic = try(s+"-Bold"), try(s+"-Italic")
	} else {
		fs.Bold, fs.Italic = try(stem+"bd", stem+" Bold", stem+"_Bold"), try(stem+"i", stem+" Italic", stem+"_Italic")
	}
	return fs
}

// FontError names a font that lacks Vietnamese letters, and which.
type FontError struct {
	Path    string
	Missing string
}

func (e *FontError) Error() string {
	return fmt.Sprintf("%s lacks the Vietnamese letters %s", e.Path, e.Missing)
}

func (e *FontError) Unwrap() error { return ErrNoFont }

// vietnameseLetters are the letters of Vietnamese beyond ASCII, both cases.
const vietnameseLetters = "àáâãèéêìíòóôõùúýăđĩũơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ" +
	"ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĐĨŨƠƯẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ"

// missingVietnamese returns the Vietnamese letters a TrueType file has no
// glyph for (at most ten of them), "" when it has them all, or the whole
// alphabet when the file is not a font.
func missingVietnamese(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return vietnameseLetters
	}
	f, err := sfnt.Parse(b)
	if err != nil {
		return vietnameseLetters
	}
	var buf sfnt.Buffer
	var missing []rune
	for _, r := range vietnameseLetters {
		if g, err := f.GlyphIndex(&buf, r); err != nil || g == 0 {
			missing = append(missing, r)
		}
	}
	if len(missing) > 10 {
		missing = append(missing[:10], '…')
	}
	return string(missing)
}

func exists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir()
}
