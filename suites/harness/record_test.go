package harness

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/emulator"
	"github.com/imagesearch-conformance/conformance/imagesearch"
)

func TestRecordPath(t *testing.T) {
	for _, c := range []struct {
		file        string
		proc, total int
		want        string
	}{
		{"/tmp/rec.jsonl", 1, 1, "/tmp/rec.jsonl"},
		{"/tmp/rec.jsonl", 2, 3, "/tmp/rec-p2.jsonl"},
		{"rec", 1, 2, "rec-p1"},
		{"a.b/rec.json", 4, 4, "a.b/rec-p4.json"},
	} {
		if got := RecordPath(c.file, c.proc, c.total); got != c.want {
			t.Errorf("RecordPath(%q, %d, %d) = %q, want %q", c.file, c.proc, c.total, got, c.want)
		}
	}
}

// Credentials of the redaction test: the secret has characters URL-escaping changes.
const (
	recKeyID  = "LTAIrecordKey1234"
	recSecret = "rec0rd/Secret+Value="
)

// TestRecordingHoldsNoCredential records calls that carry the secret in a parameter, send the common
// parameters through Raw and get both credentials echoed in their bodies: the recording must hold
// neither credential (raw or URL-escaped) and no Signature, and ScanRecordings must agree.
func TestRecordingHoldsNoCredential(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("x-acs-request-id", "REQ-1")
		msg := r.PostForm.Get("CustomContent") + " AccessKeyId=" + r.URL.Query().Get("AccessKeyId") + " " + url.QueryEscape(recSecret)
		// A line break inside the body must not split the recording's line.
		fmt.Fprintf(w, "{\"RequestId\":\"REQ-1\",\n\"Code\":0,\"Message\":%q,\"Success\":true}", msg)
	}))
	defer srv.Close()
	path := filepath.Join(t.TempDir(), "out", "rec.jsonl")
	rec, err := OpenRecorder(path, RecordHeader{Target: "test"}, recSecret, recKeyID)
	if err != nil {
		t.Fatal(err)
	}
	c, err := imagesearch.New(imagesearch.Config{Endpoint: srv.URL, AccessKeyID: recKeyID, AccessKeySecret: recSecret,
		OnCall: func(ci imagesearch.CallInfo) { rec.Call(ci, "spec") }})
	if err != nil {
		t.Fatal(err)
	}
	raw := map[string]string{"AccessKeyId": recKeyID, "Signature": "c2lnbmF0dXJl", "SignatureNonce": "n-1",
		"Timestamp": "2026-01-01T00:00:00Z", "CustomContent": "holds " + recSecret}
	for range 3 {
		if _, err := c.UpdateImage(context.Background(), &imagesearch.UpdateImageRequest{InstanceName: "i",
			ProductId: "p", Raw: raw, Attributes: imagesearch.Attributes{StrAttr3: imagesearch.Ptr("q")}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, needle := range []string{recSecret, url.QueryEscape(recSecret), recKeyID, url.QueryEscape(recKeyID), "Signature"} {
		if bytes.Contains(b, []byte(needle)) {
			t.Errorf("the recording holds %q:\n%s", needle, b)
		}
	}
	if err := ScanRecordings(path, t.TempDir(), recSecret, recKeyID); err != nil {
		t.Errorf("ScanRecordings: %v", err)
	}
	r, err := ReadRecording(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Calls) != 3 {
		t.Fatalf("%d calls recorded, want 3", len(r.Calls))
	}
	call := r.Calls[0]
	var body struct{ Message string }
	if err := json.Unmarshal(call.Body, &body); err != nil || !strings.Contains(body.Message, "holds ***") {
		t.Errorf("recorded body %s (%v): want the echoed secret masked", call.Body, err)
	}
	if call.Params.Form["AccessKeyId"].Text != MaskKeyID(recKeyID) || call.Params.Query["StrAttr3"].Text != "q" ||
		call.Headers["x-acs-request-id"] != "REQ-1" || call.Spec != "spec" || call.Instance != "i" || call.Time.IsZero() {
		t.Errorf("recorded call = %+v", call)
	}
}

// TestScanRecordingsFindsALeak: a credential in a recording outside the report directory fails the scan.
func TestScanRecordingsFindsALeak(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "rec-p2.jsonl")
	if err := os.WriteFile(path, []byte(`{"kind":"run","k":"`+recKeyID+`"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := ScanRecordings(filepath.Join(dir, "rec.jsonl"), t.TempDir(), recSecret, recKeyID); err == nil {
		t.Error("a recording holding the AccessKeyId passed the scan")
	}
	if err := ScanRecordings(filepath.Join(dir, "rec.jsonl"), dir, recSecret, recKeyID); err != nil {
		t.Errorf("a recording inside the report directory is the report scan's job: %v", err)
	}
}

// TestCapBody: small JSON is kept, big JSON keeps its structure with long strings as markers, other
// text is cut at the cap.
func TestCapBody(t *testing.T) {
	long := strings.Repeat("é", contract.MaxCustomContent)
	var items []string
	for range 40 {
		items = append(items, fmt.Sprintf(`{"CustomContent":%q,"IntAttr":1}`, long))
	}
	big := []byte(`{"Auctions":[` + strings.Join(items, ",") + `]}`)
	for _, c := range []struct {
		name      string
		in        []byte
		json      bool
		truncated bool
	}{
		{"small JSON", []byte(`{"Code":0}`), true, false},
		{"big JSON", big, true, true},
		{"small text", []byte("<html>bad gateway</html>"), false, false},
		{"big text", bytes.Repeat([]byte("é"), MaxRecordedBody), false, true},
	} {
		body, text, truncated := capBody(c.in)
		if (body != nil) != c.json || truncated != c.truncated || len(body)+len(text) > MaxRecordedBody {
			t.Errorf("%s: body %d bytes, text %d bytes, truncated %v", c.name, len(body), len(text), truncated)
		}
	}
	body, _, _ := capBody(big)
	var v struct {
		Auctions []struct{ CustomContent string }
	}
	if err := json.Unmarshal(body, &v); err != nil || len(v.Auctions) != 40 || v.Auctions[0].CustomContent != TruncatedString(long) {
		t.Errorf("big JSON capped to %d bytes, err %v", len(body), err)
	}
}

// TestOpenRecordsTheRun: a target opened with Record writes a header describing the in-process emulator,
// every call, and the faults injected through the target.
func TestOpenRecordsTheRun(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rec.jsonl")
	cfg, err := Load(env(map[string]string{EnvRecord: path, EnvReadings: "unsent=reset"}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tg, err := Open(ctx, cfg, Pacing{})
	if err != nil {
		t.Fatal(err)
	}
	pid := cfg.Prefix() + "1"
	pic := SuitePicture(7)
	if _, err := tg.API.addImage(ctx, &imagesearch.AddImageRequest{InstanceName: tg.Instance, ProductId: pid,
		PicName: "a.jpg", PicContent: pic}); err != nil {
		t.Fatal(err)
	}
	if err := tg.Faults.Inject(ctx, emulator.Fault{Action: contract.OpUpdateImage, ProductId: pid, Code: "InternalError"}); err != nil {
		t.Fatal(err)
	}
	if _, err := tg.API.UpdateImage(ctx, &imagesearch.UpdateImageRequest{InstanceName: tg.Instance, ProductId: pid,
		PicName: imagesearch.Ptr("a.jpg")}); err == nil {
		t.Fatal("the injected fault did not answer")
	}
	if err := tg.Faults.Clear(ctx, pid); err != nil {
		t.Fatal(err)
	}
	if err := tg.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := ReadRecording(f)
	if err != nil {
		t.Fatal(err)
	}
	h := r.Header
	if !h.InProcess || h.Instance != embeddedInstance || h.ThrottleInstance != embeddedThrottled ||
		len(h.Unlimited) != 1 || h.Unlimited[0] != embeddedInstance || h.RunID != cfg.RunID ||
		len(h.Readings) != 1 || h.Process != 1 || h.Processes != 1 {
		t.Errorf("header = %+v", h)
	}
	if len(r.Calls) != 2 || r.Calls[1].Status != 500 || len(r.Faults) != 2 || r.Faults[0].Fault.Code != "InternalError" ||
		r.Faults[1].Kind != RecordFaultClear || !r.Faults[0].Time.Before(r.Calls[1].Time) {
		t.Fatalf("calls %+v, faults %+v", r.Calls, r.Faults)
	}
	if d := r.Calls[0].Params.Form["PicContent"].Picture; d == nil || *d != DigestPicture(pic) {
		t.Errorf("PicContent recorded as %+v, want the picture's digest", r.Calls[0].Params.Form["PicContent"])
	}
}

// TestResolveRecordPath: a relative file is taken from the module root, an absolute one as it is.
func TestResolveRecordPath(t *testing.T) {
	root, err := filepath.Abs("../..") // this package is suites/harness
	if err != nil {
		t.Fatal(err)
	}
	if got := ResolveRecordPath("rec.jsonl"); got != filepath.Join(root, "rec.jsonl") {
		t.Errorf("relative: %q, want under %q", got, root)
	}
	if got := ResolveRecordPath("/tmp/rec.jsonl"); got != "/tmp/rec.jsonl" {
		t.Errorf("absolute: %q", got)
	}
}
