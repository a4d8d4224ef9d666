package eventline

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"hocso/store"
)

// codecLines are event lines of every shape the fast decoder must either
// decode as encoding/json does or hand over to it.
var codecLines = []string{
	`{"id":"0190b0a0-0000-7000-8000-000000000000","learner_id":"l1","device_id":"d","kind":"lesson.opened","pack_id":"nq52","item_id":"l1","time":"2026-01-01T00:00:00.123456789Z","payload":{"module_id":"m1"}}`,
	` { "id" : "a" , "kind":"k", "time":"2026-01-01T07:00:00+07:00", "payload" : { "s": "}{\"]" , "n": [1, {"x": null}] } } `,
	`{"id":"a","learner_id":"Nguyễn Văn A","payload":{}}`,
	`{"id":"a\u0041","learner_id":"tab\there"}`,
	`{"ID":"upper","Kind":"k"}`,
	`{"id":null,"kind":"k"}`,
	`{"id":"a","extra":1,"payload":{"a":1}}`,
	`{"id":"a","payload":null}`,
	`{"id":"a","payload":[1,2]}`,
	`{"id":"a","payload":{"a":1}`,
	`{"id":"a","payload":{"a":01}}`,
	`{"id":"a"} x`,
	`{"id":"a","id":"b"}`,
	"{\"id\":\"\xff\xfe\"}",
	`{"id":"a","time":"2026-01-01"}`,
	`{"id":"a","time":"2026-13-01T00:00:00Z"}`,
	`{}`,
	`[]`,
	``,
	`{"id":"a",}`,
}

func TestFastDecoderMatchesEncodingJSON(t *testing.T) {
	for _, line := range codecLines {
		checkDecoder(t, []byte(line))
	}
}

// checkDecoder fails unless Unmarshal and json.Unmarshal agree on b.
func checkDecoder(t *testing.T, b []byte) {
	t.Helper()
	var got, want store.Event
	gotErr, wantErr := Unmarshal(b, &got), json.Unmarshal(b, &want)
	if (gotErr == nil) != (wantErr == nil) {
		t.Fatalf("%q: decoder error %v, encoding/json error %v", b, gotErr, wantErr)
	}
	if wantErr == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("%q:\ndecoder       %+v\nencoding/json %+v", b, got, want)
	}
}

func TestAppendEventMatchesEncodingJSON(t *testing.T) {
	at := time.Date(2026, 9, 1, 8, 0, 0, 123, time.FixedZone("ICT", 7*3600))
	for _, ev := range []store.Event{
		{ID: "0190b0a0-0000-7000-8000-000000000000", LearnerID: "l", DeviceID: "d", Kind: "quiz.answered",
			PackID: "nq52", PackVersion: "1.0.0", PackHash: "sha256:x", ItemID: "q1", Time: at,
			Payload: json.RawMessage(`{"answer": {"text": "<b>&\u2028"}, "score": 1}`)},
		{ID: "a\"b\\c\n\t\x01<>&\u2028\u2029", LearnerID: "Trần Thị \xff", Kind: "k", Time: at.UTC()},
		{ID: "a", Kind: "k", Payload: json.RawMessage(`{}`)},
	} {
		checkEncoder(t, ev)
	}
	if _, err := Append(nil, store.Event{ID: "a", Payload: json.RawMessage(`{"a":`)}); err == nil {
		t.Fatal("an invalid payload was encoded")
	}
}

// checkEncoder fails unless Append writes one line that means what
// json.Marshal's encoding of ev means.
func checkEncoder(t *testing.T, ev store.Event) {
	t.Helper()
	want, wantErr := json.Marshal(ev)
	got, gotErr := Append(nil, ev)
	if (gotErr == nil) != (wantErr == nil) {
		t.Fatalf("%+v: Append error %v, json.Marshal error %v", ev, gotErr, wantErr)
	}
	if wantErr != nil {
		return
	}
	if bytes.Count(got, []byte("\n")) != 1 || got[len(got)-1] != '\n' {
		t.Fatalf("not one line: %q", got)
	}
	var a, b any
	if err := json.Unmarshal(got, &a); err != nil {
		t.Fatalf("Append wrote invalid JSON %q: %v", got, err)
	}
	json.Unmarshal(want, &b)
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("Append wrote %s\njson.Marshal wrote %s", got, want)
	}
}

// FuzzEventCodec: on any line the fast decoder agrees with encoding/json, and
// any event encoding/json decodes is written back meaning the same.
func FuzzEventCodec(f *testing.F) {
	for _, line := range codecLines {
		f.Add([]byte(line))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		checkDecoder(t, b)
		var ev store.Event
		if json.Unmarshal(b, &ev) == nil {
			checkEncoder(t, ev)
		}
	})
}
