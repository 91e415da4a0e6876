package signature

import (
	"errors"
	"net/url"
	"strings"
)

// maxFastParams bounds the parameters a decoder parses itself; a longer query goes to url.ParseQuery,
// which applies the standard library's own limit on parameters.
const maxFastParams = 1000

// decoder parses queries and forms into Params as url.ParseQuery does (the same pairs, values and first
// error), with one allocation for all the text it makes: the unescaped names and values, and, for a body,
// every name and value, go into one arena. A name or value of a query that needs no unescaping is a
// substring of the query itself. Parsing is most of the cost of a request without a picture.
type decoder struct {
	arena    strings.Builder
	reserve  int  // the arena's capacity, taken at its first use: a bound of the bytes it will hold
	nonASCII bool // some byte read, or unescaped, is over 0x7F
}

// countPairs bounds the pairs of raw, capped at maxFastParams+1: one more than its '&'.
func countPairs(raw string) int {
	return min(strings.Count(raw, "&")+1, maxFastParams+1)
}

// appendPairs appends the pairs of raw to p in the order sent and returns url.ParseQuery's error for raw.
// With copyAll every name and value is copied, so that none refers to raw.
func (d *decoder) appendPairs(p Params, raw string, copyAll bool) (Params, error) {
	if countPairs(raw) > maxFastParams {
		if copyAll {
			raw = strings.Clone(raw)
		}
		v, err := url.ParseQuery(raw)
		d.nonASCII = true // not looked for on this path: the caller checks the values themselves
		return append(p, ParamsOf(v)...), err
	}
	var err error
	for raw != "" {
		end, eq, found := scanPair(raw)
		d.nonASCII = d.nonASCII || found&foundNonASCII != 0
		pair := raw[:end]
		raw = raw[min(end+1, len(raw)):]
		if found&foundSemicolon != 0 {
			err = errSemicolon
			continue
		}
		if pair == "" {
			continue
		}
		name, value := pair, ""
		if eq >= 0 {
			name, value = pair[:eq], pair[eq+1:]
		}
		var err1 error
		if esc := found&foundEscName != 0; esc || copyAll {
			name, err1 = d.unescape(name, esc)
		}
		if esc := found&foundEscValue != 0; err1 == nil && (esc || copyAll) {
			value, err1 = d.unescape(value, esc)
		}
		if err1 != nil {
			if err == nil {
				err = err1
			}
			continue
		}
		p = append(p, Param{name, value})
	}
	return p, err
}

// What scanPair found in a pair.
const (
	foundSemicolon = 1 << iota
	foundEscName   // a '%' or '+' before the first '='
	foundEscValue  // one after it
	foundNonASCII  // a byte over 0x7F
)

// scanPair finds, in one pass, the end of raw's first pair (its '&' or the end of raw), its first '='
// (-1 without one) and what else it holds. It is a leaf of its own so that the loop keeps its state in
// registers.
func scanPair(raw string) (end, eq int, found uint8) {
	eq = -1
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if !special[c] {
			continue
		}
		switch {
		case c == '&':
			return i, eq, found
		case c == '=':
			if eq < 0 {
				eq = i
			}
		case c == ';':
			found |= foundSemicolon
		case c >= 0x80:
			found |= foundNonASCII
		case eq < 0: // '%' or '+'
			found |= foundEscName
		default:
			found |= foundEscValue
		}
	}
	return len(raw), eq, found
}

// special marks the bytes appendPairs stops at: the separators, the starts of escapes, and the bytes over
// 0x7F.
var special = func() (t [256]bool) {
	for _, c := range []byte("&=;%+") {
		t[c] = true
	}
	for c := 0x80; c < 0x100; c++ {
		t[c] = true
	}
	return t
}()

// unescape is url.QueryUnescape: %XX is the byte XX and '+' a space, and a malformed escape is an
// url.EscapeError. The result is written into the arena; without esc, s holds no escape and is copied.
func (d *decoder) unescape(s string, esc bool) (string, error) {
	if s == "" {
		return "", nil
	}
	b := &d.arena
	if b.Cap() == 0 {
		b.Grow(max(d.reserve, len(s)))
	}
	start, run := b.Len(), 0
	if !esc {
		b.WriteString(s)
		return b.String()[start:], nil
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '+':
			b.WriteString(s[run:i])
			b.WriteByte(' ')
			run = i + 1
		case '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return "", url.EscapeError(strings.Clone(s[i:min(i+3, len(s))]))
			}
			c := unhex(s[i+1])<<4 | unhex(s[i+2])
			d.nonASCII = d.nonASCII || c >= 0x80
			b.WriteString(s[run:i])
			b.WriteByte(c)
			i += 2
			run = i + 1
		}
	}
	b.WriteString(s[run:])
	return b.String()[start:], nil // the arena only grows: what it held stays as it was
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// errSemicolon is url.ParseQuery's error for a ';' in a pair.
var errSemicolon = errors.New("invalid semicolon separator in query")
