package signature

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

const (
	testAK     = "testAccessKeyId"
	testSecret = "s3cr3t-Value-that-must-not-leak"
)

var (
	testCreds = StaticCredentials{testAK: testSecret}
	testNow   = time.Date(2026, 11, 28, 7, 10, 1, 0, time.UTC)
)

// v1Base returns the query and form of an SDK-style UpdateImage request (sdk-go-v1.md §1.6).
func v1Base() (url.Values, url.Values) {
	q := url.Values{
		"AccessKeyId": {testAK}, "Action": {"UpdateImage"}, "Format": {"JSON"}, "RegionId": {"ap-southeast-1"},
		"SignatureMethod": {"HMAC-SHA1"}, "SignatureNonce": {"a79f6cfef079e607504ea65f59162f72"},
		"SignatureType": {""}, "SignatureVersion": {"1.0"}, "Timestamp": {testNow.Format(TimestampLayout)},
		"Version": {"2020-12-14"}, "IntAttr3": {"3"},
	}
	f := url.Values{"InstanceName": {"demo"}, "ProductId": {"p1"}, "CustomContent": {"a b & 中 +*~"}, "StrAttr": {""}}
	return q, f
}

// signedV1 applies before to the base parameters, signs them with secret and then applies
// after, so tests can shape a request or tamper with a signed one.
func signedV1(secret string, before, after func(q, f url.Values)) Request {
	q, f := v1Base()
	if before != nil {
		before(q, f)
	}
	q.Set("Signature", SignV1("POST", MergeParams(q, f), secret))
	if after != nil {
		after(q, f)
	}
	return Request{Method: "POST", Path: "/", Query: ParamsOf(q), Form: ParamsOf(f), Header: http.Header{}, Host: "127.0.0.1:1"}
}

// wantErr checks that err is an *Error with the given code and status and that no secret leaks.
func wantErr(t *testing.T, err error, code string, status int) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v (%T), want *Error %s", err, err, code)
	}
	if e.Code != code || e.Status != status {
		t.Fatalf("error = %s/%d (%v), want %s/%d", e.Code, e.Status, e, code, status)
	}
	if strings.Contains(e.Error(), testSecret) || strings.Contains(e.Message, testSecret) {
		t.Fatalf("error text leaks the secret: %v", e)
	}
	return e
}

func TestVerifyV1Accepts(t *testing.T) {
	r := signedV1(testSecret, nil, nil)
	res, err := Verify(r, testCreds)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	want := Result{AccessKeyID: testAK, Scheme: SchemeV1, Nonce: "a79f6cfef079e607504ea65f59162f72", Timestamp: testNow}
	if res != want {
		t.Errorf("Result = %+v, want %+v", res, want)
	}
}

func TestVerifyV1FormWinsOverQuery(t *testing.T) {
	r := signedV1(testSecret, func(q, f url.Values) { q.Set("ProductId", "from-query") }, nil)
	if _, err := Verify(r, testCreds); err != nil {
		t.Fatalf("Verify: %v", err)
	}
}

func TestVerifyV1Rejects(t *testing.T) {
	del := func(k string) func(q, f url.Values) { return func(q, f url.Values) { q.Del(k) } }
	set := func(k, v string) func(q, f url.Values) { return func(q, f url.Values) { q.Set(k, v) } }
	tests := []struct {
		name          string
		secret        string
		before, after func(q, f url.Values)
		code          string
		status        int
	}{
		{"no Signature", testSecret, nil, del("Signature"), CodeIncompleteSignature, 400},
		{"empty Signature", testSecret, nil, set("Signature", ""), CodeIncompleteSignature, 400},
		{"no AccessKeyId", testSecret, del("AccessKeyId"), nil, CodeIncompleteSignature, 400},
		{"no SignatureNonce", testSecret, del("SignatureNonce"), nil, CodeIncompleteSignature, 400},
		{"no Timestamp", testSecret, del("Timestamp"), nil, CodeIncompleteSignature, 400},
		{"no SignatureMethod", testSecret, del("SignatureMethod"), nil, CodeIncompleteSignature, 400},
		{"no SignatureVersion", testSecret, del("SignatureVersion"), nil, CodeIncompleteSignature, 400},
		{"SignatureVersion 2.0", testSecret, set("SignatureVersion", "2.0"), nil, CodeIncompleteSignature, 400},
		{"SignatureMethod HMAC-SHA256", testSecret, set("SignatureMethod", "HMAC-SHA256"), nil, CodeInvalidSignatureMethod, 400},
		{"Timestamp with space", testSecret, set("Timestamp", "2026-11-28 07:10:01"), nil, CodeTimeStampFormat, 400},
		{"Timestamp with offset", testSecret, set("Timestamp", "2026-11-28T07:10:01+08:00"), nil, CodeTimeStampFormat, 400},
		{"Timestamp with millis", testSecret, set("Timestamp", "2026-11-28T07:10:01.000Z"), nil, CodeTimeStampFormat, 400},
		{"Timestamp epoch", testSecret, set("Timestamp", "1764313801"), nil, CodeTimeStampFormat, 400},
		{"Timestamp out of range", testSecret, set("Timestamp", "2026-13-28T07:10:01Z"), nil, CodeTimeStampFormat, 400},
		{"unknown key", testSecret, set("AccessKeyId", "nobody"), nil, CodeAccessKeyNotFound, 404},
		{"wrong secret", "other-secret", nil, nil, CodeSignatureDoesNotMatch, 400},
		{"tampered form value", testSecret, nil, func(q, f url.Values) { f.Set("ProductId", "p2") }, CodeSignatureDoesNotMatch, 400},
		{"added form param", testSecret, nil, func(q, f url.Values) { f.Set("IntAttr", "1") }, CodeSignatureDoesNotMatch, 400},
		{"dropped empty param", testSecret, nil, func(q, f url.Values) { q.Del("SignatureType") }, CodeSignatureDoesNotMatch, 400},
		{"tampered query value", testSecret, nil, set("IntAttr3", "4"), CodeSignatureDoesNotMatch, 400},
		{"tampered action", testSecret, nil, set("Action", "DeleteImage"), CodeSignatureDoesNotMatch, 400},
		{"query overridden by form", testSecret, nil, func(q, f url.Values) { f.Set("IntAttr3", "4") }, CodeSignatureDoesNotMatch, 400},
		{"one signature byte changed", testSecret, nil, func(q, f url.Values) {
			s := []byte(q.Get("Signature"))
			s[0] ^= 1
			q.Set("Signature", string(s))
		}, CodeSignatureDoesNotMatch, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Verify(signedV1(tt.secret, tt.before, tt.after), testCreds)
			wantErr(t, err, tt.code, tt.status)
		})
	}
}

func TestVerifyV1ErrorMessages(t *testing.T) {
	r := signedV1("other-secret", nil, nil)
	_, err := Verify(r, testCreds)
	e := wantErr(t, err, CodeSignatureDoesNotMatch, 400)
	if want := MsgSignatureDoesNotMatchPrefix + StringToSignV1("POST", r.Params().Values()); e.Message != want {
		t.Errorf("Message = %q, want %q", e.Message, want)
	}
	_, err = Verify(signedV1(testSecret, func(q, f url.Values) { q.Set("AccessKeyId", "x") }, nil), testCreds)
	if e := wantErr(t, err, CodeAccessKeyNotFound, 404); e.Message != "Specified access key is not found." {
		t.Errorf("Message = %q", e.Message)
	}
}

func TestVerifyV1MethodIsSigned(t *testing.T) {
	r := signedV1(testSecret, nil, nil)
	r.Method = "GET"
	_, err := Verify(r, testCreds)
	wantErr(t, err, CodeSignatureDoesNotMatch, 400)
}

// signedV3 builds a Tea-style V3 UpdateImage request, lets before shape it, signs it and lets
// after tamper with it.
func signedV3(t *testing.T, secret string, before func(*http.Request), after func(*Request)) Request {
	t.Helper()
	body := []byte("CustomContent=a+b&InstanceName=demo&ProductId=p1")
	req, err := http.NewRequest(http.MethodPost, "http://127.0.0.1:9000/?IntAttr3=3&StrAttr3=s%203", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("x-acs-action", "UpdateImage")
	req.Header.Set("x-acs-version", "2020-12-14")
	if before != nil {
		before(req)
	}
	if err := SignV3(req, body, testAK, secret, testNow, "nonce-v3"); err != nil {
		t.Fatal(err)
	}
	r, err := RequestFromHTTP(req, body)
	if err != nil {
		t.Fatal(err)
	}
	r.Header = r.Header.Clone()
	if after != nil {
		after(&r)
	}
	return r
}

func TestVerifyV3Accepts(t *testing.T) {
	res, err := Verify(signedV3(t, testSecret, nil, nil), testCreds)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	want := Result{AccessKeyID: testAK, Scheme: SchemeV3, Nonce: "nonce-v3", Timestamp: testNow}
	if res != want {
		t.Errorf("Result = %+v, want %+v", res, want)
	}
	// Header-name case and an upper-case hex signature do not matter.
	r := signedV3(t, testSecret, nil, func(r *Request) {
		a := r.Header.Get("Authorization")
		i := strings.LastIndex(a, "=")
		r.Header.Set("Authorization", a[:i+1]+strings.ToUpper(a[i+1:]))
	})
	if _, err := Verify(r, testCreds); err != nil {
		t.Errorf("upper-case signature: %v", err)
	}
}

func TestVerifyV3Rejects(t *testing.T) {
	setAuth := func(f func(string) string) func(*Request) {
		return func(r *Request) { r.Header.Set("Authorization", f(r.Header.Get("Authorization"))) }
	}
	dropAuthPart := func(part string) func(*Request) {
		return setAuth(func(a string) string {
			alg, rest, _ := strings.Cut(a, " ")
			var keep []string
			for _, p := range strings.Split(rest, ",") {
				if !strings.HasPrefix(p, part+"=") {
					keep = append(keep, p)
				}
			}
			return alg + " " + strings.Join(keep, ",")
		})
	}
	tests := []struct {
		name   string
		secret string
		before func(*http.Request)
		after  func(*Request)
		code   string
		status int
	}{
		{"no Credential", testSecret, nil, dropAuthPart("Credential"), CodeIncompleteSignature, 400},
		{"no SignedHeaders", testSecret, nil, dropAuthPart("SignedHeaders"), CodeIncompleteSignature, 400},
		{"no Signature", testSecret, nil, dropAuthPart("Signature"), CodeIncompleteSignature, 400},
		{"SM3 algorithm", testSecret, nil, setAuth(func(a string) string { return strings.Replace(a, "ACS3-HMAC-SHA256", "ACS3-HMAC-SM3", 1) }), CodeInvalidSignatureMethod, 400},
		{"no x-acs-date", testSecret, nil, func(r *Request) { r.Header.Del("x-acs-date") }, CodeIncompleteSignature, 400},
		{"no nonce", testSecret, nil, func(r *Request) { r.Header.Del("x-acs-signature-nonce") }, CodeIncompleteSignature, 400},
		{"no content sha", testSecret, nil, func(r *Request) { r.Header.Del("x-acs-content-sha256") }, CodeIncompleteSignature, 400},
		{"unsigned x-acs header added", testSecret, nil, func(r *Request) { r.Header.Set("x-acs-action", "DeleteImage"); r.Header.Set("X-Acs-Extra", "1") }, CodeIncompleteSignature, 400},
		{"host not signed", testSecret, nil, setAuth(func(a string) string { return strings.Replace(a, "host;", "", 1) }), CodeIncompleteSignature, 400},
		{"no host", testSecret, nil, func(r *Request) { r.Host = "" }, CodeIncompleteSignature, 400},
		{"bad x-acs-date", testSecret, func(q *http.Request) {}, func(r *Request) { r.Header.Set("x-acs-date", "Sat, 28 Nov 2026 07:10:01 GMT") }, CodeTimeStampFormat, 400},
		{"unknown key", testSecret, nil, setAuth(func(a string) string { return strings.Replace(a, testAK, "nobody", 1) }), CodeAccessKeyNotFound, 404},
		{"wrong secret", "other-secret", nil, nil, CodeSignatureDoesNotMatch, 400},
		{"body byte changed", testSecret, nil, func(r *Request) { r.Body = append([]byte(nil), r.Body...); r.Body[0] ^= 1 }, CodeSignatureDoesNotMatch, 400},
		{"body and hash changed", testSecret, nil, func(r *Request) {
			r.Body = []byte("InstanceName=other")
			r.Header.Set("x-acs-content-sha256", hexSHA256(r.Body))
		}, CodeSignatureDoesNotMatch, 400},
		{"query value changed", testSecret, nil, func(r *Request) { r.Query = ParamsOf(url.Values{"IntAttr3": {"4"}, "StrAttr3": {"s 3"}}) }, CodeSignatureDoesNotMatch, 400},
		{"query param added", testSecret, nil, func(r *Request) { r.Query = ParamsOf(MergeParams(r.Query.Values(), url.Values{"IntAttr4": {"1"}})) }, CodeSignatureDoesNotMatch, 400},
		{"signed header changed", testSecret, nil, func(r *Request) { r.Header.Set("x-acs-action", "DeleteImage") }, CodeSignatureDoesNotMatch, 400},
		{"content type changed", testSecret, nil, func(r *Request) { r.Header.Set("Content-Type", "text/plain") }, CodeSignatureDoesNotMatch, 400},
		{"host changed", testSecret, nil, func(r *Request) { r.Host = "127.0.0.1:9001" }, CodeSignatureDoesNotMatch, 400},
		{"method changed", testSecret, nil, func(r *Request) { r.Method = "PUT" }, CodeSignatureDoesNotMatch, 400},
		{"path changed", testSecret, nil, func(r *Request) { r.Path = "/x" }, CodeSignatureDoesNotMatch, 400},
		{"nonce changed", testSecret, nil, func(r *Request) { r.Header.Set("x-acs-signature-nonce", "other") }, CodeSignatureDoesNotMatch, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Verify(signedV3(t, tt.secret, tt.before, tt.after), testCreds)
			wantErr(t, err, tt.code, tt.status)
		})
	}
}

func TestVerifyV3MismatchMessageEchoesOnlyHash(t *testing.T) {
	r := signedV3(t, "other-secret", nil, nil)
	_, err := Verify(r, testCreds)
	e := wantErr(t, err, CodeSignatureDoesNotMatch, 400)
	sts := strings.TrimPrefix(e.Message, MsgSignatureDoesNotMatchPrefix)
	alg, hash, ok := strings.Cut(sts, "\n")
	if !ok || alg != AlgorithmV3 || len(hash) != 64 {
		t.Errorf("message %q does not end in the V3 string to sign", e.Message)
	}
}

func TestVerifyUnsupportedAuthorization(t *testing.T) {
	r := Request{Method: "POST", Path: "/", Header: http.Header{"Authorization": {"acs " + testAK + ":abc="}}}
	_, err := Verify(r, testCreds)
	wantErr(t, err, CodeIncompleteSignature, 400)
}

func TestVerifyEmptyRequest(t *testing.T) {
	_, err := Verify(Request{}, testCreds)
	wantErr(t, err, CodeIncompleteSignature, 400)
}

func TestRequestFromHTTP(t *testing.T) {
	body := []byte("A=1&B=x+y")
	req, _ := http.NewRequest("POST", "http://h:1/p?Q=1", nil)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
	r, err := RequestFromHTTP(req, body)
	if err != nil {
		t.Fatal(err)
	}
	if r.Form.Get("B") != "x y" || r.Query.Get("Q") != "1" || r.Path != "/p" || r.Host != "h:1" || string(r.Body) != string(body) {
		t.Errorf("RequestFromHTTP = %+v", r)
	}
	req.Header.Set("Content-Type", "application/json")
	if r, _ := RequestFromHTTP(req, body); r.Form != nil {
		t.Errorf("JSON body parsed as form: %v", r.Form)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	_, err = RequestFromHTTP(req, []byte("a=%zz"))
	wantErr(t, err, CodeIncompleteSignature, 400)
}
