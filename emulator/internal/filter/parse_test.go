package filter

import (
	"errors"
	"strings"
	"testing"

	"github.com/imagesearch-conformance/conformance/contract"
)

func attrs(ints [4]int32, strs [4]string) *Attrs { return &Attrs{Int: ints, Str: strs} }

func TestParseValid(t *testing.T) {
	a := attrs([4]int32{100, 200, -5, 0}, [4]string{"value1", "str9999", "x y", ""})
	b := attrs([4]int32{1000, 200, 7, 0}, [4]string{"str2345", "str9999", `q"\`, "z"})
	tests := []struct {
		src       string
		canonical string
		matchA    bool
		matchB    bool
	}{
		// Documented examples (ref §1.7).
		{`int_attr>=100`, `int_attr >= 100`, true, true},
		{`str_attr!="value1"`, `str_attr != "value1"`, false, true},
		{`int_attr=1000 AND str_attr="value1"`, `int_attr = 1000 AND str_attr = "value1"`, false, false},
		{`int_attr = 1000 AND str_attr = "value1"`, `int_attr = 1000 AND str_attr = "value1"`, false, false},
		{`intAttr = 1000 AND  intAttr2 = 200 AND strAttr = "str2345" AND strAttr2="str9999"`,
			`int_attr = 1000 AND int_attr2 = 200 AND str_attr = "str2345" AND str_attr2 = "str9999"`, false, true},
		// Examples used by the SDK notes (sdk-go-v1.md §1.2, building-blocks §5b).
		{`int_attr>=100 AND str_attr="value"`, `int_attr >= 100 AND str_attr = "value"`, false, false},
		{`int_attr>=100 AND str_attr!="x y"`, `int_attr >= 100 AND str_attr != "x y"`, true, true},
		// Every operator.
		{`int_attr>100`, `int_attr > 100`, false, true},
		{`int_attr<100`, `int_attr < 100`, false, false},
		{`int_attr<=100`, `int_attr <= 100`, true, false},
		{`int_attr3 = -5`, `int_attr3 = -5`, true, false},
		{`int_attr in (1, 100)`, `int_attr IN (1, 100)`, true, false},
		{`int_attr not in (1,100)`, `int_attr NOT IN (1, 100)`, false, true},
		{`int_attr2 IN(200)`, `int_attr2 IN (200)`, true, true},
		{`str_attr in ("value1","str2345")`, `str_attr IN ("value1", "str2345")`, true, true},
		{`str_attr NOT IN ("value1")`, `str_attr NOT IN ("value1")`, false, true},
		{`str_attr3 = "x y"`, `str_attr3 = "x y"`, true, false},
		{`str_attr3 = "q\"\\"`, `str_attr3 = "q\"\\"`, false, true},
		{`str_attr4 = ""`, `str_attr4 = ""`, true, false},
		{`int_attr4 = 0`, `int_attr4 = 0`, true, true},
		{`int_attr = -2147483648 OR int_attr = 2147483647`, `int_attr = -2147483648 OR int_attr = 2147483647`, false, false},
		{`int_attr = 007`, `int_attr = 7`, false, false},
		// Keywords in any case, precedence and grouping.
		{`int_attr=1 or int_attr=100 and str_attr="value1"`, `int_attr = 1 OR int_attr = 100 AND str_attr = "value1"`, true, false},
		{`(int_attr=1 Or int_attr=100) aNd str_attr="value1"`, `(int_attr = 1 OR int_attr = 100) AND str_attr = "value1"`, true, false},
		{`int_attr=100 AND (str_attr="nope" OR str_attr2="str9999")`, `int_attr = 100 AND (str_attr = "nope" OR str_attr2 = "str9999")`, true, false},
		{`((int_attr=100))`, `int_attr = 100`, true, false},
		{`int_attr=1 OR (int_attr=2 OR int_attr=1000)`, `int_attr = 1 OR int_attr = 2 OR int_attr = 1000`, false, true},
		{`(int_attr>1 AND int_attr2>1) AND int_attr3>1`, `int_attr > 1 AND int_attr2 > 1 AND int_attr3 > 1`, false, true},
		{"\tint_attr\n>=\r\n100 ", `int_attr >= 100`, true, true},
		{`str_attr="a"AND int_attr=1`, `str_attr = "a" AND int_attr = 1`, false, false},
		{`str_attr = "中文 and OR"`, `str_attr = "中文 and OR"`, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			e, err := Parse(tt.src)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := e.String(); got != tt.canonical {
				t.Errorf("String() = %s, want %s", got, tt.canonical)
			}
			if got := e.Match(a); got != tt.matchA {
				t.Errorf("Match(a) = %v, want %v", got, tt.matchA)
			}
			if got := e.Match(b); got != tt.matchB {
				t.Errorf("Match(b) = %v, want %v", got, tt.matchB)
			}
			again, err := Parse(e.String())
			if err != nil || again.String() != e.String() {
				t.Errorf("re-parse of %q: %v, %v", e.String(), again, err)
			}
		})
	}
}

func TestParseInvalid(t *testing.T) {
	tests := []struct {
		src    string
		offset int
		msg    string
	}{
		{``, 0, "empty expression"},
		{`   `, 3, "empty expression"},
		{`foo = 1`, 0, `unknown attribute "foo"`},
		{`Int_Attr = 1`, 0, `unknown attribute "Int_Attr"`},
		{`int_attr1 = 1`, 0, `unknown attribute "int_attr1"`},
		{`int_attr5 = 1`, 0, `unknown attribute "int_attr5"`},
		{`int_attr != 1`, 9, "operator != not allowed on integer attribute"},
		{`str_attr > "a"`, 9, "operator > not allowed on string attribute"},
		{`str_attr <= "a"`, 9, "operator <= not allowed on string attribute"},
		{`int_attr = "1"`, 11, "expected integer, got string"},
		{`str_attr = 1`, 11, "expected double-quoted string"},
		{`str_attr = value1`, 11, "expected double-quoted string"},
		{`str_attr = 'v'`, 11, "unexpected character"},
		{`int_attr = 2147483648`, 11, "out of int32 range"},
		{`int_attr = -2147483649`, 11, "out of int32 range"},
		{`int_attr = 1.5`, 12, "unexpected character"},
		{`int_attr = 10AND int_attr2 = 1`, 11, "malformed integer"},
		{`int_attr = - 1`, 11, "expected digits after '-'"},
		{`int_attr = +1`, 11, "unexpected character"},
		{`int_attr == 1`, 10, "expected integer"},
		{`int_attr ! 1`, 9, "'!'"},
		{`int_attr 1`, 9, "expected operator"},
		{`int_attr`, 8, "expected operator, got end of input"},
		{`int_attr =`, 10, "expected integer, got end of input"},
		{`int_attr = 1 AND`, 16, "expected attribute name, got end of input"},
		{`int_attr = 1 OR OR int_attr = 2`, 16, "expected attribute name"},
		{`AND int_attr = 1`, 0, "expected attribute name, got keyword AND"},
		{`int_attr = 1 int_attr2 = 2`, 13, "unexpected"},
		{`int_attr = 1 && int_attr = 2`, 13, "unexpected character"},
		{`int_attr = 1)`, 12, `unexpected ")"`},
		{`(int_attr = 1`, 13, `expected ")"`},
		{`()`, 1, "expected attribute name"},
		{`int_attr in ()`, 13, "expected integer"},
		{`int_attr in (1,)`, 15, "expected integer"},
		{`int_attr in (1 2)`, 15, `expected "," or ")"`},
		{`int_attr in 1`, 12, `expected "(" after IN`},
		{`int_attr in (1`, 14, `expected "," or ")" in list, got end of input`},
		{`int_attr not (1)`, 13, `expected "IN" after "NOT"`},
		{`int_attr notin (1)`, 9, "expected operator"},
		{`str_attr in ("a", 1)`, 18, "expected double-quoted string"},
		{`str_attr = "abc`, 11, "unterminated string"},
		{`str_attr = "a\nb"`, 13, "invalid escape"},
		{`str_attr = "a\`, 13, "invalid escape"},
		{`str_attr = "a" ;`, 15, "unexpected character"},
		{"str_attr = \"" + strings.Repeat("x", contract.MaxFilter) + "\"", contract.MaxFilter, "longer than 4096 characters"},
		{"str_attr = \"" + strings.Repeat("é", contract.MaxFilter) + "\"", 12 + 2*(contract.MaxFilter-12), "longer than 4096 characters"},
	}
	for _, tt := range tests {
		name := tt.src
		if len(name) > 40 {
			name = name[:40]
		}
		t.Run(name, func(t *testing.T) {
			e, err := Parse(tt.src)
			if err == nil {
				t.Fatalf("Parse accepted it as %q", e.String())
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error %v does not wrap ErrInvalid", err)
			}
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error %T is not *SyntaxError", err)
			}
			if se.Offset != tt.offset {
				t.Errorf("offset = %d, want %d (%v)", se.Offset, tt.offset, err)
			}
			if !strings.Contains(err.Error(), tt.msg) || !strings.Contains(err.Error(), "offset") {
				t.Errorf("error %q does not contain %q and an offset", err, tt.msg)
			}
		})
	}
}

func TestMaxLenBoundary(t *testing.T) {
	src := `str_attr = "` + strings.Repeat("x", contract.MaxFilter-13) + `"`
	if len(src) != contract.MaxFilter {
		t.Fatalf("test setup: len %d", len(src))
	}
	if _, err := Parse(src); err != nil {
		t.Errorf("expression of exactly %d characters rejected: %v", contract.MaxFilter, err)
	}
	multi := `str_attr = "` + strings.Repeat("中", contract.MaxFilter-13) + `"`
	if _, err := Parse(multi); err != nil {
		t.Errorf("%d characters of multi-byte text rejected: %v", contract.MaxFilter, err)
	}
}

func TestNilExpr(t *testing.T) {
	var e *Expr
	if !e.Match(&Attrs{}) || e.String() != "" {
		t.Error("nil Expr should match everything and print empty")
	}
}

func TestMatchDoesNotAllocate(t *testing.T) {
	e, err := Parse(`int_attr>=100 AND (str_attr="a" OR str_attr2!="b") AND int_attr2 in (1,2,3) AND str_attr3 not in ("x","y")`)
	if err != nil {
		t.Fatal(err)
	}
	a := &Attrs{Int: [4]int32{100, 2}, Str: [4]string{"a", "b", "z"}}
	if !e.Match(a) {
		t.Fatal("expected a match")
	}
	if n := testing.AllocsPerRun(100, func() { e.Match(a) }); n != 0 {
		t.Errorf("Match allocates %v times per call", n)
	}
}
