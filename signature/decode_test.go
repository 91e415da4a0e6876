package signature

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// TestRequestFromHTTPParams checks what the decoder hands on: the form wins over the query in Params while
// Query keeps its own value, the three sets do not share room for appends, and the form's values are copies
// that a later change of the body leaves alone.
func TestRequestFromHTTPParams(t *testing.T) {
	body := []byte("A=form&C=c%21&C=2")
	req, _ := http.NewRequest("POST", "http://h:1/?B=b&A=query&A=q2", nil)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r, err := RequestFromHTTP(req, body)
	if err != nil {
		t.Fatal(err)
	}
	want := Params{{"A", "form"}, {"B", "b"}, {"C", "c!"}, {"C", "2"}}
	if p := r.Params(); !slices.Equal(p, want) || r.Query.Get("A") != "query" || len(r.Query) != 3 {
		t.Fatalf("Params = %v, Query = %v; want Params %v", p, r.Query, want)
	}
	_ = append(r.Query, Param{"Z", "z"})
	_ = append(r.Form, Param{"Z", "z"})
	copy(body, "X=XXXXXXXXXXXXXXX")
	if p := r.Params(); !slices.Equal(p, want) || r.Form.Get("A") != "form" {
		t.Errorf("after appends and a body change: Params = %v, Form = %v", p, r.Form)
	}
}

// TestVerifyV1RepeatedParameter checks a decoded request whose query repeats names: the string to sign
// holds each name once, with its first value, as the SDK's url.Values signing does, and the nonce is the
// first one.
func TestVerifyV1RepeatedParameter(t *testing.T) {
	q, f := v1Base()
	q["IntAttr3"] = []string{"3", "4"}
	q["SignatureNonce"] = []string{"first-nonce", "second-nonce"}
	q.Set("Signature", SignV1("POST", MergeParams(q, f), testSecret))
	req, _ := http.NewRequest("POST", "http://127.0.0.1:1/?"+q.Encode(), nil)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r, err := RequestFromHTTP(req, []byte(f.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	if res, err := Verify(r, testCreds); err != nil || res.Nonce != "first-nonce" {
		t.Fatalf("Verify = %+v, %v; want the first nonce", res, err)
	}
}

// TestRequestASCII checks Request.ASCII: whenever it says yes, every decoded name and value is ASCII, from
// the query or the form, escaped or not; and it says no to each way a non-ASCII byte can arrive.
func TestRequestASCII(t *testing.T) {
	decode := func(t interface{ Fatalf(string, ...any) }, query, body string) Request {
		req := &http.Request{Method: "POST", URL: &url.URL{Path: "/", RawQuery: query},
			Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}}
		r, _ := RequestFromHTTP(req, []byte(body))
		return r
	}
	for _, c := range []struct {
		query, body string
		ascii       bool
	}{{"a=b", "c=d%41+", true}, {"a=%C3%A9", "", false}, {"a=\xff", "", false}, {"%E9=x", "", false},
		{"a=b", "c=%80", false}, {"a=b", "\xc3\xa9=1", false}, {"a=%7F", "b=%2B", true},
		{strings.Repeat("x=1&", maxFastParams) + "a=%C3%A9", "", false}} {
		if got := decode(t, c.query, c.body).ASCII(); got != c.ascii {
			t.Errorf("ASCII of %q and %q = %v", c.query, c.body, got)
		}
	}
	if (Request{Query: ParamsOf(url.Values{"a": {"é"}})}).ASCII() {
		t.Error("a hand-built request with é is ASCII")
	}
	rapid.Check(t, func(rt *rapid.T) {
		raw := `([a-c=&+]|%[0-9A-Fa-f]{2}|\xc3\xa9|\xff){0,12}`
		r := decode(rt, rapid.StringMatching(raw).Draw(rt, "query"), rapid.StringMatching(raw).Draw(rt, "body"))
		if !r.ASCII() {
			return
		}
		for _, kv := range append(append(Params{}, r.Query...), r.Form...) {
			if !isASCII(kv.Name) || !isASCII(kv.Value) {
				rt.Fatalf("ASCII, but %q=%q is not", kv.Name, kv.Value)
			}
		}
	})
}

// TestReleaseClearsPairs checks Release: the request no longer holds its parameters, and the array it
// hands back holds no old pair, which would keep the request's text alive.
func TestReleaseClearsPairs(t *testing.T) {
	req, _ := http.NewRequest("POST", "http://h:1/?A=1&B=2", nil)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r, err := RequestFromHTTP(req, []byte("C=3"))
	if err != nil {
		t.Fatal(err)
	}
	held := r.pairs
	r.Release()
	if r.Query != nil || r.Form != nil || r.Params() != nil {
		t.Errorf("released request still holds %v %v %v", r.Query, r.Form, r.Params())
	}
	r.Release() // twice is harmless
	p, _ := pairsPool.Get().(*Params)
	if p != held {
		t.Skip("the pool did not hand the array back here")
	}
	for _, kv := range (*p)[:cap(*p)] {
		if kv != (Param{}) {
			t.Fatalf("released array holds %v", kv)
		}
	}
}
