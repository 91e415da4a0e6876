package emulator

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/signature"
)

// TestGatewayErrors checks each documented gateway rejection (ref §8.3) with its status, code and
// literal message. Every request here is a Detail call that would succeed but for the one defect.
func TestGatewayErrors(t *testing.T) {
	clock := newFakeClock()
	e := startEnv(t, Options{Now: clock.Now})
	detail := func() *rawReq { return &rawReq{Query: form("InstanceName", testInstance)} }
	signed := func(r *rawReq, action string) *http.Request {
		signV1(r, action, testKeyID, testSecret, clock.Now())
		return r.build(e.srv.URL())
	}
	cases := []struct {
		name  string
		req   func() *http.Request
		want  contract.Error
		exact bool // false: the message is only checked for a prefix
	}{
		{"unknown access key", func() *http.Request {
			r := detail()
			signV1(r, contract.OpDetail, "LTAIunknown", testSecret, clock.Now())
			return r.build(e.srv.URL())
		}, contract.AccessKeyNotFound, true},
		{"wrong secret", func() *http.Request {
			r := detail()
			signV1(r, contract.OpDetail, testKeyID, "wrong-secret", clock.Now())
			return r.build(e.srv.URL())
		}, contract.Error{Status: 400, Code: "SignatureDoesNotMatch", Message: signature.MsgSignatureDoesNotMatchPrefix}, false},
		{"parameter changed after signing", func() *http.Request {
			r := detail()
			signV1(r, contract.OpDetail, testKeyID, testSecret, clock.Now())
			r.Query.Set("InstanceName", "other")
			return r.build(e.srv.URL())
		}, contract.Error{Status: 400, Code: "SignatureDoesNotMatch", Message: signature.MsgSignatureDoesNotMatchPrefix}, false},
		{"timestamp 15m1s in the past", func() *http.Request {
			r := detail()
			signV1(r, contract.OpDetail, testKeyID, testSecret, clock.Now().Add(-15*time.Minute-time.Second))
			return r.build(e.srv.URL())
		}, contract.TimeStampExpired, true},
		{"timestamp 15m1s in the future", func() *http.Request {
			r := detail()
			signV1(r, contract.OpDetail, testKeyID, testSecret, clock.Now().Add(15*time.Minute+time.Second))
			return r.build(e.srv.URL())
		}, contract.TimeStampExpired, true},
		{"malformed timestamp", func() *http.Request {
			r := detail()
			r.Query = form("InstanceName", testInstance, "Timestamp", "2026-01-01 00:00:00")
			return signed(r, contract.OpDetail)
		}, contract.TimeStampFormat, true},
		{"signature method", func() *http.Request {
			r := detail()
			r.Query.Set("SignatureMethod", "HMAC-SHA256")
			return signed(r, contract.OpDetail)
		}, contract.SignatureMethod, true},
		{"no signature", func() *http.Request {
			r := detail()
			signV1(r, contract.OpDetail, testKeyID, testSecret, clock.Now())
			r.Query.Del("Signature")
			return r.build(e.srv.URL())
		}, contract.IncompleteSignature, true},
		{"ROA authorization header", func() *http.Request {
			r := detail()
			r.Header = http.Header{"Authorization": {"acs " + testKeyID + ":c2lnbmF0dXJl"}}
			return r.build(e.srv.URL())
		}, contract.IncompleteSignature, true},
		{"missing Action", func() *http.Request { return signed(detail(), "") }, contract.Missing("Action"), true},
		{"missing Version", func() *http.Request {
			r := detail()
			signV1(r, contract.OpDetail, testKeyID, testSecret, clock.Now())
			r.Query.Del("Version")
			r.Query.Set("Signature", signature.SignV1(http.MethodPost, r.Query, testSecret))
			return r.build(e.srv.URL())
		}, contract.Missing("Version"), true},
		{"wrong Version", func() *http.Request {
			r := detail()
			r.Query.Set("Version", "2019-03-25")
			return signed(r, contract.OpDetail)
		}, contract.InvalidActionOrVersion, true},
		{"unknown action", func() *http.Request { return signed(detail(), "SearchImageByText") }, contract.ApiNotFound, true},
		{"XML format", func() *http.Request {
			r := detail()
			r.Query.Set("Format", "XML")
			return signed(r, contract.OpDetail)
		}, contract.InvalidFormat, true},
		{"GET UpdateImage", func() *http.Request {
			r := &rawReq{Method: http.MethodGet, Query: form("InstanceName", testInstance, "ProductId", "p", "PicName", "n")}
			return signed(r, contract.OpUpdateImage)
		}, contract.UnsupportedHTTPMethod, true},
		{"PUT Detail", func() *http.Request { r := detail(); r.Method = http.MethodPut; return signed(r, contract.OpDetail) },
			contract.UnsupportedHTTPMethod, true},
		{"path other than /", func() *http.Request { r := detail(); r.Path = "/v2/image/search"; return signed(r, contract.OpDetail) },
			contract.ApiNotFound, true},
		{"GET Detail", func() *http.Request { r := detail(); r.Method = http.MethodGet; return signed(r, contract.OpDetail) },
			contract.UnsupportedHTTPMethod, true},
		{"unsigned UpdateImage body over 8 MiB", func() *http.Request {
			// UpdateImage has no PicContent, and the unread body's parameters are never looked at.
			body := bytes.Repeat([]byte("a"), contract.MaxBodySize+1000)
			return (&rawReq{Query: form("Action", contract.OpUpdateImage), Body: body}).build(e.srv.URL())
		}, errBodyTooLarge, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := e.in(t)
			r := e.do(tc.req())
			if tc.exact {
				wantError(t, r, tc.want)
				return
			}
			wantCode(t, r, tc.want.Status, tc.want.Code)
			if !strings.HasPrefix(r.str("Message"), tc.want.Message) {
				t.Errorf("Message %q, want prefix %q", r.str("Message"), tc.want.Message)
			}
		})
	}
}

// TestGatewayAccepts pins the accepting side of the checks above, so the rejections cannot pass by
// rejecting everything: a skew just under 15 minutes is accepted.
func TestGatewayAccepts(t *testing.T) {
	clock := newFakeClock()
	e := startEnv(t, Options{Now: clock.Now})
	for _, tc := range []struct {
		name   string
		method string
		skew   time.Duration
	}{
		{"skew -14m59s", http.MethodPost, -15*time.Minute + time.Second},
		{"skew +14m59s", http.MethodPost, 15*time.Minute - time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := e.in(t)
			r := &rawReq{Method: tc.method, Query: form("InstanceName", testInstance)}
			signV1(r, contract.OpDetail, testKeyID, testSecret, clock.Now().Add(tc.skew))
			wantOK(t, e.do(r.build(e.srv.URL())))
		})
	}
}

// TestReusedNonce checks SignatureNonceUsed (ref §8.3): the second request with the same nonce is
// refused even though its signature is valid.
func TestReusedNonce(t *testing.T) {
	e := startEnv(t, Options{})
	r := &rawReq{Query: form("InstanceName", testInstance, "SignatureNonce", "fixed-nonce-1")}
	signV1(r, contract.OpDetail, testKeyID, testSecret, time.Now())
	wantOK(t, e.do(r.build(e.srv.URL())))
	wantError(t, e.do(r.build(e.srv.URL())), contract.SignatureNonceUsed)
}

// TestHostID checks that an error's HostId echoes the host the client addressed (ref §1.4).
func TestHostID(t *testing.T) {
	e := startEnv(t, Options{})
	r := e.v1(contract.OpDetail, form("InstanceName", "nosuchinstance"), nil)
	wantError(t, r, contract.ConsoleInstanceNotFound)
	if want := strings.TrimPrefix(e.srv.URL(), "http://"); r.str("HostId") != want {
		t.Errorf("HostId %q, want %q", r.str("HostId"), want)
	}
}

// TestMissingParameters checks Missing{Name} for every required parameter of every operation
// (ref §2.1, §3, §4, §5, §6.1, §8.3): a parameter not sent at all is refused by the gateway.
func TestMissingParameters(t *testing.T) {
	e := startEnv(t, Options{})
	full := map[string][]string{
		"InstanceName": {testInstance}, "ProductId": {"p"}, "PicName": {"n"}, "PicContent": {picB64(1)},
	}
	required := map[string][]string{
		contract.OpAddImage:          {"InstanceName", "ProductId", "PicName", "PicContent"},
		contract.OpUpdateImage:       {"InstanceName", "ProductId", "PicName"}, // intl-2025 profile (ref §9 #1)
		contract.OpDeleteImage:       {"InstanceName"},
		contract.OpSearchImageByPic:  {"InstanceName", "PicContent"},
		contract.OpSearchImageByName: {"InstanceName", "ProductId", "PicName"},
		contract.OpCheckImageExists:  {"InstanceName", "ProductId", "PicName"},
		contract.OpDetail:            {"InstanceName"},
	}
	for action, params := range required {
		for _, missing := range params {
			t.Run(action+"/"+missing, func(t *testing.T) {
				e := e.in(t)
				f := form()
				for _, p := range params {
					if p != missing {
						f[p] = full[p]
					}
				}
				wantError(t, e.v1(action, f, nil), contract.Missing(missing))
			})
		}
	}
}
