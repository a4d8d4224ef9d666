package main

import "testing"

func TestQuoteFor(t *testing.T) {
	cases := []struct{ goos, in, want string }{
		{"linux", "goi-cua-toi", "goi-cua-toi"},
		{"linux", "gói của tôi", "'gói của tôi'"},
		{"linux", "it's", `'it'\''s'`},
		{"linux", "a$b", "'a$b'"},
		{"linux", `a\b`, `'a\b'`},
		{"linux", "", "''"},
		{"windows", `D:\Gói bài\goi`, `"D:\Gói bài\goi"`},
		{"windows", `D:\goi`, `D:\goi`},
		{"windows", `a"b`, `"a""b"`},
	}
	for _, c := range cases {
		if got := quoteFor(c.goos, c.in); got != c.want {
			t.Errorf("quoteFor(%s, %q) = %s; want %s", c.goos, c.in, got, c.want)
		}
	}
}
