package main

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/imagesearch-conformance/conformance/emulator"
)

// Fake variants with the emulator's struct shape: the judging must not depend on which variants the
// emulator happens to list today.
var (
	mutant  = emulator.Variant{Name: "update-clears-unsent", Kind: emulator.KindMutant, Area: "overwrite"}
	reading = emulator.Variant{Name: "unsent=reset", Kind: emulator.KindReading, Area: "overwrite", Point: "unsent-fields"}
	freedom = emulator.Variant{Name: "latency=2ms-20ms", Kind: emulator.KindFreedom, Area: "round-trip"}
	// survivor is a mutant the sample reports let survive.
	survivor = emulator.Variant{Name: "no-throttling", Kind: emulator.KindMutant, Area: "throttling", Ref: "§1.10", Description: "never throttles"}
)

func fail(spec, area string) failure { return failure{Spec: spec, Area: area, Node: "It"} }

func dev(point, spec string) deviation { return deviation{Point: point, Spec: spec} }

func fails(n int, area string) []failure {
	out := make([]failure, n)
	for i := range out {
		out[i] = fail("spec "+string(rune('a'+i)), area)
	}
	return out
}

func TestJudge(t *testing.T) {
	unsentDev := []deviation{dev("unsent-fields", "overwrite keeps unsent")}
	strictOK := &suiteRun{Failures: []failure{fail("overwrite keeps unsent", "overwrite")}, Deviations: unsentDev}
	tests := []struct {
		name    string
		v       emulator.Variant
		main    suiteRun
		strict  *suiteRun
		outcome string
		reason  string // "" means met; otherwise a substring of the reason
		flags   []string
	}{
		{name: "mutant killed in its area", v: mutant, main: suiteRun{Failures: fails(2, "overwrite")}, outcome: outKilled},
		{name: "mutant survives", v: mutant, main: suiteRun{}, outcome: outSurvived, reason: "survived: no spec failed"},
		{name: "mutant that only deviates survives", v: mutant, main: suiteRun{Deviations: unsentDev}, outcome: outSurvived, reason: "survived"},
		{name: "mutant with a wide blast radius is flagged, still met", v: mutant, main: suiteRun{Failures: fails(6, "overwrite")},
			outcome: outKilled, flags: []string{"blast radius: 6 failing specs (more than 5)"}},
		{name: "mutant failing outside its area is flagged", v: mutant,
			main:    suiteRun{Failures: []failure{fail("a", "overwrite"), fail("b", "round-trip"), {Spec: "[SynchronizedBeforeSuite]"}}},
			outcome: outKilled, flags: []string{"blast radius: fails specs outside overwrite: [round-trip (none)]"}},
		{name: "broken run", v: mutant, main: suiteRun{Err: errors.New("no results")}, outcome: outBroken, reason: "the run broke: no results"},

		{name: "reading deviates on its point, strict fails on it", v: reading, main: suiteRun{Deviations: unsentDev}, strict: strictOK, outcome: outDeviated},
		{name: "reading deviating twice on its point", v: reading,
			main:   suiteRun{Deviations: []deviation{dev("unsent-fields", "x"), dev("unsent-fields", "overwrite keeps unsent")}},
			strict: strictOK, outcome: outDeviated},
		{name: "reading that also deviates elsewhere", v: reading,
			main:   suiteRun{Deviations: []deviation{dev("unsent-fields", "x"), dev("empty-string", "y")}},
			strict: strictOK, outcome: outDeviated, reason: "deviations [unsent-fields empty-string], want exactly [unsent-fields]"},
		{name: "reading without deviation", v: reading, main: suiteRun{}, strict: strictOK, outcome: outPassed,
			reason: "deviations [], want exactly [unsent-fields]"},
		{name: "reading whose default run fails", v: reading, main: suiteRun{Failures: fails(1, "overwrite"), Deviations: unsentDev},
			strict: strictOK, outcome: outFailed, reason: `default run failed 1 spec(s) ("spec a"), want none`},
		{name: "reading whose strict run passes", v: reading, main: suiteRun{Deviations: unsentDev}, strict: &suiteRun{},
			outcome: outDeviated, reason: "strict run passed, want it to fail on unsent-fields"},
		{name: "reading whose strict run fails another spec", v: reading, main: suiteRun{Deviations: unsentDev},
			strict:  &suiteRun{Failures: []failure{fail("overwrite keeps unsent", "overwrite"), fail("other", "overwrite")}, Deviations: unsentDev},
			outcome: outDeviated, reason: `strict run failed 1 spec(s) without a unsent-fields deviation ("other")`},
		{name: "strict failure recognised by its deviation message", v: reading, main: suiteRun{Deviations: unsentDev},
			strict:  &suiteRun{Failures: []failure{{Spec: "renamed", Message: "DEVIATION ref §10 #3 unsent-fields: expected kept, observed reset"}}},
			outcome: outDeviated},
		{name: "strict failure of a spec that deviated only in the default run", v: reading, main: suiteRun{Deviations: unsentDev},
			strict:  &suiteRun{Failures: []failure{{Spec: "overwrite keeps unsent", Message: "the offered load was refused in part"}}},
			outcome: outDeviated, reason: "without a unsent-fields deviation"},
		{name: "strict failure deviating on another point", v: reading, main: suiteRun{Deviations: unsentDev},
			strict: &suiteRun{Failures: []failure{{Spec: "s", Message: "DEVIATION ref §10 #3 empty-string: expected cleared, observed ignored"}},
				Deviations: []deviation{dev("empty-string", "s")}},
			outcome: outDeviated, reason: "without a unsent-fields deviation"},
		{name: "strict run broke", v: reading, main: suiteRun{Deviations: unsentDev}, strict: &suiteRun{Err: errors.New("timeout")},
			outcome: outDeviated, reason: "the strict run broke: timeout"},
		{name: "reading without a point", v: emulator.Variant{Name: "r", Kind: emulator.KindReading}, main: suiteRun{}, strict: strictOK,
			outcome: outPassed, reason: "names no open point"},

		{name: "freedom stays silent", v: freedom, main: suiteRun{}, outcome: outPassed},
		{name: "freedom that fails", v: freedom, main: suiteRun{Failures: fails(3, "round-trip")}, outcome: outFailed,
			reason: `3 failing spec(s) ("spec a", "spec b", and 1 more), want none`},
		{name: "freedom that deviates", v: freedom, main: suiteRun{Deviations: unsentDev}, outcome: outDeviated,
			reason: "deviations [unsent-fields], want none"},

		{name: "unknown kind", v: emulator.Variant{Name: "x", Kind: "other"}, main: suiteRun{}, outcome: outPassed, reason: `unknown variant kind "other"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := judge(tt.v, tt.main, tt.strict)
			if j.Outcome != tt.outcome {
				t.Errorf("outcome %q, want %q", j.Outcome, tt.outcome)
			}
			if tt.reason == "" && (!j.Met || j.Reason != "") {
				t.Errorf("not met (%q), want met", j.Reason)
			}
			if tt.reason != "" && (j.Met || !strings.Contains(j.Reason, tt.reason)) {
				t.Errorf("met %v, reason %q; want unmet with %q", j.Met, j.Reason, tt.reason)
			}
			if strings.Join(j.Flags, "\n") != strings.Join(tt.flags, "\n") {
				t.Errorf("flags %q, want %q", j.Flags, tt.flags)
			}
		})
	}
}

func TestCheckBaseline(t *testing.T) {
	tests := []struct {
		name string
		base suiteRun
		want string // "" means accepted
	}{
		{"conformant", suiteRun{Verdict: "conformant", Passed: 90}, ""},
		{"failing", suiteRun{Verdict: "violations", Failures: fails(1, "overwrite")}, "not green"},
		{"deviating", suiteRun{Verdict: "conformant", Deviations: []deviation{dev("key-limit", "s")}}, "deviates on [key-limit]"},
		{"incomplete", suiteRun{Verdict: "incomplete"}, `verdict is "incomplete"`},
		{"broken", suiteRun{Err: errors.New("no results")}, "baseline run broke"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkBaseline(tt.base)
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("got %v, want %q", err, tt.want)
			}
		})
	}
}

func TestSelectVariants(t *testing.T) {
	all := []emulator.Variant{reading, freedom, mutant}
	got, err := selectVariants(all, " update-clears-unsent, unsent=reset ")
	if err != nil || len(got) != 2 || got[0].Name != reading.Name || got[1].Name != mutant.Name {
		t.Errorf("subset: %v, %v; want the emulator's order", got, err)
	}
	if got, err := selectVariants(all, ""); err != nil || len(got) != 3 {
		t.Errorf("all: %v, %v", got, err)
	}
	if _, err := selectVariants(all, "no-such"); err == nil || !strings.Contains(err.Error(), "no-such") {
		t.Errorf("unknown name: %v", err)
	}
	if _, err := selectVariants(nil, ""); err == nil {
		t.Error("an empty variant list must be an error, not a vacuous proof")
	}
}

func TestResultsCheckCatchesAnIgnoredVariant(t *testing.T) {
	var res resultsFile
	res.Run.Readings = []string{"unsent=reset"}
	if err := res.check(runConfig{v: reading}); err != nil {
		t.Errorf("matching run: %v", err)
	}
	if err := res.check(runConfig{v: reading, strict: true}); err == nil {
		t.Error("a run that was not strict must not pass for a strict one")
	}
	res.Run.Readings, res.Run.Mutants = nil, []string{"unsent=reset"}
	if err := res.check(runConfig{v: reading}); err != nil {
		t.Errorf("the variant reported among the mutants: %v", err)
	}
	res.Run.Mutants = []string{"unsent=reset", "no-throttling"}
	if err := res.check(runConfig{v: reading}); err == nil {
		t.Error("a run with another variant switched on as well must be refused")
	}
	res.Run.Mutants = nil
	if err := res.check(runConfig{v: freedom}); err == nil {
		t.Error("a run that did not switch the freedom on must be refused")
	}
	if err := res.check(runConfig{}); err != nil {
		t.Errorf("baseline: %v", err)
	}
}

func TestEnvSetsEveryVariantVariable(t *testing.T) {
	t.Setenv("IMAGESEARCH_LABEL_FILTER", "overwrite")
	env := runConfig{v: reading, strict: true}.env("/tmp/r")
	last := map[string]string{} // exec uses the last value of a duplicated key
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		last[k] = v
	}
	want := map[string]string{"IMAGESEARCH_EMULATOR_READINGS": "unsent=reset", "IMAGESEARCH_EMULATOR_MUTANTS": "",
		"IMAGESEARCH_STRICT": "1", "IMAGESEARCH_LABEL_FILTER": "reading", "IMAGESEARCH_ENDPOINT": "", "IMAGESEARCH_REPORT_DIR": "/tmp/r"}
	for k, v := range want {
		if last[k] != v {
			t.Errorf("%s=%q, want %q", k, last[k], v)
		}
	}
	if _, ok := last["IMAGESEARCH_VISIBILITY_TIMEOUT"]; ok {
		t.Error("a reading must keep the suite's visibility bound")
	}
}

func TestRunOrderStartsFreedomsFirst(t *testing.T) {
	got := runOrder([]emulator.Variant{reading, mutant, freedom, survivor})
	if want := []int{2, 0, 1, 3}; !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
}
