package report

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"reflect"
	"testing"
	"time"

	"hocso/store"
)

// TestSpoolRoundTrip reads back exactly the rows written, and refuses a
// spool cut short.
func TestSpoolRoundTrip(t *testing.T) {
	at := time.Date(2026, 11, 3, 8, 30, 15, 123456789, time.UTC)
	rows := []LearnerRow{
		{FullName: "Nguyễn Thị Hồng Nhung", StaffCode: "CB-001", Position: "Chuyên viên",
			UnitPath: "Hà Nội / Phường Ba Đình / UBND phường", OnRoster: true,
			Modules: []Cell{
				{Status: store.Passed, CompletedAt: at, Score: 87.5, HasScore: true},
				{Status: store.InProgress},
				{Status: store.NotStarted, Score: 0, HasScore: true},
			},
			Percent: 100.0 / 3, Status: store.InProgress},
		{FullName: "", Modules: []Cell{}, Status: store.Completed, CompletedAt: at.In(time.FixedZone("", 7*3600))},
	}
	var buf bytes.Buffer
	w := &spoolWriter{w: bufio.NewWriter(&buf)}
	for i := range rows {
		if err := w.write(&rows[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.w.Flush(); err != nil {
		t.Fatal(err)
	}
	whole := buf.Bytes()
	r := &spoolReader{r: bufio.NewReader(bytes.NewReader(whole))}
	for i, want := range rows {
		var got LearnerRow
		if err := r.read(&got); err != nil {
			t.Fatalf("row %d: %v", i, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, got, want)
		}
	}
	if err := r.read(&LearnerRow{}); !errors.Is(err, io.EOF) {
		t.Errorf("after the last row: %v, want io.EOF", err)
	}
	cut := &spoolReader{r: bufio.NewReader(bytes.NewReader(whole[:len(whole)-3]))}
	var err error
	for err == nil {
		err = cut.read(&LearnerRow{})
	}
	if !errors.Is(err, errBadSpool) {
		t.Errorf("spool cut short: %v, want %v", err, errBadSpool)
	}
}
