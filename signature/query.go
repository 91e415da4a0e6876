package signature

import (
	"errors"
	"net/url"
	"strings"
)

// maxFastParams bounds the parameters parseQuery parses itself; a longer query goes to url.ParseQuery,
// which applies the standard library's own limit on parameters.
const maxFastParams = 1000

// parseQuery is url.ParseQuery (the same pairs, values and first error) with two allocations for the
// whole query instead of several per parameter: the map is sized from the count of '&', and every value
// slice is a one-element window of one backing array. Parsing is most of the cost of a request without
// a picture.
func parseQuery(query string) (url.Values, error) {
	n := strings.Count(query, "&") + 1
	if n > maxFastParams {
		return url.ParseQuery(query)
	}
	m := make(url.Values, n)
	backing := make([]string, 0, n)
	var err error
	for query != "" {
		var pair string
		pair, query, _ = strings.Cut(query, "&")
		if strings.Contains(pair, ";") {
			err = errSemicolon
			continue
		}
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		key, err1 := url.QueryUnescape(k)
		if err1 == nil {
			v, err1 = url.QueryUnescape(v)
		}
		if err1 != nil {
			if err == nil {
				err = err1
			}
			continue
		}
		if vs, ok := m[key]; ok {
			m[key] = append(vs, v)
			continue
		}
		backing = append(backing, v)
		m[key] = backing[len(backing)-1 : len(backing) : len(backing)] // full: an append elsewhere copies
	}
	return m, err
}

// errSemicolon is url.ParseQuery's error for a ';' in a pair.
var errSemicolon = errors.New("invalid semicolon separator in query")
