package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/imagesearch-conformance/conformance/suites/harness"
)

// The fixtures in testdata are results.json files of real runs against the in-process emulator, trimmed
// (notApplicable shortened): default-a and default-b are two default runs, unsent-reset a run with
// IMAGESEARCH_EMULATOR_READINGS=unsent=reset; drifted is default-a edited by hand to drift in every kind.
func fixture(name string) string { return filepath.Join("testdata", name+".json") }

// diffOf runs "diff -json OLD NEW" and returns the exit status and the decoded report.
func diffOf(t *testing.T, old, new string) (int, diffReport) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := runCmd([]string{"diff", "-json", fixture(old), fixture(new)}, &out, &errOut)
	var rep diffReport
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("diff -json %s %s: exit %d, output not JSON: %v\n%s%s", old, new, code, err, out.String(), errOut.String())
	}
	return code, rep
}

// TestNoDrift checks that a run compared with itself, and two default runs, have no drift: exit 0 and
// the Markdown is exactly one line.
func TestNoDrift(t *testing.T) {
	for _, pair := range [][2]string{{"default-a", "default-a"}, {"default-a", "default-b"}, {"default-b", "default-a"}} {
		var out, errOut bytes.Buffer
		code := runCmd([]string{"diff", fixture(pair[0]), fixture(pair[1])}, &out, &errOut)
		want := "No drift between " + fixture(pair[0]) + " and " + fixture(pair[1]) + ".\n"
		if code != exitNoDrift || out.String() != want || errOut.Len() != 0 {
			t.Errorf("%v: exit %d, output %q, stderr %q", pair, code, out.String(), errOut.String())
		}
		if code, rep := diffOf(t, pair[0], pair[1]); code != exitNoDrift || rep.Drift || rep.Changes == nil || len(rep.Changes) != 0 {
			t.Errorf("%v -json: exit %d, %+v", pair, code, rep)
		}
	}
}

// TestReadingRunDrift checks that a run with one reading switched on differs from the default run by
// exactly that reading's deviation, in both directions.
func TestReadingRunDrift(t *testing.T) {
	code, rep := diffOf(t, "default-a", "unsent-reset")
	want := []Change{{Kind: "deviation", Subject: "unsent-fields", Change: "appeared", New: "reset"}}
	if code != exitDrift || !rep.Drift || !sameChanges(rep.Changes, want) {
		t.Errorf("exit %d, changes %+v, want %+v", code, rep.Changes, want)
	}
	code, rep = diffOf(t, "unsent-reset", "default-b")
	want = []Change{{Kind: "deviation", Subject: "unsent-fields", Change: "went away", Old: "reset"}}
	if code != exitDrift || !sameChanges(rep.Changes, want) {
		t.Errorf("back to default: exit %d, changes %+v", code, rep.Changes)
	}
}

// TestEveryKindOfDrift checks each kind of change and that moves within the tolerances are not drift.
func TestEveryKindOfDrift(t *testing.T) {
	code, rep := diffOf(t, "default-a", "drifted")
	want := []Change{
		{Kind: "verdict", Change: "changed", Old: "conformant", New: "violations"},
		{Kind: "failure", Subject: "UpdateImage QPS throttling never throttles calls below the limit", Change: "started failing", New: "failed"},
		{Kind: "deviation", Subject: "throttle-code", Change: "appeared", New: "400 Throttling.User"},
		{Kind: "observation", Subject: "head-returned-count", Change: "changed", Old: "DocsReturn", New: "DocsFound"},
		{Kind: "measurement", Subject: "UpdateImage offered at 60/s: accepted", Change: "moved", Old: "40 calls", New: "60 calls"},
		{Kind: "measurement", Subject: "visibility delay, SearchImageByPic", Change: "moved", Old: "2 ms (median of 3)", New: "400 ms (median of 3)"},
		{Kind: "calls", Subject: "UpdateImage", Change: "moved", Old: "860", New: "1300"},
	}
	if code != exitDrift || !sameChanges(rep.Changes, want) {
		t.Errorf("exit %d\n got %+v\nwant %+v", code, rep.Changes, want)
	}
	if n := rep.Changes[1].Note; n != "ref §1.10: 10 calls per second are under the 20/s limit" {
		t.Errorf("failure note %q: want the message's first line", n)
	}
	var out bytes.Buffer
	runCmd([]string{"diff", fixture("drifted"), fixture("default-a")}, &out, &bytes.Buffer{})
	md := out.String()
	for _, line := range []string{
		"## Drift between " + cell(fixture("drifted")) + " and " + cell(fixture("default-a")),
		"7 change(s). OLD: run drift01 against in-process emulator, violations. NEW: run faaf95eb",
		"| kind | subject | change | old | new | note |",
		"| failure | UpdateImage QPS throttling never throttles calls below the limit | stopped failing | failed |  |  |",
		"| deviation | throttle-code | went away | 400 Throttling.User |  |",
		"| calls | UpdateImage | moved | 1300 | 860 | tolerance ±25 %, at least 10 calls |",
	} {
		if !strings.Contains(md, line) {
			t.Errorf("Markdown lacks %q:\n%s", line, md)
		}
	}
}

// sameChanges compares changes without their notes.
func sameChanges(got, want []Change) bool {
	return slices.EqualFunc(got, want, func(a, b Change) bool { a.Note = ""; return a == b })
}

// TestTolerances pins the edges of the measurement and call tolerances.
func TestTolerances(t *testing.T) {
	type m = harness.Measurement
	cases := []struct {
		unit     string
		old, new float64
		drift    bool
	}{
		{"ms", 0, 100, false}, {"ms", 0, 101, true}, // the 100 ms floor
		{"ms", 1000, 1250, false}, {"ms", 1000, 749, true}, // ±25 %
		{"calls", 40, 48, false}, {"calls", 40, 49, true}, // ±20 %
		{"calls/s", 10, 8, false}, {"calls/s", 10, 7.9, true},
		{"calls", 0, 0, false}, {"calls", 0, 1, true},
	}
	for _, tc := range cases {
		from := results{Measurements: []m{{Name: "x", Value: tc.old, Unit: tc.unit}}}
		to := results{Measurements: []m{{Name: "x", Value: tc.new, Unit: tc.unit}}}
		if got := len(diffMeasurements(from, to)) > 0; got != tc.drift {
			t.Errorf("%s %v -> %v: drift %v, want %v", tc.unit, tc.old, tc.new, got, tc.drift)
		}
	}
	for _, tc := range []struct {
		old, new int
		drift    bool
	}{{8, 18, false}, {8, 19, true}, {100, 125, false}, {100, 126, true}, {100, 74, true}, {0, 10, false}, {0, 11, true}} {
		from, to := results{Calls: map[string]int{"Op": tc.old}}, results{Calls: map[string]int{"Op": tc.new}}
		if got := len(diffCalls(from, to)) > 0; got != tc.drift {
			t.Errorf("calls %d -> %d: drift %v, want %v", tc.old, tc.new, got, tc.drift)
		}
	}
	missing := diffMeasurements(results{}, results{Measurements: []m{{Name: "x", Value: 1, Unit: "ms"}}})
	if len(missing) != 1 || missing[0].Change != "appeared" {
		t.Errorf("a new measurement: %+v", missing)
	}
}

// TestUsage checks the help, the usage errors and unreadable input: all but -h exit 2.
func TestUsage(t *testing.T) {
	cases := []struct {
		args []string
		code int
		want string // in stdout+stderr
	}{
		{[]string{"-h"}, 0, "imagesearch-conformance diff [-json] OLD NEW"},
		{[]string{"help", "diff"}, 0, "±25 %, at least 100 ms"},
		{[]string{"run"}, exitUsage, `unexpected argument "run"`},
		{[]string{"diff", "-h"}, 0, "Exit status: 0 no drift, 1 drift, 2 usage error"},
		{[]string{"diff"}, exitUsage, "want two results.json files, OLD and NEW; got 0"},
		{[]string{"diff", fixture("default-a")}, exitUsage, "got 1"},
		{[]string{"diff", "a", "b", "c"}, exitUsage, "got 3"},
		{[]string{"diff", "-colour", "a", "b"}, exitUsage, "flag provided but not defined: -colour"},
		{[]string{"diff", fixture("default-a"), "testdata/no-such.json"}, exitUsage, "no-such.json"},
		{[]string{"diff", "main.go", fixture("default-a")}, exitUsage, "main.go is not a results.json"},
		{[]string{"diff", fixture("default-a"), "../../emulator/testdata/calibrate/other-schema.json"}, exitUsage,
			`has schema "imagesearch-conformance/results/v2"; diff reads imagesearch-conformance/results/v1`},
		{[]string{"diff", fixture("default-a"), fixture("unsent-reset"), "-json"}, exitDrift, `"drift": true`},
	}
	for _, tc := range cases {
		var out, errOut bytes.Buffer
		code := runCmd(tc.args, &out, &errOut)
		if all := out.String() + errOut.String(); code != tc.code || !strings.Contains(all, tc.want) {
			t.Errorf("%q: exit %d, want %d; output lacks %q?\n%s", tc.args, code, tc.code, tc.want, all)
		}
	}
	var help bytes.Buffer
	runCmd([]string{"diff", "-h"}, &help, &bytes.Buffer{})
	if !strings.Contains(help.String(), "-json") {
		t.Errorf("diff -h does not list -json:\n%s", help.String())
	}
}
