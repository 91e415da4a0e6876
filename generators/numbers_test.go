package generators

import (
	"math"
	"strconv"
	"testing"
	"unicode/utf8"

	"pgregory.net/rapid"
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

func TestOutOfInt32IsOutside(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		v := OutOfInt32().Draw(t, "v")
		if v >= math.MinInt32 && v <= math.MaxInt32 {
			t.Fatalf("%d is within int32", v)
		}
		if _, err := strconv.ParseInt(strconv.FormatInt(v, 10), 10, 32); err == nil {
			t.Fatalf("%d parses as int32", v)
		}
	})
}

func TestOutOfInt32DrawsBothSides(t *testing.T) {
	var above, below bool
	for _, v := range examples(OutOfInt32(), 100) {
		above, below = above || v > math.MaxInt32, below || v < math.MinInt32
	}
	if !above || !below {
		t.Errorf("above=%v below=%v", above, below)
	}
}

func TestNonNumericNeverParses(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := NonNumeric().Draw(t, "s")
		if _, err := strconv.ParseInt(s, 10, 32); err == nil {
			t.Fatalf("%q parses as int32", s)
		}
		if _, err := strconv.ParseInt(s, 10, 64); err == nil {
			t.Fatalf("%q parses as int64: it is merely out of int32's range", s)
		}
		if !utf8.ValidString(s) {
			t.Fatalf("%q is not UTF-8", s)
		}
		for _, r := range s {
			if isControl(r) {
				t.Fatalf("%q holds control %U", s, r)
			}
		}
	})
}

func TestNonNumericEdgesNeverParse(t *testing.T) {
	for _, s := range NonNumericEdges {
		if _, err := strconv.ParseInt(s, 10, 64); err == nil {
			t.Errorf("%q parses", s)
		}
	}
}
