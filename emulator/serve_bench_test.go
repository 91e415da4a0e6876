package emulator

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/signature"
)

// discardWriter is the cheapest http.ResponseWriter: the benchmark measures the handler, not a recorder.
type discardWriter struct {
	h      http.Header
	status int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(status int)      { w.status = status }

// signedRing is how many distinct signed requests BenchmarkServeUpdateImage cycles through. A fresh server
// takes each round, outside the timer, since its replay guard refuses a nonce seen before; a bounded set
// keeps the live heap, and so the collector's work in the timed loop, the size of a real server's.
const signedRing = 8192

// BenchmarkServeUpdateImage measures the request path of a signed V1 UpdateImage in process: decoding,
// signature and replay checks, validation, the update and the answer. The requests are signed before the
// timer starts, so only the server's work is measured.
func BenchmarkServeUpdateImage(b *testing.B) {
	now := time.Now()
	type signed struct {
		query string
		body  []byte
	}
	sign := func(action string, f url.Values) signed {
		q := signature.CommonV1(action, contract.Version, testKeyID, now)
		q.Set("Signature", signature.SignV1(http.MethodPost, signature.MergeParams(q, f), testSecret))
		return signed{q.Encode(), []byte(f.Encode())}
	}
	serve := func(srv *Server, s signed) int {
		req := &http.Request{Method: http.MethodPost, URL: &url.URL{Path: "/", RawQuery: s.query}, Proto: "HTTP/1.1",
			ProtoMajor: 1, ProtoMinor: 1, Host: "127.0.0.1:8780", RemoteAddr: "127.0.0.1:40000",
			Header:        http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
			Body:          io.NopCloser(bytes.NewReader(s.body)),
			ContentLength: int64(len(s.body)), RequestURI: "/?" + s.query}
		w := &discardWriter{h: http.Header{}}
		srv.ServeHTTP(w, req)
		return w.status
	}
	var srv *Server
	fresh := func() {
		if srv != nil {
			srv.Close()
		}
		var err error
		srv, err = New(Options{Now: func() time.Time { return now }, Credentials: []Credential{{ID: testKeyID, Secret: testSecret}},
			Instances: []Instance{{Name: testInstance, Unlimited: true}}})
		if err != nil {
			b.Fatal(err)
		}
		if st := serve(srv, sign(contract.OpAddImage, addForm("load", "load.jpg", 1))); st != http.StatusOK {
			b.Fatalf("AddImage: %d", st)
		}
	}
	reqs := make([]signed, signedRing)
	for i := range reqs {
		reqs[i] = sign(contract.OpUpdateImage, url.Values{"InstanceName": {testInstance}, "ProductId": {"load"},
			"PicName": {"load.jpg"}, "IntAttr": {strconv.Itoa(i)}, "StrAttr": {"v" + strconv.Itoa(i%100)}})
	}
	fresh()
	defer func() { srv.Close() }()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if i%signedRing == 0 && i > 0 {
			b.StopTimer()
			fresh()
			b.StartTimer()
		}
		if st := serve(srv, reqs[i%signedRing]); st != http.StatusOK {
			b.Fatalf("UpdateImage: %d", st)
		}
	}
}
