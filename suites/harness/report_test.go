package harness

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"
)

func spec(text string, state types.SpecState, labels ...string) types.SpecReport {
	return types.SpecReport{LeafNodeType: types.NodeTypeIt, LeafNodeText: text, LeafNodeLabels: labels, State: state}
}

func TestSummaryCountsAreasFloorAndMeasurements(t *testing.T) {
	measured := spec("bursts", types.SpecStatePassed, AreaThrottling)
	measured.ReportEntries = types.ReportEntries{{Name: MeasurementEntry,
		Value: types.WrapEntryValue(Measurement{Name: "burst", Value: 20, Unit: "calls"})}}
	r := types.Report{SuiteSucceeded: false, RunTime: 12 * time.Second, SpecReports: types.SpecReports{
		spec("a", types.SpecStatePassed, AreaLength), spec("b", types.SpecStateFailed, AreaLength),
		spec("c", types.SpecStateSkipped, AreaErrors, LabelEmulatorOnly), measured,
	}}
	run := RunInfo{Instance: "i", Calls: map[string]int{"CheckImageExists": 40, "UpdateImage": 10},
		Rates: Rates{"i/search": 5, "i/UpdateImage": 20}}
	s := Summarize(r, run)
	byArea := map[string]AreaResult{}
	for _, a := range s.Areas {
		byArea[a.Area] = a
	}
	// Specs without a footing label count as documented.
	if l := byArea[AreaLength]; l.Documented.Passed != 1 || l.Documented.Failed != 1 || len(s.Failures) != 1 {
		t.Errorf("length area %+v, failures %+v", l, s.Failures)
	}
	if byArea[AreaErrors].Documented.Skipped != 1 || byArea[AreaThrottling].Documented.Passed != 1 {
		t.Errorf("areas %+v", s.Areas)
	}
	if len(s.Measurements) != 1 || s.Measurements[0].Value != 20 {
		t.Errorf("measurements %+v", s.Measurements)
	}
	if s.FloorSeconds != 8 { // 40 search calls at 5/s dominate 10 updates at 20/s
		t.Errorf("floor %v, lines %+v", s.FloorSeconds, s.Floor)
	}

	dir := t.TempDir()
	if _, err := WriteReports(dir, r, run); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"junit.xml", "report.json", "results.json", "summary.html"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s not written: %v", f, err)
		}
	}
	html, _ := os.ReadFile(filepath.Join(dir, "summary.html"))
	for _, want := range []string{"failed</span>", "length-limits", "QPS floor 8 s", "burst"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("summary.html lacks %q", want)
		}
	}
}

func TestSummaryShowsDeviationsFailuresAndTheRun(t *testing.T) {
	dir := t.TempDir()
	run := RunInfo{Target: "emulator", Version: "v9", Strict: true, Readings: []string{"unsent-fields=reset"},
		Mutants: []string{"drop-pic-name"}, MaxCalls: 100, BudgetExhausted: true}
	if _, err := WriteReports(dir, fixture(t), run); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "summary.html"))
	html := string(b)
	for _, want := range []string{
		"Verdict: <b class=\"bad\">violations</b>", "strict mode", "emulator v9", "unsent-fields=reset", "drop-pic-name",
		"IMAGESEARCH_MAX_CALLS=100", "Stopped early", "2 skipped by the cap",
		"Where this target differs from the expected reading", "<td>unsent-fields</td><td>§10 #3</td><td>kept</td>",
		"Documented failures", "ref §2.4: got InvalidParameter", "[AfterSuite]", "leaked images",
		"client mapping (not the target's conformance)", "Observations", "Not applicable to UpdateImage", "EmptyMeta",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("summary.html lacks %q", want)
		}
	}
	for _, banned := range []string{"<script", "http://", "https://"} {
		if strings.Contains(html, banned) {
			t.Errorf("summary.html must be self-contained, has %q", banned)
		}
	}
	// The client-mapping area is in its own table, after the target's areas.
	if i, j := strings.Index(html, "client mapping (not"), strings.Index(html, "<td>"+AreaClientMapping+"</td>"); j < i {
		t.Errorf("client-mapping row at %d, before its heading at %d", j, i)
	}

	empty := filepath.Join(t.TempDir(), "empty")
	if _, err := WriteReports(empty, types.Report{SuiteSucceeded: true}, RunInfo{}); err != nil {
		t.Fatal(err)
	}
	b, _ = os.ReadFile(filepath.Join(empty, "summary.html"))
	if !strings.Contains(string(b), "expected reading</h2>\n<p>none</p>") || !strings.Contains(string(b), "no call cap") {
		t.Errorf("an empty run's summary should say none and no call cap:\n%s", b)
	}
}
