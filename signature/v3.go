package signature

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"sort"
	"strings"
	"time"
)

// AlgorithmV3 is the V3 signature algorithm the gateway and the Tea SDKs use.
const AlgorithmV3 = "ACS3-HMAC-SHA256"

// V3 header names, lower case as they are signed; Authorization, which is not signed, in its canonical
// form, which http.Header.Get looks up without allocating a canonical copy.
const (
	headerAuthorization = "Authorization"
	headerDate          = "x-acs-date"
	headerNonce         = "x-acs-signature-nonce"
	headerContentSHA256 = "x-acs-content-sha256"
	headerHost          = "host"
	headerContentType   = "content-type"
	acsHeaderPrefix     = "x-acs-"
)

// CanonicalRequestV3 builds the V3 canonical request of r over the given signed header names:
//
//	METHOD \n canonicalURI \n canonicalQuery \n canonicalHeaders \n signedHeaders \n hex(sha256(body))
//
// canonicalURI is r.Path ("/" when empty) with each segment percent-encoded. canonicalQuery is
// r.Query sorted by key (then value), each key and value percent-encoded, k=v joined by &, an
// empty value written "k=". canonicalHeaders has one "name:value\n" line per signed header,
// name lower-cased, value trimmed; several values of one header are trimmed, sorted and joined by
// ",", as openapi-util's getCanonicalHeaders does. The host header falls back to r.Host.
// signedHeaders is expected lower-case and sorted, as normaliseSignedHeaders returns it.
//
// Difference from the Tea SDK: it writes query keys without encoding them. For the keys an RPC
// API uses (letters, digits, '.', '_', '-') both give the same bytes; this follows the
// documented rule that keys are encoded too.
func CanonicalRequestV3(r Request, signedHeaders []string) string {
	var b strings.Builder
	b.WriteString(strings.ToUpper(r.Method))
	b.WriteByte('\n')
	b.WriteString(canonicalURI(r.Path))
	b.WriteByte('\n')
	b.WriteString(canonicalQueryV3(r.Query))
	b.WriteByte('\n')
	for _, name := range signedHeaders {
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(canonicalHeaderValue(r, name))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(strings.Join(signedHeaders, ";"))
	b.WriteByte('\n')
	b.WriteString(hexSHA256(r.Body))
	return b.String()
}

// StringToSignV3 is "ACS3-HMAC-SHA256\n" + hex(sha256(canonicalRequest)).
func StringToSignV3(canonicalRequest string) string {
	sum := sha256.Sum256([]byte(canonicalRequest))
	return AlgorithmV3 + "\n" + hex.EncodeToString(sum[:])
}

// SignatureV3 is hex(HMAC-SHA256(secret, stringToSign)).
func SignatureV3(secret, stringToSign string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(stringToSign))
	return hex.EncodeToString(m.Sum(nil))
}

func canonicalURI(path string) string {
	if path == "" {
		return "/"
	}
	segs := strings.Split(path, "/")
	for i, s := range segs {
		segs[i] = percentEncode(s)
	}
	return strings.Join(segs, "/")
}

func canonicalQueryV3(q Params) string {
	var b strings.Builder
	for i := 0; i < len(q); {
		j := i + 1 // q[i:j] are the values of one name, sorted for the canonical form
		for j < len(q) && q[j].Name == q[i].Name {
			j++
		}
		vals := make([]string, 0, j-i)
		for _, kv := range q[i:j] {
			vals = append(vals, kv.Value)
		}
		sort.Strings(vals)
		for _, v := range vals {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(percentEncode(q[i].Name))
			b.WriteByte('=')
			b.WriteString(percentEncode(v))
		}
		i = j
	}
	return b.String()
}

func canonicalHeaderValue(r Request, name string) string {
	vals := r.Header.Values(name)
	if len(vals) == 0 && name == headerHost && r.Host != "" {
		vals = []string{r.Host}
	}
	trimmed := make([]string, len(vals))
	for i, v := range vals {
		trimmed[i] = strings.TrimSpace(v)
	}
	sort.Strings(trimmed)
	return strings.Join(trimmed, ",")
}

// SignV3 signs req with ACS3-HMAC-SHA256 the way the Tea SDK does: it sets x-acs-date (now, UTC),
// x-acs-signature-nonce, x-acs-content-sha256 (hex SHA-256 of body) and Authorization, signing
// host, content-type (when set) and every x-acs-* header present. Set x-acs-action,
// x-acs-version and Content-Type before calling. body must be the exact bytes sent; SignV3 does
// not touch req.Body.
func SignV3(req *http.Request, body []byte, accessKeyID, secret string, now time.Time, nonce string) error {
	if req.URL == nil {
		return errors.New("signature: request has no URL")
	}
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	if host == "" {
		return errors.New("signature: request has no host")
	}
	if accessKeyID == "" || nonce == "" {
		return errors.New("signature: access key id and nonce must not be empty")
	}
	if req.Header == nil {
		req.Header = http.Header{}
	}
	req.Header.Set(headerDate, now.UTC().Format(TimestampLayout))
	req.Header.Set(headerNonce, nonce)
	req.Header.Set(headerContentSHA256, hexSHA256(body))
	req.Header.Del(headerAuthorization)
	r := Request{Method: req.Method, Path: req.URL.Path, Query: ParamsOf(req.URL.Query()), Header: req.Header, Body: body, Host: host}
	if r.Method == "" {
		r.Method = http.MethodGet
	}
	signed := headersToSign(req.Header)
	sts := StringToSignV3(CanonicalRequestV3(r, signed))
	req.Header.Set(headerAuthorization, AlgorithmV3+" Credential="+accessKeyID+
		",SignedHeaders="+strings.Join(signed, ";")+",Signature="+SignatureV3(secret, sts))
	return nil
}

// headersToSign lists, lower-cased and sorted, the headers the V3 rules require to be signed:
// host (always), content-type and every x-acs-* header present.
func headersToSign(h http.Header) []string {
	names := []string{headerHost}
	for k := range h {
		lk := strings.ToLower(k)
		if lk == headerContentType || strings.HasPrefix(lk, acsHeaderPrefix) {
			names = append(names, lk)
		}
	}
	return normaliseSignedHeaders(names)
}

// normaliseSignedHeaders lower-cases, sorts and de-duplicates header names.
func normaliseSignedHeaders(names []string) []string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		out = append(out, strings.ToLower(strings.TrimSpace(n)))
	}
	sort.Strings(out)
	w := 0
	for i, n := range out {
		if n == "" || i > 0 && n == out[i-1] {
			continue
		}
		out[w] = n
		w++
	}
	return out[:w]
}
