package ratelimit

import (
	"sync"
	"time"
)

// Set is a keyed collection of limiters, e.g. one per (instance, operation), created on first
// use. The zero value is ready to use with one-second sliding windows. Safe for concurrent use.
type Set struct {
	kind Kind          // "" means Sliding
	per  time.Duration // 0 means one second

	mu       sync.Mutex
	limiters map[string]limiter
}

// NewSet returns a Set of sliding windows of length per (<= 0: one second).
func NewSet(per time.Duration) *Set {
	return &Set{per: per}
}

// NewSetOf returns a Set whose limiters follow design kind over periods of per (<= 0: one second).
func NewSetOf(kind Kind, per time.Duration) *Set {
	return &Set{kind: kind, per: per}
}

// Kind reports the design of the Set's limiters.
func (s *Set) Kind() Kind {
	if s.kind == "" {
		return Sliding
	}
	return s.kind
}

// Allow reports whether an event for key at now is admitted under a limit of n per period
// (n <= 0: unlimited). When n differs from the limit the key's limiter was built with, the
// limiter is rebuilt with the new limit, keeping what the old one used (the most recent
// admissions, the period's count, the spent tokens) so that raising or lowering a limit does
// not hand out a fresh burst.
func (s *Set) Allow(key string, n int, now time.Time) bool {
	return s.limiter(key, n).Allow(now)
}

func (s *Set) limiter(key string, n int) limiter {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.limiters[key]
	if l != nil && l.Limit() == n {
		return l
	}
	var nl limiter
	if l != nil && l.Limit() > 0 {
		nl = l.resized(n)
	} else {
		nl = newLimiter(s.kind, n, s.per) // an unlimited limiter recorded nothing to keep
	}
	if s.limiters == nil {
		s.limiters = make(map[string]limiter)
	}
	s.limiters[key] = nl
	return nl
}

// Reset forgets every limiter, e.g. when the emulator's state is reset.
func (s *Set) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limiters = nil
}
