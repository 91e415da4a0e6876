package generators

import (
	"pgregory.net/rapid"

	"github.com/imagesearch-conformance/conformance/contract"
)

// Generators of valid attribute sets. Their values are valid for AddImage as well as UpdateImage (ref
// §2.1, §3): strings within their field's limit and free of forbidden characters, ints within int32.

// FullAttrs returns Attrs that carry every one of the nine fields with a valid value. Each string field
// draws its own clean alphabet and a length that is often short, sometimes empty and sometimes exactly
// at the field's limit; each int is drawn by Int32Edge.
func FullAttrs() *rapid.Generator[Attrs] { return FullAttrsOf(CleanAlphabets...) }

// FullAttrsOf is FullAttrs with strings drawn from the given alphabets only.
func FullAttrsOf(alphabets ...Alphabet) *rapid.Generator[Attrs] {
	return rapid.Custom(func(t *rapid.T) Attrs {
		var a Attrs
		for _, f := range contract.Fields {
			setValid(t, &a, f, alphabets)
		}
		return a
	})
}

// PartialAttrs returns Attrs that carry a random non-empty subset of the nine fields, each with a valid
// value; explicitly empty strings are frequent.
func PartialAttrs() *rapid.Generator[Attrs] { return PartialAttrsOf(CleanAlphabets...) }

// PartialAttrsOf is PartialAttrs with strings drawn from the given alphabets only.
func PartialAttrsOf(alphabets ...Alphabet) *rapid.Generator[Attrs] {
	n := len(contract.Fields)
	subset := rapid.SliceOfNDistinct(rapid.IntRange(0, n-1), 1, n, rapid.ID[int])
	return rapid.Custom(func(t *rapid.T) Attrs {
		var a Attrs
		for _, i := range subset.Draw(t, "fields") {
			setValid(t, &a, contract.Fields[i], alphabets)
		}
		return a
	})
}

// ValidUpdate returns the fields of a valid UpdateImage request: PartialAttrs.
func ValidUpdate() *rapid.Generator[Attrs] { return PartialAttrs() }

// setValid draws a valid value for f and stores it in a.
func setValid(t *rapid.T, a *Attrs, f contract.Field, alphabets []Alphabet) {
	if f.Kind == contract.KindInt {
		a.Int[f.Slot] = new(int64(Int32Edge().Draw(t, f.Name)))
		return
	}
	v := validString(f.MaxChars, alphabets).Draw(t, f.Name)
	if f.Slot < 0 {
		a.CustomContent = &v
	} else {
		a.Str[f.Slot] = &v
	}
}

// validString returns clean strings of at most limit code points: empty, short, anywhere up to the limit,
// or exactly at it, with equal odds.
func validString(limit int, alphabets []Alphabet) *rapid.Generator[string] {
	length := rapid.OneOf(rapid.Just(0), rapid.IntRange(0, min(16, limit)), rapid.IntRange(0, limit), rapid.Just(limit))
	return rapid.Custom(func(t *rapid.T) string {
		a := rapid.SampledFrom(alphabets).Draw(t, "alphabet")
		return text(t, a, length.Draw(t, "chars"))
	})
}
