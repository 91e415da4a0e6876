package signature

import (
	"net/http"
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
// the url-encoded body parameters (nil when the body is not a form), both sorted as Params are (build
// them with ParamsOf), Body the raw body bytes (hashed by V3), Host the request host (used when Header
// has no Host entry, as with net/http server requests). Path is the URL path; RPC APIs use "/".
type Request struct {
	Method string
	Path   string
	Query  Params
	Form   Params
	Header http.Header
	Body   []byte
	Host   string

	params  Params  // Query and Form merged once, by RequestFromHTTP
	decoded bool    // made by RequestFromHTTP, whose decoder saw whether every byte is ASCII
	ascii   bool    // what it saw
	pairs   *Params // the array of every pair of a decoded request, for Release
}

// Params returns the parameters of r as a V1 signature covers them and as the API reads them: Query and
// Form merged as MergeParams merges them, the form winning. A Request from RequestFromHTTP merges once;
// the caller must not modify the result.
func (r Request) Params() Params {
	switch {
	case r.params != nil:
		return r.params
	case len(r.Form) == 0:
		return r.Query
	case len(r.Query) == 0:
		return r.Form
	}
	return mergeParams(make(Params, 0, len(r.Query)+len(r.Form)), r.Query, r.Form)
}

// ASCII reports whether every name and value of r's parameters is ASCII, and so valid UTF-8, the
// charset of every request (ref §1.3). A decoded request answers from what the decoder saw, without
// another pass; the bytes of a malformed pair that it dropped count too.
func (r Request) ASCII() bool {
	if r.decoded {
		return r.ascii
	}
	for _, kv := range r.Params() {
		if !isASCII(kv.Name) || !isASCII(kv.Value) {
			return false
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
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
