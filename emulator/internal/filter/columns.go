package filter

import (
	"math"
	"math/bits"
)

// BlockLen is the number of images in one Columns block.
const BlockLen = 1024

// Columns holds the attributes of up to BlockLen images column by column, string values as ids from a
// Dict, so a filter is evaluated over whole columns with integer comparisons.
type Columns struct {
	Int [4][BlockLen]int32
	Str [4][BlockLen]uint32
}

// Set stores image j's attributes, its string values already interned.
func (c *Columns) Set(j int, ints [4]int32, ids [4]uint32) {
	for i := range 4 {
		c.Int[i][j], c.Str[i][j] = ints[i], ids[i]
	}
}

// Move copies image from's attributes over image to's (of the same or another block).
func (c *Columns) Move(to int, src *Columns, from int) {
	for i := range 4 {
		c.Int[i][to], c.Str[i][to] = src.Int[i][from], src.Str[i][from]
	}
}

// IDs returns image j's string ids.
func (c *Columns) IDs(j int) [4]uint32 {
	return [4]uint32{c.Str[0][j], c.Str[1][j], c.Str[2][j], c.Str[3][j]}
}

// Mask has bit j set for each selected image j of a block.
type Mask [BlockLen / 64]uint64

// Has reports whether bit j is set.
func (m *Mask) Has(j int) bool { return m[j>>6]&(1<<(j&63)) != 0 }

// Count returns the number of set bits.
func (m *Mask) Count() int {
	n := 0
	for _, w := range m {
		n += bits.OnesCount64(w)
	}
	return n
}

// Program is an Expr bound to a Dict: its string literals replaced by the Dict's ids. A literal the
// Dict does not hold gets an id no image has, so every operator keeps its meaning exactly.
type Program struct{ root *bound }

type bound struct {
	kind nodeKind
	kids []*bound
	str  bool
	idx  int
	op   op
	ints []int32
	ids  []uint32
}

// Bind resolves e's string literals against d. A nil Expr gives a nil Program, which selects everything.
// The Program is valid until d next changes.
func (e *Expr) Bind(d *Dict) *Program {
	if e == nil || e.root == nil {
		return nil
	}
	return &Program{root: bind(e.root, d)}
}

func bind(n *node, d *Dict) *bound {
	b := &bound{kind: n.kind, str: n.str, idx: n.idx, op: n.op, ints: n.ints}
	for _, k := range n.kids {
		b.kids = append(b.kids, bind(k, d))
	}
	for _, s := range n.strs {
		id, ok := d.Lookup(s)
		if !ok {
			id = NoID
		}
		b.ids = append(b.ids, id)
	}
	return b
}

// Eval sets in m exactly the images j < n of c that satisfy p (same result as Expr.Match per image).
func (p *Program) Eval(c *Columns, n int, m *Mask) {
	*m = Mask{}
	if p == nil {
		fill(m, n)
		return
	}
	p.root.eval(c, n, m)
}

// fill sets bits [0, n).
func fill(m *Mask, n int) {
	for w := range m {
		switch {
		case n >= (w+1)*64:
			m[w] = ^uint64(0)
		case n > w*64:
			m[w] = 1<<(n-w*64) - 1
		}
	}
}

// eval writes the selection into m, which the caller has cleared.
func (b *bound) eval(c *Columns, n int, m *Mask) {
	switch b.kind {
	case kindAnd:
		b.kids[0].eval(c, n, m)
		for _, k := range b.kids[1:] {
			var t Mask
			k.eval(c, n, &t)
			for w := range m {
				m[w] &= t[w]
			}
		}
	case kindOr:
		for _, k := range b.kids {
			var t Mask
			k.eval(c, n, &t)
			for w := range m {
				m[w] |= t[w]
			}
		}
	default:
		if b.str {
			b.evalStr(c.Str[b.idx][:n], m)
		} else {
			b.evalInt(c.Int[b.idx][:n], m)
		}
	}
}

// evalInt selects by an integer column. Every comparison is a range test
// (= is [x, x], > is [x+1, max], …), done with one unsigned comparison.
func (b *bound) evalInt(col []int32, m *Mask) {
	x := b.ints[0]
	lo, hi := int32(math.MinInt32), int32(math.MaxInt32)
	switch b.op {
	case opEq:
		lo, hi = x, x
	case opGe:
		lo = x
	case opLe:
		hi = x
	case opGt:
		if x == math.MaxInt32 {
			return // nothing is greater
		}
		lo = x + 1
	case opLt:
		if x == math.MinInt32 {
			return
		}
		hi = x - 1
	default: // IN, NOT IN
		words(col, m, func(v int32) bool { return containsInt(b.ints, v) == (b.op == opIn) })
		return
	}
	inRange(col, lo, hi, true, m)
}

// evalStr selects by a string column of Dict ids.
func (b *bound) evalStr(col []uint32, m *Mask) {
	x := b.ids[0]
	switch b.op {
	case opEq:
		inRange(col, x, x, true, m)
	case opNe:
		inRange(col, x, x, false, m)
	default: // IN, NOT IN
		words(col, m, func(v uint32) bool { return containsID(b.ids, v) == (b.op == opIn) })
	}
}

// inRange sets bit j of m when lo ≤ col[j] ≤ hi is want, without a branch:
// v-lo wraps, so the two-sided test is whether uint32(v-lo) - (hi-lo+1)
// borrows, computed in 64 bits, and bit 63 of that difference is the borrow.
// Whole words are built two at a time by shifting each borrow in from the
// top: two independent chains of constant shifts run faster than one chain
// of variable ones.
func inRange[T int32 | uint32](col []T, lo, hi T, want bool, m *Mask) {
	limit := uint64(uint32(hi-lo)) + 1
	var invert uint64 // all ones when the range is excluded
	if !want {
		invert = ^uint64(0)
	}
	w := 0
	for ; (w+2)*64 <= len(col); w += 2 {
		a, b := col[w*64:w*64+64], col[w*64+64:w*64+128]
		var x, y uint64
		for k := range 64 {
			x = x>>1 | (uint64(uint32(a[k]-lo))-limit)&(1<<63)
			y = y>>1 | (uint64(uint32(b[k]-lo))-limit)&(1<<63)
		}
		m[w], m[w+1] = x^invert, y^invert
	}
	for ; w*64 < len(col); w++ { // the last word or two, possibly partial
		var word uint64
		for k, v := range col[w*64 : min(len(col), w*64+64)] {
			word |= ((uint64(uint32(v-lo))-limit)>>63 ^ invert&1) << k
		}
		m[w] = word
	}
}

// words sets bit j of m when keep(col[j]): the general, slower form for
// value lists.
func words[T int32 | uint32](col []T, m *Mask, keep func(T) bool) {
	for j, v := range col {
		if keep(v) {
			m[j>>6] |= 1 << (j & 63)
		}
	}
}

func containsInt(list []int32, v int32) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func containsID(list []uint32, v uint32) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
