package filter

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// tnode is the test's own AST, printed with random spellings and evaluated by refEval, both
// independent of the package's code.
type tnode struct {
	join string // "AND", "OR" or "" for a condition
	kids []*tnode

	str  bool
	idx  int
	op   string // =, !=, >, >=, <, <=, IN, NOT IN
	ints []int32
	strs []string
}

var (
	intPool = []int32{math.MinInt32, -3, -1, 0, 1, 2, 3, math.MaxInt32}
	strPool = []string{"", "a", "b", "x y", `q"`, `back\slash`, "中文", "AND", "(", "é,é"}
)

func genNode(t *rapid.T, depth int) *tnode {
	if depth > 0 && rapid.IntRange(0, 2).Draw(t, "branch") > 0 {
		n := &tnode{join: rapid.SampledFrom([]string{"AND", "OR"}).Draw(t, "join")}
		for i, k := 0, rapid.IntRange(2, 3).Draw(t, "arity"); i < k; i++ {
			n.kids = append(n.kids, genNode(t, depth-1))
		}
		return n
	}
	n := &tnode{str: rapid.Bool().Draw(t, "str"), idx: rapid.IntRange(0, 3).Draw(t, "idx")}
	ops := []string{"=", ">", ">=", "<", "<=", "IN", "NOT IN"}
	if n.str {
		ops = []string{"=", "!=", "IN", "NOT IN"}
	}
	n.op = rapid.SampledFrom(ops).Draw(t, "op")
	count := 1
	if n.op == "IN" || n.op == "NOT IN" {
		count = rapid.IntRange(1, 3).Draw(t, "listLen")
	}
	for i := 0; i < count; i++ {
		if n.str {
			n.strs = append(n.strs, rapid.SampledFrom(strPool).Draw(t, "s"))
		} else {
			n.ints = append(n.ints, rapid.SampledFrom(intPool).Draw(t, "i"))
		}
	}
	return n
}

func refEval(n *tnode, a *Attrs) bool {
	switch n.join {
	case "AND":
		for _, k := range n.kids {
			if !refEval(k, a) {
				return false
			}
		}
		return true
	case "OR":
		for _, k := range n.kids {
			if refEval(k, a) {
				return true
			}
		}
		return false
	}
	if n.str {
		v := a.Str[n.idx]
		switch n.op {
		case "=":
			return v == n.strs[0]
		case "!=":
			return v != n.strs[0]
		}
		in := false
		for _, s := range n.strs {
			in = in || v == s
		}
		return in == (n.op == "IN")
	}
	v := a.Int[n.idx]
	switch n.op {
	case "=":
		return v == n.ints[0]
	case ">":
		return v > n.ints[0]
	case ">=":
		return v >= n.ints[0]
	case "<":
		return v < n.ints[0]
	case "<=":
		return v <= n.ints[0]
	}
	in := false
	for _, x := range n.ints {
		in = in || v == x
	}
	return in == (n.op == "IN")
}

// printer renders a tnode with random name spelling, keyword case, spacing and redundant
// parentheses; it adds the parentheses precedence needs (OR inside AND).
type printer struct {
	t *rapid.T
	b strings.Builder
}

// space writes mandatory whitespace; optSpace writes possibly none.
func (p *printer) space() {
	p.b.WriteString(rapid.SampledFrom([]string{" ", "  ", "\t", "\n", " \r\n "}).Draw(p.t, "ws"))
}

func (p *printer) optSpace() {
	p.b.WriteString(rapid.SampledFrom([]string{"", " ", "  "}).Draw(p.t, "optws"))
}

func (p *printer) keyword(kw string) {
	p.b.WriteString(rapid.SampledFrom([]string{kw, strings.ToLower(kw), strings.ToUpper(kw[:1]) + strings.ToLower(kw[1:])}).Draw(p.t, "kwcase"))
}

func (p *printer) node(n *tnode, parent string) {
	wrap := parent == "AND" && n.join == "OR" || rapid.IntRange(0, 5).Draw(p.t, "redundantParens") == 0
	if wrap {
		p.b.WriteByte('(')
	}
	if n.join != "" {
		for i, k := range n.kids {
			if i > 0 {
				p.space()
				p.keyword(n.join)
				p.space()
			}
			p.node(k, n.join)
		}
	} else {
		p.cond(n)
	}
	if wrap {
		p.b.WriteByte(')')
	}
}

func (p *printer) cond(n *tnode) {
	base := [2]string{"int_attr", "str_attr"}[boolIndex(n.str)]
	if rapid.Bool().Draw(p.t, "camel") {
		base = [2]string{"intAttr", "strAttr"}[boolIndex(n.str)]
	}
	if n.idx > 0 {
		base += strconv.Itoa(n.idx + 1)
	}
	p.b.WriteString(base)
	list := n.op == "IN" || n.op == "NOT IN"
	if list {
		p.space()
		if n.op == "NOT IN" {
			p.keyword("NOT")
			p.space()
		}
		p.keyword("IN")
		p.optSpace()
		p.b.WriteByte('(')
	} else {
		p.optSpace()
		p.b.WriteString(n.op)
		p.optSpace()
	}
	count := len(n.ints)
	if n.str {
		count = len(n.strs)
	}
	for i := 0; i < count; i++ {
		if i > 0 {
			p.b.WriteString(rapid.SampledFrom([]string{",", ", ", " ,"}).Draw(p.t, "comma"))
		}
		if n.str {
			p.b.WriteString(`"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(n.strs[i]) + `"`)
		} else {
			p.b.WriteString(strconv.FormatInt(int64(n.ints[i]), 10))
		}
	}
	if list {
		p.b.WriteByte(')')
	}
}

func genAttrs(t *rapid.T) *Attrs {
	a := &Attrs{}
	for i := range 4 {
		a.Int[i] = rapid.SampledFrom(intPool).Draw(t, "attrInt")
		a.Str[i] = rapid.SampledFrom(strPool).Draw(t, "attrStr")
	}
	return a
}

func TestParseMatchesReferenceProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ast := genNode(t, 4)
		p := &printer{t: t}
		p.node(ast, "")
		src := p.b.String()
		e, err := Parse(src)
		if err != nil {
			t.Fatalf("Parse(%q): %v", src, err)
		}
		again, err := Parse(e.String())
		if err != nil || again.String() != e.String() {
			t.Fatalf("canonical form %q does not re-parse to itself: %v", e.String(), err)
		}
		for i := 0; i < 8; i++ {
			a := genAttrs(t)
			want := refEval(ast, a)
			if got := e.Match(a); got != want {
				t.Fatalf("Parse(%q).Match(%+v) = %v, reference says %v", src, *a, got, want)
			}
			if got := again.Match(a); got != want {
				t.Fatalf("re-parsed %q .Match(%+v) = %v, reference says %v", e.String(), *a, got, want)
			}
		}
	})
}
