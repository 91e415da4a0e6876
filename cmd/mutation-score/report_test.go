package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// judged builds an outcome the way the runner does.
func judged(o outcome) outcome {
	o.j = judge(o.v, o.main, o.strict)
	return o
}

func sampleOutcomes() []outcome {
	unsent := []deviation{dev("unsent-fields", "keeps unsent")}
	return []outcome{
		judged(outcome{v: reading, main: suiteRun{Deviations: unsent, Took: 12 * time.Second},
			strict: &suiteRun{Failures: []failure{fail("keeps unsent", "overwrite")}, Deviations: unsent, Took: 2 * time.Second}}),
		judged(outcome{v: freedom, main: suiteRun{Failures: []failure{fail("a | b", "round-trip")}}}),
		judged(outcome{v: mutant, main: suiteRun{Failures: append(fails(5, "overwrite"), fail("reads back", "round-trip"))}}),
		judged(outcome{v: survivor, main: suiteRun{}}),
	}
}

func TestMarkdownReport(t *testing.T) {
	md := markdown(proof(suiteRun{Passed: 97, Took: 13 * time.Second}, sampleOutcomes(), time.Minute))
	for _, want := range []string{
		"# Suite proof: 2/4 variants as expected",
		"Baseline: 97 specs passed in 13 s",
		"| reading | `unsent=reset` | overwrite | deviates unsent-fields; strict fails | deviated; strict: 1 failing | yes | 0 |  | unsent-fields | 14 s |",
		"| freedom | `latency=2ms-20ms` | round-trip | passes silently | failed | **NO** | 1 | round-trip |  | 0 s |",
		"| mutant | `update-clears-unsent` | overwrite | killed | killed | yes | 6 | overwrite, round-trip |  | 0 s |",
		"| mutant | `no-throttling` | throttling | killed | survived | **NO** | 0 |  |  | 0 s |",
		"## Not as expected",
		"- freedom `latency=2ms-20ms`: 1 failing spec(s) (\"a \\| b\"), want none",
		"- mutant `no-throttling`: survived: no spec failed",
		"## Blast radius",
		"- mutant `update-clears-unsent`: blast radius: 6 failing specs (more than 5)",
		"- mutant `update-clears-unsent`: blast radius: fails specs outside overwrite: [round-trip]",
		"### `update-clears-unsent`",
		"- [round-trip] reads back",
		"### `no-throttling` (throttling, §1.10): never throttles\n\n- **none: the mutant survived**",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "### `unsent=reset`") {
		t.Error("only mutants get a list of failing specs")
	}
}

func TestMarkdownOmitsEmptySections(t *testing.T) {
	md := markdown(proof(suiteRun{}, sampleOutcomes()[:1], time.Second))
	if strings.Contains(md, "## Not as expected") || strings.Contains(md, "## Blast radius") {
		t.Errorf("sections without notes:\n%s", md)
	}
}

func TestWriteReportsJSON(t *testing.T) {
	dir := t.TempDir()
	if err := writeReports(dir, suiteRun{Passed: 5}, sampleOutcomes(), time.Minute); err != nil {
		t.Fatal(err)
	}
	var p proofJSON
	b, _ := os.ReadFile(filepath.Join(dir, "mutation.json"))
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	if p.Schema != proofSchema || p.Met != 2 || p.Total != 4 || p.Baseline.Passed != 5 || len(p.Variants) != 4 {
		t.Fatalf("json %+v", p)
	}
	r, m := p.Variants[0], p.Variants[2]
	if !r.Met || !r.StrictRun || len(r.StrictFailing) != 1 || r.Point != "unsent-fields" || r.Seconds != 14 {
		t.Errorf("reading row %+v", r)
	}
	if !m.Met || len(m.Failing) != 6 || len(m.Flags) != 2 || strings.Join(m.FailingAreas, ",") != "overwrite,round-trip" {
		t.Errorf("mutant row %+v", m)
	}
	if !strings.Contains(string(b), `"deviationPoints": []`) {
		t.Error("empty lists must be [] in the JSON, not null")
	}
	if _, err := os.Stat(filepath.Join(dir, "mutation.md")); err != nil {
		t.Error(err)
	}
}

func TestReadResults(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "results.json")
	os.WriteFile(path, []byte(`{"schema":"imagesearch-conformance/results/v1","run":{"mutants":["m"],"strict":false},
		"verdict":"violations","areas":[{"area":"overwrite","documented":{"passed":3},"reading":{"passed":1}},
		{"area":"round-trip","documented":{"passed":2}}],"failures":[{"spec":"s","area":"overwrite","footing":"documented","refs":["§2.3"],"message":"x","node":"It"}],
		"deviations":[{"point":"unsent-fields","ref":"§10 #3","expected":"kept","observed":"reset","spec":"t","area":"overwrite"}],
		"extra":{"ignored":true}}`), 0o644)
	res, err := readResults(path)
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != "violations" || len(res.Failures) != 1 || res.Failures[0].Area != "overwrite" ||
		res.Deviations[0].Point != "unsent-fields" || res.Run.Mutants[0] != "m" || res.passed() != 6 {
		t.Errorf("%+v", res)
	}
	os.WriteFile(path, []byte(`{"schema":"other/v9"}`), 0o644)
	if _, err := readResults(path); err == nil || !strings.Contains(err.Error(), "other/v9") {
		t.Errorf("another schema: %v", err)
	}
	if _, err := readResults(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("a missing results.json must be an error")
	}
}

func TestDirNameIsSafe(t *testing.T) {
	if got := dirName(3, "latency=2ms-20ms"); got != "03-latency=2ms-20ms" {
		t.Error(got)
	}
	if got := dirName(12, "a/b c"); got != "12-a_b_c" {
		t.Error(got)
	}
}
