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

// fuzzInts and fuzzStrs are the attribute values FuzzProgramMatchesExpr draws from: few enough that the
// fuzzer's filters match some images, with the int32 edges and the seeds' string literals.
var (
	fuzzInts = []int32{0, 1, -2, 7, 100, 1000, -2147483648, 2147483647}
	fuzzStrs = []string{"", "a", "s3", "value1", `a"b`, `\`, "str2345"}
)

// FuzzProgramMatchesExpr checks the columnar evaluation against Expr.Match for any filter the fuzzer
// finds and a block of images drawn from data, after some values were released and their ids reused:
// Eval must select exactly the images Match accepts and nothing past the block's length.
func FuzzProgramMatchesExpr(f *testing.F) {
	f.Add(`int_attr>=100 AND str_attr="s3"`, []byte{4, 2, 0, 1, 3, 3, 7, 7, 9})
	f.Add(`(int_attr=1 or int_attr2 not in (1,-2)) AND str_attr in ("a\"b", "\\")`, []byte{1, 4, 255, 5, 0})
	f.Add(`str_attr4!="missing" or intAttr3<0`, []byte{6, 6, 6, 1})
	f.Fuzz(func(t *testing.T, src string, data []byte) {
		e, err := Parse(src)
		if err != nil {
			return
		}
		var d Dict
		var c Columns
		rows := make([]Attrs, min(len(data), BlockLen))
		for j := range rows {
			for i := range 4 {
				b := data[(j+i)%len(data)] >> i
				rows[j].Int[i] = fuzzInts[int(b)%len(fuzzInts)]
				rows[j].Str[i] = fuzzStrs[int(b>>1)%len(fuzzStrs)]
			}
			ids := d.AcquireAll(rows[j].Str)
			if data[j]&1 == 1 {
				// Release and acquire again: a freed id must come back for its value or another's.
				d.ReleaseAll(ids)
				ids = d.AcquireAll(rows[j].Str)
			}
			c.Set(j, rows[j].Int, ids)
		}
		var m Mask
		e.Bind(&d).Eval(&c, len(rows), &m)
		for j := range rows {
			if want := e.Match(&rows[j]); m.Has(j) != want {
				t.Fatalf("%q on image %d %+v: Eval selected %v, Match says %v", e.String(), j, rows[j], m.Has(j), want)
			}
		}
		for j := len(rows); j < BlockLen; j++ {
			if m.Has(j) {
				t.Fatalf("%q selected image %d past the %d held", e.String(), j, len(rows))
			}
		}
	})
}
