package signature

import (
	"bufio"
	"errors"
	"net/http"
	"net/textproto"
	"net/url"
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
		r := Request{Method: method, Path: "/", Query: query, Form: form, Header: h, Body: []byte(rawBody), Host: "127.0.0.1:1"}
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
