package signature

import (
	"net/url"
	"slices"
	"strings"
)

// Param is one decoded name=value pair of a query or form.
type Param struct {
	Name, Value string
}

// Params is a request's parameters sorted by name in byte order, the order a V1 signature covers them in
// (sdk-go-v1.md §2 step 3); the values of a repeated name keep the order they were sent in. Get, Lookup
// and Has read it as url.Values does: a name's first value counts. A sorted slice instead of a map is what
// makes decoding a request cheap: one array, reused from request to request, holds every pair, and signing
// needs no sort.
type Params []Param

// ParamsOf returns v as Params. A name with no values becomes one empty value, which is how url.Values.Get
// and the string to sign treat it.
func ParamsOf(v url.Values) Params {
	n := 0
	for _, vs := range v {
		n += max(len(vs), 1)
	}
	p := make(Params, 0, n)
	for k, vs := range v {
		if len(vs) == 0 {
			p = append(p, Param{k, ""})
		}
		for _, s := range vs {
			p = append(p, Param{k, s})
		}
	}
	sortParams(p)
	return p
}

// Values returns p as url.Values, a fresh map.
func (p Params) Values() url.Values {
	v := make(url.Values, len(p))
	for _, kv := range p {
		v[kv.Name] = append(v[kv.Name], kv.Value)
	}
	return v
}

// Lookup returns the first value of name and whether name was sent at all.
func (p Params) Lookup(name string) (string, bool) {
	if len(p) <= 32 && name != "" { // a request's 10 to 25: a scan beats a binary search
		first := name[0]
		for i := range p {
			n := p[i].Name
			if n == name {
				return p[i].Value, true
			}
			if n != "" && n[0] > first { // sorted: name is not further on
				break
			}
		}
		return "", false
	}
	if i := p.search(name); i < len(p) && p[i].Name == name {
		return p[i].Value, true
	}
	return "", false
}

// Get returns the first value of name, or "" when it was not sent.
func (p Params) Get(name string) string {
	v, _ := p.Lookup(name)
	return v
}

// Has reports whether name was sent, with any value (an empty one counts, ref §1.3).
func (p Params) Has(name string) bool {
	_, ok := p.Lookup(name)
	return ok
}

// search returns the index of the first pair whose name is not less than name.
func (p Params) search(name string) int {
	lo, hi := 0, len(p)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if p[m].Name < name {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// mergeParams appends to dst the parameter set a V1 signature covers, as MergeParams does for url.Values:
// every pair of form, and the pairs of query whose name form does not have. Both inputs are sorted, so one
// merging pass keeps the result sorted.
func mergeParams(dst, query, form Params) Params {
	i, j := 0, 0
	for i < len(query) && j < len(form) {
		switch c := compareNames(query[i].Name, form[j].Name); {
		case c < 0:
			dst = append(dst, query[i])
			i++
		case c > 0:
			dst = append(dst, form[j])
			j++
		default: // the form's values of this name replace the query's
			name := form[j].Name
			for i < len(query) && query[i].Name == name {
				i++
			}
		}
	}
	dst = append(dst, query[i:]...)
	return append(dst, form[j:]...)
}

// compareNames is strings.Compare, settled on the first byte where that differs, without a call.
func compareNames(a, b string) int {
	if a != "" && b != "" && a[0] != b[0] {
		return int(a[0]) - int(b[0])
	}
	return strings.Compare(a, b)
}

// sortParams sorts p by name, keeping the order of a name's values. The names of one request mostly differ
// in their first byte, so an insertion sort that compares first bytes before whole strings is several times
// faster than a general sort on the 10 to 25 names of a request; a longer list goes to slices.SortStableFunc.
func sortParams(p Params) {
	if len(p) > 32 {
		slices.SortStableFunc(p, func(a, b Param) int { return strings.Compare(a.Name, b.Name) })
		return
	}
	for i := 1; i < len(p); i++ {
		kv, j := p[i], i
		for ; j > 0 && keyLess(kv.Name, p[j-1].Name); j-- {
			p[j] = p[j-1]
		}
		p[j] = kv
	}
}
