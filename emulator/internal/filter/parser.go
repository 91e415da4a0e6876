package filter

import (
	"strconv"
	"unicode/utf8"

	"github.com/imagesearch-conformance/conformance/contract"
)

// Parse parses a filter expression of at most contract.MaxFilter characters (ref §1.7, §9 #8). Errors
// wrap ErrInvalid and give a byte offset.
func Parse(src string) (*Expr, error) {
	if utf8.RuneCountInString(src) > contract.MaxFilter {
		return nil, errAt(runeOffset(src, contract.MaxFilter), "expression longer than %d characters", contract.MaxFilter)
	}
	p := &parser{lx: lexer{src: src}}
	if err := p.advance(); err != nil {
		return nil, err
	}
	if p.tok.kind == tokEOF {
		return nil, errAt(p.tok.pos, "empty expression")
	}
	root, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if p.tok.kind != tokEOF {
		return nil, errAt(p.tok.pos, "unexpected %s", p.tok.describe())
	}
	return &Expr{root: root}, nil
}

// runeOffset is the byte offset of the n-th rune (0-based) of s.
func runeOffset(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}

type parser struct {
	lx  lexer
	tok token
}

func (p *parser) advance() error {
	t, err := p.lx.next()
	if err != nil {
		return err
	}
	p.tok = t
	return nil
}

func (p *parser) parseOr() (*node, error) {
	return p.parseJoined(kindOr, "OR", p.parseAnd)
}

func (p *parser) parseAnd() (*node, error) {
	return p.parseJoined(kindAnd, "AND", p.parseUnary)
}

// parseJoined parses operand { keyword operand }, flattening operands of the same kind so that
// a AND (b AND c) and (a AND b) AND c give the same tree.
func (p *parser) parseJoined(kind nodeKind, keyword string, operand func() (*node, error)) (*node, error) {
	first, err := operand()
	if err != nil {
		return nil, err
	}
	if !p.tok.isKeyword(keyword) {
		return first, nil
	}
	j := &node{kind: kind}
	j.adopt(first)
	for p.tok.isKeyword(keyword) {
		if err := p.advance(); err != nil {
			return nil, err
		}
		next, err := operand()
		if err != nil {
			return nil, err
		}
		j.adopt(next)
	}
	return j, nil
}

func (j *node) adopt(k *node) {
	if k.kind == j.kind {
		j.kids = append(j.kids, k.kids...)
		return
	}
	j.kids = append(j.kids, k)
}

func (p *parser) parseUnary() (*node, error) {
	if p.tok.kind != tokLParen {
		return p.parseCond()
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	n, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if p.tok.kind != tokRParen {
		return nil, errAt(p.tok.pos, `expected ")", got %s`, p.tok.describe())
	}
	return n, p.advance()
}

func (p *parser) parseCond() (*node, error) {
	if p.tok.kind != tokIdent {
		return nil, errAt(p.tok.pos, "expected attribute name, got %s", p.tok.describe())
	}
	a, ok := attrNames[p.tok.text]
	if !ok && isKeyword(p.tok) {
		return nil, errAt(p.tok.pos, "expected attribute name, got keyword %s", p.tok.text)
	}
	if !ok {
		return nil, errAt(p.tok.pos, "unknown attribute %q", p.tok.text)
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	n := &node{kind: kindCond, str: a.str, idx: a.idx}
	switch {
	case p.tok.kind == tokOp:
		return n, p.parseComparison(n)
	case p.tok.isKeyword("IN"):
		n.op = opIn
	case p.tok.isKeyword("NOT"):
		if err := p.advance(); err != nil {
			return nil, err
		}
		if !p.tok.isKeyword("IN") {
			return nil, errAt(p.tok.pos, `expected "IN" after "NOT", got %s`, p.tok.describe())
		}
		n.op = opNotIn
	default:
		return nil, errAt(p.tok.pos, "expected operator, got %s", p.tok.describe())
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	return n, p.parseList(n)
}

func (p *parser) parseComparison(n *node) error {
	kinds := allowedOps[p.tok.text]
	if !kinds[boolIndex(n.str)] {
		return errAt(p.tok.pos, "operator %s not allowed on %s attribute", p.tok.text, kindName(n.str))
	}
	n.op = opByText[p.tok.text]
	if err := p.advance(); err != nil {
		return err
	}
	return p.parseValue(n)
}

func (p *parser) parseList(n *node) error {
	if p.tok.kind != tokLParen {
		return errAt(p.tok.pos, `expected "(" after IN, got %s`, p.tok.describe())
	}
	for {
		if err := p.advance(); err != nil {
			return err
		}
		if err := p.parseValue(n); err != nil {
			return err
		}
		switch p.tok.kind {
		case tokComma:
			continue
		case tokRParen:
			return p.advance()
		}
		return errAt(p.tok.pos, `expected "," or ")" in list, got %s`, p.tok.describe())
	}
}

// parseValue appends the current literal to n, checking it has n's kind.
func (p *parser) parseValue(n *node) error {
	t := p.tok
	switch {
	case n.str && t.kind == tokString:
		n.strs = append(n.strs, t.text)
	case !n.str && t.kind == tokInt:
		v, err := strconv.ParseInt(t.text, 10, 32)
		if err != nil {
			return errAt(t.pos, "integer %s out of int32 range", t.text)
		}
		n.ints = append(n.ints, int32(v))
	case n.str:
		return errAt(t.pos, "expected double-quoted string, got %s", t.describe())
	default:
		return errAt(t.pos, "expected integer, got %s", t.describe())
	}
	return p.advance()
}

func isKeyword(t token) bool {
	return t.isKeyword("AND") || t.isKeyword("OR") || t.isKeyword("IN") || t.isKeyword("NOT")
}

func boolIndex(b bool) int {
	if b {
		return 1
	}
	return 0
}

func kindName(str bool) string {
	if str {
		return "string"
	}
	return "integer"
}
