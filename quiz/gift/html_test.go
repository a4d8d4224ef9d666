package gift

import (
	"slices"
	"testing"
)

func TestHTMLToMarkdown(t *testing.T) {
	tests := []struct {
		name, html, want string
		dropped          []string
	}{
		{"paragraphs", "<p>Một</p><p>Hai</p>", "Một\n\nHai", nil},
		{"line break", "Một<br>Hai<br/>", "Một\\\nHai", nil},
		{"bold and italics", "<b>đậm</b>, <strong>đậm</strong>, <i>nghiêng</i>, <em>nghiêng</em>", "**đậm**, **đậm**, *nghiêng*, *nghiêng*", nil},
		{"emphasis keeps its spaces outside", "a<b> đậm </b>b", "a **đậm** b", nil},
		{"empty emphasis leaves nothing", "a<b> </b>b<i></i>", "a b", nil},
		{"emphasis across paragraphs", "<b><p>một</p><p>hai</p></b>", "**một**\n\n**hai**", nil},
		{"bullet list", "<ul><li>một</li><li>hai</li></ul>", "- một\n- hai", nil},
		{"numbered list", "<p>Các bước:</p><ol><li>một</li><li>hai</li></ol><p>Xong.</p>", "Các bước:\n\n1. một\n2. hai\n\nXong.", nil},
		{"nested list", "<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>", "- a\n  - b\n- c", nil},
		{"link", `<a href="https://chinhphu.vn/a b">Cổng</a>`, "[Cổng](https://chinhphu.vn/a%20b)", nil},
		{"unsafe link keeps its text", `<a href="javascript:alert(1)">bấm</a>`, "bấm", nil},
		{"inline code", "Gõ <code>ls -l</code>.", "Gõ `ls -l`.", nil},
		{"inline code with backticks", "<code>a`b</code>", "``a`b``", nil},
		{"preformatted", "<pre>\nfunc() {\n  x := 1\n}</pre>", "```\nfunc() {\n  x := 1\n}\n```", nil},
		{"script and style vanish", "A<script>alert('x')</script><style>p{}</style>B", "AB", []string{"GiftDroppedScript", "GiftDroppedStyle"}},
		{"unclosed script swallows the rest", "A<script>alert(1)", "A", []string{"GiftDroppedScript"}},
		{"other tags go, text stays", `<span style="color:red" onclick="x()">đỏ</span> <font>chữ</font>`, "đỏ chữ", nil},
		{"image", `Xem <img src="a.png" alt="hình">hình`, "Xem hình", []string{"GiftDroppedImage"}},
		{"comments go", "A<!-- <b>ẩn</b> -->B", "AB", nil},
		{"entities", "&lt;b&gt; &amp; &quot;x&quot; &#272;&#7891;", `\<b> & "x" Đồ`, nil},
		{"entity that stays text", "&amp;amp;", `\&amp;`, nil},
		{"Markdown characters are text", "*a* _b_ [c](d) `e` # f", `\*a\* \_b\_ \[c\](d) \` + "`" + `e\` + "` # f", nil},
		{"line-start syntax is text", "<p># tiêu đề</p><p>- mục</p><p>1. số</p>", "\\# tiêu đề\n\n\\- mục\n\n1\\. số", nil},
		{"non-breaking spaces", "a&nbsp;&nbsp;b", "a b", nil},
		{"heading", "<h2>Mục 1</h2>Nội dung", "**Mục 1**\n\nNội dung", nil},
		{"superscript", "10<sup>3</sup> m<sup>2</sup>", "10^3 m^2", nil},
		{"table cells", "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\\\nc", []string{"GiftDroppedTable"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, dropped := htmlToMarkdown(tt.html)
			if got != tt.want {
				t.Errorf("htmlToMarkdown(%q)\n got %q\nwant %q", tt.html, got, tt.want)
			}
			if !slices.Equal(dropped, tt.dropped) {
				t.Errorf("dropped %v, want %v", dropped, tt.dropped)
			}
			if h := rawHTML(got); h != "" {
				t.Errorf("raw HTML %q left in %q", h, got)
			}
		})
	}
}

// TestHTMLToMarkdownShowsTheSameText checks, through goldmark, that the
// Markdown shows what the HTML showed.
func TestHTMLToMarkdownShowsTheSameText(t *testing.T) {
	for _, src := range []string{
		"<p>Nghị quyết <b>52-NQ/TW</b> ban hành ngày <i>27/9/2019</i>.</p><p>Do Bộ Chính trị ban hành.</p>",
		"<ul><li>Chính phủ số</li><li>Kinh tế <em>số</em></li><li>Xã hội số</li></ul>",
		"Giá trị *không* phải _định dạng_; a_b_c; 2 * 3; [1]; `x`; &lt;tag&gt; &amp;copy;",
		"<p>1. Không phải danh sách</p><p>- cũng không</p><p>&gt; không trích dẫn</p><p>---</p><p>===</p>",
		`<a href="https://vi.wikipedia.org/wiki/Hà_Nội">Hà Nội</a> là <code>thủ đô</code>`,
	} {
		if got, want := visibleMarkdown(t, mustMarkdown(src)), visibleHTML(src); got != want {
			t.Errorf("%q shows %q, want %q", src, got, want)
		}
	}
}

func mustMarkdown(src string) string {
	md, _ := htmlToMarkdown(src)
	return md
}

func TestHTMLToText(t *testing.T) {
	tests := map[string]string{
		"<p>Hà   <b>Nội</b></p>":            "Hà Nội",
		"A<script>x</script>B":              "AB",
		"<p>một</p><p>hai</p>":              "một hai",
		"&lt;b&gt; &amp; &nbsp;x":           "<b> & x",
		"<span style=\"x\">Thủ đô</span>\n": "Thủ đô",
	}
	for in, want := range tests {
		if got := htmlToText(in); got != want {
			t.Errorf("htmlToText(%q) = %q, want %q", in, got, want)
		}
	}
}
