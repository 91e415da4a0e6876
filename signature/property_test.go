package signature

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// paramKey draws parameter names as RPC APIs use them (letters, digits, '.', '_', '-').
func paramKey(t *rapid.T, label string) string {
	return rapid.StringMatching(`[A-Za-z][A-Za-z0-9._-]{0,12}`).Draw(t, label)
}

// paramValue draws arbitrary values, including bytes that need encoding and invalid UTF-8.
func paramValue(t *rapid.T, label string) string {
	return rapid.OneOf(
		rapid.String(),
		rapid.StringMatching(`[ +*~/%&=中é]{0,6}`),
		rapid.Map(rapid.SliceOfN(rapid.Byte(), 0, 8), func(b []byte) string { return string(b) }),
	).Draw(t, label)
}

func drawValues(t *rapid.T, label string) url.Values {
	v := url.Values{}
	n := rapid.IntRange(0, 6).Draw(t, label+"N")
	for i := 0; i < n; i++ {
		v.Set(paramKey(t, label+"Key"), paramValue(t, label+"Value"))
	}
	return v
}

func TestV1RoundTripProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		q, f := v1Base()
		for k, v := range drawValues(t, "query") {
			if k != "Signature" {
				q[k] = v
			}
		}
		f = MergeParams(f, drawValues(t, "form"))
		q.Set("Signature", SignV1("POST", MergeParams(q, f), testSecret))
		// Go through the wire encoding, as a server would see it.
		wq, err := url.ParseQuery(q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		wf, err := url.ParseQuery(f.Encode())
		if err != nil {
			t.Fatal(err)
		}
		r := Request{Method: "POST", Path: "/", Query: ParamsOf(wq), Form: ParamsOf(wf)}
		if _, err := Verify(r, testCreds); err != nil {
			t.Fatalf("round trip rejected: %v", err)
		}
		// Tamper: change or add one form value.
		k := paramKey(t, "tamperKey")
		old := MergeParams(wq, wf).Get(k)
		nv := paramValue(t, "tamperValue")
		if nv == old && MergeParams(wq, wf).Has(k) {
			return
		}
		wf.Set(k, nv)
		r.Form = ParamsOf(wf)
		if _, err := Verify(r, testCreds); err == nil {
			t.Fatalf("tampered %s=%q accepted", k, nv)
		}
	})
}

func TestV3RoundTripProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		q := drawValues(t, "query")
		body := []byte(paramValue(t, "body"))
		req, err := http.NewRequest(http.MethodPost, "http://127.0.0.1:9000/?"+q.Encode(), nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("x-acs-action", "UpdateImage")
		for i, n := 0, rapid.IntRange(0, 3).Draw(t, "extraHeaders"); i < n; i++ {
			req.Header.Set("x-acs-"+rapid.StringMatching(`[a-z]{1,8}`).Draw(t, "hname"), rapid.StringMatching(`[ -~]{0,10}`).Draw(t, "hvalue"))
		}
		if err := SignV3(req, body, testAK, testSecret, testNow, "n"); err != nil {
			t.Fatal(err)
		}
		r, err := RequestFromHTTP(req, body)
		if err != nil {
			// A body that is not a valid form is reported, not signed around.
			return
		}
		if _, err := Verify(r, testCreds); err != nil {
			t.Fatalf("round trip rejected: %v", err)
		}
		switch rapid.IntRange(0, 2).Draw(t, "tamper") {
		case 0:
			r.Body = append(append([]byte(nil), r.Body...), 'x')
		case 1:
			r.Query = ParamsOf(MergeParams(r.Query.Values(), url.Values{"Zz": {"1"}}))
		case 2:
			r.Header = r.Header.Clone()
			r.Header.Set("x-acs-date", testNow.Add(time.Second).Format(TimestampLayout))
		}
		if _, err := Verify(r, testCreds); err == nil {
			t.Fatal("tampered request accepted")
		}
	})
}
