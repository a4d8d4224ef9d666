// Package locales holds every string hocso shows a person, in Vietnamese
// (the default) and English, and formats dates and numbers the way each
// language writes them.
package locales

import (
	"embed"
	"fmt"
	"io/fs"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Messages live in one file per area and language (active.vi.toml,
// sync.vi.toml, …), so that each area's strings can change on their own.
//
//go:embed *.toml
var files embed.FS

// messageFiles lists the embedded message files of one language, sorted.
func messageFiles(lang string) ([]string, error) {
	return fs.Glob(files, "*."+lang+".toml")
}

// Languages are the UI languages, the default first.
var Languages = []string{"vi", "en"}

// Default is the language used when nothing says otherwise.
const Default = "vi"

// bundles holds, for each language, a bundle of its messages over those of
// the default language (which a missing message falls back to). Each is
// read when first asked for: a start in Vietnamese reads only the
// Vietnamese files.
var bundles = func() map[string]func() (*i18n.Bundle, error) {
	m := make(map[string]func() (*i18n.Bundle, error), len(Languages))
	for _, lang := range Languages {
		m[lang] = sync.OnceValues(func() (*i18n.Bundle, error) { return newBundle(lang) })
	}
	return m
}()

// newBundle reads the message files of the default language and, for
// another language, its own.
func newBundle(lang string) (*i18n.Bundle, error) {
	b := i18n.NewBundle(language.Vietnamese)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	for _, l := range []string{Default, lang} {
		names, err := messageFiles(l)
		if err != nil {
			return nil, err
		}
		for _, name := range names {
			if err := loadMessageFile(b, l, name); err != nil {
				return nil, fmt.Errorf("load %s messages: %w", name, err)
			}
		}
		if lang == Default {
			break
		}
	}
	return b, nil
}

// loadMessageFile adds an embedded message file of lang to b: read by
// quickMessages when it can, else by the TOML decoder (see quick.go).
func loadMessageFile(b *i18n.Bundle, lang, name string) error {
	data, err := fs.ReadFile(files, name)
	if err != nil {
		return err
	}
	return addMessages(b, lang, name, data)
}

// addMessages adds the messages of one file (named for the TOML path's
// error messages) to b.
func addMessages(b *i18n.Bundle, lang, name string, data []byte) error {
	if msgs, ok := quickMessages(data); ok {
		return b.AddMessages(language.Make(lang), msgs...)
	}
	_, err := b.ParseMessageFileBytes(data, name)
	return err
}

// Localizer turns message ids into text in one language.
type Localizer struct {
	lang string
	l    *i18n.Localizer
}

// New returns a localizer for lang ("vi" or "en"; anything else means Vietnamese).
func New(lang string) *Localizer {
	lang = Supported(lang)
	b, err := bundles[lang]()
	if err != nil {
		panic(err) // the files are embedded: a broken one is a build defect, caught by tests
	}
	return &Localizer{lang: lang, l: i18n.NewLocalizer(b, lang)}
}

// Supported returns lang if hocso speaks it, else the default.
func Supported(lang string) string {
	for _, l := range Languages {
		if l == lang {
			return l
		}
	}
	return Default
}

// Parse reads a language as people and systems write it ("vi", "en-US",
// "en_GB.UTF-8", "VI") and returns the supported language it names; ok is
// false for a language hocso does not speak.
func Parse(tag string) (lang string, ok bool) {
	code := strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(code, "-_.@"); i >= 0 {
		code = code[:i]
	}
	for _, l := range Languages {
		if l == code {
			return l, true
		}
	}
	return Default, false
}

// Lang is the localizer's language code.
func (l *Localizer) Lang() string { return l.lang }

// T returns message id filled with data (a map or struct), or the id itself
// when the message is missing, so a gap shows up instead of a blank.
func (l *Localizer) T(id string, data ...any) string {
	cfg := &i18n.LocalizeConfig{MessageID: id}
	if len(data) > 0 {
		cfg.TemplateData = data[0]
	}
	s, err := l.l.Localize(cfg)
	if err != nil {
		return id
	}
	return s
}

// N returns the plural form of message id for count; data may add fields,
// and Count is always available to the template.
func (l *Localizer) N(id string, count int, data ...map[string]any) string {
	d := map[string]any{"Count": count}
	if len(data) > 0 {
		for k, v := range data[0] {
			d[k] = v
		}
	}
	s, err := l.l.Localize(&i18n.LocalizeConfig{MessageID: id, PluralCount: count, TemplateData: d})
	if err != nil {
		return id
	}
	return s
}

// Localize is T that reports a missing message or template error, for tests and checks.
func (l *Localizer) Localize(id string, count *int, data any) (string, error) {
	cfg := &i18n.LocalizeConfig{MessageID: id, TemplateData: data}
	if count != nil {
		cfg.PluralCount = *count
	}
	return l.l.Localize(cfg)
}

// Date writes a date as the language does: 27/9/2019 in Vietnamese, 27 Sep 2019 in English.
func (l *Localizer) Date(t time.Time) string {
	if l.lang == "en" {
		return t.Format("2 Jan 2006")
	}
	return fmt.Sprintf("%d/%d/%d", t.Day(), int(t.Month()), t.Year())
}

// DateTime is Date with the time of day (24-hour clock, local time).
func (l *Localizer) DateTime(t time.Time) string {
	return l.Date(t) + " " + t.Format("15:04")
}

// Number writes f with at most decimals digits after the separator, which is
// a comma in Vietnamese; trailing zeros are dropped (7,5 not 7,50).
func (l *Localizer) Number(f float64, decimals int) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "–"
	}
	s := strconv.FormatFloat(f, 'f', decimals, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	if l.lang == "vi" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// Percent writes a percentage: 7,5% in Vietnamese, 7.5% in English.
func (l *Localizer) Percent(f float64) string { return l.Number(f, 1) + "%" }

// FromEnv picks the UI language from the environment: HOCSO_LANG, then the
// POSIX locale (LC_ALL, LC_MESSAGES, LANG). Anything hocso does not speak —
// including "C" — gives Vietnamese.
func FromEnv(getenv func(string) string) string {
	if v := getenv("HOCSO_LANG"); v != "" {
		lang, _ := Parse(v)
		return lang
	}
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := getenv(k)
		if v == "" {
			continue
		}
		lang, _ := Parse(v)
		return lang
	}
	return Default
}
