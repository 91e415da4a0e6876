package generators

import (
	"slices"
	"strconv"
	"testing"
	"unicode/utf8"

	"pgregory.net/rapid"

	"github.com/imagesearch-conformance/conformance/contract"
)

func TestAroundLimitStaysAroundTheLimit(t *testing.T) {
	for _, limit := range []int{0, 2, 5, contract.MaxStrAttr} {
		t.Run(strconv.Itoa(limit), rapid.MakeCheck(func(t *rapid.T) {
			a := rapid.SampledFrom(Alphabets).Draw(t, "alphabet")
			s := AroundLimit(limit, a).Draw(t, "s")
			n := utf8.RuneCountInString(s)
			near := n >= limit-3 && n <= limit+3
			if n != 0 && n != 1 && !near {
				t.Fatalf("%d code points for limit %d", n, limit)
			}
			if err := checkText(a, s); err != nil {
				t.Fatal(err)
			}
		}))
	}
}

func TestAroundLimitDrawsEveryLength(t *testing.T) {
	limit := contract.MaxStrAttr
	want := []int{0, 1, 125, 126, 127, 128, 129, 130, 131}
	if got := AroundLimitLengths(limit); !slices.Equal(got, want) {
		t.Fatalf("AroundLimitLengths(%d) = %v, want %v", limit, got, want)
	}
	if got := AroundLimitLengths(2); !slices.Equal(got, []int{0, 1, 2, 3, 4, 5}) {
		t.Errorf("AroundLimitLengths(2) = %v", got)
	}
	seen := map[int]bool{}
	for _, s := range examples(AroundLimit(limit, ASCII), 300) {
		seen[utf8.RuneCountInString(s)] = true
	}
	for _, n := range want {
		if !seen[n] {
			t.Errorf("length %d never drawn", n)
		}
	}
	for _, s := range examples(AroundLimit(limit, Forbidden), 100) {
		if s == "" {
			t.Fatal("AroundLimit(Forbidden) drew the empty string")
		}
	}
}
