package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/imagesearch-conformance/conformance/suites/harness"
)

// Exit statuses of a suite run (diff has its own, exitNoDrift and exitDrift, and shares exitUsage).
const (
	exitConformant = 0
	exitViolation  = 1
	exitInfra      = 3
)

// infraPrefix starts the messages of the suite's own failed steps (cleanup of a spec's images, the leak
// check): they say nothing about the target's conformance.
const infraPrefix = "infrastructure:"

// outcome is how a run ended: its exit status and why.
type outcome struct {
	code   int
	reason string
}

// loadRunResults reads results.json from the report directory; a missing or unreadable one means the run
// did not get far enough to judge.
func loadRunResults(dir string) (*harness.Results, error) {
	b, err := os.ReadFile(filepath.Join(dir, "results.json"))
	if err != nil {
		return nil, err
	}
	var r harness.Results
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("results.json: %w", err)
	}
	if r.Schema != harness.ResultsSchema {
		return nil, fmt.Errorf("results.json has schema %q, want %s", r.Schema, harness.ResultsSchema)
	}
	return &r, nil
}

// judge maps a finished run to its exit status. passed is RunSpecs' answer; rep is the Ginkgo report;
// res is results.json, nil with resErr when it could not be read. A violation wins over an
// infrastructure failure: the target failed a check whatever else went wrong.
func judge(passed bool, rep types.Report, res *harness.Results, resErr error) outcome {
	if rep.PreRunStats.TotalSpecs > 0 && rep.PreRunStats.SpecsThatWillRun == 0 {
		return outcome{exitUsage, "the label filter and focus select no spec"}
	}
	if res == nil {
		return outcome{exitInfra, fmt.Sprintf("no results.json: %v", resErr)}
	}
	// A spec cut short (an interrupt, the suite timeout, its own node timeout while the target hung) or
	// one whose own code panicked says nothing about the contract.
	cut := map[string]bool{}
	for _, sr := range rep.SpecReports {
		if sr.State.Is(types.SpecStateInterrupted | types.SpecStateAborted | types.SpecStateTimedout | types.SpecStatePanicked) {
			cut[sr.FullText()] = true
		}
	}
	var violations, infra []string
	for _, f := range res.Failures {
		switch {
		case f.Node != types.NodeTypeIt.String():
			infra = append(infra, fmt.Sprintf("[%s] %s", f.Node, firstLine(f.Message)))
		case cut[f.Spec]:
			infra = append(infra, f.Spec+": "+firstLine(f.Message))
		case strings.HasPrefix(f.Message, infraPrefix):
			infra = append(infra, f.Spec+": "+firstLine(f.Message))
		case f.Area == harness.AreaClientMapping:
			// These specs check the suite's own client against injected faults, not the target.
			infra = append(infra, f.Spec+": the suite's client mapping: "+firstLine(f.Message))
		default:
			violations = append(violations, f.Spec)
		}
	}
	switch {
	case len(violations) > 0:
		return outcome{exitViolation, fmt.Sprintf("%d spec(s) failed: the target violates the contract", len(violations))}
	case len(infra) > 0:
		return outcome{exitInfra, "infrastructure: " + strings.Join(infra, "; ")}
	case len(res.Run.FailureReasons) > 0:
		return outcome{exitInfra, "the run did not finish: " + strings.Join(res.Run.FailureReasons, "; ")}
	}
	if err := res.Incomplete(); err != nil {
		return outcome{exitInfra, err.Error()}
	}
	if !passed || !res.Run.Succeeded {
		return outcome{exitInfra, "the suite failed outside any spec (see the output above)"}
	}
	return outcome{exitConformant, "conformant"}
}
