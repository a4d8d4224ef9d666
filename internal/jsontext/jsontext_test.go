package jsontext

import (
	"encoding/json"
	"testing"
)

// TestAppendStringAsMarshal checks AppendString against json.Marshal on
// every kind of character it escapes.
func TestAppendStringAsMarshal(t *testing.T) {
	for _, s := range []string{"", "Đặng Thị Hà", `a "b" \c`, "<tag> & co", "tab\tnew\nret\r", "\x00\x01\x1f",
		"line\u2028para\u2029", "bad \xff\xfe byte", "end \xe1\xba", "emoji 🙂"} {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := AppendString(nil, s); string(got) != string(want) {
			t.Errorf("AppendString(%q) = %s, json.Marshal gives %s", s, got, want)
		}
	}
}
