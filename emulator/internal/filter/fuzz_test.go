package filter

import (
	"errors"
	"testing"
)

// FuzzParse checks that Parse never panics, that every error wraps ErrInvalid, and that an
// accepted expression's canonical form re-parses to the same canonical form.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`int_attr>=100`,
		`str_attr!="value1"`,
		`intAttr = 1000 AND  intAttr2 = 200 AND strAttr = "str2345" AND strAttr2="str9999"`,
		`(int_attr=1 or int_attr2 not in (1,-2)) AND str_attr in ("a\"b", "\\")`,
		`int_attr = -2147483648`,
		`((`,
		`str_attr = "`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := Parse(src)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		canon := e.String()
		again, err := Parse(canon)
		if err != nil {
			t.Fatalf("canonical form %q of %q rejected: %v", canon, src, err)
		}
		if again.String() != canon {
			t.Fatalf("canonical form not stable: %q -> %q", canon, again.String())
		}
		a := &Attrs{}
		if e.Match(a) != again.Match(a) {
			t.Fatalf("%q and its canonical form %q disagree on zero attributes", src, canon)
		}
	})
}
