package generators

import (
	"math"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"pgregory.net/rapid"

	"github.com/imagesearch-conformance/conformance/contract"
)

// allNames are the wire names of contract.Fields, in order.
var allNames = []string{"CustomContent", "IntAttr", "IntAttr2", "IntAttr3", "IntAttr4",
	"StrAttr", "StrAttr2", "StrAttr3", "StrAttr4"}

// checkValid fails t unless every carried value of a is valid for AddImage: within limits, int32, no
// forbidden characters anywhere, clean text.
func checkValid(t *rapid.T, a Attrs) {
	if v := a.Violations(); len(v) != 0 {
		t.Fatalf("violations %v in %v", v, a)
	}
	if f := a.ForbiddenIn(); len(f) != 0 {
		t.Fatalf("forbidden characters in %v of %v", f, a)
	}
	for name, v := range a.Values() {
		f, _ := contract.FieldByName(name)
		if f.Kind == contract.KindInt {
			continue
		}
		if n := utf8.RuneCountInString(v); n > f.MaxChars {
			t.Fatalf("%s: %d code points, limit %d", name, n, f.MaxChars)
		}
		if err := checkText(Mixed, v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
}

func TestFullAttrsCarryEveryFieldValidly(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := FullAttrs().Draw(t, "attrs")
		if got := a.Names(); !slices.Equal(got, allNames) {
			t.Fatalf("carries %v", got)
		}
		checkValid(t, a)
	})
}

func TestPartialAttrsCarrySomeFieldsValidly(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := ValidUpdate().Draw(t, "attrs")
		if a.Len() == 0 {
			t.Fatal("carries nothing")
		}
		checkValid(t, a)
	})
}

func TestAttrGeneratorsReachTheirExtremes(t *testing.T) {
	var explicitEmpty, atLimit, subset bool
	for _, a := range examples(PartialAttrs(), 200) {
		for name, v := range a.Values() {
			explicitEmpty = explicitEmpty || v == "" && !strings.HasPrefix(name, "Int")
		}
		subset = subset || a.Len() < len(allNames)
	}
	for _, a := range examples(FullAttrs(), 100) {
		atLimit = atLimit || utf8.RuneCountInString(*a.CustomContent) == contract.MaxCustomContent
	}
	if !explicitEmpty || !atLimit || !subset {
		t.Errorf("explicit empty=%v, CustomContent at limit=%v, strict subset=%v", explicitEmpty, atLimit, subset)
	}
}

func TestApplyChangesOnlyCarriedFields(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var before Full
		FullAttrs().Draw(t, "stored").Apply(&before)
		u := PartialAttrs().Draw(t, "update")
		after := before
		u.Apply(&after)
		for _, name := range allNames {
			got, _ := after.Value(name)
			want, carried := u.Value(name)
			if !carried {
				want, _ = before.Value(name)
			}
			if got != want {
				t.Fatalf("%s = %q, want %q (carried %v)", name, got, want, carried)
			}
		}
	})
}

func TestFullAttrsRoundTrip(t *testing.T) {
	f := Full{
		CustomContent: "c",
		Int:           [4]int32{math.MinInt32, -1, 0, math.MaxInt32},
		Str:           [4]string{"", "b", "猫", "🐈"},
	}
	var g Full
	f.Attrs().Apply(&g)
	if g != f {
		t.Errorf("round trip gave %+v, want %+v", g, f)
	}
	if v, _ := f.Value("IntAttr"); v != "-2147483648" {
		t.Errorf("IntAttr = %q", v)
	}
}

func TestApplyPanicsOutsideInt32(t *testing.T) {
	for _, v := range []int64{math.MaxInt32 + 1, math.MinInt32 - 1} {
		mustPanic(t, "apply", func() { Attrs{Int: [4]*int64{2: new(v)}}.Apply(&Full{}) })
	}
}

func TestViolations(t *testing.T) {
	tests := []struct {
		name string
		a    Attrs
		want []string
	}{
		{"nothing", Attrs{}, nil},
		{"at limits", Attrs{
			CustomContent: new(strings.Repeat("a", contract.MaxCustomContent)),
			Str:           [4]*string{new(strings.Repeat("🐈", contract.MaxStrAttr))},
			Int:           [4]*int64{new(int64(math.MaxInt32)), new(int64(math.MinInt32))},
		}, nil},
		{"custom content over", Attrs{CustomContent: new(strings.Repeat("a", contract.MaxCustomContent+1))},
			[]string{"CustomContent"}},
		{"str attr 3 over in code points", Attrs{Str: [4]*string{2: new(strings.Repeat("猫", contract.MaxStrAttr+1))}},
			[]string{"StrAttr3"}},
		{"ints out of range", Attrs{Int: [4]*int64{1: new(int64(math.MaxInt32 + 1)), 3: new(int64(math.MinInt32 - 1))}},
			[]string{"IntAttr2", "IntAttr4"}},
		{"forbidden is no violation", Attrs{Str: [4]*string{new("a$b")}}, nil},
	}
	for _, tt := range tests {
		var got []string
		for _, f := range tt.a.Violations() {
			got = append(got, f.Name)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: violations %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestForbiddenInLooksOnlyAtStrAttrs(t *testing.T) {
	a := Attrs{CustomContent: new("100%"), Str: [4]*string{1: new("¥5"), 3: new("ok")}}
	var got []string
	for _, f := range a.ForbiddenIn() {
		got = append(got, f.Name)
	}
	if !slices.Equal(got, []string{"StrAttr2"}) {
		t.Errorf("ForbiddenIn = %v", got)
	}
}

func TestAttrsAccessors(t *testing.T) {
	a := Attrs{Str: [4]*string{3: new("")}, Int: [4]*int64{0: new(int64(-7))}}
	if got := a.Names(); !slices.Equal(got, []string{"IntAttr", "StrAttr4"}) {
		t.Errorf("Names = %v", got)
	}
	if !a.Has("StrAttr4") || a.Has("StrAttr") || a.Has("NoSuchField") || a.Len() != 2 {
		t.Errorf("Has/Len wrong for %v", a)
	}
	if v, ok := a.Value("IntAttr"); !ok || v != "-7" {
		t.Errorf("IntAttr = %q, %v", v, ok)
	}
	want := `{IntAttr=-7 StrAttr4=""}`
	if got := a.String(); got != want {
		t.Errorf("String = %s, want %s", got, want)
	}
	long := Attrs{CustomContent: new(strings.Repeat("é", 40))}
	if got := long.String(); !strings.Contains(got, "(40 chars)") || utf8.RuneCountInString(got) > 60 {
		t.Errorf("long String = %s", got)
	}
}
