package filter

import "testing"

const benchExpr = `int_attr>=100 AND (str_attr="a" OR str_attr2!="b") AND int_attr2 in (1,2,3)`

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(benchExpr); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMatch(b *testing.B) {
	e, err := Parse(benchExpr)
	if err != nil {
		b.Fatal(err)
	}
	a := &Attrs{Int: [4]int32{150, 2}, Str: [4]string{"z", "c"}}
	b.ReportAllocs()
	for b.Loop() {
		if !e.Match(a) {
			b.Fatal("expected a match")
		}
	}
}
