package signature

import (
	"bufio"
	"errors"
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// FuzzVerify feeds random queries, bodies and headers to Verify: it must never panic, must
// always fail with an *Error carrying a 400/404 status, and must never put the secret in it.
func FuzzVerify(f *testing.F) {
	q, form := v1Base()
	q.Set("Signature", SignV1("POST", MergeParams(q, form), testSecret))
	f.Add("POST", q.Encode(), form.Encode(), "Content-Type: application/x-www-form-urlencoded\r\n")
	f.Add("POST", "a=1", "", "Authorization: ACS3-HMAC-SHA256 Credential=testAccessKeyId,SignedHeaders=host;x-acs-date,Signature=00\r\nX-Acs-Date: 2026-01-01T00:00:00Z\r\nX-Acs-Signature-Nonce: n\r\nX-Acs-Content-Sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\r\n")
	f.Add("GET", "Signature=&AccessKeyId=testAccessKeyId", "", "Authorization: acs x:y\r\n")
	f.Add("", "", "", "Authorization: ACS3-\r\n")
	f.Fuzz(func(t *testing.T, method, rawQuery, rawBody, rawHeaders string) {
		h := http.Header{}
		if mh, err := textproto.NewReader(bufio.NewReader(strings.NewReader(rawHeaders + "\r\n"))).ReadMIMEHeader(); err == nil {
			h = http.Header(mh)
		}
		query, _ := url.ParseQuery(rawQuery)
		form, _ := url.ParseQuery(rawBody)
		r := Request{Method: method, Path: "/", Query: ParamsOf(query), Form: ParamsOf(form), Header: h, Body: []byte(rawBody), Host: "127.0.0.1:1"}
		res, err := Verify(r, testCreds)
		if err == nil {
			// Only a correctly signed request passes; the fuzzer can reach that through the seed.
			if res.AccessKeyID != testAK || res.Nonce == "" {
				t.Fatalf("accepted with result %+v", res)
			}
			return
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("error %v is %T, want *Error", err, err)
		}
		if e.Status != 400 && e.Status != 404 || e.Code == "" || e.Message == "" {
			t.Fatalf("bad error %+v", e)
		}
		if strings.Contains(e.Error(), testSecret) {
			t.Fatalf("secret leaked: %v", e)
		}
	})
}

// FuzzStringToSignV1 holds the one-pass V1 canonicalisation (each byte encoded straight into its doubly
// encoded form) against the SDKs' way: enc(key)=enc(value) sorted and joined, then the whole canonical
// string encoded again (sdk-go-v1.md §2 steps 3-5), with enc the SDKs' QueryEscape and replacements.
func FuzzStringToSignV1(f *testing.F) {
	f.Add("POST", "Action", "UpdateImage", "StrAttr", "a b*c~d/é", "Signature", "x")
	f.Add("get", "", "", "k", "\x00\xff%", "K", "+&=")
	f.Fuzz(func(t *testing.T, method, k1, v1, k2, v2, k3, v3 string) {
		params := url.Values{}
		for _, kv := range [][2]string{{k1, v1}, {k2, v2}, {k3, v3}} {
			params.Add(kv[0], kv[1]) // a repeated key keeps its first value in both
		}
		if got, want := StringToSignV1(method, params), sdkStringToSignV1(method, params); got != want {
			t.Fatalf("StringToSignV1(%q, %q)\n got %q\nwant %q", method, params, got, want)
		}
		if got := percentEncode(v1); got != sdkEncode(v1) {
			t.Fatalf("percentEncode(%q) = %q, SDK gives %q", v1, got, sdkEncode(v1))
		}
	})
}

// sdkStringToSignV1 is the reference: the canonical string built, then encoded as a whole.
func sdkStringToSignV1(method string, params url.Values) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		if k != "Signature" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	pairs := make([]string, len(keys))
	for i, k := range keys {
		pairs[i] = sdkEncode(k) + "=" + sdkEncode(params.Get(k))
	}
	return strings.ToUpper(method) + "&" + sdkEncode("/") + "&" + sdkEncode(strings.Join(pairs, "&"))
}
