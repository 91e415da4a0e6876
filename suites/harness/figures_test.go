package harness

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/imagesearch"
)

// failingRun is a report with a failed spec carrying exchanges, a throttling spec whose burst is in the
// call log, and a deviation; body goes into the failed spec's last exchange as is.
func failingRun(body string) (types.Report, RunInfo) {
	burst := spec("bursts", types.SpecStatePassed, AreaThrottling)
	failed := spec("keeps 'quoted' (text)", types.SpecStateFailed, AreaLength, FootingDocumented)
	failed.Failure = types.Failure{Message: "Expected 256 to be accepted"}
	failed.ReportEntries = types.ReportEntries{{Name: ExchangesEntry, Value: types.WrapEntryValue(Exchanges{Calls: 3,
		Shown: []Exchange{{Action: "UpdateImage", Params: map[string]string{"ProductId": "p1", "Signature": "***"},
			Status: 400, Code: "InvalidParameter", Body: body, BodyBytes: len(body)}}})}}
	r := types.Report{SuiteDescription: "UpdateImage conformance", RunTime: 3 * time.Second, SpecReports: types.SpecReports{
		spec("a", types.SpecStatePassed, AreaLength), failed, burst,
		spec("skipped", types.SpecStateSkipped, AreaErrors), spec("other", types.SpecStatePassed, AreaOverwrite)}}
	var log CallLog
	t0 := time.Unix(1700000000, 0)
	for i := range 120 { // 60/s for two seconds: a third accepted
		ci := imagesearch.CallInfo{Action: contract.OpUpdateImage, Start: t0.Add(time.Duration(i) * time.Second / 60),
			Duration: time.Duration(i%7+1) * time.Millisecond, HTTPStatus: 200, Params: map[string]string{"InstanceName": "throttled"}}
		if i%3 != 0 {
			ci.HTTPStatus, ci.Err = 403, &imagesearch.APIError{Code: contract.DeniedRequest.Code}
		}
		log.add(ci, "bursts", true)
	}
	log.add(imagesearch.CallInfo{Action: contract.OpCheckImageExists, Start: t0, Duration: 2 * time.Millisecond, HTTPStatus: 200}, "a", false)
	run := RunInfo{Target: "in-process emulator", Instance: "i", Mutants: []string{"m1"}, CallLog: log,
		Calls: map[string]int{contract.OpUpdateImage: 120, contract.OpCheckImageExists: 1}}
	return r, run
}

func TestSummaryDrawsTheFiguresFromTheRunAndLoadsNothing(t *testing.T) {
	dir := t.TempDir()
	r, run := failingRun(`{"Code":"InvalidParameter"}`)
	res, err := WriteReports(dir, r, run)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := os.ReadFile(filepath.Join(dir, "summary.html"))
	html := string(page)
	for _, id := range []string{"fig-burst", "fig-latency", "fig-floor", "fig-areas"} {
		if !regexp.MustCompile(`<svg role="img" id="` + id + `"[^>]*>.*?<rect `).MatchString(html) {
			t.Errorf("summary.html has no %s figure with bars", id)
		}
	}
	if m := regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?\s*(https?:)?//`).FindString(html); m != "" {
		t.Errorf("summary.html loads from the network: %q", m)
	}
	for _, banned := range []string{"<script", "<link", "@import", "url(http"} {
		if strings.Contains(strings.ToLower(html), banned) {
			t.Errorf("summary.html contains %q", banned)
		}
	}
	for _, want := range []string{"120 UpdateImage calls of the throttling specs", "40 accepted, 80 refused",
		"limit 20/s", "The busiest second of send times holds 20 accepted calls", "1 passed · 1 failed · 0 deviated · 0 skipped",
		"HTTP exchanges: the last 1 of the spec's 3 calls", "HTTP 400 InvalidParameter", "ProductId=p1"} {
		if !strings.Contains(html, want) {
			t.Errorf("summary.html lacks %q", want)
		}
	}
	if len(res.Latency) != 2 || res.Latency[1].Action != contract.OpUpdateImage || res.Latency[1].P99Ms != 7 || res.Latency[1].P50Ms != 4 {
		t.Errorf("latency %+v", res.Latency)
	}
	if f := res.Failures[0]; len(f.Exchanges) != 1 || f.ExchangeCalls != 3 {
		t.Errorf("failure %+v carries no exchanges", f)
	}
	junit, _ := os.ReadFile(filepath.Join(dir, "junit.xml"))
	failure := regexp.MustCompile(`(?s)<failure [^>]*>(.*?)</failure>`).FindSubmatch(junit)
	if failure == nil || !strings.Contains(string(failure[1]), "HTTP exchanges of this spec: the last 1 of 3 calls") ||
		!strings.Contains(string(failure[1]), "HTTP 400 InvalidParameter") {
		t.Errorf("the JUnit failure text lacks the exchanges:\n%s", failure)
	}
}

func TestSecretScanCoversTheExchanges(t *testing.T) {
	dir := t.TempDir()
	r, run := failingRun(`{"Message":"echo ` + testSecret + `"}`)
	if _, err := WriteReports(dir, r, run); err != nil {
		t.Fatal(err)
	}
	if err := ScanForSecret(dir, testSecret, testKeyID); err == nil {
		t.Error("a secret in a failed spec's response body passed the scan")
	}
	clean := t.TempDir()
	r, run = failingRun(exchangesOf([]imagesearch.CallInfo{{Body: []byte(testSecret)}}, 1, scrubber(testSecret, testKeyID)).Shown[0].Body)
	if _, err := WriteReports(clean, r, run); err != nil {
		t.Fatal(err)
	}
	if err := ScanForSecret(clean, testSecret, testKeyID); err != nil {
		t.Errorf("a scrubbed body failed the scan: %v", err)
	}
}

func TestRerunFocusesExactlyTheFailedSpecs(t *testing.T) {
	r, run := failingRun("")
	res := BuildResults(r, run)
	if len(res.Rerun.Focus) != 1 {
		t.Fatalf("focus %v, want the one failed spec", res.Rerun.Focus)
	}
	re := regexp.MustCompile(res.Rerun.Focus[0])
	for _, sr := range r.SpecReports {
		if got, want := re.MatchString(r.SuiteDescription+" "+sr.FullText()), sr.State == types.SpecStateFailed; got != want {
			t.Errorf("focus %q matches %q: %v", res.Rerun.Focus[0], sr.FullText(), got)
		}
	}
	cmd := res.Rerun.Command
	if !strings.HasPrefix(cmd, EnvMutants+"=m1 ") || !strings.HasSuffix(cmd, " "+SuitePackage) || !strings.Contains(cmd, "go tool ginkgo") {
		t.Errorf("command %q", cmd)
	}
	// The shell must hand ginkgo the focus unchanged, quotes and brackets included.
	out, err := exec.Command("sh", "-c", "printf '%s' "+shellQuote(res.Rerun.Focus[0])).Output()
	if err != nil || string(out) != res.Rerun.Focus[0] {
		t.Errorf("the shell read the focus as %q (%v), want %q", out, err, res.Rerun.Focus[0])
	}
	if res := BuildResults(types.Report{}, RunInfo{}); res.Rerun.Command != "" {
		t.Errorf("a run without failures has a re-run command %q", res.Rerun.Command)
	}
	b, _ := json.Marshal(res.Rerun)
	if !strings.Contains(string(b), `"focus":`) {
		t.Errorf("rerun JSON %s", b)
	}
}

func TestFloorFigureStacksOperationsAgainstTheFloorAndTheWall(t *testing.T) {
	calls := map[string]int{contract.OpCheckImageExists: 40, contract.OpSearchImageByName: 20, contract.OpUpdateImage: 10}
	lines, floor := Floor(calls, Rates{"i/search": 10, "i/UpdateImage": 20}, "i")
	svg, text := floorFigure(calls, lines, floor, 6.6)
	for _, want := range []string{"floor 6 s", "wall 6.6 s", "search at 10/s", "60 calls: 6 s", "UpdateImage at 20/s", "CheckImageExists 40"} {
		if !strings.Contains(string(svg), want) {
			t.Errorf("floor figure lacks %q", want)
		}
	}
	if !strings.Contains(string(text), "1.10 × the floor") {
		t.Errorf("caption %q", text)
	}
}

func TestObservingIsSafeUnderConcurrentCalls(t *testing.T) {
	spec := "s"
	tg := testTarget(&spec)
	done := make(chan struct{})
	for range 4 {
		go func() {
			defer func() { done <- struct{}{} }()
			for range 200 {
				tg.API.onCall(imagesearch.CallInfo{Action: contract.OpUpdateImage, HTTPStatus: 200})
			}
		}()
	}
	for range 50 {
		tg.TakeExchanges()
		_ = tg.API.CallLog()
	}
	for range 4 {
		<-done
	}
	if n := len(tg.API.CallLog().Calls); n != 800 {
		t.Errorf("logged %d calls, want 800", n)
	}
}
