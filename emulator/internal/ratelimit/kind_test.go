package ratelimit

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// sec0 is aligned to a wall-clock second, so the fixed-window cases read in whole periods.
var sec0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func at(msOffset int) time.Time { return sec0.Add(time.Duration(msOffset) * time.Millisecond) }

// TestDesigns runs the same call sequences through the three designs: each admits an instant burst
// of n from idle, and they differ in what they admit next.
func TestDesigns(t *testing.T) {
	tests := []struct {
		name  string
		kind  Kind
		n     int
		per   time.Duration
		calls []int // ms offsets from sec0
		want  []bool
	}{
		{"fixed: counts per aligned second", FixedWindow, 2, time.Second,
			[]int{500, 600, 700, 999, 1000, 1000, 1001}, []bool{true, true, false, false, true, true, false}},
		{"fixed: 2n across a boundary", FixedWindow, 2, time.Second,
			[]int{900, 950, 1000, 1050}, []bool{true, true, true, true}},
		{"fixed: custom period", FixedWindow, 1, 100 * time.Millisecond,
			[]int{0, 50, 100, 199, 200}, []bool{true, false, true, false, true}},
		{"fixed: earlier time judged in the current period", FixedWindow, 1, time.Second,
			[]int{1500, 200, 1900, 2000}, []bool{true, false, false, true}},
		{"fixed: zero period means one second", FixedWindow, 1, 0, []int{0, 999, 1000}, []bool{true, false, true}},
		{"fixed: unlimited", FixedWindow, 0, time.Second, []int{0, 0, 0}, []bool{true, true, true}},
		{"bucket: burst of n, then n per period", TokenBucket, 2, time.Second,
			[]int{500, 500, 500, 999, 1000, 1001, 1500, 1500}, []bool{true, true, false, false, true, false, true, false}},
		{"bucket: refill caps at n", TokenBucket, 2, time.Second,
			[]int{0, 10000, 10000, 10000}, []bool{true, true, true, false}},
		{"bucket: time going backwards refills nothing", TokenBucket, 1, time.Second,
			[]int{1000, 0, 1999, 2000}, []bool{true, false, false, true}},
		{"bucket: unlimited", TokenBucket, -1, time.Second, []int{0, 0, 0}, []bool{true, true, true}},
		{"sliding through newLimiter", Sliding, 2, time.Second,
			[]int{500, 600, 1000, 1499, 1500}, []bool{true, true, false, false, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLimiter(tt.kind, tt.n, tt.per)
			if l.Limit() != tt.n {
				t.Errorf("Limit() = %d, want %d", l.Limit(), tt.n)
			}
			for i, c := range tt.calls {
				if got := l.Allow(at(c)); got != tt.want[i] {
					t.Errorf("call %d at +%dms = %v, want %v", i, c, got, tt.want[i])
				}
			}
		})
	}
}

// TestDesignsDiffer pins the difference the emulator's throttle freedom relies on: after a full burst
// at +500ms, a sliding window refuses at +1000ms, a fixed window admits a whole new second, and a
// token bucket admits what refilled in half a second.
func TestDesignsDiffer(t *testing.T) {
	for kind, want := range map[Kind]int{Sliding: 0, FixedWindow: 10, TokenBucket: 5} {
		s := NewSetOf(kind, time.Second)
		for range 10 {
			if !s.Allow("k", 10, at(500)) {
				t.Fatalf("%s: burst refused", kind)
			}
		}
		got := 0
		for range 20 {
			if s.Allow("k", 10, at(1000)) {
				got++
			}
		}
		if got != want {
			t.Errorf("%s: %d admitted at +1000ms, want %d", kind, got, want)
		}
	}
}

// TestSetLimitChangeByDesign checks that a changed limit keeps what the old limiter used, for every
// design: 5 used at +0, then the limit raised to 8 at +500ms. Sliding and fixed leave the 3 of the
// difference; the bucket keeps its 0 tokens and refills 4 in half a second at the new rate.
func TestSetLimitChangeByDesign(t *testing.T) {
	for kind, want := range map[Kind]int{Sliding: 3, FixedWindow: 3, TokenBucket: 4} {
		s := NewSetOf(kind, time.Second)
		for range 5 {
			s.Allow("k", 5, at(0))
		}
		got := 0
		for range 10 {
			if s.Allow("k", 8, at(500)) {
				got++
			}
		}
		if got != want {
			t.Errorf("%s: %d admitted after raising the limit, want %d", kind, got, want)
		}
		if s.Kind() != kind {
			t.Errorf("Kind() = %s, want %s", s.Kind(), kind)
		}
	}
	if (&Set{}).Kind() != Sliding {
		t.Error("the zero Set is not sliding")
	}
}

func TestParseKind(t *testing.T) {
	for _, k := range Kinds {
		if got, err := ParseKind(string(k)); err != nil || got != k {
			t.Errorf("ParseKind(%s) = %s, %v", k, got, err)
		}
	}
	if _, err := ParseKind("leaky"); err == nil {
		t.Error("ParseKind accepted an unknown design")
	}
}

func TestDesignsConcurrent(t *testing.T) {
	const n, goroutines, calls = 50, 8, 200
	for _, kind := range []Kind{FixedWindow, TokenBucket} {
		l := newLimiter(kind, n, time.Second)
		var admitted atomic.Int64
		var wg sync.WaitGroup
		for range goroutines {
			wg.Go(func() {
				for range calls {
					if l.Allow(at(100)) {
						admitted.Add(1)
					}
				}
			})
		}
		wg.Wait()
		if got := admitted.Load(); got != n {
			t.Errorf("%s: admitted %d at one instant, want %d", kind, got, n)
		}
	}
}
