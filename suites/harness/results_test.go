package harness

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"
)

// crossed returns an entry as it reads after crossing processes: only its JSON is left.
func crossed(t *testing.T, name string, v any) types.ReportEntry {
	t.Helper()
	b, err := json.Marshal(types.ReportEntry{Name: name, Value: types.WrapEntryValue(v)})
	if err != nil {
		t.Fatal(err)
	}
	var e types.ReportEntry
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatal(err)
	}
	if e.Value.AsJSON == "" {
		t.Fatal("the round trip left no AsJSON")
	}
	return e
}

func inProcess(name string, v any) types.ReportEntry {
	return types.ReportEntry{Name: name, Value: types.WrapEntryValue(v)}
}

func skippedWith(s types.SpecReport, msg string) types.SpecReport {
	s.Failure.Message = msg
	return s
}

var unsent = Deviation{Point: "unsent-fields", Ref: "§10 #3", Expected: "kept", Observed: "reset"}

// fixture is a run of every kind of outcome: passes, failures, skips, deviations, budget skips, and a
// failed AfterSuite.
func fixture(t *testing.T) types.Report {
	deviated := skippedWith(spec("unsent", types.SpecStateSkipped, AreaOverwrite, FootingReading, "ref:§10 #3"), unsent.String())
	deviated.ReportEntries = types.ReportEntries{
		inProcess(ObservationEntry, Observation{Point: "unsent-fields", Footing: FootingReading, Value: "reset"}),
		inProcess(DeviationEntry, unsent)}
	// The key-limit deviation arrives from another process: only AsJSON is filled.
	keyLimit := Deviation{Point: "key-limit", Ref: "§9 #2", Expected: "256", Observed: "512"}
	crossedDev := skippedWith(spec("keys", types.SpecStateSkipped, AreaLength, FootingReading, "ref:§9 #2"), keyLimit.String())
	crossedDev.ReportEntries = types.ReportEntries{crossed(t, DeviationEntry, keyLimit),
		crossed(t, MeasurementEntry, Measurement{Name: "visibility", Value: 1.5, Unit: "s"})}
	failed := spec("wrong code", types.SpecStateFailed, AreaErrors, FootingDocumented, "ref:§2.4", "ref:§8.1")
	failed.Failure = types.Failure{Message: "ref §2.4: got InvalidParameter",
		Location: types.CodeLocation{FileName: "errors_test.go", LineNumber: 42}}
	suiteNode := types.SpecReport{LeafNodeType: types.NodeTypeAfterSuite, State: types.SpecStateFailed,
		Failure: types.Failure{Message: "leaked images on instance i", Location: types.CodeLocation{FileName: "suite_test.go", LineNumber: 7}}}
	return types.Report{RunTime: 3 * time.Second, SpecReports: types.SpecReports{
		{LeafNodeType: types.NodeTypeBeforeSuite, State: types.SpecStatePassed},
		spec("keeps", types.SpecStatePassed, AreaOverwrite, FootingDocumented, "ref:§2.3"),
		spec("reads", types.SpecStatePassed, AreaOverwrite, FootingReading, "ref:§10 #2"),
		deviated, crossedDev, failed,
		skippedWith(spec("na", types.SpecStateSkipped, AreaErrors, FootingDocumented, "ref:§2.4"), "not applicable to UpdateImage: legacy"),
		skippedWith(spec("capped", types.SpecStateSkipped, AreaErrors, FootingDocumented, "ref:§2.4"), BudgetSkipReason),
		skippedWith(spec("capped reading", types.SpecStateSkipped, AreaThrottling, FootingReading, "ref:§1.10"), BudgetSkipReason),
		spec("filtered", types.SpecStateSkipped, AreaRoundTrip, FootingDocumented, "ref:§2.3"),
		spec("maps", types.SpecStatePassed, AreaClientMapping, FootingDocumented, "ref:§8.3"),
		suiteNode,
	}}
}

func TestResultsCountAreasByFooting(t *testing.T) {
	res := BuildResults(fixture(t), RunInfo{})
	got := map[string]AreaResult{}
	for _, a := range res.Areas {
		got[a.Area] = a
	}
	if len(res.Areas) != len(Areas) || res.Areas[len(res.Areas)-1].Area != AreaClientMapping {
		t.Fatalf("areas %+v: want every area, client mapping last", res.Areas)
	}
	want := map[string]AreaResult{
		AreaOverwrite: {Area: AreaOverwrite, CountsAsConformance: true, Documented: DocumentedCounts{Passed: 1},
			Reading: ReadingCounts{Passed: 1, Deviated: 1}},
		AreaLength:     {Area: AreaLength, CountsAsConformance: true, Reading: ReadingCounts{Deviated: 1}},
		AreaErrors:     {Area: AreaErrors, CountsAsConformance: true, Documented: DocumentedCounts{Failed: 1, Skipped: 2}},
		AreaThrottling: {Area: AreaThrottling, CountsAsConformance: true, Reading: ReadingCounts{Skipped: 1}},
		AreaRoundTrip:  {Area: AreaRoundTrip, CountsAsConformance: true, Documented: DocumentedCounts{Skipped: 1}},
		AreaClientMapping: {Area: AreaClientMapping, CountsAsConformance: false,
			Documented: DocumentedCounts{Passed: 1}},
	}
	for a, w := range want {
		if got[a] != w {
			t.Errorf("area %s: got %+v, want %+v", a, got[a], w)
		}
	}
}

func TestResultsListFailuresDeviationsAndEntries(t *testing.T) {
	res := BuildResults(fixture(t), RunInfo{})
	if len(res.Failures) != 2 {
		t.Fatalf("failures %+v: want the It and the AfterSuite", res.Failures)
	}
	it, node := res.Failures[0], res.Failures[1]
	if it.Node != "It" || it.Area != AreaErrors || it.Footing != FootingDocumented || strings.Join(it.Refs, " ") != "§2.4 §8.1" ||
		it.Location != "errors_test.go:42" || !strings.Contains(it.Message, "InvalidParameter") || it.Spec != "wrong code" {
		t.Errorf("spec failure %+v", it)
	}
	if node.Node != "AfterSuite" || node.Area != "" || node.Spec != "[AfterSuite]" || node.Refs == nil ||
		!strings.Contains(node.Message, "leaked") || node.Location != "suite_test.go:7" {
		t.Errorf("suite-level failure %+v", node)
	}
	if len(res.Deviations) != 2 || res.Deviations[0].Deviation != unsent || res.Deviations[0].Spec != "unsent" ||
		res.Deviations[0].Area != AreaOverwrite || res.Deviations[1].Point != "key-limit" || res.Deviations[1].Observed != "512" {
		t.Errorf("deviations %+v", res.Deviations)
	}
	if len(res.Observations) != 1 || res.Observations[0].Value != "reset" || res.Observations[0].Spec != "unsent" {
		t.Errorf("observations %+v", res.Observations)
	}
	if len(res.Measurements) != 1 || res.Measurements[0].Value != 1.5 {
		t.Errorf("measurements (decoded from AsJSON) %+v", res.Measurements)
	}
	if len(res.NotApplicable) != len(NotApplicable) || res.NotApplicable[0].Code > res.NotApplicable[1].Code ||
		NotApplicable[res.NotApplicable[0].Code] != res.NotApplicable[0].Reason {
		t.Errorf("notApplicable %+v", res.NotApplicable)
	}
	if res.Verdict != VerdictViolations || res.Incomplete() != nil {
		t.Errorf("verdict %s, Incomplete %v", res.Verdict, res.Incomplete())
	}
}

func TestStrictDeviationIsAFailureAndADeviation(t *testing.T) {
	// Under strict mode the spec fails with the deviation's text; the entry still names it.
	strict := spec("unsent", types.SpecStateFailed, AreaOverwrite, FootingReading, "ref:§10 #3")
	strict.Failure.Message = unsent.String() + " (strict mode, " + EnvStrict + "=1)"
	strict.ReportEntries = types.ReportEntries{inProcess(DeviationEntry, unsent)}
	// Without an entry the message alone is parsed, a ref with spaces included.
	codes := Deviation{Point: "metadata-codes", Ref: "§2.4, §10 #6", Expected: "listed", Observed: "other-400"}
	bare := skippedWith(spec("codes", types.SpecStateSkipped, AreaErrors, FootingReading, "ref:§2.4"), codes.String())
	res := BuildResults(types.Report{SpecReports: types.SpecReports{strict, bare}}, RunInfo{Strict: true})
	if len(res.Failures) != 1 || res.Failures[0].Footing != FootingReading {
		t.Errorf("failures %+v", res.Failures)
	}
	if len(res.Deviations) != 2 || res.Deviations[0].Deviation != unsent || res.Deviations[1].Deviation != codes {
		t.Errorf("deviations %+v", res.Deviations)
	}
	if a := res.Areas[1]; a.Area != AreaOverwrite || a.Reading.Failed != 1 || a.Reading.Deviated != 0 {
		t.Errorf("a strict deviation counts as failed: %+v", a)
	}
	if a := res.Areas[4]; a.Area != AreaErrors || a.Reading.Deviated != 1 {
		t.Errorf("a deviation known only from its message counts as deviated: %+v", a)
	}
	if !res.Run.Strict || res.Verdict != VerdictViolations {
		t.Errorf("run %+v, verdict %s", res.Run, res.Verdict)
	}
}

func TestVerdictConformantAndIncomplete(t *testing.T) {
	passing := func(n int) types.SpecReports {
		var out types.SpecReports
		for range n {
			out = append(out, spec("ok", types.SpecStatePassed, AreaOverwrite, FootingDocumented, "ref:§2.3"))
		}
		return out
	}
	capped := func(n int) types.SpecReports {
		var out types.SpecReports
		for range n {
			out = append(out, skippedWith(spec("capped", types.SpecStateSkipped, AreaLength, FootingDocumented, "ref:§2.1"), BudgetSkipReason))
		}
		return out
	}
	// 3 of 4 ran although the cap hit: conformant.
	r := types.Report{SuiteSucceeded: true, SpecReports: append(passing(3), capped(1)...)}
	if res := BuildResults(r, RunInfo{BudgetExhausted: true, MaxCalls: 50}); res.Verdict != VerdictConformant || res.Incomplete() != nil ||
		res.Budget != (BudgetResult{MaxCalls: 50, Exhausted: true, Specs: 4, Ran: 3, SkippedByBudget: 1}) {
		t.Errorf("verdict %s, budget %+v", res.Verdict, res.Budget)
	}
	// 1 of 4 ran, and Ginkgo's pre-run count excludes the specs a label filter left out.
	r = types.Report{SuiteSucceeded: true, PreRunStats: types.PreRunStats{TotalSpecs: 9, SpecsThatWillRun: 4},
		SpecReports: append(append(passing(1), capped(3)...), spec("filtered", types.SpecStateSkipped, AreaErrors, FootingDocumented, "ref:§2.4"))}
	res := BuildResults(r, RunInfo{MaxCalls: 50})
	if res.Verdict != VerdictIncomplete || !res.Budget.Exhausted || res.Budget.Specs != 4 || res.Budget.Ran != 1 {
		t.Fatalf("verdict %s, budget %+v", res.Verdict, res.Budget)
	}
	err := res.Incomplete()
	if err == nil || !strings.Contains(err.Error(), "IMAGESEARCH_MAX_CALLS=50") || !strings.Contains(err.Error(), "after 1 of 4 specs") ||
		!strings.Contains(err.Error(), "LABELS") {
		t.Errorf("Incomplete: %v", err)
	}
	// No cap at all: the same counts are just a run.
	if res := BuildResults(types.Report{SpecReports: passing(2)}, RunInfo{}); res.Verdict != VerdictConformant || res.Budget.Ran != 2 {
		t.Errorf("verdict %s, budget %+v", res.Verdict, res.Budget)
	}
}

func TestResultsJSONKeepsTheSchema(t *testing.T) {
	dir := t.TempDir()
	res, err := WriteReports(dir, fixture(t), RunInfo{Target: "emulator", Profile: "intl-2026", Instance: "i", RunID: "abcd",
		Version: "v1", Readings: []string{"unsent-fields=reset"}, MaxCalls: 100})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"schema", "run", "verdict", "areas", "failures", "deviations", "observations", "measurements",
		"calls", "throttled", "throttledElsewhere", "budget", "notApplicable"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("results.json lacks %q", k)
		}
	}
	if doc["schema"] != ResultsSchema || doc["verdict"] != res.Verdict {
		t.Errorf("schema %v verdict %v", doc["schema"], doc["verdict"])
	}
	run := doc["run"].(map[string]any)
	for _, k := range []string{"target", "profile", "instance", "runId", "version", "strict", "readings", "mutants", "wallSeconds", "succeeded"} {
		if _, ok := run[k]; !ok {
			t.Errorf("run lacks %q", k)
		}
	}
	if run["mutants"] == nil || doc["calls"] == nil || doc["throttledElsewhere"] == nil {
		t.Errorf("empty lists and maps must be [] and {}, not null: %s", b)
	}
	dev := doc["deviations"].([]any)[0].(map[string]any)
	for _, k := range []string{"point", "ref", "expected", "observed", "spec", "area"} {
		if _, ok := dev[k]; !ok {
			t.Errorf("deviation lacks %q", k)
		}
	}
	area := doc["areas"].([]any)[0].(map[string]any)
	if _, ok := area["reading"].(map[string]any)["deviated"]; !ok || area["countsAsConformance"] != true {
		t.Errorf("area %v", area)
	}
	var back Results
	if err := json.Unmarshal(b, &back); err != nil || back.Budget != res.Budget || len(back.Deviations) != len(res.Deviations) {
		t.Errorf("results.json does not read back: %v", err)
	}
}
