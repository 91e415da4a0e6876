package generators

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/imagesearch-conformance/conformance/contract"
)

// Attrs is one set of updatable fields as a request carries them (ref §2.1); a nil pointer means the
// field is not sent, a pointer to "" means it is sent empty. The slots follow contract.Field.Slot:
// Int[0] is IntAttr, Int[1] IntAttr2, and so on. Ints are int64 so that an Attrs can also carry the
// out-of-range values of OutOfInt32.
type Attrs struct {
	CustomContent *string
	Int           [4]*int64
	Str           [4]*string
}

// Full is the attribute state of one stored image: all nine fields with a value. The zero Full is what
// an image added without attributes holds, on the reading that unset fields are empty or zero.
type Full struct {
	CustomContent string
	Int           [4]int32
	Str           [4]string
}

// Names lists the wire names of the fields a carries, in contract.Fields order.
func (a Attrs) Names() []string {
	var out []string
	for _, f := range contract.Fields {
		if _, ok := a.field(f); ok {
			out = append(out, f.Name)
		}
	}
	return out
}

// Has reports whether a carries the field with the given wire name; unknown names are never carried.
func (a Attrs) Has(name string) bool {
	_, ok := a.Value(name)
	return ok
}

// Len returns how many fields a carries.
func (a Attrs) Len() int { return len(a.Names()) }

// Value returns the wire form of the named field (decimal for ints) and whether a carries it.
func (a Attrs) Value(name string) (string, bool) {
	f, ok := contract.FieldByName(name)
	if !ok {
		return "", false
	}
	return a.field(f)
}

// Values returns the wire form of every field a carries, keyed by wire name.
func (a Attrs) Values() map[string]string {
	out := map[string]string{}
	for _, f := range contract.Fields {
		if v, ok := a.field(f); ok {
			out[f.Name] = v
		}
	}
	return out
}

// field returns the wire form of f and whether a carries it.
func (a Attrs) field(f contract.Field) (string, bool) {
	var s *string
	switch {
	case f.Slot < 0:
		s = a.CustomContent
	case f.Kind == contract.KindInt:
		if p := a.Int[f.Slot]; p != nil {
			return strconv.FormatInt(*p, 10), true
		}
	default:
		s = a.Str[f.Slot]
	}
	if s == nil {
		return "", false
	}
	return *s, true
}

// Apply copies every field a carries into to and leaves the others alone: the keep-on-omit reading of
// an update (ref §2.3, marked inferred there). It panics if an int is outside int32, since a request
// carrying one must be rejected and change nothing; check Violations first.
func (a Attrs) Apply(to *Full) {
	if a.CustomContent != nil {
		to.CustomContent = *a.CustomContent
	}
	for i, p := range a.Int {
		if p == nil {
			continue
		}
		if *p < math.MinInt32 || *p > math.MaxInt32 {
			panic(fmt.Sprintf("generators: Apply with IntAttr slot %d = %d outside int32", i, *p))
		}
		to.Int[i] = int32(*p)
	}
	for i, p := range a.Str {
		if p != nil {
			to.Str[i] = *p
		}
	}
}

// Violations lists, in contract.Fields order, the fields whose value breaks a documented limit of
// UpdateImage (ref §2.1): strings longer than the field's MaxChars code points, ints outside int32. The
// first one's Invalid error is what a validator checking in that order reports. AddImage's forbidden
// characters are not a violation here (UpdateImage does not document the rule); see ForbiddenIn.
func (a Attrs) Violations() []contract.Field {
	var out []contract.Field
	for _, f := range contract.Fields {
		if v, ok := a.field(f); ok && !withinLimit(f, v) {
			out = append(out, f)
		}
	}
	return out
}

// withinLimit reports whether the wire value v respects f's documented limit.
func withinLimit(f contract.Field, v string) bool {
	if f.Kind == contract.KindInt {
		_, err := strconv.ParseInt(v, 10, 32)
		return err == nil
	}
	return utf8.RuneCountInString(v) <= f.MaxChars
}

// ForbiddenIn lists the StrAttr* fields whose value contains one of AddImage's forbidden characters
// (ref §3), in contract.Fields order.
func (a Attrs) ForbiddenIn() []contract.Field {
	var out []contract.Field
	for _, f := range contract.Fields {
		if f.Kind != contract.KindString || f.Slot < 0 {
			continue
		}
		if v, ok := a.field(f); ok && strings.ContainsAny(v, contract.AddImageForbidden) {
			out = append(out, f)
		}
	}
	return out
}

// String renders the carried fields for test logs, shortening long strings.
func (a Attrs) String() string {
	var parts []string
	for _, f := range contract.Fields {
		v, ok := a.field(f)
		switch {
		case !ok:
		case f.Kind == contract.KindInt:
			parts = append(parts, f.Name+"="+v)
		default:
			parts = append(parts, f.Name+"="+shorten(v))
		}
	}
	return "{" + strings.Join(parts, " ") + "}"
}

// GoString makes rapid's draw log (%#v) show the values instead of pointers.
func (a Attrs) GoString() string { return a.String() }

// shortenAt is the number of code points String shows of a long value.
const shortenAt = 16

// shorten quotes v, cutting it after shortenAt code points and noting its full length.
func shorten(v string) string {
	n := utf8.RuneCountInString(v)
	if n <= shortenAt {
		return strconv.Quote(v)
	}
	return fmt.Sprintf("%q…(%d chars)", string([]rune(v)[:shortenAt]), n)
}

// Attrs returns f as an Attrs carrying all nine fields, e.g. to add an image with exactly this state.
func (f Full) Attrs() Attrs {
	a := Attrs{CustomContent: new(f.CustomContent)}
	for i := range 4 {
		a.Int[i] = new(int64(f.Int[i]))
		a.Str[i] = new(f.Str[i])
	}
	return a
}

// Value returns the wire form of the named field (decimal for ints), or false for an unknown name.
func (f Full) Value(name string) (string, bool) { return f.Attrs().Value(name) }

// Field returns the value of field in f: a string, or an int32 for the IntAttr fields.
func (f Full) Field(field contract.Field) any {
	switch {
	case field.Slot < 0:
		return f.CustomContent
	case field.Kind == contract.KindInt:
		return f.Int[field.Slot]
	}
	return f.Str[field.Slot]
}

// Set stores a value in field: s for the string fields, n for the IntAttr fields (a successful update of
// that one field, ref §2.3).
func (f *Full) Set(field contract.Field, s string, n int32) {
	switch {
	case field.Slot < 0:
		f.CustomContent = s
	case field.Kind == contract.KindInt:
		f.Int[field.Slot] = n
	default:
		f.Str[field.Slot] = s
	}
}
