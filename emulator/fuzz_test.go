package emulator

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/signature"
)

// FuzzRequestDecoding sends random methods, paths, queries, headers and bodies through ServeHTTP, from
// loopback (so the admin routes are reachable too) and, when sign is set, with a valid V1 signature
// over the fuzzed parameters so the input reaches the operations. The emulator must never panic and
// never answer 5xx: faults are cleared before each request, so none can be pending.
func FuzzRequestDecoding(f *testing.F) {
	var tick atomic.Int64
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	// Each request moves the clock by an hour: the nonces of earlier ones expire and memory stays flat.
	now := func() time.Time { return base.Add(time.Duration(tick.Load()) * time.Hour) }
	srv, err := New(Options{Now: now, Credentials: []Credential{{ID: testKeyID, Secret: testSecret}},
		Instances: []Instance{{Name: testInstance, Unlimited: true}, {Name: "limited", Capacity: 100_000}}})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { srv.Close() })
	img := tinyPNG()
	for _, seed := range []struct {
		method, path, query, header, body string
		sign                              bool
	}{
		{"POST", "/", "Action=Detail", "", "InstanceName=" + testInstance, true},
		{"POST", "/", "Action=AddImage", "", "InstanceName=demoinstance&ProductId=p&PicName=n&PicContent=" + url.QueryEscape(img), true},
		{"POST", "/", "Action=UpdateImage&IntAttr3=5", "", "InstanceName=demoinstance&ProductId=p&PicName=n&StrAttr=x", true},
		{"POST", "/", "Action=SearchImageByPic&Num=5&Start=1", "", "InstanceName=demoinstance&Filter=int_attr%3E1&PicContent=" + url.QueryEscape(img), true},
		{"POST", "/", "Action=SearchImageByName", "", "InstanceName=demoinstance&ProductId=p&PicName=n&DistinctProductId=true", true},
		{"POST", "/", "Action=DeleteImage", "", "InstanceName=demoinstance&IsDeleteByFilter=true&Filter=str_attr%3D%22x%22", true},
		{"POST", "/", "Action=CheckImageExists", "", "InstanceName=limited&ProductId=p&PicName=n", true},
		{"GET", "/", "Action=Detail&Version=2020-12-14", "Authorization: ACS3-HMAC-SHA256 Credential=x", "", false},
		{"POST", "/_emulator/faults", "", "", `{"code":"InternalError"}`, false},
		{"POST", "/_emulator/reset", "instance=demoinstance", "", "", false},
		{"DELETE", "/_emulator/faults", "", "", "", false},
		{"PUT", "/x/y", "a=%zz", "Content-Type: text/plain", "\x00\xff", false},
		// The edges of ref §1.3 and §1.4: HEAD, GET of an operation, invalid UTF-8, a browser's reset.
		{"HEAD", "/", "Action=Detail", "", "", true},
		{"GET", "/", "Action=Detail&InstanceName=demoinstance", "", "", true},
		{"POST", "/", "Action=UpdateImage", "", "InstanceName=demoinstance&ProductId=p&PicName=n&StrAttr=ab%FF%FEcd", true},
		{"POST", "/_emulator/reset", "", "Origin: http://evil.example\nContent-Type: text/plain", "x", false},
		{"OPTIONS", "/", "", "Origin: http://evil.example", "", false},
	} {
		f.Add(seed.method, seed.path, seed.query, seed.header, seed.body, seed.sign)
	}
	f.Fuzz(func(t *testing.T, method, path, query, header, body string, sign bool) {
		req := fuzzRequest(method, path, query, header, body)
		if req == nil {
			return
		}
		if sign {
			signFuzzed(req, body, now())
		}
		srv.ClearFaults()
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		tick.Add(1)
		if rec.Code >= 500 {
			t.Fatalf("%s %s?%s (signed %v): %d %s", method, path, query, sign, rec.Code, rec.Body.Bytes())
		}
		if !strings.HasPrefix(req.URL.Path, adminPrefix) {
			checkEnvelope(t, req.Method, rec)
			if rec.Code < 300 && !allUTF8(req.URL.RawQuery, body) {
				t.Fatalf("accepted a parameter that is not UTF-8 (ref §1.3): %s?%s body %q: %d", path, req.URL.RawQuery, body, rec.Code)
			}
		}
	})
}

// allUTF8 reports whether every parameter name and value of the query and the form body is UTF-8
// once percent-decoded.
func allUTF8(query, body string) bool {
	for _, raw := range []string{query, body} {
		vals, _ := url.ParseQuery(raw) // what parses is what the emulator can see
		for k, vs := range vals {
			if !utf8.ValidString(k) || slices.ContainsFunc(vs, func(v string) bool { return !utf8.ValidString(v) }) {
				return false
			}
		}
	}
	return true
}

// checkEnvelope fails unless an API answer, whatever its status, carries the x-acs-request-id header and
// (but for HEAD, which has no body) is a JSON object with the same RequestId (ref §1.4).
func checkEnvelope(t *testing.T, method string, rec *httptest.ResponseRecorder) {
	t.Helper()
	id := rec.Header().Get("x-acs-request-id")
	if id == "" {
		t.Fatalf("API answer without x-acs-request-id: %d %s", rec.Code, rec.Body.Bytes())
	}
	if method == http.MethodHead {
		return
	}
	var body struct{ RequestId any }
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.RequestId != id {
		t.Fatalf("%d answer is not the envelope with RequestId %q: %s", rec.Code, id, rec.Body.Bytes())
	}
}

// tinyPNG is a uniform 100×100 PNG in Base64: a valid picture of about a hundred bytes, so the fuzzer
// can mutate and minimise inputs that carry one cheaply.
func tinyPNG() string {
	img := image.NewGray(image.Rect(0, 0, contract.MinPixels, contract.MinPixels))
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err)
	}
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}

// fuzzRequest builds a server-side request from fuzzed parts, or nil when net/http could never deliver
// such a request (an invalid method token or a path that is not absolute).
func fuzzRequest(method, path, query, header, body string) *http.Request {
	if method == "" || strings.ContainsFunc(method, func(r rune) bool { return r <= ' ' || r >= 0x7f || strings.ContainsRune(`()<>@,;:\"/[]?={}`, r) }) {
		return nil
	}
	if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, "?#\x00\r\n ") {
		return nil
	}
	req := &http.Request{
		Method: method, URL: &url.URL{Path: path, RawQuery: query}, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, Host: "127.0.0.1:8780",
		RemoteAddr: "127.0.0.1:40000", Body: http.NoBody, ContentLength: int64(len(body)),
	}
	if body != "" {
		req.Body = nopCloser{bytes.NewReader([]byte(body))}
	}
	for _, line := range strings.Split(header, "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && k != "" {
			req.Header.Add(strings.TrimSpace(k), strings.TrimSpace(v))
		}
	}
	return req
}

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }

// signFuzzed adds valid V1 signature parameters to the query, signing the fuzzed query and form.
func signFuzzed(req *http.Request, body string, now time.Time) {
	q, _ := url.ParseQuery(req.URL.RawQuery)
	var form url.Values
	if signature.IsForm(req.Header.Get("Content-Type")) && body != "" {
		var err error
		if form, err = url.ParseQuery(body); err != nil {
			return // the emulator answers BadRequest before looking at the signature
		}
	}
	for k, v := range v1Common("", testKeyID, now) {
		if !q.Has(k) {
			q[k] = v
		}
	}
	q.Del("Signature")
	q.Set("Signature", signature.SignV1(req.Method, signature.MergeParams(q, form), testSecret))
	req.URL.RawQuery = q.Encode()
	if q.Get("Action") == "" {
		req.Header.Set("x-acs-action", contract.OpDetail)
	}
}

// TestFuzzSigningReachesOperations checks that FuzzRequestDecoding's signing gets past the gateway, so
// the fuzzer explores the operations and not only signature rejections.
func TestFuzzSigningReachesOperations(t *testing.T) {
	now := time.Now()
	srv, err := New(Options{Now: func() time.Time { return now }, Credentials: []Credential{{ID: testKeyID, Secret: testSecret}},
		Instances: []Instance{{Name: testInstance, Unlimited: true}}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	for _, tc := range []struct{ query, body string }{
		{"Action=Detail", "InstanceName=" + testInstance},
		{"", "InstanceName=" + testInstance}, // Action from the x-acs-action header
		{"Action=AddImage", "InstanceName=demoinstance&ProductId=p&PicName=n&PicContent=" + url.QueryEscape(tinyPNG())},
	} {
		req := fuzzRequest("POST", "/", tc.query, "", tc.body)
		signFuzzed(req, tc.body, now)
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Errorf("%s: %d %s", tc.query, rec.Code, rec.Body.Bytes())
		}
	}
}
