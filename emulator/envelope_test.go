package emulator

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/imagesearch-conformance/conformance/contract"
)

// TestEveryStatusIsTheEnvelope checks that every error status the emulator answers, the gateway's and the
// admin routes' included, carries the flat error envelope with a RequestId (ref §1.4), and that a HEAD
// answer carries the status and headers of one without a body.
func TestEveryStatusIsTheEnvelope(t *testing.T) {
	e := startEnv(t, Options{})
	signed := func(r *rawReq, action string) *http.Request {
		signV1(r, action, testKeyID, testSecret, time.Now())
		return r.build(e.srv.URL())
	}
	faulted := func(f contract.Error) func() *http.Request {
		return func() *http.Request {
			if err := e.srv.InjectFault(Fault{Action: contract.OpDetail, Code: f.Code, Status: f.Status}); err != nil {
				t.Fatal(err)
			}
			return signed(&rawReq{Query: form("InstanceName", testInstance)}, contract.OpDetail)
		}
	}
	admin := func(method, path string, h ...string) func() *http.Request {
		return func() *http.Request {
			r := &rawReq{Method: method, Path: path, Header: http.Header{}}
			for i := 0; i+1 < len(h); i += 2 {
				r.Header.Set(h[i], h[i+1])
			}
			return r.build(e.srv.URL())
		}
	}
	cases := []struct {
		name   string
		req    func() *http.Request
		status int
	}{
		{"400 unsigned", func() *http.Request { return (&rawReq{}).build(e.srv.URL()) }, http.StatusBadRequest},
		{"403 fault", faulted(contract.NoPermission), http.StatusForbidden},
		{"403 admin from a web page", admin(http.MethodPost, "/_emulator/reset", "Origin", "http://evil.example", AdminHeader, "1"), http.StatusForbidden},
		{"404 unknown path", func() *http.Request { return (&rawReq{Path: "/v2/image/search"}).build(e.srv.URL()) }, http.StatusNotFound},
		{"404 unknown admin route", admin(http.MethodGet, "/_emulator/nothing"), http.StatusNotFound},
		{"405 admin wrong method", admin(http.MethodGet, "/_emulator/reset"), http.StatusMethodNotAllowed},
		{"413 body too large", func() *http.Request {
			return (&rawReq{Body: bytes.Repeat([]byte("a"), contract.MaxBodySize+1)}).build(e.srv.URL())
		}, http.StatusRequestEntityTooLarge},
		{"431 query too large", func() *http.Request {
			return (&rawReq{Query: form("Filter", strings.Repeat("x", 2<<20))}).build(e.srv.URL())
		}, http.StatusRequestHeaderFieldsTooLarge},
		{"500 fault", faulted(contract.InternalError), http.StatusInternalServerError},
		{"503 fault", faulted(contract.ServiceUnavailable), http.StatusServiceUnavailable},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := e.in(t)
			r := e.do(tc.req())
			if r.Status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.Status, tc.status, r.Body)
			}
			if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q", ct)
			}
			checkShape(t, "error", r.M, errorShape)
			checkRequestID(t, r)
		})
	}
	t.Run("HEAD", func(t *testing.T) {
		r := e.in(t).do((&rawReq{Method: http.MethodHead}).build(e.srv.URL()))
		if r.Status != http.StatusBadRequest || len(r.Body) != 0 {
			t.Fatalf("HEAD: %d %q, want 400 without a body", r.Status, r.Body)
		}
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("Content-Type %q", ct)
		}
		if id := r.Header.Get("x-acs-request-id"); !requestIDPattern.MatchString(id) {
			t.Errorf("x-acs-request-id %q", id)
		}
	})
}

// TestInvalidUTF8ChangesNothing checks that a parameter that is not UTF-8 (ref §1.3) gets the gateway's
// Invalid{ParameterName} (ref §8.3) under both signature schemes and that the image is left as it was.
func TestInvalidUTF8ChangesNothing(t *testing.T) {
	e := startEnv(t, Options{})
	e.add("P", "n", 1, "StrAttr", "before", "IntAttr", "3")
	_, before := e.exists("P", "n")
	raw := "InstanceName=" + testInstance + "&ProductId=P&PicName=n&IntAttr=9&StrAttr=ab%FF%FEcd"
	f, err := url.ParseQuery(raw)
	if err != nil {
		t.Fatal(err)
	}
	want := contract.Error{Status: 400, Code: "InvalidStrAttr", Message: "Specified parameter StrAttr is not valid."}
	wantError(t, e.v1(contract.OpUpdateImage, f, nil), want)
	wantError(t, e.v3(contract.OpUpdateImage, f, nil), want)
	name := form("InstanceName", testInstance, "ProductId", "P", "PicName", "n", "IntAttr", "9", "Str\xffAttr", "x")
	wantError(t, e.v1(contract.OpUpdateImage, name, nil), errInvalidParameterName)
	if _, after := e.exists("P", "n"); !reflect.DeepEqual(before, after) {
		t.Errorf("a refused update changed the image:\nbefore %v\nafter  %v", before, after)
	}
}

// TestUnsignedLearnsNothing checks that the signature is checked before any parameter and before the
// picture, and that a body over the limit gets the body-size error whatever it holds (ref §1.3, §8.3).
func TestUnsignedLearnsNothing(t *testing.T) {
	e := startEnv(t, Options{})
	unsigned := func(t *testing.T, action string, body string) reply {
		return e.in(t).do((&rawReq{Query: form("Action", action, "Version", contract.Version), Body: []byte(body)}).build(e.srv.URL()))
	}
	key := "InstanceName=" + testInstance + "&ProductId=P&PicName=n"
	for name, body := range map[string]string{
		"invalid UTF-8":    key + "&StrAttr=ab%FF%FEcd",
		"invalid IntAttr":  key + "&IntAttr=x",
		"no PicName":       "InstanceName=" + testInstance + "&ProductId=P",
		"unknown instance": "InstanceName=nosuch&ProductId=P&PicName=n",
		"malformed form":   key + "&%zz",
	} {
		t.Run(name, func(t *testing.T) {
			wantError(t, e.in(t).do((&rawReq{Body: []byte(body)}).build(e.srv.URL())), contract.IncompleteSignature)
		})
	}
	t.Run("picture too large, body under the limit", func(t *testing.T) {
		pic := strings.Repeat("A", contract.MaxPicBytes*3/2)
		wantError(t, unsigned(t, contract.OpAddImage, key+"&PicContent="+pic), contract.IncompleteSignature)
	})
	t.Run("UpdateImage body over the limit", func(t *testing.T) {
		wantError(t, unsigned(t, contract.OpUpdateImage, key+"&CustomContent="+strings.Repeat("a", contract.MaxBodySize)), errBodyTooLarge)
	})
	t.Run("chunked body over the limit", func(t *testing.T) {
		body := key + "&CustomContent=" + strings.Repeat("a", contract.MaxBodySize)
		req := (&rawReq{Query: form("Action", contract.OpUpdateImage)}).build(e.srv.URL())
		req.Body, req.ContentLength = io.NopCloser(strings.NewReader(body)), -1 // no Content-Length: read to the bound
		wantError(t, e.in(t).do(req), errBodyTooLarge)
	})
}
