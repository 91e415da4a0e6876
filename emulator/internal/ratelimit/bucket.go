package ratelimit

import (
	"sync"
	"time"
)

// Bucket is a token bucket of capacity n refilled continuously at n tokens per period: it admits a
// burst of n from idle, then n per period on average, and up to 2n-1 in some one-period window.
// Rejected events use no tokens. Safe for concurrent use.
type Bucket struct {
	n   int
	per time.Duration

	mu     sync.Mutex
	tokens float64
	last   time.Time // when tokens was computed; zero until the first event
}

// NewBucket returns a full token bucket of n tokens refilled at n per per (n <= 0: unlimited;
// per <= 0: one second).
func NewBucket(n int, per time.Duration) *Bucket {
	if per <= 0 {
		per = time.Second
	}
	return &Bucket{n: n, per: per, tokens: float64(n)}
}

// Limit reports n as given to NewBucket (<= 0: unlimited).
func (b *Bucket) Limit() int { return b.n }

// Allow reports whether an event at now is admitted, and takes a token if so. Time going backwards
// refills nothing.
func (b *Bucket) Allow(now time.Time) bool {
	if b.n <= 0 {
		return true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refill(now)
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

func (b *Bucket) refill(now time.Time) {
	if !b.last.IsZero() && now.After(b.last) {
		b.tokens += float64(now.Sub(b.last)) * float64(b.n) / float64(b.per)
		b.tokens = min(b.tokens, float64(b.n))
	}
	if b.last.IsZero() || now.After(b.last) {
		b.last = now
	}
}

func (b *Bucket) resized(n int) limiter {
	nb := NewBucket(n, b.per)
	if n > 0 {
		b.mu.Lock()
		// Keep the tokens already spent: a raised limit refills faster, it does not start full.
		nb.tokens, nb.last = min(b.tokens, float64(n)), b.last
		b.mu.Unlock()
	}
	return nb
}
