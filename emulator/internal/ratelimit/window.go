// Package ratelimit implements the emulator's QPS limits. The default design is a sliding window: no
// more than N requests are admitted in any window of the configured length (building-blocks §4).
// Unlike a token bucket with burst N, which lets up to 2N-1 through in some one-second window, a
// sliding window admits an instant burst of N from idle and never more than N per window. The fixed
// window and the token bucket exist because the documents do not say which design the service uses
// (an implementation freedom): a client that is correct must cope with any of them.
//
// Time is always passed in, so callers (and tests) control the clock.
package ratelimit

import (
	"sync"
	"time"
)

// Window admits at most n events in any window of length per. It keeps the admission times of
// the last n admitted events in a ring and admits a new event iff the oldest of them is at
// least per old. Rejected events use no capacity. Safe for concurrent use.
type Window struct {
	n   int
	per time.Duration

	mu   sync.Mutex
	ring []time.Time // admission times; ring[next] is the oldest once full
	next int
	full bool
}

// NewWindow returns a limiter of n events per per. n <= 0 means unlimited; per <= 0 means one
// second.
func NewWindow(n int, per time.Duration) *Window {
	if per <= 0 {
		per = time.Second
	}
	w := &Window{n: n, per: per}
	if n > 0 {
		w.ring = make([]time.Time, n)
	}
	return w
}

// Limit reports n as given to NewWindow (<= 0: unlimited).
func (w *Window) Limit() int { return w.n }

// Allow reports whether an event at now is admitted, and records it if so. Calls are expected
// in roughly non-decreasing time order; an earlier now than the recorded events is judged
// against them as is (it is rejected while the window is full).
func (w *Window) Allow(now time.Time) bool {
	if w.n <= 0 {
		return true
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.full && now.Sub(w.ring[w.next]) < w.per {
		return false
	}
	w.record(now)
	return true
}

func (w *Window) record(t time.Time) {
	w.ring[w.next] = t
	w.next++
	if w.next == len(w.ring) {
		w.next = 0
		w.full = true
	}
}

func (w *Window) resized(n int) limiter {
	nw := NewWindow(n, w.per)
	if n > 0 {
		carry := w.recent()
		if len(carry) > n {
			carry = carry[len(carry)-n:]
		}
		for _, t := range carry {
			nw.record(t)
		}
	}
	return nw
}

// recent returns the recorded admission times, oldest first.
func (w *Window) recent() []time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.full {
		return append([]time.Time(nil), w.ring[:w.next]...)
	}
	out := make([]time.Time, 0, len(w.ring))
	out = append(out, w.ring[w.next:]...)
	return append(out, w.ring[:w.next]...)
}
