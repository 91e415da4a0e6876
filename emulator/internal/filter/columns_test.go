package filter

import (
	"testing"

	"pgregory.net/rapid"
)

// TestProgramMatchesReferenceProperty checks that a bound Program evaluated over a block of columns
// selects exactly the images the reference evaluator accepts, including literals the Dict does not hold
// and the unused bits past the block's length.
func TestProgramMatchesReferenceProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ast := genNode(t, 4)
		p := &printer{t: t}
		p.node(ast, "")
		e, err := Parse(p.b.String())
		if err != nil {
			t.Fatalf("Parse(%q): %v", p.b.String(), err)
		}
		n := rapid.IntRange(0, 150).Draw(t, "images")
		var d Dict
		var c Columns
		rows := make([]*Attrs, n)
		for j := range rows {
			rows[j] = genAttrs(t)
			c.Set(j, rows[j].Int, d.AcquireAll(rows[j].Str))
		}
		var m Mask
		e.Bind(&d).Eval(&c, n, &m)
		for j, a := range rows {
			if want := refEval(ast, a); m.Has(j) != want {
				t.Fatalf("%q on image %d %+v: selected %v, reference says %v", e.String(), j, *a, m.Has(j), want)
			}
		}
		for j := n; j < BlockLen; j++ {
			if m.Has(j) {
				t.Fatalf("%q selected image %d past the %d held", e.String(), j, n)
			}
		}
		if m.Count() > n {
			t.Fatalf("Count %d > %d images", m.Count(), n)
		}
	})
}

// TestNilProgramSelectsAll checks that no filter selects exactly the images held.
func TestNilProgramSelectsAll(t *testing.T) {
	var e *Expr
	for _, n := range []int{0, 1, 63, 64, 65, BlockLen} {
		var m Mask
		e.Bind(&Dict{}).Eval(&Columns{}, n, &m)
		if m.Count() != n || (n > 0 && !m.Has(n-1)) || (n < BlockLen && m.Has(n)) {
			t.Errorf("n=%d: %d selected", n, m.Count())
		}
	}
}

// TestDictFreesUnusedValues checks that a value nobody holds is forgotten and its id reused, so the Dict
// does not grow with every distinct value ever written.
func TestDictFreesUnusedValues(t *testing.T) {
	var d Dict
	a := d.Acquire("a")
	if d.Acquire("a") != a {
		t.Fatal("one value got two ids")
	}
	d.Release(a)
	if _, ok := d.Lookup("a"); !ok {
		t.Fatal("value freed while still held")
	}
	d.Release(a)
	if _, ok := d.Lookup("a"); ok || d.Len() != 0 {
		t.Fatal("value kept after its last holder released it")
	}
	if b := d.Acquire("b"); b != a {
		t.Errorf("freed id %d not reused (got %d)", a, b)
	}
	if _, ok := d.Lookup("a"); ok {
		t.Error("reused id still answers for the old value")
	}
}
