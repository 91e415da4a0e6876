package generators

import (
	"slices"
	"strconv"
	"testing"
	"unicode/utf8"

	"pgregory.net/rapid"

	"github.com/imagesearch-conformance/conformance/contract"
)

// wantLength reports whether n code points is what class c promises for limit, written out per class
// rather than through LengthClass.Bounds.
func wantLength(c LengthClass, limit, n int) bool {
	switch c {
	case Empty:
		return n == 0
	case Within:
		return n >= 1 && n <= limit
	case AtLimit:
		return n == limit
	case JustOver:
		return n == limit+1
	case FarOver:
		return n >= limit+2 && n <= 2*limit+10
	}
	return false
}

func TestSizedGivesPromisedLengths(t *testing.T) {
	for _, limit := range []int{1, 2, 5, contract.MaxStrAttr, contract.MaxCustomContent} {
		t.Run(strconv.Itoa(limit), rapid.MakeCheck(func(t *rapid.T) {
			c := rapid.SampledFrom(LengthClasses).Draw(t, "class")
			a := rapid.SampledFrom(Alphabets).Draw(t, "alphabet")
			if a == Forbidden && c == Empty {
				t.Skip("no empty Forbidden string")
			}
			s := Sized(limit, c, a).Draw(t, "s")
			n := utf8.RuneCountInString(s)
			if !wantLength(c, limit, n) {
				t.Fatalf("%v/%v: %d code points for limit %d", c, a, n, limit)
			}
			if over := n > limit; over != c.OverLimit() {
				t.Fatalf("%v: %d code points, over limit %d = %v", c, n, limit, over)
			}
			if err := checkText(a, s); err != nil {
				t.Fatal(err)
			}
		}))
	}
}

func TestSizedRejectsImpossibleClasses(t *testing.T) {
	tests := []struct {
		name  string
		limit int
		c     LengthClass
		a     Alphabet
	}{
		{"negative limit", -1, Empty, ASCII},
		{"within zero", 0, Within, ASCII},
		{"empty forbidden", 10, Empty, Forbidden},
		{"forbidden at zero", 0, AtLimit, Forbidden},
		{"unknown class", 10, LengthClass(42), ASCII},
	}
	for _, tt := range tests {
		mustPanic(t, tt.name, func() { Sized(tt.limit, tt.c, tt.a) })
	}
}

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

func TestLengthClassNames(t *testing.T) {
	names := map[string]bool{}
	for _, c := range LengthClasses {
		names[c.String()] = true
	}
	if len(names) != len(LengthClasses) || LengthClass(9).String() != "LengthClass(9)" {
		t.Errorf("names %v", names)
	}
}
