package filter

import "strings"

type tokenKind uint8

const (
	tokEOF tokenKind = iota
	tokIdent
	tokInt
	tokString
	tokOp
	tokLParen
	tokRParen
	tokComma
)

// token is one lexeme. text is the identifier, operator or integer text, or the unescaped
// string value; pos is its byte offset.
type token struct {
	kind tokenKind
	text string
	pos  int
}

func (t token) describe() string {
	switch t.kind {
	case tokEOF:
		return "end of input"
	case tokString:
		return "string"
	case tokLParen:
		return `"("`
	case tokRParen:
		return `")"`
	case tokComma:
		return `","`
	}
	return `"` + t.text + `"`
}

// isKeyword reports whether t is the keyword kw (given in upper case), in any letter case.
func (t token) isKeyword(kw string) bool {
	return t.kind == tokIdent && strings.EqualFold(t.text, kw)
}

type lexer struct {
	src string
	pos int
}

func (l *lexer) next() (token, error) {
	for l.pos < len(l.src) && isSpace(l.src[l.pos]) {
		l.pos++
	}
	start := l.pos
	if l.pos >= len(l.src) {
		return token{kind: tokEOF, pos: start}, nil
	}
	c := l.src[l.pos]
	switch {
	case c == '(':
		l.pos++
		return token{kind: tokLParen, pos: start}, nil
	case c == ')':
		l.pos++
		return token{kind: tokRParen, pos: start}, nil
	case c == ',':
		l.pos++
		return token{kind: tokComma, pos: start}, nil
	case c == '"':
		return l.lexString()
	case c == '-' || isDigit(c):
		return l.lexInt()
	case isIdentStart(c):
		for l.pos < len(l.src) && isIdentPart(l.src[l.pos]) {
			l.pos++
		}
		return token{kind: tokIdent, text: l.src[start:l.pos], pos: start}, nil
	case c == '>' || c == '<' || c == '=' || c == '!':
		return l.lexOp()
	}
	return token{}, errAt(start, "unexpected character %q", rune(c))
}

func (l *lexer) lexOp() (token, error) {
	start := l.pos
	c := l.src[l.pos]
	l.pos++
	if (c == '>' || c == '<' || c == '!') && l.pos < len(l.src) && l.src[l.pos] == '=' {
		l.pos++
	}
	op := l.src[start:l.pos]
	if op == "!" {
		return token{}, errAt(start, `unexpected character '!' (did you mean "!="?)`)
	}
	return token{kind: tokOp, text: op, pos: start}, nil
}

func (l *lexer) lexInt() (token, error) {
	start := l.pos
	if l.src[l.pos] == '-' {
		l.pos++
	}
	digits := l.pos
	for l.pos < len(l.src) && isDigit(l.src[l.pos]) {
		l.pos++
	}
	if l.pos == digits {
		return token{}, errAt(start, "expected digits after '-'")
	}
	if l.pos < len(l.src) && isIdentPart(l.src[l.pos]) {
		return token{}, errAt(start, "malformed integer")
	}
	return token{kind: tokInt, text: l.src[start:l.pos], pos: start}, nil
}

// lexString reads a double-quoted string; only \" and \\ are escapes.
func (l *lexer) lexString() (token, error) {
	start := l.pos
	l.pos++ // opening quote
	var b strings.Builder
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch c {
		case '"':
			l.pos++
			return token{kind: tokString, text: b.String(), pos: start}, nil
		case '\\':
			if l.pos+1 >= len(l.src) || (l.src[l.pos+1] != '"' && l.src[l.pos+1] != '\\') {
				return token{}, errAt(l.pos, `invalid escape (only \" and \\ are allowed)`)
			}
			b.WriteByte(l.src[l.pos+1])
			l.pos += 2
		default:
			b.WriteByte(c)
			l.pos++
		}
	}
	return token{}, errAt(start, "unterminated string")
}

func isSpace(c byte) bool      { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
func isDigit(c byte) bool      { return '0' <= c && c <= '9' }
func isIdentStart(c byte) bool { return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isIdentPart(c byte) bool  { return isIdentStart(c) || isDigit(c) }
