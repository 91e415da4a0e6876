package imagesearch

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// TestOnCallCarriesTheExchange checks what a recorder needs from OnCall: the operation's parameters as
// sent (business parameters only, placed by the table), the answer's header and body, and the start time.
func TestOnCallCarriesTheExchange(t *testing.T) {
	const body = `{"RequestId":"OK-2","Code":0,"Message":"success","Success":true}`
	srv := newFakeServer(t, fixed(200, body))
	var got []CallInfo
	c := newClient(t, srv.URL, func(cfg *Config) { cfg.OnCall = func(ci CallInfo) { got = append(got, ci) } })
	before := time.Now()
	if _, err := c.UpdateImage(context.Background(), &UpdateImageRequest{InstanceName: "i", ProductId: "p",
		PicName: Ptr("n"), Attributes: Attributes{StrAttr3: Ptr("q"), CustomContent: Ptr("")}}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("OnCall ran %d times, want 1", len(got))
	}
	ci := got[0]
	want := map[string]string{"InstanceName": "i", "ProductId": "p", "PicName": "n", "StrAttr3": "q", "CustomContent": ""}
	if len(ci.Params) != len(want) {
		t.Errorf("Params = %v, want %v", ci.Params, want)
	}
	for k, v := range want {
		if g, ok := ci.Params[k]; !ok || g != v {
			t.Errorf("Params[%s] = %q (present %v), want %q", k, g, ok, v)
		}
	}
	for _, k := range commonParams {
		if _, ok := ci.Params[k]; ok {
			t.Errorf("Params carries the common parameter %s", k)
		}
	}
	if Placement(ActionUpdateImage, "StrAttr3") != InQuery || srv.last(t).Query.Get("StrAttr3") != "q" {
		t.Error("StrAttr3 should travel in the query, as Placement says")
	}
	if !bytes.Equal(ci.Body, []byte(body)) {
		t.Errorf("Body = %q", ci.Body)
	}
	if ct := ci.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Header Content-Type = %q", ct)
	}
	if ci.Start.Before(before) || ci.Start.After(time.Now()) {
		t.Errorf("Start %v is not within the call", ci.Start)
	}
}
