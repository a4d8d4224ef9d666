package gift

import (
	"strings"
	"testing"
)

func TestEscapeText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Thủ đô của Việt Nam là Hà Nội.", "Thủ đô của Việt Nam là Hà Nội."},
		{"2 * 3 = 6 và a_b_c", "2 * 3 = 6 và a_b_c"},
		{"*đậm* _nghiêng_ ~gạch~", `\*đậm\* \_nghiêng\_ \~gạch\~`},
		{"[liên kết](x) `mã` <b> a\\b", `\[liên kết\](x) \` + "`mã\\` \\<b> a\\\\b"},
		{"# không phải tiêu đề", `\# không phải tiêu đề`},
		{"> không trích dẫn", `\> không trích dẫn`},
		{"- không phải mục\n+ cũng không\n* nữa", "\\- không phải mục\n\\+ cũng không\n\\* nữa"},
		{"1. không phải danh sách\n2) cũng không", "1\\. không phải danh sách\n2\\) cũng không"},
		{"---\n===\n___", "\\---\n\\===\n\\_\\_\\_"},
		{"-5 độ và 2019.", "-5 độ và 2019."},
		{"_____ là thủ đô.", "_____ là thủ đô."},
		{"&amp; và & và &#169;", `\&amp; và & và \&#169;`},
		{"a < b, <5, <b>, </i>, <!-- x --> và <https://x.vn>", `a < b, <5, \<b>, \</i>, \<!-- x --> và \<https://x.vn>`},
		{"dòng một\ndòng hai", "dòng một\ndòng hai"},
		{"một" + string(hardBreak) + "hai", "một\\\nhai"},
		{"một" + string(hardBreak) + string(hardBreak) + "hai", "một\n\nhai"},
		{"cuối" + string(hardBreak), "cuối"},
	}
	for _, tt := range tests {
		if got := escapeText(tt.in); got != tt.want {
			t.Errorf("escapeText(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

// TestEscapeTextShowsTheText checks, through goldmark, that escaped text
// shows exactly as written and never turns into HTML.
func TestEscapeTextShowsTheText(t *testing.T) {
	for _, s := range []string{
		"Giá trị *không* phải _định dạng_, a*b*c, **x**, __y__, ~~z~~",
		"[a](b) ![c](d) <https://x.vn> <b>đậm</b> <!-- c --> &copy; &#65; \\* \\",
		"# a\n## b\n> c\n- d\n+ e\n* f\n1. g\n2) h\n---\n***\n===\n```\n~~~\n    thụt lề",
		"a | b\n--|--\nc | d",
		"Đoạn văn\n=====",
		"x_y_z snake_case __init__ _a_b_",
		"`a` ``b`` ```c",
	} {
		md := escapeText(s)
		if h := rawHTML(md); h != "" {
			t.Errorf("escapeText(%q) = %q holds raw HTML %q", s, md, h)
		}
		if got, want := visibleMarkdown(t, md), normalise(s); got != want {
			t.Errorf("escapeText(%q) = %q\nshows %q\n want %q", s, md, got, want)
		}
	}
}

func TestNeutraliseHTML(t *testing.T) {
	tests := []struct{ in, want string }{
		{"**đậm** và *nghiêng*", "**đậm** và *nghiêng*"},
		{"a <b>b</b> <script>x</script>", `a \<b>b\</b> \<script>x\</script>`},
		{"<div>\nkhối\n</div>", "\\<div>\nkhối\n\\</div>"},
		{"<!-- ẩn --> <?php ?> <!DOCTYPE html>", `\<!-- ẩn --> \<?php ?> \<!DOCTYPE html>`},
		{"`<b>` và ``<i>``", "`<b>` và ``<i>``"},
		{"`không đóng <b>", "`không đóng \\<b>"},
		{"```\n<b>trong khối mã</b>\n```\n<b>", "```\n<b>trong khối mã</b>\n```\n\\<b>"},
		{"<https://chinhphu.vn> <ai@gov.vn>", "<https://chinhphu.vn> <ai@gov.vn>"},
		{"a < b và 1<2", "a < b và 1<2"},
		{`\<b> đã thoát`, `\<b> đã thoát`},
	}
	for _, tt := range tests {
		got := neutraliseHTML(tt.in)
		if got != tt.want {
			t.Errorf("neutraliseHTML(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
		if h := rawHTML(got); h != "" {
			t.Errorf("neutraliseHTML(%q) = %q still holds raw HTML %q", tt.in, got, h)
		}
	}
}

func TestReplaceBlank(t *testing.T) {
	mark := string(blankMark)
	tests := map[string]string{
		"Thủ đô là " + mark + ".":        "Thủ đô là _____.",
		mark + " là thủ đô.":             "_____ là thủ đô.",
		"Điền vào:\n" + mark + "\nxong.": "Điền vào:\n" + `\_\_\_\_\_` + "\nxong.",
		"không có chỗ trống":             "không có chỗ trống",
	}
	for in, want := range tests {
		got := replaceBlank(in)
		if got != want {
			t.Errorf("replaceBlank(%q) = %q, want %q", in, got, want)
		}
		if strings.Contains(visibleMarkdown(t, got), "_____") != strings.Contains(in, mark) {
			t.Errorf("replaceBlank(%q) = %q does not show the gap", in, got)
		}
	}
}
