package harness

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/imagesearch-conformance/conformance/imagesearch"
)

const (
	testSecret = "s3cr3t-s3cr3t-value"
	testKeyID  = "LTAItestkey123"
)

// testTarget is a Target whose API has seen no call, with a known credential.
func testTarget(spec *string) *Target {
	a := newAPI(nil, 0, "")
	a.SpecName = func() string { return *spec }
	return &Target{Config: Config{AccessKeyID: testKeyID, AccessKeySecret: testSecret}, API: a}
}

func TestTakeExchangesMasksCredentialsAndBoundsTheSpec(t *testing.T) {
	spec := "earlier spec"
	tg := testTarget(&spec)
	tg.API.onCall(imagesearch.CallInfo{Action: "UpdateImage", HTTPStatus: 200})
	spec = "failing spec"
	for i := range 12 {
		tg.API.onCall(imagesearch.CallInfo{Action: "UpdateImage", HTTPStatus: 400, Start: time.Unix(int64(i), 0),
			Params: map[string]string{"ProductId": "p", "Signature": "sig-value", "SignatureNonce": "nonce-value",
				"AccessKeyId": testKeyID, "CustomContent": "echo " + testSecret},
			Body: []byte(`{"Code":"InvalidParameter","Message":"key ` + testSecret + ` AccessKeyId=` + testKeyID + `"}`),
			Err:  &imagesearch.APIError{Code: "InvalidParameter"}})
	}
	e := tg.TakeExchanges()
	if e.Calls != 12 || len(e.Shown) != exchangeLimit {
		t.Fatalf("Calls %d, shown %d: want the spec's 12 calls and the last %d of them", e.Calls, len(e.Shown), exchangeLimit)
	}
	if got := e.Shown[0].Time.Unix(); got != 2 {
		t.Errorf("first shown call started at %d, want 2 (the last ten)", got)
	}
	text := e.String()
	for _, leak := range []string{testSecret, testKeyID, "sig-value", "nonce-value"} {
		if strings.Contains(text, leak) || strings.Contains(e.Shown[0].Body, leak) {
			t.Errorf("exchanges show %q:\n%s", leak, text)
		}
	}
	x := e.Shown[0]
	if x.Params["Signature"] != "***" || x.Params["SignatureNonce"] != "***" || x.Params["AccessKeyId"] != MaskKeyID(testKeyID) {
		t.Errorf("params %v: signature parameters must be masked", x.Params)
	}
	if x.Code != "InvalidParameter" || !strings.Contains(text, "HTTP 400 InvalidParameter") {
		t.Errorf("code %q, text:\n%s", x.Code, text)
	}
	if again := tg.TakeExchanges(); again.Calls != 0 || len(again.Shown) != 0 {
		t.Errorf("a second take returned %+v, want nothing", again)
	}
}

func TestExchangesCutLongBodiesAndName(t *testing.T) {
	spec := "s"
	tg := testTarget(&spec)
	long := strings.Repeat("é", 3000) // two bytes a rune: the cut must not split one
	tg.API.onCall(imagesearch.CallInfo{Action: "SearchImageByName", HTTPStatus: 200, Body: []byte(long),
		Params: map[string]string{"PicContent": strings.Repeat("A", 5000)}})
	tg.API.onCall(imagesearch.CallInfo{Action: "UpdateImage", Err: errors.New("dial tcp: connection refused")})
	e := tg.TakeExchanges()
	b := e.Shown[0]
	if b.BodyBytes != len(long) || len(b.Body) > exchangeBodyLimit+40 || !strings.Contains(b.Body, "(6000 bytes)") {
		t.Errorf("body of %d bytes shown as %d bytes ending %q", b.BodyBytes, len(b.Body), b.Body[len(b.Body)-20:])
	}
	if !strings.Contains(b.StatusText(), "body cut") || b.Params["PicContent"] != "(a picture: 5000 characters of base64)" {
		t.Errorf("status %q, PicContent of %d bytes", b.StatusText(), len(b.Params["PicContent"]))
	}
	if n := e.Shown[1]; n.Status != 0 || !strings.Contains(n.StatusText(), "connection refused") {
		t.Errorf("transport failure shown as %q", n.StatusText())
	}
}

func TestCallLogKeepsThrottlingCallsPastItsLimit(t *testing.T) {
	var l CallLog
	for range callLogLimit + 5 {
		l.add(imagesearch.CallInfo{Action: "UpdateImage", HTTPStatus: 200}, "a", false)
	}
	l.add(imagesearch.CallInfo{Action: "UpdateImage", HTTPStatus: 200}, "burst", true)
	if len(l.Calls) != callLogLimit+1 || l.Dropped != 5 || l.SpecOf(l.Calls[len(l.Calls)-1]) != "burst" {
		t.Errorf("logged %d, dropped %d; want %d and 5, the burst call kept", len(l.Calls), l.Dropped, callLogLimit+1)
	}
	if len(l.Specs) != 2 {
		t.Errorf("specs %v: each name once", l.Specs)
	}
}
