package signature

import (
	"mime"
	"net/http"
	"sync"
	"unsafe"
)

// RequestFromHTTP builds a Request from a server-side *http.Request whose body has already been
// read into body: the one decoder of a request's parameters. The form is parsed from body when the
// Content-Type is application/x-www-form-urlencoded (IsForm); a malformed form is returned as an
// IncompleteSignature error because its parameters cannot be canonicalised. Query and form are merged
// once, for Params. Every pair of the three lives in one array, which Release hands back for reuse, and the
// form's names and values are copies, so body may change afterwards.
func RequestFromHTTP(r *http.Request, body []byte) (Request, error) {
	out := Request{Method: r.Method, Header: r.Header, Body: body, Host: r.Host}
	var query string
	if r.URL != nil {
		out.Path, query = r.URL.Path, r.URL.RawQuery
	}
	// The body is read through a string view, without a copy: appendPairs copies every name and value
	// it takes from it (copyAll), so none of them refers to body.
	form := ""
	if len(body) > 0 && IsForm(r.Header.Get("Content-Type")) {
		form = unsafe.String(unsafe.SliceData(body), len(body))
	}
	n := countPairs(query)
	if form != "" {
		n += countPairs(form)
		n *= 2 // room for the merged set
	}
	d := decoder{reserve: len(query) + len(form)}
	out.pairs = newPairs(n)
	all, _ := d.appendPairs(*out.pairs, query, false) // as r.URL.Query(), which drops malformed pairs
	sortParams(all)
	out.Query = all[:len(all):len(all)] // full: an append to it copies
	out.params, out.decoded = out.Query, true
	if form == "" {
		out.ascii = !d.nonASCII
		return out, nil
	}
	all, err := d.appendPairs(all, form, true)
	out.ascii = !d.nonASCII
	if err != nil {
		return out, incomplete("malformed form body")
	}
	f := all[len(out.Query):]
	sortParams(f)
	out.Form = f[:len(f):len(f)]
	switch { // merge only when both hold parameters: a V3 request has none in its query
	case len(out.Query) == 0:
		out.params = out.Form
	case len(out.Form) > 0:
		out.params = mergeParams(all[len(all):], out.Query, out.Form)
	}
	return out, nil
}

// IsForm reports whether a Content-Type is application/x-www-form-urlencoded, the body type of every
// RPC request (ref §1.3), parameters included.
func IsForm(contentType string) bool {
	if contentType == formType { // the SDKs' exact header: skip the MIME parser
		return true
	}
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == formType
}

const formType = "application/x-www-form-urlencoded"

// pairsPool holds the pair arrays of released requests: one array of a few dozen pairs per request
// otherwise, which the collector then has to scan.
var pairsPool sync.Pool // of *Params

// maxPooledPairs bounds the arrays kept for reuse; a request with more parameters is rare.
const maxPooledPairs = 256

// newPairs returns an empty array with room for n pairs, reused when the pool has one.
func newPairs(n int) *Params {
	if p, _ := pairsPool.Get().(*Params); p != nil && cap(*p) >= n {
		return p
	}
	p := make(Params, 0, max(n, 64))
	return &p
}

// Release hands the parameter storage of a decoded request back for reuse by a later RequestFromHTTP.
// Neither r's Query, Form and Params nor any Params taken from them may be used afterwards; the names
// and values, which are strings, stay valid. Release of a request not from RequestFromHTTP does nothing.
func (r *Request) Release() {
	p := r.pairs
	if p == nil {
		return
	}
	r.Query, r.Form, r.params, r.pairs = nil, nil, nil, nil
	if cap(*p) > maxPooledPairs {
		return
	}
	all := (*p)[:cap(*p)]
	clear(all) // an old pair would keep its text alive, a picture's included
	*p = all[:0]
	pairsPool.Put(p)
}
