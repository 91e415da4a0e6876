package generators

import (
	"math"
	"testing"
)

func TestInt32EdgeDrawsEveryEdge(t *testing.T) {
	seen := map[int32]bool{}
	others := 0
	for _, v := range examples(Int32Edge(), 400) {
		seen[v] = true
	}
	for _, e := range Int32Edges {
		if !seen[e] {
			t.Errorf("edge %d never drawn", e)
		}
	}
	for v := range seen {
		if v < -1 || v > 1 {
			others++
		}
	}
	if others <= 4 {
		t.Errorf("only %d distinct values beyond -1..1: the random half is missing", others)
	}
}

func TestOutOfInt32EdgesAreOutside(t *testing.T) {
	for _, v := range OutOfInt32Edges {
		if v >= math.MinInt32 && v <= math.MaxInt32 {
			t.Errorf("%d is an int32", v)
		}
	}
}
