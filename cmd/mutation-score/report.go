package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// proofSchema names the layout of mutation.json; v2 replaced the mutant-only v1 with one row per variant.
const proofSchema = "imagesearch-conformance/mutation/v2"

// specJSON is one failing spec.
type specJSON struct {
	Spec string `json:"spec"`
	Area string `json:"area"`
}

// variantJSON is one variant's row of mutation.json.
type variantJSON struct {
	Kind            string     `json:"kind"`
	Name            string     `json:"name"`
	Area            string     `json:"area"`
	Point           string     `json:"point,omitempty"`
	Ref             string     `json:"ref"`
	Description     string     `json:"description"`
	Expected        string     `json:"expected"`
	Outcome         string     `json:"outcome"`
	Met             bool       `json:"met"`
	Reason          string     `json:"reason,omitempty"`
	Flags           []string   `json:"flags"`
	Failing         []specJSON `json:"failing"`
	FailingAreas    []string   `json:"failingAreas"`
	DeviationPoints []string   `json:"deviationPoints"`
	// StrictRun says a strict run of the reading specs was made (readings only); StrictFailing lists its
	// failing specs.
	StrictRun     bool       `json:"strictRun,omitempty"`
	StrictFailing []specJSON `json:"strictFailing,omitempty"`
	Seconds       float64    `json:"seconds"`
}

// proofJSON is mutation.json.
type proofJSON struct {
	Schema   string `json:"schema"`
	When     string `json:"when"`
	Baseline struct {
		Passed  int     `json:"passed"`
		Seconds float64 `json:"seconds"`
	} `json:"baseline"`
	Met      int           `json:"met"`
	Total    int           `json:"total"`
	Seconds  float64       `json:"seconds"` // wall time of the whole proof, baseline included
	Variants []variantJSON `json:"variants"`
}

// specs lists failures as report rows; never nil, so the JSON shows [] rather than null.
func specs(fs []failure) []specJSON {
	out := []specJSON{}
	for _, f := range fs {
		out = append(out, specJSON{Spec: f.Spec, Area: f.Area})
	}
	return out
}

// nonNil keeps empty lists as [] in the JSON.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// proof folds the outcomes into mutation.json's shape.
func proof(base suiteRun, results []outcome, wall time.Duration) proofJSON {
	p := proofJSON{Schema: proofSchema, When: time.Now().UTC().Format(time.RFC3339), Total: len(results),
		Seconds: wall.Seconds(), Variants: []variantJSON{}}
	p.Baseline.Passed, p.Baseline.Seconds = base.Passed, base.Took.Seconds()
	for _, o := range results {
		row := variantJSON{Kind: string(o.v.Kind), Name: o.v.Name, Area: o.v.Area, Point: o.v.Point, Ref: o.v.Ref,
			Description: o.v.Description, Expected: expectation(o.v), Outcome: o.j.Outcome, Met: o.j.Met,
			Reason: o.j.Reason, Flags: nonNil(o.j.Flags), Failing: specs(o.main.Failures),
			FailingAreas: nonNil(failureAreas(o.main.Failures)), DeviationPoints: nonNil(deviationPoints(o.main.Deviations)),
			Seconds: o.took().Seconds()}
		if o.strict != nil {
			row.StrictRun, row.StrictFailing = true, specs(o.strict.Failures)
		}
		if row.Met {
			p.Met++
		}
		p.Variants = append(p.Variants, row)
	}
	return p
}

// writeReports writes mutation.json and mutation.md into dir.
func writeReports(dir string, base suiteRun, results []outcome, wall time.Duration) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	p := proof(base, results, wall)
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "mutation.json"), append(b, '\n'), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "mutation.md"), []byte(markdown(p)), 0o644)
}

// cell escapes text for a Markdown table cell: a '|' would split the cell, a newline would end the row.
func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "\r", "").Replace(s)
}

// markdown renders the proof: a summary, one table row per variant, what was not as expected, the flagged
// blast radii, then each mutant's failing specs.
func markdown(p proofJSON) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Suite proof: %d/%d variants as expected\n\n", p.Met, p.Total)
	fmt.Fprintf(&b, "Baseline: %d specs passed in %.0f s against the emulator without a variant, conformant with no deviation. Whole proof: %.0f s.\n\n",
		p.Baseline.Passed, p.Baseline.Seconds, p.Seconds)
	b.WriteString("A mutant must be killed (at least one spec fails); a reading must pass with deviations of exactly its " +
		"open point, and a strict run of the reading specs must fail on that point alone; a freedom must pass with " +
		"no failure and no deviation.\n\n")
	b.WriteString("| kind | variant | area | expected | outcome | as expected | failing specs | failing areas | deviation points | time |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|\n")
	for _, v := range p.Variants {
		met := "yes"
		if !v.Met {
			met = "**NO**"
		}
		outcome := v.Outcome
		if v.StrictRun {
			outcome += fmt.Sprintf("; strict: %d failing", len(v.StrictFailing))
		}
		fmt.Fprintf(&b, "| %s | `%s` | %s | %s | %s | %s | %d | %s | %s | %.0f s |\n", v.Kind, cell(v.Name), cell(v.Area),
			cell(v.Expected), cell(outcome), met, len(v.Failing), cell(strings.Join(v.FailingAreas, ", ")),
			cell(strings.Join(v.DeviationPoints, ", ")), v.Seconds)
	}
	section(&b, "Not as expected", p.Variants, func(v variantJSON) []string {
		if v.Met {
			return nil
		}
		return []string{v.Reason}
	})
	section(&b, fmt.Sprintf("Blast radius (flagged, not failed: more than %d failing specs, or specs outside the mutant's area)", maxBlast),
		p.Variants, func(v variantJSON) []string { return v.Flags })
	b.WriteString("\n## Failing specs per mutant\n")
	for _, v := range p.Variants {
		if v.Kind != "mutant" {
			continue
		}
		fmt.Fprintf(&b, "\n### `%s` (%s, %s): %s\n\n", v.Name, cell(v.Area), cell(v.Ref), cell(v.Description))
		if len(v.Failing) == 0 {
			b.WriteString("- **none: the mutant survived**\n")
		}
		for _, s := range v.Failing {
			fmt.Fprintf(&b, "- [%s] %s\n", areaName(s.Area), cell(s.Spec))
		}
	}
	return b.String()
}

// section writes a heading and one bullet per note of each variant, or nothing when no variant has a note.
func section(b *strings.Builder, title string, vs []variantJSON, notes func(variantJSON) []string) {
	started := false
	for _, v := range vs {
		for _, n := range notes(v) {
			if !started {
				fmt.Fprintf(b, "\n## %s\n\n", title)
				started = true
			}
			fmt.Fprintf(b, "- %s `%s`: %s\n", v.Kind, cell(v.Name), cell(n))
		}
	}
}
