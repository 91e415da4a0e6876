package signature

import (
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Scheme names reported in Result.Scheme.
const (
	SchemeV1 = "v1"
	SchemeV3 = "v3"
)

// Credentials looks up the secret of an AccessKeyId.
type Credentials interface {
	Secret(accessKeyID string) (secret string, ok bool)
}

// StaticCredentials is a fixed AccessKeyId → secret map.
type StaticCredentials map[string]string

// Secret implements Credentials.
func (c StaticCredentials) Secret(accessKeyID string) (string, bool) {
	s, ok := c[accessKeyID]
	return s, ok
}

// Request is the part of an HTTP request a signature covers. Query holds the URL query, Form
// the url-encoded body parameters (nil when the body is not a form), Body the raw body bytes
// (hashed by V3), Host the request host (used when Header has no Host entry, as with
// net/http server requests). Path is the URL path; RPC APIs use "/".
type Request struct {
	Method string
	Path   string
	Query  url.Values
	Form   url.Values
	Header http.Header
	Body   []byte
	Host   string

	params url.Values // Query and Form merged once, by RequestFromHTTP
}

// Params returns the parameters of r as a V1 signature covers them and as the API reads them: Query and
// Form merged by MergeParams. A Request from RequestFromHTTP merges once; the caller must not modify the
// result.
func (r Request) Params() url.Values {
	if r.params != nil {
		return r.params
	}
	return MergeParams(r.Query, r.Form)
}

// Result describes an accepted request. Nonce and Timestamp feed ReplayGuard.Check.
type Result struct {
	AccessKeyID string
	Scheme      string // SchemeV1 or SchemeV3
	Nonce       string
	Timestamp   time.Time
}

// Verify checks the signature of r and returns who signed it. A request with an Authorization
// header starting "ACS3-" is checked as V3; any other request as V1 (Signature and friends in
// the query or form). Every rejection is an *Error carrying a gateway code; secrets never appear
// in it. Verify does not check clock skew or nonce reuse: pass the Result to ReplayGuard.Check.
func Verify(r Request, creds Credentials) (Result, error) {
	auth := strings.TrimSpace(r.Header.Get(headerAuthorization))
	switch {
	case strings.HasPrefix(auth, "ACS3-"):
		return verifyV3(r, auth, creds)
	case auth != "" && !hasV1Signature(r):
		// e.g. the ROA "acs AK:sig" header scheme, which 2020-12-14 (RPC) does not use.
		return Result{}, incomplete("unsupported Authorization scheme")
	default:
		return verifyV1(r, creds)
	}
}

func hasV1Signature(r Request) bool {
	return r.Params().Has(paramSignature)
}

// RequestFromHTTP builds a Request from a server-side *http.Request whose body has already been
// read into body: the one decoder of a request's parameters. The form is parsed from body when the
// Content-Type is application/x-www-form-urlencoded (IsForm); a malformed form is returned as an
// IncompleteSignature error because its parameters cannot be canonicalised. Query and form are merged
// once, for Params.
func RequestFromHTTP(r *http.Request, body []byte) (Request, error) {
	out := Request{Method: r.Method, Header: r.Header, Body: body, Host: r.Host}
	if r.URL != nil {
		out.Path = r.URL.Path
		out.Query, _ = parseQuery(r.URL.RawQuery) // as r.URL.Query(), which drops malformed pairs
	}
	if len(body) > 0 && IsForm(r.Header.Get("Content-Type")) {
		form, err := parseQuery(string(body))
		if err != nil {
			return out, incomplete("malformed form body")
		}
		out.Form = form
	}
	switch { // merge only when both hold parameters: a V3 request has none in its query
	case len(out.Form) == 0 && out.Query != nil:
		out.params = out.Query
	case len(out.Query) == 0 && out.Form != nil:
		out.params = out.Form
	default:
		out.params = MergeParams(out.Query, out.Form)
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
