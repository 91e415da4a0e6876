package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/imagesearch-conformance/conformance/suites/harness"
)

// runCmd runs the command with an empty environment and an engine that must not be reached.
func runCmd(args []string, stdout, stderr *bytes.Buffer) int {
	return run("imagesearch-conformance", args, noEnv, stdout, stderr, &fakeEngine{})
}

func noEnv(string) string { return "" }

func envOf(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }

// fakeEngine stands in for Ginkgo: it records the plan and "runs" by writing the given results.json.
type fakeEngine struct {
	calls   int
	plan    plan
	passed  bool
	report  types.Report
	results *harness.Results // written to the report directory by run; nil writes none
	listed  types.Report
}

func (f *fakeEngine) list(p plan) (types.Report, error) {
	f.calls++
	f.plan = p
	return f.listed, nil
}

func (f *fakeEngine) run(p plan) (bool, types.Report, error) {
	f.calls++
	f.plan = p
	if f.results != nil {
		b, err := json.Marshal(f.results)
		if err != nil {
			return false, f.report, err
		}
		if err := os.MkdirAll(p.reportDir, 0o755); err != nil {
			return false, f.report, err
		}
		if err := os.WriteFile(filepath.Join(p.reportDir, "results.json"), b, 0o644); err != nil {
			return false, f.report, err
		}
	}
	return f.passed, f.report, nil
}

// ranReport is a Ginkgo report of a run in which n specs were selected.
func ranReport(n int) types.Report {
	return types.Report{PreRunStats: types.PreRunStats{TotalSpecs: 40, SpecsThatWillRun: n}}
}

// timedOut is the report of a run whose suite timeout cut one spec short.
func timedOut() types.Report {
	r := ranReport(10)
	r.SpecReports = []types.SpecReport{{LeafNodeType: types.NodeTypeIt, ContainerHierarchyTexts: []string{"throttling"},
		LeafNodeText: "below the limit", State: types.SpecStateTimedout}}
	return r
}

// panicked is the report of a run in which one spec's own code panicked.
func panicked() types.Report {
	r := ranReport(10)
	r.SpecReports = []types.SpecReport{{LeafNodeType: types.NodeTypeIt, ContainerHierarchyTexts: []string{"length-limits"},
		LeafNodeText: "property", State: types.SpecStatePanicked}}
	return r
}

// conformantResults is results.json of a clean run.
func conformantResults() *harness.Results {
	return &harness.Results{Schema: harness.ResultsSchema, Verdict: harness.VerdictConformant,
		Run: harness.RunResult{Succeeded: true}, Budget: harness.BudgetResult{Specs: 10, Ran: 10}}
}

func failure(spec, node, area, footing, msg string) harness.FailureResult {
	return harness.FailureResult{Spec: spec, Node: node, Area: area, Footing: footing, Message: msg}
}

// TestExitCodes checks every exit status through the whole command, from a fake run's results.json.
func TestExitCodes(t *testing.T) {
	with := func(edit func(*harness.Results)) *harness.Results {
		r := conformantResults()
		edit(r)
		if len(r.Failures) > 0 {
			r.Verdict, r.Run.Succeeded = harness.VerdictViolations, false
		}
		return r
	}
	documented := failure("length-limits ProductId of 513 characters is refused", "It", harness.AreaLength, harness.FootingDocumented, "Expected InvalidProductId")
	cases := []struct {
		name    string
		passed  bool
		report  types.Report
		results *harness.Results
		code    int
		want    string
	}{
		{"conformant", true, ranReport(10), conformantResults(), exitConformant, "conformant"},
		{"documented violation", false, ranReport(10), with(func(r *harness.Results) { r.Failures = append(r.Failures, documented) }), exitViolation, "1 spec(s) failed"},
		{"deviation under strict", false, ranReport(10), with(func(r *harness.Results) {
			r.Failures = append(r.Failures, failure("overwrite unsent fields", "It", harness.AreaOverwrite, harness.FootingReading, "DEVIATION ref §3 unsent-fields: expected kept, observed reset (strict mode)"))
		}), exitViolation, "violates"},
		{"violation wins over infrastructure", false, ranReport(10), with(func(r *harness.Results) {
			r.Failures = append(r.Failures, documented, failure("[AfterSuite]", "AfterSuite", "", "", "infrastructure: leak check"))
		}), exitViolation, "1 spec(s) failed"},
		{"unreachable target", false, ranReport(10), with(func(r *harness.Results) {
			r.Failures = append(r.Failures, failure("[SynchronizedBeforeSuite]", "SynchronizedBeforeSuite", "", "", "learn the target's QPS limits: connection refused"))
		}), exitInfra, "[SynchronizedBeforeSuite] learn the target's QPS limits"},
		{"cleanup failed", false, ranReport(10), with(func(r *harness.Results) {
			r.Failures = append(r.Failures, failure("overwrite x", "It", harness.AreaOverwrite, harness.FootingDocumented, "infrastructure: cleanup of the spec's images\nboom"))
		}), exitInfra, "cleanup of the spec's images"},
		{"leaked images", false, ranReport(10), with(func(r *harness.Results) {
			r.Failures = append(r.Failures, failure("[AfterSuite]", "AfterSuite", "", "", "leaked images on instance demo"))
		}), exitInfra, "leaked images"},
		{"client mapping", false, ranReport(10), with(func(r *harness.Results) {
			r.Failures = append(r.Failures, failure("client-mapping 503", "It", harness.AreaClientMapping, harness.FootingDocumented, "want ServiceUnavailable"))
		}), exitInfra, "client mapping"},
		{"call cap", false, ranReport(10), with(func(r *harness.Results) {
			r.Verdict, r.Budget = harness.VerdictIncomplete, harness.BudgetResult{MaxCalls: 50, Exhausted: true, Specs: 10, Ran: 2}
		}), exitInfra, "incomplete: the call cap"},
		{"interrupted", false, ranReport(10), with(func(r *harness.Results) {
			r.Run.FailureReasons = []string{"Interrupted by User"}
		}), exitInfra, "Interrupted by User"},
		{"suite timeout", false, timedOut(), with(func(r *harness.Results) {
			r.Run.FailureReasons = []string{"Suite Timeout Elapsed"}
			r.Failures = append(r.Failures, failure("throttling below the limit", "It", harness.AreaThrottling, harness.FootingDocumented, "A suite timeout occurred"))
		}), exitInfra, "throttling below the limit: A suite timeout occurred"},
		{"spec panicked", false, panicked(), with(func(r *harness.Results) {
			r.Failures = append(r.Failures, failure("length-limits property", "It", harness.AreaLength, harness.FootingDocumented, "Test Panicked: testing: Short called before Init"))
		}), exitInfra, "length-limits property: Test Panicked"},
		{"no results.json", false, ranReport(10), nil, exitInfra, "no results.json"},
		{"failed outside any spec", false, ranReport(10), conformantResults(), exitInfra, "outside any spec"},
		{"nothing selected", true, ranReport(0), conformantResults(), exitUsage, "select no spec"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			eng := &fakeEngine{passed: tc.passed, report: tc.report, results: tc.results}
			var out, errOut bytes.Buffer
			code := run("imagesearch-conformance", []string{"--report-dir", dir}, noEnv, &out, &errOut, eng)
			if code != tc.code || !strings.Contains(errOut.String(), tc.want) {
				t.Errorf("exit %d, want %d; stderr lacks %q?\n%s", code, tc.code, tc.want, errOut.String())
			}
		})
	}
}

// TestStaleResultsIgnored checks that a results.json of an earlier run cannot make a run that wrote none
// look conformant.
func TestStaleResultsIgnored(t *testing.T) {
	dir := t.TempDir()
	b, _ := json.Marshal(conformantResults())
	if err := os.WriteFile(filepath.Join(dir, "results.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	eng := &fakeEngine{passed: true, report: ranReport(10)}
	if code := run("x", []string{"--report-dir", dir}, noEnv, &out, &errOut, eng); code != exitInfra {
		t.Errorf("exit %d, want %d (stale results.json read?)\n%s", code, exitInfra, errOut.String())
	}
}

// TestRerunPrinted checks the console line after a run with failed specs: the same flags, the old focus
// replaced by the failed specs, and nothing printed when only a suite node failed.
func TestRerunPrinted(t *testing.T) {
	dir := t.TempDir()
	res := conformantResults()
	res.Verdict = harness.VerdictViolations
	const spec = "length-limits StrAttr of 129 (UTF-8) is refused"
	res.Failures = []harness.FailureResult{failure(spec, "It", harness.AreaLength, harness.FootingDocumented, "x")}
	res.Rerun.Focus = []string{harness.FocusOf(suiteDescription, spec)}
	var out, errOut bytes.Buffer
	args := []string{"--report-dir", dir, "--focus", "old", "--labels", "length-limits"}
	code := run("./imagesearch-conformance", args, noEnv, &out, &errOut, &fakeEngine{report: ranReport(3), results: res})
	want := "./imagesearch-conformance --report-dir " + dir + " --labels length-limits --focus " +
		`'^UpdateImage conformance length-limits StrAttr of 129 \(UTF-8\) is refused$'`
	if code != exitViolation || !strings.Contains(out.String(), "  "+want+"\n") {
		t.Errorf("exit %d; stdout lacks\n  %s\n%s", code, want, out.String())
	}
	res.Failures = []harness.FailureResult{failure("[AfterSuite]", "AfterSuite", "", "", "leaked images")}
	res.Rerun.Focus = nil
	out.Reset()
	run("x", []string{"--report-dir", dir}, noEnv, &out, &errOut, &fakeEngine{report: ranReport(3), results: res})
	if strings.Contains(out.String(), "Re-run") {
		t.Errorf("a re-run line for a suite node:\n%s", out.String())
	}
}

// TestList checks --list: one line per selected spec with area, footing and refs, sorted by area, and
// exit 2 when the filter selects nothing.
func TestList(t *testing.T) {
	spec := func(text string, line int, state types.SpecState, labels ...string) types.SpecReport {
		return types.SpecReport{LeafNodeType: types.NodeTypeIt, LeafNodeText: text, State: state, LeafNodeLabels: labels,
			LeafNodeLocation: types.CodeLocation{FileName: "x.go", LineNumber: line}}
	}
	rep := types.Report{SpecReports: []types.SpecReport{
		spec("throttles", 1, types.SpecStatePassed, harness.AreaThrottling, harness.FootingDocumented, "ref:§1.10"),
		spec("filtered out", 2, types.SpecStateSkipped, harness.AreaLength, harness.FootingDocumented, "ref:§2.1"),
		spec("counts characters", 3, types.SpecStatePassed, harness.AreaLength, harness.FootingReading, "ref:§2.1", "ref:§10 #9"),
		{LeafNodeType: types.NodeTypeBeforeSuite, State: types.SpecStatePassed},
	}}
	var out, errOut bytes.Buffer
	if code := run("x", []string{"--list"}, noEnv, &out, &errOut, &fakeEngine{listed: rep}); code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut.String())
	}
	want := "length-limits  reading     ref §2.1, §10 #9  counts characters\n" +
		"throttling     documented  ref §1.10         throttles\n"
	if out.String() != want {
		t.Errorf("--list:\n%s\nwant:\n%s", out.String(), want)
	}
	rep.SpecReports = rep.SpecReports[1:2]
	for _, args := range [][]string{{"--list"}, {"--labels", "length-limits"}} {
		eng := &fakeEngine{listed: rep, report: ranReport(0), results: conformantResults(), passed: true}
		if code := run("x", append(args, "--report-dir", t.TempDir()), noEnv, &out, &errOut, eng); code != exitUsage {
			t.Errorf("%v selecting nothing: exit %d, want 2", args, code)
		}
	}
}
