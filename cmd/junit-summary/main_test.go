package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imagesearch-conformance/conformance/suites/harness"
)

func TestSummaryListsCountsAndFailures(t *testing.T) {
	path := filepath.Join(t.TempDir(), "junit.xml")
	xml := `<testsuites><testsuite name="UpdateImage conformance" tests="3" failures="1" errors="0" skipped="1">
<testcase name="[It] ok" status="passed"></testcase>
<testcase name="[It] bad" status="failed"><failure message="ref §2.4: wrong code&#xA;details">x</failure></testcase>
<testcase name="[It] skip" status="skipped"></testcase></testsuite></testsuites>`
	if err := os.WriteFile(path, []byte(xml), 0o644); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := run(path, &out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{"3 tests, 1 failed, 0 errors, 1 skipped", "`[It] bad`: ref §2.4: wrong code"} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "details") || strings.Contains(got, "[It] ok") {
		t.Errorf("summary should list only the first line of failures:\n%s", got)
	}
}

func TestMissingReportSaysSo(t *testing.T) {
	var out strings.Builder
	if err := run(filepath.Join(t.TempDir(), "none.xml"), &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "No JUnit report") {
		t.Errorf("got %q", out.String())
	}
}

func TestDeviationsAreListedApartFromSkips(t *testing.T) {
	path := filepath.Join(t.TempDir(), "junit.xml")
	xml := `<testsuites><testsuite name="UpdateImage conformance" tests="4" failures="0" errors="0" skipped="4">
<testcase name="[It] unsent" status="skipped"><skipped message="skipped - DEVIATION ref §10 #3 unsent-fields: expected kept, observed reset"></skipped></testcase>
<testcase name="[It] filtered" status="skipped"><skipped message="skipped"></skipped></testcase>
<testcase name="[It] capped" status="skipped"><skipped message="skipped - the run's call budget (IMAGESEARCH_MAX_CALLS) is exhausted"></skipped></testcase>
<testcase name="[It] pending" status="pending"><skipped message="pending"></skipped></testcase>
</testsuite></testsuites>`
	if err := os.WriteFile(path, []byte(xml), 0o644); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := run(path, &out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{"### Deviations", "- ⚠️ `[It] unsent`: DEVIATION ref §10 #3 unsent-fields: expected kept, observed reset",
		"Other skips: 3, 1 of them stopped by the call cap"} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "[It] filtered") || strings.Contains(got, "[It] capped") || strings.Contains(got, "❌") {
		t.Errorf("ordinary skips are counted, not listed, and are no failures:\n%s", got)
	}
}

func TestNoDeviationsNoSection(t *testing.T) {
	path := filepath.Join(t.TempDir(), "junit.xml")
	if err := os.WriteFile(path, []byte(`<testsuites><testsuite name="s" tests="1"><testcase name="[It] ok" status="passed"></testcase></testsuite></testsuites>`), 0o644); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := run(path, &out); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "Deviations") || strings.Contains(out.String(), "Other skips") {
		t.Errorf("got %q", out.String())
	}
}

func TestMarksMatchTheHarness(t *testing.T) {
	if deviationMark != harness.DeviationPrefix || !strings.HasSuffix(harness.BudgetSkipReason, budgetMark) {
		t.Errorf("the marks drifted from the harness: %q %q", harness.DeviationPrefix, harness.BudgetSkipReason)
	}
}

func TestRerunCommandFromResults(t *testing.T) {
	dir := t.TempDir()
	junit := filepath.Join(dir, "junit.xml")
	if err := os.WriteFile(junit, []byte(`<testsuites><testsuite name="s" tests="1" failures="1"><testcase name="[It] bad" status="failed"><failure message="m">x</failure></testcase></testsuite></testsuites>`), 0o644); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := run(junit, &out); err != nil || strings.Contains(out.String(), "Re-run") {
		t.Fatalf("without results.json: %v\n%s", err, out.String())
	}
	res := harness.Results{Rerun: harness.RerunResult{Command: "go tool ginkgo --focus='^s bad$' ./suites/updateimage"}}
	b, _ := json.Marshal(res)
	if err := os.WriteFile(filepath.Join(dir, "results.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(junit, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "```sh\n"+res.Rerun.Command+"\n```") {
		t.Errorf("summary lacks the re-run command:\n%s", out.String())
	}
}
