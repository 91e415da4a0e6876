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
	byArea := map[string]AreaSummary{}
	for _, a := range s.Areas {
		byArea[a.Area] = a
	}
	if l := byArea[AreaLength]; l.Passed != 1 || l.Failed != 1 || len(l.FailedSpecs) != 1 {
		t.Errorf("length area %+v", l)
	}
	if byArea[AreaErrors].Skipped != 1 || byArea[AreaThrottling].Passed != 1 {
		t.Errorf("areas %+v", s.Areas)
	}
	if len(s.Measurements) != 1 || s.Measurements[0].Value != 20 {
		t.Errorf("measurements %+v", s.Measurements)
	}
	if s.FloorSeconds != 8 { // 40 search calls at 5/s dominate 10 updates at 20/s
		t.Errorf("floor %v, lines %+v", s.FloorSeconds, s.Floor)
	}

	dir := t.TempDir()
	if err := WriteReports(dir, r, run); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"junit.xml", "report.json", "summary.html"} {
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
