package emulator

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/imagesearch"
)

// shortLimits are the deadlines of the slow-client tests: short, so a test waits a fraction of a second
// for what a user's emulator does in seconds.
var shortLimits = Limits{ReadHeaderTimeout: 300 * time.Millisecond, BodyTimeout: 300 * time.Millisecond}

// cutOffWithin is how long a test waits for the server to let go of a slow client: far over shortLimits,
// far under what a missing deadline would take (forever).
const cutOffWithin = 5 * time.Second

// dialRaw opens a raw connection to the emulator, closed when the test ends.
func dialRaw(t *testing.T, e *env) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(e.srv.URL(), "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// readUntilClosed reads c until the server closes it and returns what it sent, failing the test if that
// takes longer than cutOffWithin.
func readUntilClosed(t *testing.T, c net.Conn) []byte {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(cutOffWithin))
	got, err := io.ReadAll(c)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("the server still holds the connection after %v; it sent %q", cutOffWithin, got)
	}
	return got
}

// TestSlowClientsCutOff checks the read deadlines (Limits): a client that trickles its header is cut off
// after ReadHeaderTimeout, and one that announces 1,000 bytes of body and sends 17 gets the transfer timeout
// (ref §1.5) and loses the connection after BodyTimeout.
func TestSlowClientsCutOff(t *testing.T) {
	e := startEnv(t, Options{Limits: shortLimits})
	t.Run("trickled header", func(t *testing.T) {
		c := dialRaw(t, e)
		done := make(chan struct{})
		defer close(done)
		go func() { // one header byte every 20 ms, until the server lets go
			for _, b := range []byte("POST / HTTP/1.1\r\nHost: x\r\nX-Slow: " + strings.Repeat("a", 10_000)) {
				select {
				case <-done:
					return
				case <-time.After(20 * time.Millisecond):
				}
				if _, err := c.Write([]byte{b}); err != nil {
					return
				}
			}
		}()
		start := time.Now()
		readUntilClosed(t, c)
		t.Logf("cut off after %v", time.Since(start))
	})
	t.Run("short body", func(t *testing.T) {
		c := dialRaw(t, e)
		io.WriteString(c, "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"+
			"Content-Length: 1000\r\n\r\nInstanceName=demo")
		resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(readUntilClosed(t, c))), nil)
		if err != nil {
			t.Fatalf("no answer before the connection closed: %v", err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		wantError(t, reply{Status: resp.StatusCode, Header: resp.Header, Body: body, M: decodeMap(t, body)},
			contract.TimeoutForTransferImage)
	})
}

// TestIdleConnectionClosed checks Limits.IdleTimeout: a keep-alive connection that sends no second request
// is closed after it (the other deadlines are at their defaults, far longer than the wait).
func TestIdleConnectionClosed(t *testing.T) {
	e := startEnv(t, Options{Limits: Limits{IdleTimeout: 300 * time.Millisecond}})
	c := dialRaw(t, e)
	r := &rawReq{Query: form("InstanceName", testInstance)}
	signV1(r, contract.OpDetail, testKeyID, testSecret, time.Now())
	if err := r.build(e.srv.URL()).Write(c); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Close {
		t.Fatalf("status %d, close %v: want a kept-alive 200", resp.StatusCode, resp.Close)
	}
	c.SetReadDeadline(time.Now().Add(cutOffWithin))
	if _, err := br.ReadByte(); errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("an idle connection is still open after %v", cutOffWithin)
	}
}

// TestConnectionLimit checks Limits.MaxConns: with one connection allowed and a silent client holding it, a
// second client is served only once the first has been cut off.
func TestConnectionLimit(t *testing.T) {
	e := startEnv(t, Options{Limits: Limits{MaxConns: 1, ReadHeaderTimeout: 300 * time.Millisecond}})
	holder := dialRaw(t, e)
	r := e.v1(contract.OpDetail, nil, form("InstanceName", testInstance))
	wantOK(t, r)
	// The answer came after the holder's connection was closed, so reading it ends at once.
	holder.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	if _, err := holder.Read(make([]byte, 1)); !errors.Is(err, io.EOF) {
		t.Fatalf("the silent connection was still open while a second client was served (read: %v)", err)
	}
}

// TestLimitListener checks the accept bound on its own: a second Accept waits until the first connection
// is closed, and Close releases a waiting Accept.
func TestLimitListener(t *testing.T) {
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := newLimitListener(inner, 1)
	defer l.Close()
	for range 2 {
		c, err := net.Dial("tcp", inner.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
	}
	first, err := l.Accept()
	if err != nil {
		t.Fatal(err)
	}
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := l.Accept()
		accepted <- c
	}()
	select {
	case <-accepted:
		t.Fatal("a second connection was accepted while the only slot was taken")
	case <-time.After(100 * time.Millisecond):
	}
	first.Close()
	select {
	case c := <-accepted:
		if c == nil {
			t.Fatal("Accept failed after the slot was freed")
		}
		c.Close()
	case <-time.After(cutOffWithin):
		t.Fatal("the freed slot was not reused")
	}
	go func() { c, _ := l.Accept(); accepted <- c }()
	l.Close()
	select {
	case c := <-accepted:
		if c != nil {
			t.Error("Accept returned a connection after Close")
		}
	case <-time.After(cutOffWithin):
		t.Fatal("Close did not release a waiting Accept")
	}
}

// decodeMap decodes a JSON object body for the raw-connection tests.
func decodeMap(t *testing.T, body []byte) map[string]any {
	t.Helper()
	m, err := imagesearch.DecodeMap(body)
	if err != nil {
		t.Fatalf("body is not one JSON object: %v\n%s", err, body)
	}
	return m
}

// TestBodyOverLimitClosesConnection checks that a body found over the 8 MB bound while it is read (chunked,
// so no Content-Length gives it away) is answered errBodyTooLarge with Connection: close, so net/http does
// not read the rest of it for a next request.
func TestBodyOverLimitClosesConnection(t *testing.T) {
	e := startEnv(t, Options{})
	body := strings.Repeat("a", contract.MaxBodySize+1)
	req := (&rawReq{Query: form("Action", contract.OpUpdateImage)}).build(e.srv.URL())
	req.Body, req.ContentLength = io.NopCloser(strings.NewReader(body)), -1
	resp, err := (&http.Client{}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != errBodyTooLarge.Status || !resp.Close {
		t.Fatalf("status %d, Connection: close %v; want %d and a closed connection", resp.StatusCode, resp.Close, errBodyTooLarge.Status)
	}
}

// TestReadBody checks readBody's bound and its cost: a body of the announced length is read with one
// allocation, one byte over contract.MaxBodySize is errBodyTooLarge, exactly MaxBodySize is accepted.
func TestReadBody(t *testing.T) {
	for _, tc := range []struct {
		size, announced int
		want            *apiError
	}{
		{contract.MaxBodySize, -1, nil},
		{contract.MaxBodySize + 1, -1, &errBodyTooLarge},
		{contract.MaxBodySize, contract.MaxBodySize, nil},
		{10, 10, nil},
		{10, -1, nil},
	} {
		in := bytes.Repeat([]byte("a"), tc.size)
		r := &http.Request{Body: io.NopCloser(bytes.NewReader(in)), ContentLength: int64(tc.announced)}
		got, e := readBody(httptest.NewRecorder(), r)
		if e != tc.want || (e == nil && !bytes.Equal(got, in)) {
			t.Errorf("size %d (announced %d): %d bytes, %v; want the body, %v", tc.size, tc.announced, len(got), e, tc.want)
		}
	}
	src := bytes.NewReader(nil)
	r := &http.Request{Body: io.NopCloser(src), ContentLength: 300}
	w := httptest.NewRecorder()
	in := bytes.Repeat([]byte("a"), 300)
	n := testing.AllocsPerRun(100, func() {
		src.Reset(in)
		if _, e := readBody(w, r); e != nil {
			t.Fatal(e)
		}
	})
	if n != 1 {
		t.Errorf("readBody of an announced body: %v allocations, want 1", n)
	}
}
