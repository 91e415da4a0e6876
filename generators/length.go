package generators

import (
	"fmt"
	"slices"

	"pgregory.net/rapid"
)

// LengthClass names a range of lengths, in code points, relative to a documented limit.
type LengthClass int

// The length classes. Every class but Empty and Within lies strictly beyond the limit.
const (
	// Empty is the empty string.
	Empty LengthClass = iota
	// Within is 1..limit code points.
	Within
	// AtLimit is exactly limit code points: the longest accepted value.
	AtLimit
	// JustOver is limit+1 code points: the shortest rejected value.
	JustOver
	// FarOver is limit+2 .. 2·limit+10 code points.
	FarOver
)

// LengthClasses lists every class in a stable order, for table-driven tests.
var LengthClasses = []LengthClass{Empty, Within, AtLimit, JustOver, FarOver}

// String returns a short stable name, usable in test names.
func (c LengthClass) String() string {
	switch c {
	case Empty:
		return "empty"
	case Within:
		return "within"
	case AtLimit:
		return "at-limit"
	case JustOver:
		return "just-over"
	case FarOver:
		return "far-over"
	}
	return fmt.Sprintf("LengthClass(%d)", int(c))
}

// Bounds returns the inclusive range of code-point counts class c covers for limit.
func (c LengthClass) Bounds(limit int) (lo, hi int) {
	switch c {
	case Empty:
		return 0, 0
	case Within:
		return 1, limit
	case AtLimit:
		return limit, limit
	case JustOver:
		return limit + 1, limit + 1
	case FarOver:
		return limit + 2, 2*limit + 10
	}
	panic(fmt.Sprintf("generators: unknown length class %d", int(c)))
}

// OverLimit reports whether every length of class c breaks the limit.
func (c LengthClass) OverLimit() bool { return c == JustOver || c == FarOver }

// Sized returns strings of alphabet a whose code-point count lies in class c relative to limit (see
// LengthClass). It panics if limit < 0, c is unknown, c is Within and limit < 1, or the class allows
// no length a Forbidden string can have (Empty, or AtLimit with limit 0).
func Sized(limit int, c LengthClass, a Alphabet) *rapid.Generator[string] {
	if limit < 0 {
		panic(fmt.Sprintf("generators: negative limit %d", limit))
	}
	lo, hi := c.Bounds(limit)
	if hi < lo {
		panic(fmt.Sprintf("generators: class %v is empty for limit %d", c, limit))
	}
	return String(a, lo, hi)
}

// AroundLimit returns strings of alphabet a whose code-point count is drawn from [limit-3, limit+3]
// together with 0 and 1: the lengths on both sides of the limit that the property "accepted iff within
// the limit" needs. Negative lengths are dropped, and so is 0 for Forbidden. It panics if limit < 0.
func AroundLimit(limit int, a Alphabet) *rapid.Generator[string] {
	checkAlphabet(a)
	ns := AroundLimitLengths(limit)
	if a == Forbidden {
		ns = slices.DeleteFunc(ns, func(n int) bool { return n == 0 })
	}
	return rapid.Custom(func(t *rapid.T) string {
		return text(t, a, rapid.SampledFrom(ns).Draw(t, "chars"))
	})
}

// AroundLimitLengths returns the sorted distinct lengths AroundLimit draws from. It panics if limit < 0.
func AroundLimitLengths(limit int) []int {
	if limit < 0 {
		panic(fmt.Sprintf("generators: negative limit %d", limit))
	}
	ns := []int{0, 1}
	for n := max(0, limit-3); n <= limit+3; n++ {
		ns = append(ns, n)
	}
	slices.Sort(ns)
	return slices.Compact(ns)
}
