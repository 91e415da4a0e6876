package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
