package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/fixtures"
	"github.com/imagesearch-conformance/conformance/imagesearch"
	"github.com/imagesearch-conformance/conformance/signature"
)

// Test credentials and the default instance of startEnv.
const (
	testKeyID    = "LTAItestkey"
	testSecret   = "test-secret-0123456789"
	testInstance = "demoinstance"
)

// requestIDPattern is the shape of the service's RequestId: an upper-case UUID (ref §2.2).
var requestIDPattern = regexp.MustCompile(`^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$`)

// fakeClock is a manually advanced clock for Options.Now. It starts at the real time so the v1 SDK,
// which always signs with the real clock, stays within the 15-minute skew window (ref §8.3).
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Now().UTC().Truncate(time.Second)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is one started emulator with an SDK client and a raw client pointed at it.
type env struct {
	t      testing.TB
	srv    *Server
	client *imagesearch.Client
	http   *http.Client
	now    func() time.Time
}

// startEnv starts an emulator on loopback. Unset credentials and instances get the test defaults
// (one Unlimited instance named testInstance); the server is closed when the test ends.
func startEnv(t testing.TB, opts Options) *env {
	t.Helper()
	if len(opts.Credentials) == 0 {
		opts.Credentials = []Credential{{ID: testKeyID, Secret: testSecret}}
	}
	if len(opts.Instances) == 0 {
		opts.Instances = []Instance{{Name: testInstance, Unlimited: true}}
	}
	srv, err := Start(opts)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	c, err := imagesearch.New(imagesearch.Config{Endpoint: srv.URL(), AccessKeyID: testKeyID, AccessKeySecret: testSecret})
	if err != nil {
		t.Fatalf("imagesearch.New: %v", err)
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	hc := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	t.Cleanup(hc.CloseIdleConnections) // runs before the server's Close
	return &env{t: t, srv: srv, client: c, now: now, http: hc}
}

// reply is a raw HTTP answer with its body decoded into a map (numbers kept as json.Number).
type reply struct {
	Status int
	Header http.Header
	Body   []byte
	M      map[string]any
}

// str returns a top-level string field of the body.
func (r reply) str(key string) string { s, _ := r.M[key].(string); return s }

// v1Common returns the RPC v1 common parameters the v1 SDK sends (sdk-go-v1.md §1.6).
func v1Common(action, keyID string, ts time.Time) url.Values {
	return signature.CommonV1(action, contract.Version, keyID, ts)
}

// rawReq describes one hand-built request. Common V1 parameters are added to Query by signV1.
type rawReq struct {
	Method      string // default POST
	Path        string // default "/"
	Query       url.Values
	Form        url.Values
	Body        []byte // when set, sent instead of the encoded Form
	ContentType string // default application/x-www-form-urlencoded
	Header      http.Header
}

// signV1 adds the common parameters for action to r.Query and signs query+form with secret.
func signV1(r *rawReq, action, keyID, secret string, ts time.Time) {
	if r.Query == nil {
		r.Query = url.Values{}
	}
	for k, v := range v1Common(action, keyID, ts) {
		if !r.Query.Has(k) {
			r.Query[k] = v
		}
	}
	method := r.Method
	if method == "" {
		method = http.MethodPost
	}
	r.Query.Set("Signature", signature.SignV1(method, signature.MergeParams(r.Query, r.Form), secret))
}

// build turns r into an *http.Request against base.
func (r *rawReq) build(base string) *http.Request {
	method, path := r.Method, r.Path
	if method == "" {
		method = http.MethodPost
	}
	if path == "" {
		path = "/"
	}
	body := r.Body
	if body == nil && r.Form != nil {
		body = []byte(r.Form.Encode())
	}
	u := base + path
	if len(r.Query) > 0 {
		u += "?" + r.Query.Encode()
	}
	req, err := http.NewRequest(method, u, bytes.NewReader(body))
	if err != nil {
		panic(err)
	}
	for k, v := range r.Header {
		req.Header[k] = v
	}
	ct := r.ContentType
	if ct == "" {
		ct = "application/x-www-form-urlencoded"
	}
	req.Header.Set("Content-Type", ct)
	return req
}

// in returns a copy of e that reports to t; subtests use it so failures land on the right test.
func (e *env) in(t testing.TB) *env {
	c := *e
	c.t = t
	return &c
}

// do sends req and reads the answer. It reports failures with Errorf, which is safe from any goroutine,
// and returns Status 0 when there was no answer, so the caller's assertions fail.
func (e *env) do(req *http.Request) reply {
	e.t.Helper()
	resp, err := e.http.Do(req)
	if err != nil {
		e.t.Errorf("%s %s: %v", req.Method, req.URL.Path, err)
		return reply{Header: http.Header{}}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Errorf("read body: %v", err)
		return reply{Header: http.Header{}}
	}
	r := reply{Status: resp.StatusCode, Header: resp.Header, Body: body}
	if len(body) > 0 {
		if r.M, err = imagesearch.DecodeMap(body); err != nil {
			e.t.Errorf("status %d: body is not one JSON object: %v\n%s", r.Status, err, body)
		}
	}
	return r
}

// v1 sends action with a valid V1 signature: form params in the body, query params in the query.
func (e *env) v1(action string, form, query url.Values) reply {
	e.t.Helper()
	r := &rawReq{Query: query, Form: form}
	signV1(r, action, testKeyID, testSecret, e.now())
	return e.do(r.build(e.srv.URL()))
}

// v3 sends action with a valid V3 (ACS3-HMAC-SHA256) signature; Action and Version travel only in the
// x-acs-* headers (ref §1.3).
func (e *env) v3(action string, form, query url.Values) reply {
	e.t.Helper()
	return e.do(e.v3Request(action, form, query))
}

func (e *env) v3Request(action string, form, query url.Values) *http.Request {
	e.t.Helper()
	r := &rawReq{Query: query, Form: form}
	req := r.build(e.srv.URL())
	req.Header.Set("x-acs-action", action)
	req.Header.Set("x-acs-version", contract.Version)
	req.Header.Set("Accept", "application/json")
	body := []byte{}
	if form != nil {
		body = []byte(form.Encode())
	}
	if err := signature.SignV3(req, body, testKeyID, testSecret, e.now(), signature.NewNonce()); err != nil {
		e.t.Fatalf("SignV3: %v", err)
	}
	return req
}

// signV3 signs req (whose body is body) with the test key at the real time.
func signV3(req *http.Request, body []byte) error {
	return signature.SignV3(req, body, testKeyID, testSecret, time.Now(), signature.NewNonce())
}

// form builds url.Values from alternating keys and values.
func form(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

// checkRequestID asserts the upper-case UUID RequestId of a body and the x-acs-request-id header.
func checkRequestID(t testing.TB, r reply) {
	t.Helper()
	id := r.str("RequestId")
	if !requestIDPattern.MatchString(id) {
		t.Errorf("RequestId %q is not an upper-case UUID; body %s", id, r.Body)
	}
	if h := r.Header.Get("x-acs-request-id"); h != id {
		t.Errorf("x-acs-request-id header %q, body RequestId %q", h, id)
	}
}

// wantError asserts a flat error body (ref §1.4): the status, a string Code, the literal Message, an
// upper-case UUID RequestId and HostId, and no other keys.
func wantError(t testing.TB, r reply, want contract.Error) {
	t.Helper()
	if r.Status != want.Status || r.str("Code") != want.Code || r.str("Message") != want.Message {
		t.Fatalf("got %d %v %q, want %d %s %q; body %s", r.Status, r.M["Code"], r.M["Message"],
			want.Status, want.Code, want.Message, r.Body)
	}
	checkShape(t, "error", r.M, errorShape)
	checkRequestID(t, r)
}

// wantCode asserts the status and Code of an error reply (for messages built elsewhere).
func wantCode(t testing.TB, r reply, status int, code string) {
	t.Helper()
	if r.Status != status || r.str("Code") != code {
		t.Fatalf("got %d %v, want %d %s; body %s", r.Status, r.M["Code"], status, code, r.Body)
	}
	checkShape(t, "error", r.M, errorShape)
	checkRequestID(t, r)
}

// wantOK asserts HTTP 200 with Success true and a well-formed RequestId.
func wantOK(t testing.TB, r reply) {
	t.Helper()
	if r.Status != http.StatusOK || r.M["Success"] != true {
		t.Fatalf("want 200 Success, got %d: %s", r.Status, r.Body)
	}
	checkRequestID(t, r)
}

// Pictures shared by the tests. They are small so decoding stays cheap under -race.
var (
	picCache = map[int64][]byte{}
	picMu    sync.Mutex
)

// picture returns a deterministic 160×120 JPEG scene for seed (JPEG keeps requests small, which matters
// under the race detector).
func picture(seed int64) []byte {
	picMu.Lock()
	defer picMu.Unlock()
	if b, ok := picCache[seed]; ok {
		return b
	}
	b := fixtures.Image(fixtures.JPEG, seed, 160, 120)
	picCache[seed] = b
	return b
}

// picB64 is picture(seed) as PicContent.
func picB64(seed int64) string { return fixtures.Base64(picture(seed)) }

// addForm is a complete AddImage form for (product, pic) with picture seed.
func addForm(product, pic string, seed int64, kv ...string) url.Values {
	f := form("InstanceName", testInstance, "ProductId", product, "PicName", pic, "PicContent", picB64(seed))
	for i := 0; i+1 < len(kv); i += 2 {
		f.Set(kv[i], kv[i+1])
	}
	return f
}

// add adds an image through V1 and fails the test unless it succeeds.
func (e *env) add(product, pic string, seed int64, kv ...string) {
	e.t.Helper()
	r := e.v1(contract.OpAddImage, addForm(product, pic, seed, kv...), nil)
	wantOK(e.t, r)
}

// exists reads one image back with CheckImageExists (ref §5.5).
func (e *env) exists(product, pic string) (bool, map[string]any) {
	e.t.Helper()
	r := e.v1(contract.OpCheckImageExists, form("InstanceName", testInstance, "ProductId", product, "PicName", pic), nil)
	wantOK(e.t, r)
	a, _ := r.M["Auctions"].(map[string]any)
	return r.M["Exists"] == true, a
}

// ctx is a test context.
func ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

// num renders a json.Number-or-other value as text, for comparisons.
func num(v any) string {
	switch n := v.(type) {
	case json.Number:
		return n.String()
	case nil:
		return "<absent>"
	}
	b, _ := json.Marshal(v)
	return "non-number " + string(b)
}

// repeat returns s repeated n times.
func repeat(s string, n int) string { return strings.Repeat(s, n) }
