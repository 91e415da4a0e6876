package generators

import (
	"fmt"
	"slices"

	"pgregory.net/rapid"
)

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
