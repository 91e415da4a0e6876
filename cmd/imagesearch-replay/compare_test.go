package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/imagesearch-conformance/conformance/suites/harness"
)

const (
	uuidA = "3E010A29-9C35-4DD5-B10B-1241260AE817"
	uuidB = "8C2F7D3B-2E57-4E0A-8E0A-58C0F1C0D2AA"
)

// search builds a search body with the given Head counts and results.
func search(reqID string, found, returned int, auctions string) string {
	return `{"RequestId":"` + reqID + `","Code":0,"Msg":"success","Success":true,"Head":{"DocsFound":` +
		itoa(found) + `,"DocsReturn":` + itoa(returned) + `,"SearchTime":3},"Auctions":[` + auctions + `]}`
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func auction(pid, str string, score string) string {
	return `{"ProductId":"` + pid + `","PicName":"a.jpg","CategoryId":4,"CustomContent":"c","Score":` + score +
		`,"SortExprValues":"5.1;0","IntAttr":1,"StrAttr":"` + str + `"}`
}

// TestCompareRules: each rule compares what it names, and what legitimately varies passes by rule.
func TestCompareRules(t *testing.T) {
	long := strings.Repeat("x", 300)
	for _, c := range []struct {
		name          string
		status        [2]int
		recorded, rep string
		want          []string
	}{
		{"identical", [2]int{200, 200}, search(uuidA, 3, 1, auction("p1", "s", "1")), search(uuidA, 3, 1, auction("p1", "s", "1")), nil},
		{"another UUID, score and search time", [2]int{200, 200}, search(uuidA, 3, 1, auction("p1", "s", "0.9")),
			strings.Replace(search(uuidB, 9, 1, auction("p1", "s", "0.8")), `"SearchTime":3`, `"SearchTime":7`, 1), nil},
		{"status", [2]int{400, 404}, `{"RequestId":"` + uuidA + `","Code":"InvalidInstance","Message":"m"}`,
			`{"RequestId":"` + uuidA + `","Code":"InvalidInstance","Message":"m"}`, []string{"status"}},
		{"code and message", [2]int{400, 400}, `{"RequestId":"` + uuidA + `","Code":"InvalidStrAttr","Message":"m"}`,
			`{"RequestId":"` + uuidA + `","Code":"InvalidStrAttr4","Message":"n"}`, []string{"code", "message"}},
		{"numeric code", [2]int{400, 400}, `{"RequestId":"` + uuidA + `","Code":"BadRequest","Message":"m"}`,
			`{"RequestId":"` + uuidA + `","Code":400,"Message":"m"}`, []string{"shape"}},
		{"missing key", [2]int{400, 400}, `{"RequestId":"` + uuidA + `","Code":"X","Message":"m"}`,
			`{"Code":"X","Message":"m"}`, []string{"shape"}},
		{"opaque request id", [2]int{200, 200}, search(uuidA, 3, 1, ""), search("0123456789abcdef0123456789abcdef", 3, 1, ""), []string{"request-id"}},
		{"attribute", [2]int{200, 200}, search(uuidA, 3, 1, auction("p1", "s", "1")), search(uuidA, 3, 1, auction("p1", "t", "1")), []string{"attributes"}},
		{"result keys", [2]int{200, 200}, search(uuidA, 3, 1, auction("p1", "s", "1")), search(uuidA, 3, 1, auction("p2", "s", "1")), []string{"result-keys"}},
		{"order is free", [2]int{200, 200}, search(uuidA, 3, 2, auction("p1", "s", "1")+","+auction("p2", "s", "0.5")),
			search(uuidA, 3, 2, auction("p2", "s", "0.5")+","+auction("p1", "s", "1")), nil},
		{"score out of range", [2]int{200, 200}, search(uuidA, 3, 1, auction("p1", "s", "1")), search(uuidA, 3, 1, auction("p1", "s", "1.5")), []string{"score"}},
		{"head order", [2]int{200, 200}, search(uuidA, 3, 1, ""), search(uuidA, 1, 3, ""), []string{"head"}},
		{"head not an integer", [2]int{200, 200}, search(uuidA, 3, 1, ""), strings.Replace(search(uuidA, 3, 1, ""), `"SearchTime":3`, `"SearchTime":3.5`, 1), []string{"head"}},
		{"head not an object", [2]int{200, 200}, search(uuidA, 3, 1, ""), `{"RequestId":"` + uuidA + `","Code":0,"Msg":"success","Success":true,"Head":[],"Auctions":[]}`, []string{"shape"}},
		{"head lacks a key", [2]int{200, 200}, search(uuidA, 3, 1, ""), strings.Replace(search(uuidA, 3, 1, ""), `,"SearchTime":3`, "", 1), []string{"shape"}},
		{"deleted names as a multiset", [2]int{200, 200}, `{"RequestId":"` + uuidA + `","Code":0,"Message":"success","Success":true,"Data":{"PicNames":["a","b"]}}`,
			`{"RequestId":"` + uuidA + `","Code":0,"Message":"success","Success":true,"Data":{"PicNames":["b","a"]}}`, nil},
		{"truncated string", [2]int{200, 200}, `{"RequestId":"` + uuidA + `","V":"` + harness.TruncatedString(long) + `"}`,
			`{"RequestId":"` + uuidA + `","V":"` + long + `"}`, nil},
		{"truncated string differs", [2]int{200, 200}, `{"RequestId":"` + uuidA + `","V":"` + harness.TruncatedString(long) + `"}`,
			`{"RequestId":"` + uuidA + `","V":"` + long + `y"}`, []string{"truncated"}},
		{"host id varies", [2]int{400, 400}, `{"RequestId":"` + uuidA + `","HostId":"127.0.0.1:1","Code":"X","Message":"m"}`,
			`{"RequestId":"` + uuidA + `","HostId":"127.0.0.1:2","Code":"X","Message":"m"}`, nil},
		{"instance timestamps vary", [2]int{200, 200}, `{"RequestId":"` + uuidA + `","Instance":{"UtcCreate":"1","Qps":5}}`,
			`{"RequestId":"` + uuidA + `","Instance":{"UtcCreate":"2","Qps":5}}`, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := &harness.RecordedCall{Status: c.status[0], Body: json.RawMessage(c.recorded)}
			diffs := compareAnswers(rec, answer{Status: c.status[1], Body: json.RawMessage(c.rep)}, func(string) bool { return false })
			var got []string
			for _, d := range diffs {
				if !slices.Contains(got, d.Rule) {
					got = append(got, d.Rule)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, c.want) {
				t.Errorf("rules %v, want %v (%+v)", got, c.want, diffs)
			}
		})
	}
}

// TestPace: on an instance that keeps its limits, a recorded throttling answer the replay does not give
// is pace, not a difference; a spec whose throttling volume differs beyond max(2, 10 %) is a difference.
func TestPace(t *testing.T) {
	for _, c := range []struct {
		calls, differences int
	}{{2, 0}, {6, 1}} {
		path := writeThrottledRecording(t, c.calls)
		f, err := replay(context.Background(), []string{path}, options{pictures: 1, paceCap: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		if f.Totals.Exchanges != c.calls || f.Totals.Pace != c.calls || f.Totals.Differences != c.differences ||
			len(f.ThrottleVolume) != c.differences {
			t.Errorf("%d recorded DeniedRequest: totals %+v, throttle volume %+v", c.calls, f.Totals, f.ThrottleVolume)
		}
	}
}

// writeThrottledRecording writes a recording of n UpdateImage calls 100 ms apart on the throttled
// instance, each answered DeniedRequest: at 10/s the replay is never throttled.
func writeThrottledRecording(t *testing.T, n int) string {
	start := time.Now()
	h := harness.RecordHeader{Kind: harness.RecordRun, Schema: harness.RecordingSchema, Target: "in-process emulator",
		InProcess: true, Profile: "intl-2025", Instance: "conformance", ThrottleInstance: "throttled",
		Unlimited: []string{"conformance"}, RunID: "abcd", Process: 1, Processes: 1, Started: start}
	denied := `{"RequestId":"` + uuidA + `","Code":"DeniedRequest","Message":"Request was denied due to user flow control."}`
	lines := []any{h}
	for i := range n {
		lines = append(lines, harness.RecordedCall{Kind: harness.RecordCall, Time: start.Add(time.Duration(i) * 100 * time.Millisecond),
			Spec: "UpdateImage QPS throttling refuses", Action: "UpdateImage", Instance: "throttled", Status: 403,
			Body: json.RawMessage(denied), Params: harness.RecordedParams{Form: map[string]harness.ParamValue{
				"InstanceName": {Text: "throttled"}, "ProductId": {Text: "p"}, "PicName": {Text: "a.jpg"}, "StrAttr": {Text: "v"}}}})
	}
	var b []byte
	for _, l := range lines {
		j, _ := json.Marshal(l)
		b = append(append(b, j...), '\n')
	}
	path := filepath.Join(t.TempDir(), "pace.jsonl")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestTaint: after a pace difference changed a product, its state-dependent differences are pace; a
// RequestId of another form is still a difference.
func TestTaint(t *testing.T) {
	rec := &harness.RecordedCall{Status: 200, Body: json.RawMessage(search(uuidA, 3, 1, auction("p1", "s", "1")))}
	rep := answer{Status: 200, Body: json.RawMessage(search("0123456789abcdef0123456789abcdef", 3, 1, auction("p1", "t", "1")))}
	diffs := compareAnswers(rec, rep, func(pid string) bool { return pid == "p1" })
	tainted := map[string]bool{}
	for _, d := range diffs {
		tainted[d.Rule] = d.tainted
	}
	if len(tainted) != 2 || !tainted["attributes"] || tainted["request-id"] {
		t.Errorf("diffs %+v: want attributes tainted, request-id not", diffs)
	}
}
