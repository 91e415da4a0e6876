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
		return append(p, ParamsOf(v)...), err
	}
	var err error
	for raw != "" {
		// One pass over the pair finds its end, its first '=', any ';' and whether its name or value has
		// anything to unescape.
		end, eq, semi, escName, escValue := len(raw), -1, false, false, false
	scan:
		for i := 0; i < len(raw); i++ {
			c := raw[i]
			if !special[c] {
				continue
			}
			switch c {
			case '&':
				end = i
				break scan
			case '=':
				if eq < 0 {
					eq = i
				}
			case ';':
				semi = true
			case '%', '+':
				escName, escValue = escName || eq < 0, escValue || eq >= 0
			default:
				d.nonASCII = true
			}
		}
		pair := raw[:end]
		raw = raw[min(end+1, len(raw)):]
		if semi {
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
		if escName || copyAll {
			name, err1 = d.unescape(name)
		}
		if err1 == nil && (escValue || copyAll) {
			value, err1 = d.unescape(value)
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
// url.EscapeError. The result is written into the arena.
func (d *decoder) unescape(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	b := &d.arena
	if b.Cap() == 0 {
		b.Grow(max(d.reserve, len(s)))
	}
	start, run := b.Len(), 0
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
