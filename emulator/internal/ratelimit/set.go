package ratelimit

import (
	"sync"
	"time"
)

// Set is a keyed collection of windows, e.g. one per (instance, operation), created on first
// use. The zero value is ready to use with one-second windows. Safe for concurrent use.
type Set struct {
	per time.Duration // 0 means one second

	mu      sync.Mutex
	windows map[string]*Window
}

// NewSet returns a Set whose windows have length per (<= 0: one second).
func NewSet(per time.Duration) *Set {
	return &Set{per: per}
}

// Allow reports whether an event for key at now is admitted under a limit of n per window
// (n <= 0: unlimited). When n differs from the limit the key's window was built with, the
// window is rebuilt with the new limit, keeping the most recent admissions so that raising or
// lowering a limit does not hand out a fresh burst.
func (s *Set) Allow(key string, n int, now time.Time) bool {
	return s.window(key, n).Allow(now)
}

func (s *Set) window(key string, n int) *Window {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.windows[key]
	if w != nil && w.Limit() == n {
		return w
	}
	nw := NewWindow(n, s.per)
	if w != nil && n > 0 {
		carry := w.recent()
		if len(carry) > n {
			carry = carry[len(carry)-n:]
		}
		for _, t := range carry {
			nw.record(t)
		}
	}
	if s.windows == nil {
		s.windows = make(map[string]*Window)
	}
	s.windows[key] = nw
	return nw
}

// Reset forgets every window, e.g. when the emulator's state is reset.
func (s *Set) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.windows = nil
}
