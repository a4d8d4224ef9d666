package profile

import (
	"testing"

	"hocso/store"
)

func TestValidate(t *testing.T) {
	ok := store.ProfilePayload{FullName: "Nguyễn Thị Lan", StaffCode: "CB-0123", UnitPath: "Hà Nội / Phường Ba Đình / UBND phường"}
	cases := []struct {
		name  string
		edit  func(*store.ProfilePayload)
		field int
		want  string
	}{
		{"fine", func(*store.ProfilePayload) {}, fieldName, ""},
		{"one letter", func(p *store.ProfilePayload) { p.FullName = "A" }, fieldName, "ProfileNameInvalid"},
		{"digits only", func(p *store.ProfilePayload) { p.FullName = "12345" }, fieldName, "ProfileNameInvalid"},
		{"no staff code", func(p *store.ProfilePayload) { p.StaffCode = "" }, fieldStaff, ""},
		{"accented staff code", func(p *store.ProfilePayload) { p.StaffCode = "CB-Đức" }, fieldStaff, "ProfileStaffInvalid"},
		{"staff code with space", func(p *store.ProfilePayload) { p.StaffCode = "CB 01" }, fieldStaff, "ProfileStaffInvalid"},
		{"no unit", func(p *store.ProfilePayload) { p.UnitPath = "" }, fieldUnit, "ProfileUnitInvalid"},
		{"one level", func(p *store.ProfilePayload) { p.UnitPath = "UBND phường" }, fieldUnit, "ProfileUnitLevels"},
		{"two levels", func(p *store.ProfilePayload) { p.UnitPath = "Huế / Phường Thuận Hóa" }, fieldUnit, ""},
		{"level without letters", func(p *store.ProfilePayload) { p.UnitPath = "Hà Nội / 123" }, fieldUnit, "ProfileUnitLevels"},
		{"seven levels", func(p *store.ProfilePayload) { p.UnitPath = "a / b / c / d / e / f / g" }, fieldUnit, "ProfileUnitLevels"},
	}
	for _, c := range cases {
		p := ok
		c.edit(&p)
		p.UnitPath = NormalizeUnitPath(p.UnitPath)
		if got := Validate(p)[c.field]; got != c.want {
			t.Errorf("%s: %q; want %q", c.name, got, c.want)
		}
	}
}

func TestNormalizeUnitPath(t *testing.T) {
	for in, want := range map[string]string{
		"Huế/ Phường  Thuận Hóa /":    "Huế / Phường Thuận Hóa",
		" / Hà Nội //Phường Ba Đình ": "Hà Nội / Phường Ba Đình",
		"":                            "",
	} {
		if got := NormalizeUnitPath(in); got != want {
			t.Errorf("NormalizeUnitPath(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestValidPIN(t *testing.T) {
	for pin, want := range map[string]bool{"": true, "1234": true, "12345678": true, "123": false, "123456789": false, "12a4": false} {
		if got := ValidPIN(pin); got != want {
			t.Errorf("ValidPIN(%q) = %v", pin, got)
		}
	}
}
