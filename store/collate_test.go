package store

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"
)

// TestVietnameseOrder checks the order of words the way a Vietnamese
// dictionary lists them: the alphabet's own letters (ă, â, đ, ê, ô, ơ, ư),
// then the tones, then case; and that a word spelt with separate marks (NFD)
// weighs the same as its composed spelling.
func TestVietnameseOrder(t *testing.T) {
	want := []string{
		"a", "A", "à", "ả", "ã", "á", "ạ", "ăn", "ắn", "ân", "ấn", "b",
		"Dung", "Dương", "đa", "Đặng", "Đinh", "Đỗ", "Đức",
		"e", "ê", "Giang", "Hà", "Hà Nội", "Hàm", "Hoàng", "Huế",
		"o", "ô", "ơ", "ợt", "u", "ư", "ừ", "Vũ", "Xã", "Yên", "zeta",
		"Zürich", "Ωmega",
	}
	for _, w := range want {
		if !norm.NFC.IsNormalString(w) {
			t.Fatalf("%q is not NFC", w)
		}
	}
	got := slices.Clone(want)
	slices.Reverse(got)
	slices.SortFunc(got, func(a, b string) int { return bytes.Compare(appendSortKey(nil, a), appendSortKey(nil, b)) })
	if !slices.Equal(got, want) {
		t.Errorf("order:\n got %s\nwant %s", strings.Join(got, " "), strings.Join(want, " "))
	}
	for _, w := range want {
		if k, d := appendSortKey(nil, w), appendSortKey(nil, norm.NFD.String(w)); !bytes.Equal(k, d) {
			t.Errorf("%q: NFD key %x differs from NFC key %x", w, d, k)
		}
	}
}

// TestPersonOrder checks how a report orders people: by unit level by level,
// a unit before the units under it, then by given name, then by full name.
func TestPersonOrder(t *testing.T) {
	type person struct{ unit, name, id string }
	want := []person{
		{"Đà Nẵng", "Trần Thị Bích", "6"},
		{"Hà Nội", "Nguyễn Văn An", "1"},
		{"Hà Nội", "Đặng Văn Bình", "2"},
		{"Hà Nội", "Lê Bình", "9"},
		{"Hà Nội", "Lê Đức", "3"},
		{"Hà Nội / Phường Ba Đình", "Vũ Thị Anh", "4"},
		{"Hà Nội / Phường Đống Đa", "Phạm Công", "8"},
		{"Hà Nội Mới", "Hồ An", "5"},
		{"Huế", "Phan Văn Ánh", "7"},
	}
	got := slices.Clone(want)
	slices.Reverse(got)
	key := func(p person) []byte { return appendPersonKey(nil, p.unit, p.name, "", p.id) }
	slices.SortFunc(got, func(a, b person) int { return bytes.Compare(key(a), key(b)) })
	if !slices.Equal(got, want) {
		t.Errorf("order:\n got %v\nwant %v", got, want)
	}
}

// TestParseTimeAsTimeParse checks the direct reading of stored times
// against time.Parse, on good times and on near misses.
func TestParseTimeAsTimeParse(t *testing.T) {
	for _, s := range []string{
		"2026-11-05T09:00:00.000000000Z", "2024-02-29T23:59:59.999999999Z", "1999-12-31T00:00:00.123456789Z",
		"2026-02-29T09:00:00.000000000Z", "2026-13-01T09:00:00.000000000Z", "2026-11-05T24:00:00.000000000Z",
		"2026-11-05T09:60:00.000000000Z", "2026-11-05 09:00:00.000000000Z", "2026-11-05T09:00:00.00000000xZ",
		"2026-11-05T09:00:00Z", "", "2026-00-10T09:00:00.000000000Z", "+026-11-05T09:00:00.000000000Z",
	} {
		want, _ := time.Parse(timeLayout, s)
		if got := parseTime(s); !got.Equal(want) || got.Location() != want.Location() {
			t.Errorf("parseTime(%q) = %v, time.Parse gives %v", s, got, want)
		}
	}
}

// TestLearnersInVietnameseOrder: the picker lists learners as a Vietnamese
// reader expects, Đ after D and before G.
func TestLearnersInVietnameseOrder(t *testing.T) {
	s, _ := openTemp(t)
	for _, n := range []string{"Giang Văn Hải", "Đỗ Thị Mai", "Dương Văn Tú", "Vũ Thị Lan", "Ánh Văn Hùng"} {
		if _, err := s.CreateLearner(context.Background(), ProfilePayload{FullName: n}); err != nil {
			t.Fatal(err)
		}
	}
	ls, err := s.Learners(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range ls {
		got = append(got, l.FullName)
	}
	if want := []string{"Ánh Văn Hùng", "Dương Văn Tú", "Đỗ Thị Mai", "Giang Văn Hải", "Vũ Thị Lan"}; !slices.Equal(got, want) {
		t.Errorf("learners: %v, want %v", got, want)
	}
}
