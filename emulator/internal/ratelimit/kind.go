package ratelimit

import (
	"fmt"
	"time"
)

// Kind names an admission design.
type Kind string

// Admission designs.
const (
	// Sliding admits at most N in any window of the period (Window). The zero Kind means Sliding.
	Sliding Kind = "sliding"
	// FixedWindow admits at most N per aligned period of the clock, e.g. per wall-clock second (Fixed).
	FixedWindow Kind = "fixed-window"
	// TokenBucket holds at most N tokens, refilled at N per period (Bucket).
	TokenBucket Kind = "token-bucket"
)

// Kinds lists every design, the default first.
var Kinds = []Kind{Sliding, FixedWindow, TokenBucket}

// ParseKind accepts the name of a design.
func ParseKind(s string) (Kind, error) {
	for _, k := range Kinds {
		if string(k) == s {
			return k, nil
		}
	}
	return "", fmt.Errorf("unknown admission design %q (want sliding, fixed-window or token-bucket)", s)
}

// limiter is what a Set keys: one of Window, Fixed or Bucket.
type limiter interface {
	Allow(now time.Time) bool
	Limit() int
	// resized returns a limiter of the same design with limit n that keeps what this one has used,
	// so that changing a limit does not hand out a fresh burst.
	resized(n int) limiter
}

// newLimiter builds a limiter of design k (unknown or zero: Sliding).
func newLimiter(k Kind, n int, per time.Duration) limiter {
	switch k {
	case FixedWindow:
		return NewFixed(n, per)
	case TokenBucket:
		return NewBucket(n, per)
	}
	return NewWindow(n, per)
}
