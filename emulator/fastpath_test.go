package emulator

import (
	"bytes"
	"encoding/json"
	"net/url"
	"testing"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/emulator/internal/store"
	"github.com/imagesearch-conformance/conformance/signature"
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
		// UpdateImage answers by pointer (call.succeeded); encoding/json encodes both alike.
		if got, ok := appendWriteResult(nil, &r); !ok || string(got) != want.String() {
			t.Errorf("appendWriteResult(&%+v) = %q, %v; encoding/json %q", r, got, ok, want.String())
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
	if _, e := srv.updateImage(&call{action: contract.OpUpdateImage, params: signature.ParamsOf(params)}); e != nil {
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
