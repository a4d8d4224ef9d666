package common

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestMarkdownRendersLessons(t *testing.T) {
	src := "## Phần một\n\nĐoạn văn dài nói về Nghị quyết 52-NQ/TW và Quyết định 749/QĐ-TTg của Thủ tướng Chính phủ.\n\n" +
		"- **Lần thứ nhất:** máy hơi nước đưa sản xuất từ lao động thủ công sang cơ khí hóa.\n- Lần thứ hai.\n\n" +
		"1. Bước một\n2. Bước hai\n\n> **Ghi nhớ**\n> - Một ý cần nhớ thật dài để phải xuống dòng ở màn hình hẹp.\n\nGõ `hocso pack new` để bắt đầu."
	for _, style := range []string{"notty", "dark", "light"} {
		out, err := NewMarkdown(style).Render("x", src, 40)
		if err != nil {
			t.Fatal(err)
		}
		plain := ansi.Strip(out)
		lines := strings.Split(plain, "\n")
		for i, l := range lines {
			if w := ansi.StringWidth(l); w > 40 {
				t.Errorf("%s: line %d is %d wide: %q", style, i+1, w, l)
			}
		}
		for _, want := range []string{"  • Lần thứ nhất: máy hơi nước", "  1. Bước một", "  │ Ghi nhớ", "  │ • Một ý cần nhớ", "  │   "} {
			if !strings.Contains(plain, want) {
				t.Errorf("%s: lacks %q in\n%s", style, want, plain)
			}
		}
		for i, l := range lines {
			if strings.Contains(l, "• Lần thứ nhất") && (i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], "    ") || lines[i+1][4] == ' ') {
				t.Errorf("%s: a wrapped list item does not hang under its text:\n%s", style, plain)
			}
		}
		for _, symbol := range []string{"52-NQ/TW", "749/QĐ-TTg"} {
			if !strings.Contains(plain, symbol) {
				t.Errorf("%s: %s broken across lines:\n%s", style, symbol, plain)
			}
		}
		if style == "notty" && (!strings.Contains(plain, "## Phần một") || !strings.Contains(plain, "`hocso pack new`")) {
			t.Errorf("notty: headings and code must show their marks without colour:\n%s", plain)
		}
		if style != "notty" && strings.Contains(plain, "##") {
			t.Errorf("%s: heading marks shown with colour:\n%s", style, plain)
		}
	}
}

// BenchmarkMarkdownRender renders a long lesson at 80 columns, uncached.
func BenchmarkMarkdownRender(b *testing.B) {
	src := strings.Repeat("## Mục\n\nMột đoạn văn có **chữ đậm** và Nghị quyết 52-NQ/TW, đủ dài để xuống dòng vài lần ở khổ tám mươi cột.\n\n- Ý một\n- Ý hai\n\n", 20)
	for i := 0; i < b.N; i++ {
		NewMarkdown("dark").Render("x", src, 80)
	}
}
