package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"
)

// readReport returns the number of passed specs and the full texts of the failed ones in a Ginkgo JSON
// report (an array of suite reports).
func readReport(path string) (passed int, failed []string, err error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, nil, fmt.Errorf("no report: %w", err)
	}
	var reports []types.Report
	if err := json.Unmarshal(b, &reports); err != nil {
		return 0, nil, fmt.Errorf("bad report %s: %w", path, err)
	}
	for _, r := range reports {
		for _, s := range r.SpecReports {
			switch {
			case s.State.Is(types.SpecStatePassed) && s.LeafNodeType == types.NodeTypeIt:
				passed++
			case s.State.Is(types.SpecStateFailureStates):
				failed = append(failed, strings.TrimSpace(s.LeafNodeType.String()+" "+s.FullText()))
			}
		}
	}
	return passed, failed, nil
}

type mutantJSON struct {
	Name        string   `json:"name"`
	Area        string   `json:"area"`
	Ref         string   `json:"ref"`
	Description string   `json:"description"`
	Killed      bool     `json:"killed"`
	KilledBy    []string `json:"killedBy"`
	Seconds     float64  `json:"seconds"`
	Error       string   `json:"error,omitempty"`
}

type scoreJSON struct {
	Baseline struct {
		Passed  int     `json:"passed"`
		Seconds float64 `json:"seconds"`
	} `json:"baseline"`
	Killed  int          `json:"killed"`
	Total   int          `json:"total"`
	Mutants []mutantJSON `json:"mutants"`
	When    string       `json:"when"`
}

func writeReports(dir string, base outcome, results []outcome) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var s scoreJSON
	s.Baseline.Passed, s.Baseline.Seconds = base.passed, base.took.Seconds()
	s.Total, s.When = len(results), time.Now().UTC().Format(time.RFC3339)
	for _, r := range results {
		m := mutantJSON{Name: r.mutant.Name, Area: r.mutant.Area, Ref: r.mutant.Ref, Description: r.mutant.Description,
			Killed: r.killed(), KilledBy: r.failed, Seconds: r.took.Seconds()}
		if m.KilledBy == nil {
			m.KilledBy = []string{}
		}
		if r.err != nil {
			m.Error = r.err.Error()
		}
		if m.Killed {
			s.Killed++
		}
		s.Mutants = append(s.Mutants, m)
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "mutation.json"), b, 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "mutation.md"), []byte(markdown(s)), 0o644)
}

func markdown(s scoreJSON) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Mutation score: %d/%d killed\n\nBaseline: %d specs passed in %.0f s against the unmutated emulator.\n\n",
		s.Killed, s.Total, s.Baseline.Passed, s.Baseline.Seconds)
	b.WriteString("| mutant | area | ref | violation | result | killed by (first 3 specs) |\n|---|---|---|---|---|---|\n")
	for _, m := range s.Mutants {
		result := "**SURVIVED**"
		if m.Killed {
			result = fmt.Sprintf("killed (%d specs)", len(m.KilledBy))
		}
		first := m.KilledBy
		if len(first) > 3 {
			first = first[:3]
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s |\n", m.Name, m.Area, m.Ref, m.Description, result,
			strings.ReplaceAll(strings.Join(first, "<br>"), "|", "\\|"))
	}
	return b.String()
}
