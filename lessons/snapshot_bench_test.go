package lessons

import "testing"

// BenchmarkBuiltin is the built-in course's part of every start: the digest
// of its embedded files and the decode of its snapshot.
func BenchmarkBuiltin(b *testing.B) {
	for b.Loop() {
		if _, err := Builtin(); err != nil {
			b.Fatal(err)
		}
	}
}
