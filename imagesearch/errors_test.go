package imagesearch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"
)

// assertNoLeak fails when s contains the secret (raw or escaped) or the
// AccessKeyId.
func assertNoLeak(t *testing.T, s string) {
	t.Helper()
	for _, bad := range []string{testSecret, url.QueryEscape(testSecret), testAK} {
		if strings.Contains(s, bad) {
			t.Errorf("text leaks %q: %s", bad, s)
		}
	}
}

// TestAPIErrors covers non-2xx answers and 2xx bodies reporting failure.
func TestAPIErrors(t *testing.T) {
	full := `{"RequestId":"7F3B-REQ","HostId":"imagesearch.ap-southeast-1.aliyuncs.com","Code":"InvalidParameter",` +
		`"Message":"The specified parameter \"PicName\" is not valid.","Recommend":"https://example.invalid/r"}`
	cases := []struct {
		name   string
		status int
		body   string
		call   opCall
		want   APIError // Action and Body are filled in by the test
	}{
		{"400 full body", 400, full, callUpdate, APIError{HTTPStatus: 400, Code: "InvalidParameter",
			Message: `The specified parameter "PicName" is not valid.`, RequestId: "7F3B-REQ",
			HostId: "imagesearch.ap-southeast-1.aliyuncs.com", Recommend: "https://example.invalid/r"}},
		{"403 throttled", 403, `{"RequestId":"Q","Code":"DeniedRequest","Message":"Your request was denied due to instance flow control."}`, callByName,
			APIError{HTTPStatus: 403, Code: "DeniedRequest", Message: "Your request was denied due to instance flow control.", RequestId: "Q"}},
		{"502 html", 502, `<html>Bad Gateway</html>`, callDetail, APIError{HTTPStatus: 502, Message: "<html>Bad Gateway</html>"}},
		{"503 detail", 503, `{"RequestId":"S","Code":"ServiceUnavailable","Message":""}`, callDetail, APIError{HTTPStatus: 503, Code: "ServiceUnavailable", RequestId: "S"}},
		{"200 Success false", 200, `{"RequestId":"F1","Code":1001,"Message":"image not found","Success":false}`, callUpdate,
			APIError{HTTPStatus: 200, Code: "1001", Message: "image not found", RequestId: "F1"}},
		{"200 non-zero Code with Success true", 200, `{"RequestId":"F2","Code":7,"Message":"odd","Success":true}`, callDelete,
			APIError{HTTPStatus: 200, Code: "7", Message: "odd", RequestId: "F2"}},
		{"200 search Success false uses Msg", 200, `{"RequestId":"F3","Code":-1,"Msg":"search failed","Success":false}`, callByPic,
			APIError{HTTPStatus: 200, Code: "-1", Message: "search failed", RequestId: "F3"}},
		{"200 Detail Success false", 200, `{"RequestId":"F4","Success":false}`, callDetail,
			APIError{HTTPStatus: 200, Code: "0", RequestId: "F4"}},
		{"400 numeric Code", 400, `{"RequestId":"N1","HostId":"h","Code":1001,"Message":"m"}`, callUpdate,
			APIError{HTTPStatus: 400, Code: CodeNonStringCode, Message: "error body has non-string fields: Code=1001", RequestId: "N1", HostId: "h"}},
		{"500 numeric RequestId and Message", 500, `{"RequestId":5,"Code":"InternalError","Message":{"a":1}}`, callCheck,
			APIError{HTTPStatus: 500, Code: CodeNonStringCode, Message: `error body has non-string fields: Message={"a":1}, RequestId=5`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newFakeServer(t, fixed(tc.status, tc.body))
			c := newClient(t, srv.URL, nil)
			resp, err := tc.call(c)
			var ae *APIError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %v (%T), want *APIError", err, err)
			}
			want := tc.want
			want.Action = srv.last(t).action()
			want.Body = []byte(tc.body)
			if fmt.Sprint(*ae) != fmt.Sprint(want) {
				t.Errorf("APIError\n got %+v\nwant %+v", *ae, want)
			}
			text := err.Error()
			for _, part := range []string{want.Action, fmt.Sprint(want.HTTPStatus), want.Code, want.Message, want.RequestId} {
				if !strings.Contains(text, part) {
					t.Errorf("Error() %q lacks %q", text, part)
				}
			}
			assertNoLeak(t, text)
			if resp == nil {
				t.Error("response must be returned when an HTTP answer arrived")
			}
			// The pool must survive an SDK panic: the next call works.
			srv.reply = fixed(200, okBody)
			if _, err := callUpdate(c); err != nil {
				t.Errorf("follow-up call: %v", err)
			}
		})
	}
}

// TestWrongSecret gets the gateway's SignatureDoesNotMatch, whose message
// echoes the string to sign; Error() must mask the AccessKeyId in it.
func TestWrongSecret(t *testing.T) {
	srv := newFakeServer(t, fixed(200, okBody))
	c := newClient(t, srv.URL, func(cfg *Config) { cfg.AccessKeySecret = "another-secret-value" })
	_, err := callUpdate(c)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != "SignatureDoesNotMatch" || ae.HTTPStatus != 400 {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(ae.Message, "AccessKeyId%3D"+testAK) {
		t.Fatalf("message does not echo the string to sign: %s", ae.Message)
	}
	text := err.Error()
	assertNoLeak(t, text)
	if !strings.Contains(text, "AccessKeyId%3D***") || !strings.Contains(text, "SignatureNonce%3D***") {
		t.Errorf("Error() not masked: %s", text)
	}
	if strings.Contains(text, "another-secret-value") {
		t.Errorf("Error() leaks the secret: %s", text)
	}
}

// TestTransportError dials a closed server: the error text must carry the
// masked URL only, and the cause must stay inspectable.
func TestTransportError(t *testing.T) {
	srv := newFakeServer(t, fixed(200, okBody))
	endpoint := srv.URL
	srv.Close()
	c := newClient(t, endpoint, nil)
	resp, err := callUpdate(c)
	if err == nil {
		t.Fatal("call to a closed server succeeded")
	}
	if r := resp.(*UpdateImageResponse); r != nil {
		t.Errorf("response = %+v, want nil without an HTTP answer", r)
	}
	var ae *APIError
	if errors.As(err, &ae) {
		t.Errorf("transport failure reported as APIError: %v", err)
	}
	text := err.Error()
	assertNoLeak(t, text)
	for _, want := range []string{"UpdateImage", "AccessKeyId=***", "Signature=***", "SignatureNonce=***", "SignatureMethod=HMAC-SHA1"} {
		if !strings.Contains(text, want) {
			t.Errorf("Error() lacks %q: %s", want, text)
		}
	}
	var ue *url.Error
	if !errors.As(err, &ue) || strings.Contains(ue.URL, testAK) {
		t.Errorf("cause is not a redacted *url.Error: %#v", ue)
	}
	var oe *net.OpError
	if !errors.As(err, &oe) || oe.Op != "dial" {
		t.Errorf("cause chain lost the dial error: %v", err)
	}
}

// TestContextCancel covers a context done before sending (nothing is sent)
// and one cancelled while the server holds the request.
func TestContextCancel(t *testing.T) {
	t.Run("before sending", func(t *testing.T) {
		srv := newFakeServer(t, fixed(200, okBody))
		calls := 0
		c := newClient(t, srv.URL, func(cfg *Config) { cfg.OnCall = func(CallInfo) { calls++ } })
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := c.Detail(ctx, &DetailRequest{InstanceName: "i"})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v", err)
		}
		if n := len(srv.requests()); n != 0 || calls != 0 {
			t.Errorf("sent %d requests, OnCall %d times; want 0", n, calls)
		}
	})
	t.Run("in flight", func(t *testing.T) {
		arrived := make(chan struct{}, 1)
		srv := newFakeServer(t, nil)
		srv.Config.Handler = blockUntilGone(arrived)
		c := newClient(t, srv.URL, nil)
		ctx, cancel := context.WithCancel(context.Background())
		go func() { <-arrived; cancel() }()
		_, err := c.Detail(ctx, &DetailRequest{InstanceName: "i"})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		assertNoLeak(t, err.Error())
	})
	t.Run("client timeout", func(t *testing.T) {
		srv := newFakeServer(t, nil)
		srv.Config.Handler = blockUntilGone(make(chan struct{}, 1))
		c := newClient(t, srv.URL, func(cfg *Config) { cfg.Timeout = 50 * time.Millisecond })
		_, err := c.Detail(context.Background(), &DetailRequest{InstanceName: "i"})
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Timeout() {
			t.Fatalf("err = %v, want a timeout", err)
		}
	})
}
