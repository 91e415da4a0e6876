package emulator

import (
	"net"
	"net/url"
	"testing"
	"unsafe"

	"github.com/imagesearch-conformance/conformance/signature"
)

// sharesMemory reports whether s points into the bytes of outer.
func sharesMemory(s, outer string) bool {
	if len(s) == 0 || len(outer) == 0 {
		return false
	}
	p, base := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.StringData(outer)))
	return p >= base && p < base+uintptr(len(outer))
}

// TestStoredStringsAreCopies checks that the keys and attributes the emulator stores do not point into
// the request body: a parsed parameter is a slice of the body, so keeping it would keep the whole body
// (the picture included) alive as long as the image.
func TestStoredStringsAreCopies(t *testing.T) {
	srv, err := New(Options{Credentials: []Credential{{ID: testKeyID, Secret: testSecret}}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	body := "ProductId=product&PicName=picture&StrAttr=value&CustomContent=content&PicContent=" + repeat("A", 1000)
	params, err := url.ParseQuery(body)
	if err != nil {
		t.Fatal(err)
	}
	if !sharesMemory(params.Get("ProductId"), body) {
		t.Skip("url.ParseQuery copies values; nothing to check")
	}
	c := &call{params: signature.ParamsOf(params)}
	for _, name := range []string{"ProductId", "PicName"} {
		v, e := srv.key(c, name)
		if e != nil || sharesMemory(v, body) {
			t.Errorf("key %s = %q (error %v) shares the request body", name, v, e)
		}
	}
	p, e := srv.attributes(c, true)
	if e != nil {
		t.Fatal(e)
	}
	if sharesMemory(*p.strs[0], body) || sharesMemory(*p.custom, body) {
		t.Error("stored attributes share the request body")
	}
}

// BenchmarkCloseWithSpareConnection measures Close while a client holds a connection on which it never
// sent a request (the Go transport dials such spares under concurrency). net/http's Shutdown alone
// waits 5 s for such a connection.
func BenchmarkCloseWithSpareConnection(b *testing.B) {
	opts := Options{Credentials: []Credential{{ID: testKeyID, Secret: testSecret}}}
	for b.Loop() {
		srv, err := Start(opts)
		if err != nil {
			b.Fatal(err)
		}
		conn, err := net.Dial("tcp", srv.URL()[len("http://"):])
		if err != nil {
			b.Fatal(err)
		}
		srv.Close()
		conn.Close()
	}
}
