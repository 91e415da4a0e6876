package signature

import (
	"crypto/hmac"
	"slices"
	"strings"
	"time"
)

// authV3 is a parsed "ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=a;b,Signature=hex" header.
type authV3 struct {
	algorithm, credential, signature string
	signedHeaders                    []string
}

func parseAuthorizationV3(h string) (authV3, *Error) {
	alg, rest, _ := strings.Cut(strings.TrimSpace(h), " ")
	a := authV3{algorithm: alg}
	if alg != AlgorithmV3 {
		return a, invalidSignatureMethod("algorithm " + quoteShort(alg))
	}
	var signed string
	var haveSigned bool
	for _, part := range strings.Split(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			continue
		}
		switch k {
		case "Credential":
			a.credential = v
		case "SignedHeaders":
			signed, haveSigned = v, true
		case "Signature":
			a.signature = v
		}
	}
	switch {
	case a.credential == "":
		return a, incomplete("Authorization has no Credential")
	case !haveSigned || signed == "":
		return a, incomplete("Authorization has no SignedHeaders")
	case a.signature == "":
		return a, incomplete("Authorization has no Signature")
	}
	a.signedHeaders = normaliseSignedHeaders(strings.Split(signed, ";"))
	return a, nil
}

// checkSignedHeaderSet enforces the documented rule that host, content-type and every x-acs-*
// header present must be signed; otherwise a header such as x-acs-action (which names the API
// in V3) could be swapped without breaking the signature.
func checkSignedHeaderSet(r Request, signed []string) *Error {
	if !slices.Contains(signed, headerHost) {
		return incomplete("host is not a signed header")
	}
	if r.Host == "" && len(r.Header.Values(headerHost)) == 0 {
		return incomplete("request has no host")
	}
	for k := range r.Header {
		lk := strings.ToLower(k)
		if lk != headerContentType && lk != headerHost && !strings.HasPrefix(lk, acsHeaderPrefix) {
			continue
		}
		if !slices.Contains(signed, lk) {
			return incomplete("header " + lk + " is present but not signed")
		}
	}
	return nil
}

// verifyV3 checks an ACS3-HMAC-SHA256 request. Order of checks: Authorization shape and
// algorithm, required x-acs-* headers, signed-header set, date format, access key, body hash,
// signature value.
func verifyV3(r Request, auth string, creds Credentials) (Result, error) {
	a, err := parseAuthorizationV3(auth)
	if err != nil {
		return Result{}, err
	}
	date, nonce, bodyHash := r.Header.Get(headerDate), r.Header.Get(headerNonce), r.Header.Get(headerContentSHA256)
	for _, req := range []struct{ name, value string }{
		{headerDate, date}, {headerNonce, nonce}, {headerContentSHA256, bodyHash},
	} {
		if strings.TrimSpace(req.value) == "" {
			return Result{}, incomplete("missing header " + req.name)
		}
	}
	if err := checkSignedHeaderSet(r, a.signedHeaders); err != nil {
		return Result{}, err
	}
	ts, terr := parseTimestamp(strings.TrimSpace(date))
	if terr != nil {
		return Result{}, terr
	}
	secret, ok := creds.Secret(a.credential)
	if !ok {
		return Result{}, accessKeyNotFound()
	}
	sts := StringToSignV3(CanonicalRequestV3(r, a.signedHeaders))
	if !strings.EqualFold(strings.TrimSpace(bodyHash), hexSHA256(r.Body)) {
		return Result{}, signatureMismatch(sts, "x-acs-content-sha256 differs from the body hash")
	}
	want := SignatureV3(secret, sts)
	if !hmac.Equal([]byte(want), []byte(strings.ToLower(a.signature))) {
		return Result{}, signatureMismatch(sts, "v3 signature differs")
	}
	return Result{AccessKeyID: a.credential, Scheme: SchemeV3, Nonce: strings.TrimSpace(nonce), Timestamp: ts.In(time.UTC)}, nil
}
