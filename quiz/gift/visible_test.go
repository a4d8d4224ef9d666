package gift

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
	"golang.org/x/net/html"

	"hocso/quiz"
)

// The tests judge our Markdown with goldmark, the parser glamour renders
// with, rather than with the code under test: what a learner sees is the text
// goldmark finds, and raw HTML is whatever goldmark takes for HTML.
var markdown = goldmark.New(goldmark.WithExtensions(extension.GFM))

// visibleMarkdown is the text a learner sees when md is rendered, normalised.
func visibleMarkdown(t testing.TB, md string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(md), &buf); err != nil {
		t.Fatalf("goldmark cannot render %q: %v", md, err)
	}
	return visibleHTML(buf.String())
}

// visibleHTML is the text a browser shows for src, normalised.
func visibleHTML(src string) string {
	var b strings.Builder
	skip := 0
	z := html.NewTokenizer(strings.NewReader(src))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return normalise(b.String())
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken:
			if name, _ := z.TagName(); string(name) == "script" || string(name) == "style" {
				skip++
			}
			b.WriteByte(' ')
		case html.EndTagToken:
			if name, _ := z.TagName(); (string(name) == "script" || string(name) == "style") && skip > 0 {
				skip--
			}
			b.WriteByte(' ')
		}
	}
}

var spaceBeforePunct = regexp.MustCompile(` ([.,;:?!])`)

// normalise makes texts comparable across layouts: one space between words
// and none before punctuation, since where a line wraps, or whether a
// missing-word gap has a space after it, is not something a learner notices.
func normalise(s string) string {
	return spaceBeforePunct.ReplaceAllString(strings.Join(strings.Fields(s), " "), "$1")
}

// rawHTML reports the first raw HTML goldmark finds in md, or "".
func rawHTML(md string) string {
	src := []byte(md)
	doc := markdown.Parser().Parse(text.NewReader(src))
	found := ""
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering || found != "" {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.RawHTML:
			var b strings.Builder
			for i := 0; i < n.Segments.Len(); i++ {
				seg := n.Segments.At(i)
				b.Write(seg.Value(src))
			}
			found = b.String()
		case *ast.HTMLBlock:
			var b strings.Builder
			for i := 0; i < n.Lines().Len(); i++ {
				seg := n.Lines().At(i)
				b.Write(seg.Value(src))
			}
			found = b.String()
		}
		return ast.WalkContinue, nil
	})
	return found
}

// allTexts lists every piece of Markdown a result holds, with where it is.
func allTexts(res *Result) map[string]string {
	out := map[string]string{}
	add := func(where string, t quiz.Text) {
		for lang, s := range t {
			out[where+"."+lang] = s
		}
	}
	for _, q := range res.Questions {
		add(q.ID+".text", q.Text)
		add(q.ID+".explanation", q.Explanation)
		for _, o := range q.Options {
			add(q.ID+"."+o.ID+".text", o.Text)
			add(q.ID+"."+o.ID+".feedback", o.Feedback)
		}
		for _, p := range q.Pairs {
			add(q.ID+"."+p.ID+".left", p.Left)
			add(q.ID+"."+p.ID+".right", p.Right)
		}
	}
	return out
}

// assertSafe fails if any text of res holds raw HTML or a control character,
// or if a question would not pass hocso's own pack check.
func assertSafe(t testing.TB, res *Result) {
	t.Helper()
	for _, q := range res.Questions {
		for _, is := range q.Check([]string{"vi"}) {
			t.Errorf("question %s fails the pack check: %s", q.ID, is)
		}
	}
	for where, md := range allTexts(res) {
		if h := rawHTML(md); h != "" {
			t.Errorf("%s holds raw HTML %q in %q", where, h, md)
		}
		if i := strings.IndexFunc(md, func(r rune) bool { return dropRune(r) }); i >= 0 {
			t.Errorf("%s holds control or marker character %U in %q", where, []rune(md[i:])[0], md)
		}
	}
}
