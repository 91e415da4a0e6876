package ratelimit

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestSetKeysAreIndependent(t *testing.T) {
	var s Set // zero value: one-second windows
	for i := 0; i < 3; i++ {
		if !s.Allow("inst/UpdateImage", 3, t0) {
			t.Fatalf("UpdateImage call %d rejected", i)
		}
	}
	if s.Allow("inst/UpdateImage", 3, t0) {
		t.Error("fourth UpdateImage call admitted")
	}
	if !s.Allow("inst/AddImage", 1, t0) || s.Allow("inst/AddImage", 1, t0) {
		t.Error("AddImage window not independent or not limited to 1")
	}
	if !s.Allow("other/UpdateImage", 3, t0) {
		t.Error("another instance shares the window")
	}
	if !s.Allow("inst/UpdateImage", 3, t0.Add(time.Second)) {
		t.Error("UpdateImage not admitted one second later")
	}
}

func TestSetLimitChange(t *testing.T) {
	tests := []struct {
		name     string
		first    int // limit for the 5 calls at t0
		then     int // new limit for calls at +500ms
		admitted int // how many of 10 calls at +500ms are admitted
	}{
		{"raised: only the difference is free", 5, 8, 3},
		{"lowered: still full", 5, 2, 0},
		{"to unlimited", 5, 0, 10},
		// An unlimited window records nothing, so the new window starts empty.
		{"from unlimited", 0, 4, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewSet(time.Second)
			for i := 0; i < 5; i++ {
				s.Allow("k", tt.first, t0)
			}
			admitted := 0
			for i := 0; i < 10; i++ {
				if s.Allow("k", tt.then, ms(500)) {
					admitted++
				}
			}
			if admitted != tt.admitted {
				t.Errorf("admitted %d after the change, want %d", admitted, tt.admitted)
			}
		})
	}
}

func TestSetLimitChangeKeepsSliding(t *testing.T) {
	s := NewSet(time.Second)
	s.Allow("k", 2, ms(0))
	s.Allow("k", 2, ms(400))
	// Raising to 3 at +600ms: one free slot; the +0 admission frees at +1000, +400 at +1400.
	got := []bool{s.Allow("k", 3, ms(600)), s.Allow("k", 3, ms(700)), s.Allow("k", 3, ms(1000)), s.Allow("k", 3, ms(1399)), s.Allow("k", 3, ms(1400))}
	want := []bool{true, false, true, false, true}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("call %d = %v, want %v (all: %v)", i, got[i], want[i], got)
		}
	}
}

func TestSetReset(t *testing.T) {
	s := NewSet(time.Second)
	s.Allow("k", 1, t0)
	if s.Allow("k", 1, t0) {
		t.Fatal("second call admitted")
	}
	s.Reset()
	if !s.Allow("k", 1, t0) {
		t.Error("call after Reset rejected")
	}
}

func TestSetConcurrent(t *testing.T) {
	const n, keys, goroutines, calls = 10, 4, 8, 100
	s := NewSet(time.Second)
	var admitted [keys]atomic.Int64
	var wg sync.WaitGroup
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < calls; i++ {
				k := (g + i) % keys
				if s.Allow(fmt.Sprint("key", k), n, ms(i)) {
					admitted[k].Add(1)
				}
			}
		}(g)
	}
	wg.Wait()
	for k := range admitted {
		if got := admitted[k].Load(); got != n {
			t.Errorf("key %d: admitted %d within one window, want %d", k, got, n)
		}
	}
}

func BenchmarkSetAllow(b *testing.B) {
	s := NewSet(time.Second)
	now := t0
	b.ReportAllocs()
	for b.Loop() {
		now = now.Add(time.Millisecond)
		s.Allow("instance/UpdateImage", 20, now)
	}
}
