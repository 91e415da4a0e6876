package ratelimit

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// t0 starts mid-second so that nothing lines up with wall-clock second boundaries.
var t0 = time.Date(2026, 1, 1, 0, 0, 0, 437_000_000, time.UTC)

func ms(n int) time.Time { return t0.Add(time.Duration(n) * time.Millisecond) }

func TestBurstFromIdleAdmitsExactlyN(t *testing.T) {
	for _, n := range []int{1, 5, 20} {
		w := NewWindow(n, time.Second)
		admitted := 0
		for i := 0; i < 100; i++ {
			if w.Allow(t0) {
				admitted++
			}
		}
		if admitted != n {
			t.Errorf("n=%d: burst of 100 admitted %d", n, admitted)
		}
	}
}

// maxInAnyWindow slides a half-open window of length per over the admitted times (sorted).
func maxInAnyWindow(times []time.Time, per time.Duration) int {
	best, j := 0, 0
	for i := range times {
		for j < len(times) && times[j].Sub(times[i]) < per {
			j++
		}
		best = max(best, j-i)
	}
	return best
}

func TestSteadyLoadNeverExceedsNInAnyWindow(t *testing.T) {
	const n = 20
	w := NewWindow(n, time.Second)
	var admitted []time.Time
	for i := 0; i < 1000; i++ { // 100/s for 10 s
		now := ms(10 * i)
		if w.Allow(now) {
			admitted = append(admitted, now)
		}
	}
	if got := maxInAnyWindow(admitted, time.Second); got != n {
		t.Errorf("max admitted in a 1 s window = %d, want %d", got, n)
	}
	if len(admitted) != 10*n {
		t.Errorf("admitted %d over 10 s, want %d", len(admitted), 10*n)
	}
}

func TestRejectedCallsDoNotConsumeCapacity(t *testing.T) {
	w := NewWindow(2, time.Second)
	if !w.Allow(ms(0)) || !w.Allow(ms(0)) {
		t.Fatal("first two calls rejected")
	}
	for i := 1; i < 1000; i++ {
		if w.Allow(ms(i)) {
			t.Fatalf("call at +%dms admitted while full", i)
		}
	}
	if !w.Allow(ms(1000)) || !w.Allow(ms(1000)) {
		t.Error("capacity not back exactly one window after the first admissions")
	}
	if w.Allow(ms(1000)) {
		t.Error("third call at +1000ms admitted")
	}
}

func TestWindowBoundaries(t *testing.T) {
	tests := []struct {
		name  string
		n     int
		per   time.Duration
		calls []int // ms offsets
		want  []bool
	}{
		{"oldest exactly per old is admitted", 1, time.Second, []int{0, 999, 1000}, []bool{true, false, true}},
		{"sliding, not fixed buckets", 2, time.Second, []int{0, 600, 900, 1000, 1599, 1600}, []bool{true, true, false, true, false, true}},
		{"custom period", 2, 100 * time.Millisecond, []int{0, 0, 50, 100, 100, 150}, []bool{true, true, false, true, true, false}},
		{"zero period means one second", 1, 0, []int{0, 500, 1000}, []bool{true, false, true}},
		{"unlimited", 0, time.Second, []int{0, 0, 0, 0}, []bool{true, true, true, true}},
		{"negative is unlimited", -3, time.Second, []int{0, 0}, []bool{true, true}},
		{"time going backwards while full", 1, time.Second, []int{1000, 0, 1999, 2000}, []bool{true, false, false, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := NewWindow(tt.n, tt.per)
			for i, c := range tt.calls {
				if got := w.Allow(ms(c)); got != tt.want[i] {
					t.Errorf("call %d at +%dms = %v, want %v", i, c, got, tt.want[i])
				}
			}
		})
	}
}

func TestWindowConcurrent(t *testing.T) {
	const n, goroutines, calls = 50, 8, 200
	w := NewWindow(n, time.Second)
	var admitted atomic.Int64
	var wg sync.WaitGroup
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < calls; i++ {
				if w.Allow(ms(i % 500)) {
					admitted.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if got := admitted.Load(); got != n {
		t.Errorf("admitted %d within one window, want %d", got, n)
	}
}

func BenchmarkWindowAllow(b *testing.B) {
	w := NewWindow(20, time.Second)
	now := t0
	b.ReportAllocs()
	for b.Loop() {
		now = now.Add(time.Millisecond)
		w.Allow(now)
	}
}

func BenchmarkWindowAllowParallel(b *testing.B) {
	w := NewWindow(20, time.Second)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		now := t0
		for pb.Next() {
			now = now.Add(time.Millisecond)
			w.Allow(now)
		}
	})
}
