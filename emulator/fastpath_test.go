package emulator

import (
	"bytes"
	"encoding/json"
	"net/url"
	"testing"
	"unicode/utf8"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/emulator/internal/store"
)

// TestAppendWriteResultMatchesJSON checks the hand-written write success body against encoding/json, and
// that a string needing escapes is left to encoding/json.
func TestAppendWriteResultMatchesJSON(t *testing.T) {
	for _, r := range []writeResult{
		{Message: "success", RequestId: uuidRequestID(), Code: 0, Success: true},
		{Message: "", RequestId: "", Code: -12, Success: false},
		{Message: "a&b<c>", RequestId: "x y", Code: 7, Success: true},
	} {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.Encode(r)
		got, ok := appendWriteResult(nil, r)
		if !ok || string(got) != want.String() {
			t.Errorf("appendWriteResult(%+v) = %q, %v; encoding/json %q", r, got, ok, want.String())
		}
	}
	for _, s := range []string{`a"b`, `a\b`, "a\nb", "é"} {
		if _, ok := appendWriteResult(nil, writeResult{Message: s}); ok {
			t.Errorf("appendWriteResult took %q, which needs escaping", s)
		}
	}
	if _, ok := appendWriteResult(nil, deleteResult{}); ok {
		t.Error("appendWriteResult took another body")
	}
}

// TestMayHoldNonASCII checks the shortcut of the UTF-8 check: whenever it says no, every decoded name and
// value is ASCII.
func TestMayHoldNonASCII(t *testing.T) {
	for _, raw := range []string{"a=b", "a=%41%7F", "a=%80", "a=%c3%a9", "a=%C3%A9", "a=\xff", "%E9=x", "a=%", "a=%8",
		"a=%2B%2F%3D", "a=+", "\x80"} {
		p, _ := url.ParseQuery(raw)
		ascii := true
		for k, vs := range p {
			for _, s := range append([]string{k}, vs...) {
				for i := 0; i < len(s); i++ {
					ascii = ascii && s[i] < utf8.RuneSelf
				}
			}
		}
		if !ascii && !mayHoldNonASCII(raw) {
			t.Errorf("mayHoldNonASCII(%q) = false, but it decodes to %q", raw, p)
		}
	}
}

// TestUpdateStoresCopies checks that the image UpdateImage creates under update-creates-missing keeps no
// string of the request: UpdateImage reads its key without copying it, and copies only what it stores.
func TestUpdateStoresCopies(t *testing.T) {
	srv, err := New(Options{Credentials: []Credential{{ID: testKeyID, Secret: testSecret}},
		Instances: []Instance{{Name: testInstance, Unlimited: true}}, Mutants: []string{"update-creates-missing"}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	body := "InstanceName=" + testInstance + "&ProductId=product&PicName=picture&StrAttr=value"
	params, err := url.ParseQuery(body)
	if err != nil {
		t.Fatal(err)
	}
	if !sharesMemory(params.Get("ProductId"), body) {
		t.Skip("url.ParseQuery copies values; nothing to check")
	}
	if _, e := srv.updateImage(&call{action: contract.OpUpdateImage, params: params}); e != nil {
		t.Fatal(e)
	}
	found := 0
	srv.catalog.Scan(testInstance, func(r store.Record) bool {
		found++
		if sharesMemory(r.ProductId, body) || sharesMemory(r.PicName, body) || sharesMemory(r.StrAttr[0], body) {
			t.Errorf("stored %+v shares the request's memory", r)
		}
		return true
	})
	if found != 1 {
		t.Fatalf("%d images stored, want 1", found)
	}
}
