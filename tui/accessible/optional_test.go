package accessible

import "testing"

// An optional module says so in the menu and on entering it, and "continue"
// passes over it to the next required module.
func TestOptionalModuleIsNamedAndSkipped(t *testing.T) {
	for lang, want := range map[string][]string{
		"vi": {"1. Những điều cơ bản (Tự chọn, 0/2 bài", "Học tiếp: làm bài kiểm tra “Luyện tập”",
			"Học phần tự chọn: không tính vào việc hoàn thành khóa học."},
		"en": {"1. The basics (Optional, 0/2 lessons", "Continue: take the quiz “Practice”",
			"Optional module: it does not count towards completing the course."},
	} {
		t.Run(lang, func(t *testing.T) {
			c, _ := newCommon(t, lang)
			withLearner(t, c)
			no := false
			c.Pack.Modules[0].Required = &no
			contains(t, transcript(t, c, "1"), want...)
		})
	}
}
