package main

import (
	"errors"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/imagesearch-conformance/conformance/suites/harness"
)

// TestJudge checks each exit status judge can give, one way of reaching each: a mapping that sent any of
// these runs to another status turns the table red.
func TestJudge(t *testing.T) {
	it := types.NodeTypeIt.String()
	ran := types.Report{PreRunStats: types.PreRunStats{TotalSpecs: 2, SpecsThatWillRun: 2}}
	timedOut := ran
	timedOut.SpecReports = types.SpecReports{{LeafNodeText: "hangs", State: types.SpecStateTimedout}}
	ok := func(edit func(*harness.Results)) *harness.Results {
		r := &harness.Results{Schema: harness.ResultsSchema, Run: harness.RunResult{Succeeded: true}}
		if edit != nil {
			edit(r)
		}
		return r
	}
	fail := func(f harness.FailureResult) *harness.Results {
		return ok(func(r *harness.Results) { r.Run.Succeeded = false; r.Failures = append(r.Failures, f) })
	}
	cases := []struct {
		name   string
		passed bool
		rep    types.Report
		res    *harness.Results
		code   int
		reason string
	}{
		{"conformant", true, ran, ok(nil), exitConformant, "conformant"},
		{"nothing selected", true, types.Report{PreRunStats: types.PreRunStats{TotalSpecs: 2}}, ok(nil), exitUsage, "select no spec"},
		{"no results", false, ran, nil, exitInfra, "no results.json"},
		{"violation", false, ran, fail(harness.FailureResult{Spec: "adds", Node: it, Message: "want 200"}), exitViolation, "1 spec(s) failed"},
		{"violation beats infra", false, ran, ok(func(r *harness.Results) {
			r.Failures = []harness.FailureResult{{Spec: "", Node: "AfterSuite", Message: "leak"}, {Spec: "adds", Node: it, Message: "x"}}
		}), exitViolation, "1 spec(s) failed"},
		{"suite node", false, ran, fail(harness.FailureResult{Node: "AfterSuite", Message: "leak\nmore"}), exitInfra, "[AfterSuite] leak"},
		{"timed out", false, timedOut, fail(harness.FailureResult{Spec: "hangs", Node: it, Message: "deadline"}), exitInfra, "hangs: deadline"},
		{"cleanup", false, ran, fail(harness.FailureResult{Spec: "adds", Node: it, Message: infraPrefix + " delete"}), exitInfra, "adds: " + infraPrefix},
		{"client mapping", false, ran, fail(harness.FailureResult{Spec: "maps", Node: it, Area: harness.AreaClientMapping, Message: "m"}), exitInfra, "client mapping"},
		{"ginkgo reason", false, ran, ok(func(r *harness.Results) { r.Run.FailureReasons = []string{"interrupted"} }), exitInfra, "did not finish: interrupted"},
		{"call cap", true, ran, ok(func(r *harness.Results) { r.Verdict = harness.VerdictIncomplete }), exitInfra, "incomplete"},
		{"failed outside specs", false, ran, ok(nil), exitInfra, "outside any spec"},
		{"run not succeeded", true, ran, ok(func(r *harness.Results) { r.Run.Succeeded = false }), exitInfra, "outside any spec"},
	}
	for _, c := range cases {
		var resErr error
		if c.res == nil {
			resErr = errors.New("gone")
		}
		got := judge(c.passed, c.rep, c.res, resErr)
		if got.code != c.code || !strings.Contains(got.reason, c.reason) {
			t.Errorf("%s: exit %d %q, want %d with %q", c.name, got.code, got.reason, c.code, c.reason)
		}
	}
}
