package filter

import (
	"strconv"
	"strings"
)

// Attrs are the filterable attributes of one image: Int[0..3] are IntAttr..IntAttr4 and
// Str[0..3] are StrAttr..StrAttr4. An unset attribute is its zero value.
type Attrs struct {
	Int [4]int32
	Str [4]string
}

// Expr is a parsed filter expression. A nil *Expr matches everything.
type Expr struct {
	root *node
}

type nodeKind uint8

const (
	kindCond nodeKind = iota
	kindAnd
	kindOr
)

type op uint8

const (
	opEq op = iota
	opNe
	opGt
	opGe
	opLt
	opLe
	opIn
	opNotIn
)

var opText = [...]string{opEq: "=", opNe: "!=", opGt: ">", opGe: ">=", opLt: "<", opLe: "<=", opIn: "IN", opNotIn: "NOT IN"}

// node is either an AND/OR of kids (never of its own kind: the parser flattens those) or one
// condition on attribute idx of the int or string kind.
type node struct {
	kind nodeKind
	kids []*node

	str  bool
	idx  int
	op   op
	ints []int32
	strs []string
}

// Match reports whether a satisfies e. It does not allocate.
func (e *Expr) Match(a *Attrs) bool {
	if e == nil || e.root == nil {
		return true
	}
	return e.root.match(a)
}

func (n *node) match(a *Attrs) bool {
	switch n.kind {
	case kindAnd:
		for _, k := range n.kids {
			if !k.match(a) {
				return false
			}
		}
		return true
	case kindOr:
		for _, k := range n.kids {
			if k.match(a) {
				return true
			}
		}
		return false
	}
	if n.str {
		return n.matchStr(a.Str[n.idx])
	}
	return n.matchInt(a.Int[n.idx])
}

func (n *node) matchInt(v int32) bool {
	switch n.op {
	case opEq:
		return v == n.ints[0]
	case opGt:
		return v > n.ints[0]
	case opGe:
		return v >= n.ints[0]
	case opLt:
		return v < n.ints[0]
	case opLe:
		return v <= n.ints[0]
	}
	for _, x := range n.ints {
		if v == x {
			return n.op == opIn
		}
	}
	return n.op == opNotIn
}

func (n *node) matchStr(v string) bool {
	switch n.op {
	case opEq:
		return v == n.strs[0]
	case opNe:
		return v != n.strs[0]
	}
	for _, x := range n.strs {
		if v == x {
			return n.op == opIn
		}
	}
	return n.op == opNotIn
}

// String re-prints e canonically: snake_case names, upper-case keywords, single spaces,
// parentheses only where an OR sits inside an AND. Parse(e.String()) yields an equivalent
// expression with the same String.
func (e *Expr) String() string {
	if e == nil || e.root == nil {
		return ""
	}
	var b strings.Builder
	e.root.write(&b)
	return b.String()
}

func (n *node) write(b *strings.Builder) {
	switch n.kind {
	case kindAnd, kindOr:
		sep := " AND "
		if n.kind == kindOr {
			sep = " OR "
		}
		for i, k := range n.kids {
			if i > 0 {
				b.WriteString(sep)
			}
			paren := n.kind == kindAnd && k.kind == kindOr
			if paren {
				b.WriteByte('(')
			}
			k.write(b)
			if paren {
				b.WriteByte(')')
			}
		}
		return
	}
	b.WriteString(canonicalName(n.str, n.idx))
	b.WriteByte(' ')
	b.WriteString(opText[n.op])
	b.WriteByte(' ')
	list := n.op == opIn || n.op == opNotIn
	if list {
		b.WriteByte('(')
	}
	count := len(n.ints)
	if n.str {
		count = len(n.strs)
	}
	for i := 0; i < count; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		if n.str {
			writeQuoted(b, n.strs[i])
		} else {
			b.WriteString(strconv.FormatInt(int64(n.ints[i]), 10))
		}
	}
	if list {
		b.WriteByte(')')
	}
}

func writeQuoted(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
}
