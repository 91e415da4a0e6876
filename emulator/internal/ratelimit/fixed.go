package ratelimit

import (
	"sync"
	"time"
)

// Fixed admits at most n events per aligned period of the clock: with a one-second period, per
// wall-clock second of the time passed in. It is the cheapest design and the one that lets 2n
// through across a period boundary, which a client must tolerate if the service counts this way.
// Rejected events use no capacity. Safe for concurrent use.
type Fixed struct {
	n   int
	per time.Duration

	mu    sync.Mutex
	start time.Time // the period being counted
	count int
}

// NewFixed returns a fixed-window limiter of n events per per (n <= 0: unlimited; per <= 0: one second).
func NewFixed(n int, per time.Duration) *Fixed {
	if per <= 0 {
		per = time.Second
	}
	return &Fixed{n: n, per: per}
}

// Limit reports n as given to NewFixed (<= 0: unlimited).
func (f *Fixed) Limit() int { return f.n }

// Allow reports whether an event at now is admitted, and counts it if so. An event earlier than
// the period being counted is judged against that period (time does not run backwards here).
func (f *Fixed) Allow(now time.Time) bool {
	if f.n <= 0 {
		return true
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if p := now.Truncate(f.per); p.After(f.start) {
		f.start, f.count = p, 0
	}
	if f.count >= f.n {
		return false
	}
	f.count++
	return true
}

func (f *Fixed) resized(n int) limiter {
	nf := NewFixed(n, f.per)
	if n > 0 {
		f.mu.Lock()
		nf.start, nf.count = f.start, min(f.count, n)
		f.mu.Unlock()
	}
	return nf
}
