package imagesearch

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// Test credentials. The values are distinctive so leak checks can search
// error texts for them; the secret has characters that URL-escaping changes.
const (
	testAK     = "LTAItestKeyId7Q2w"
	testSecret = "s3cr3t/Key+Zz9="
)

// commonParams are the SDK-added query parameters (sdk-go-v1.md §2 step 1).
var commonParams = []string{"AccessKeyId", "Action", "Format", "RegionId", "Signature",
	"SignatureMethod", "SignatureNonce", "SignatureType", "SignatureVersion", "Timestamp", "Version"}

// popEncode is RFC 3986 encoding as the RPC v1 signature uses it.
func popEncode(s string) string {
	e := url.QueryEscape(s)
	e = strings.ReplaceAll(e, "+", "%20")
	e = strings.ReplaceAll(e, "*", "%2A")
	return strings.ReplaceAll(e, "%7E", "~")
}

// stringToSign builds METHOD&%2F&enc(canonical query) over all parameters
// except Signature.
func stringToSign(method string, p map[string]string) string {
	keys := make([]string, 0, len(p))
	for k := range p {
		if k != "Signature" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, popEncode(k)+"="+popEncode(p[k]))
	}
	return strings.ToUpper(method) + "&" + popEncode("/") + "&" + popEncode(strings.Join(parts, "&"))
}

// popSign is base64(HMAC-SHA1(secret+"&", sts)).
func popSign(sts, secret string) string {
	m := hmac.New(sha1.New, []byte(secret+"&"))
	m.Write([]byte(sts))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// recorded is one request as the test server received it.
type recorded struct {
	Method, Path      string
	RawQuery, RawBody string
	Query, Form       url.Values
	Header            http.Header
}

// action returns the Action query parameter.
func (r recorded) action() string { return r.Query.Get("Action") }

// reply produces the canned answer for a verified request.
type reply func(rec recorded) (status int, body string)

// fakeServer verifies each request's V1 signature and nonce, records it and
// answers with reply. A bad signature gets the gateway's string-Code error.
type fakeServer struct {
	*httptest.Server
	reply reply

	mu     sync.Mutex
	reqs   []recorded
	nonces map[string]bool
}

// newFakeServer starts a server that answers every verified request with r.
func newFakeServer(t testing.TB, r reply) *fakeServer {
	t.Helper()
	s := &fakeServer{reply: r, nonces: map[string]bool{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.handle))
	t.Cleanup(s.Close)
	return s
}

// fixed answers every request with the same status and body.
func fixed(status int, body string) reply {
	return func(recorded) (int, string) { return status, body }
}

func (s *fakeServer) handle(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	rec := recorded{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery,
		RawBody: string(body), Query: r.URL.Query(), Header: r.Header.Clone()}
	rec.Form, err = url.ParseQuery(string(body))
	if err != nil {
		writeJSON(w, 400, `{"RequestId":"T","Code":"BadForm","Message":"form body does not parse"}`)
		return
	}
	if status, msg := s.verify(rec); status != 0 {
		writeJSON(w, status, fmt.Sprintf(`{"RequestId":"SIG-REQ","HostId":"test","Code":%q,"Message":%q}`, msg[0], msg[1]))
		return
	}
	s.mu.Lock()
	s.reqs = append(s.reqs, rec)
	s.mu.Unlock()
	status, out := s.reply(rec)
	writeJSON(w, status, out)
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	io.WriteString(w, body)
}

// verify checks method, content type, timestamp, nonce and signature
// (sdk-go-v1.md §2). It returns 0 when the request is genuine.
func (s *fakeServer) verify(rec recorded) (int, [2]string) {
	if rec.Method != http.MethodPost || rec.Path != "/" {
		return 404, [2]string{"InvalidApi.NotFound", "Specified api is not found, please check your url and method."}
	}
	if ct := rec.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
		return 400, [2]string{"BadContentType", ct}
	}
	p := map[string]string{}
	for k, v := range rec.Query {
		p[k] = v[0]
	}
	for k, v := range rec.Form { // form wins on a clash, as the SDK signs it
		p[k] = v[0]
	}
	ts, err := time.Parse("2006-01-02T15:04:05Z", p["Timestamp"])
	if err != nil || time.Since(ts).Abs() > 15*time.Minute {
		return 400, [2]string{"InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted."}
	}
	if p["AccessKeyId"] != testAK {
		return 404, [2]string{"InvalidAccessKeyId.NotFound", "Specified access key is not found."}
	}
	sts := stringToSign(rec.Method, p)
	if !hmac.Equal([]byte(popSign(sts, testSecret)), []byte(rec.Query.Get("Signature"))) {
		return 400, [2]string{"SignatureDoesNotMatch", "Specified signature is not matched with our calculation. server string to sign is:" + sts}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.nonces[p["SignatureNonce"]] {
		return 400, [2]string{"SignatureNonceUsed", "Specified signature nonce was used already."}
	}
	s.nonces[p["SignatureNonce"]] = true
	return 0, [2]string{}
}

// requests returns a copy of the verified requests so far.
func (s *fakeServer) requests() []recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]recorded(nil), s.reqs...)
}

// last returns the only verified request, failing the test otherwise.
func (s *fakeServer) last(t *testing.T) recorded {
	t.Helper()
	reqs := s.requests()
	if len(reqs) != 1 {
		t.Fatalf("server saw %d verified requests, want 1", len(reqs))
	}
	return reqs[0]
}

// newClient builds a Client for srv; mod may adjust the config.
func newClient(t testing.TB, endpoint string, mod func(*Config)) *Client {
	t.Helper()
	cfg := Config{Endpoint: endpoint, AccessKeyID: testAK, AccessKeySecret: testSecret}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// TestVerifierGoldenVector pins the test server's verifier to the golden
// vector of sdk-go-v1.md §2, so a broken verifier cannot pass silently.
func TestVerifierGoldenVector(t *testing.T) {
	p := map[string]string{
		"AccessKeyId": "testAccessKeyId", "Action": "UpdateImage", "Format": "JSON",
		"RegionId": "ap-southeast-1", "SignatureMethod": "HMAC-SHA1",
		"SignatureNonce": "0123456789abcdef0123456789abcdef", "SignatureType": "",
		"SignatureVersion": "1.0", "Timestamp": "2026-01-02T03:04:05Z", "Version": "2020-12-14",
		"InstanceName": "demoinstance1", "ProductId": "2092061_1", "PicName": "namexxx.jpg",
		"CustomContent": "a b+c*d~e/中", "IntAttr": "2",
	}
	const wantSTS = "POST&%2F&AccessKeyId%3DtestAccessKeyId%26Action%3DUpdateImage%26CustomContent%3Da%2520b%252Bc%252Ad~e%252F%25E4%25B8%25AD%26Format%3DJSON%26InstanceName%3Ddemoinstance1%26IntAttr%3D2%26PicName%3Dnamexxx.jpg%26ProductId%3D2092061_1%26RegionId%3Dap-southeast-1%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D0123456789abcdef0123456789abcdef%26SignatureType%3D%26SignatureVersion%3D1.0%26Timestamp%3D2026-01-02T03%253A04%253A05Z%26Version%3D2020-12-14"
	sts := stringToSign("POST", p)
	if sts != wantSTS {
		t.Fatalf("string to sign:\n got %s\nwant %s", sts, wantSTS)
	}
	if got := popSign(sts, "testAccessKeySecret"); got != "4VJESEzzcn6S+sryHwx5s3dnFR4=" {
		t.Fatalf("signature = %s", got)
	}
}

// blockUntilGone returns a handler that signals arrival and then holds the
// request until the client gives up on it.
func blockUntilGone(arrived chan struct{}) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case arrived <- struct{}{}:
		default:
		}
		<-r.Context().Done()
	})
}
