package main

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/signature"
)

// Credentials of the benchmarked emulator.
const (
	keyID    = "LTAIbench"
	secret   = "bench-secret-0123456789"
	instance = "bench"
)

// signedRequest builds a POST / with the form in the body and the RPC v1 common parameters, signed with
// HMAC-SHA1, in the query: the request the v1 SDK sends (ref §1.3). It is signed when called, so each
// request carries a fresh nonce and timestamp.
func signedRequest(base, action string, form url.Values) *http.Request {
	q := signature.CommonV1(action, contract.Version, keyID, time.Now())
	q.Set("Signature", signature.SignV1(http.MethodPost, signature.MergeParams(q, form), secret))
	req, err := http.NewRequest(http.MethodPost, base+"/?"+q.Encode(), bytes.NewReader([]byte(form.Encode())))
	if err != nil {
		panic(err) // base is our own loopback URL
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

// signedRequestV3 builds the same call signed with ACS3-HMAC-SHA256, Action and Version in x-acs-*
// headers (ref §1.3). V3 signs a hash of the body rather than every parameter, which makes it the
// cheaper scheme for requests carrying a picture.
func signedRequestV3(base, action string, form url.Values) *http.Request {
	body := []byte(form.Encode())
	req, err := http.NewRequest(http.MethodPost, base+"/", bytes.NewReader(body))
	if err != nil {
		panic(err) // base is our own loopback URL
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("x-acs-action", action)
	req.Header.Set("x-acs-version", contract.Version)
	if err := signature.SignV3(req, body, keyID, secret, time.Now(), signature.NewNonce()); err != nil {
		panic(err)
	}
	return req
}

// sent counts the signed requests sent: the emulator remembers each nonce for 15 minutes (ref §8.3),
// which is part of the memory measured.
var sent atomic.Int64

// send performs req and returns the status and body.
func send(c *http.Client, req *http.Request) (int, []byte, error) {
	sent.Add(1)
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, body, err
}

// newClient is the raw HTTP client of the load generator: keep-alive connections, one per worker.
func newClient(workers int) *http.Client {
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConns: workers, MaxIdleConnsPerHost: workers, DisableCompression: true}}
}
