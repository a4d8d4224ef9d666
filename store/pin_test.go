package store

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"
)

func TestPIN(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	l, _ := s.CreateLearner(ctx, ProfilePayload{FullName: "Vũ Thị Hoa"})
	if ok, _ := s.CheckPIN(ctx, l.ID, "anything"); !ok {
		t.Fatal("a learner without a PIN must pass")
	}
	if err := s.SetPIN(ctx, l.ID, "2468"); err != nil {
		t.Fatal(err)
	}
	stored, _ := s.Meta(ctx, "pin:"+l.ID)
	if strings.Contains(stored, "2468") || !strings.HasPrefix(stored, "argon2id$") {
		t.Fatalf("PIN stored as %q", stored)
	}
	for pin, want := range map[string]bool{"2468": true, "2469": false, "": false, "24680": false} {
		if ok, err := s.CheckPIN(ctx, l.ID, pin); ok != want || err != nil {
			t.Errorf("CheckPIN(%q) = %v, %v; want %v", pin, ok, err, want)
		}
	}
	if has, _ := s.HasPIN(ctx, l.ID); !has {
		t.Fatal("HasPIN = false after SetPIN")
	}
	s.SetPIN(ctx, l.ID, "")
	if has, _ := s.HasPIN(ctx, l.ID); has {
		t.Fatal("HasPIN = true after removing the PIN")
	}
	events, _ := s.Events(ctx, l.ID)
	for _, ev := range events {
		if strings.Contains(string(ev.Payload), "argon2") {
			t.Fatal("the PIN hash went into the event log, which travels")
		}
	}
}

// TestPINLockoutSurvivesRestart: five wrong PINs lock the PIN for 30 s, each
// further wrong one doubles the wait, the lock holds in a store opened anew
// (a restarted hocso), and the right PIN after the wait clears it.
func TestPINLockoutSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	clock := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return clock }
	l, _ := s.CreateLearner(ctx, ProfilePayload{FullName: "Đinh Văn Sơn"})
	s.SetPIN(ctx, l.ID, "1357")
	for i := 1; i < maxPINTries; i++ {
		if ok, err := s.CheckPIN(ctx, l.ID, "0000"); ok || err != nil {
			t.Fatalf("wrong try %d = %v, %v", i, ok, err)
		}
	}
	var locked *PINLockedError
	if _, err := s.CheckPIN(ctx, l.ID, "0000"); !errors.As(err, &locked) || locked.Wait != 30*time.Second {
		t.Fatalf("5th wrong try = %v; want locked for 30s", err)
	}
	s.Close()

	s2, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	s2.Now = func() time.Time { return clock }
	clock = clock.Add(10 * time.Second)
	if ok, err := s2.CheckPIN(ctx, l.ID, "1357"); ok || !errors.As(err, &locked) || locked.Wait != 20*time.Second {
		t.Fatalf("right PIN while locked, after a restart = %v, %v; want refused, 20s left", ok, err)
	}
	clock = clock.Add(21 * time.Second)
	if _, err := s2.CheckPIN(ctx, l.ID, "0000"); !errors.As(err, &locked) || locked.Wait != 60*time.Second {
		t.Fatalf("6th wrong try = %v; want locked for 60s", err)
	}
	clock = clock.Add(61 * time.Second)
	if ok, err := s2.CheckPIN(ctx, l.ID, "1357"); !ok || err != nil {
		t.Fatalf("right PIN after the wait = %v, %v", ok, err)
	}
	if ok, err := s2.CheckPIN(ctx, l.ID, "0000"); ok || err != nil {
		t.Fatalf("a wrong PIN after a right one starts counting again: %v, %v", ok, err)
	}
}

// TestPINStoredParametersAreBounded: a PIN record edited to t=0 (which made
// argon2 panic) or to a huge m (which exhausted memory) is refused with
// ErrPINData, without computing anything.
func TestPINStoredParametersAreBounded(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	l, _ := s.CreateLearner(ctx, ProfilePayload{FullName: "Mai Thị Lụa"})
	s.SetPIN(ctx, l.ID, "2468")
	good, _ := s.Meta(ctx, pinKey(l.ID))
	params := strings.Split(good, "$")[2]
	for _, bad := range []string{"m=65536,t=0,p=1", "m=4194304,t=2,p=1", "m=65536,t=2,p=0", "m=65536,t=99,p=1",
		"m=1024,t=2,p=1", "m=x,t=2,p=1", "m=65536,t=2,p=300"} {
		s.SetMeta(ctx, pinKey(l.ID), strings.Replace(good, params, bad, 1))
		if ok, err := s.CheckPIN(ctx, l.ID, "2468"); ok || !errors.Is(err, ErrPINData) {
			t.Errorf("%s: CheckPIN = %v, %v; want ErrPINData", bad, ok, err)
		}
	}
	for _, bad := range []string{"argon2id$v=19$m=65536,t=2,p=1$$", "bcrypt$x", "argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA"} {
		s.SetMeta(ctx, pinKey(l.ID), bad)
		if _, err := s.CheckPIN(ctx, l.ID, "2468"); !errors.Is(err, ErrPINData) {
			t.Errorf("%q: CheckPIN = %v; want ErrPINData", bad, err)
		}
	}
}

// TestPINRehashedWithCurrentParameters: a PIN set by hocso before the
// stronger parameters still opens, and is then stored with the current ones.
func TestPINRehashedWithCurrentParameters(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	l, _ := s.CreateLearner(ctx, ProfilePayload{FullName: "Tạ Văn Tú"})
	salt := []byte("0123456789abcdef")
	enc := base64.RawStdEncoding
	old := fmt.Sprintf("argon2id$v=19$m=%d,t=2,p=1$%s$%s", 19*1024, enc.EncodeToString(salt),
		enc.EncodeToString(argon2.IDKey([]byte("8642"), salt, 2, 19*1024, 1, 32)))
	s.SetMeta(ctx, pinKey(l.ID), old)
	if ok, err := s.CheckPIN(ctx, l.ID, "8642"); !ok || err != nil {
		t.Fatalf("old PIN = %v, %v", ok, err)
	}
	now, _ := s.Meta(ctx, pinKey(l.ID))
	if !strings.Contains(now, fmt.Sprintf("m=%d,t=%d,", pinMemory, pinTime)) {
		t.Fatalf("PIN not rehashed: %s", now)
	}
	if ok, _ := s.CheckPIN(ctx, l.ID, "8642"); !ok {
		t.Fatal("rehashed PIN does not open")
	}
}

// BenchmarkPINVerify is what a learner waits for after typing a PIN, with
// the current parameters and with OWASP's minimum that hocso used before
// (the floor). Run GOARCH=386 for the old-PC build too.
func BenchmarkPINVerify(b *testing.B) {
	salt := []byte("0123456789abcdef")
	for _, p := range []pinParams{{memory: 19 * 1024, time: 2, lanes: 1}, {memory: pinMemory, time: pinTime, lanes: pinThreads}} {
		b.Run(fmt.Sprintf("m=%dMiB,t=%d", p.memory/1024, p.time), func(b *testing.B) {
			for b.Loop() {
				argon2.IDKey([]byte("1234"), salt, p.time, p.memory, p.lanes, pinKeyLen)
			}
		})
	}
}
