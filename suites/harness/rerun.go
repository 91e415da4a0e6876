package harness

import (
	"regexp"
	"strings"

	"github.com/onsi/ginkgo/v2/types"
)

// SuitePackage is the suite's package path from the module root, which `make conformance` runs.
const SuitePackage = "./suites/updateimage"

// RerunResult says how to run only the failed specs again.
type RerunResult struct {
	// Focus holds one Ginkgo focus expression per failed spec: the suite's description and the spec's full
	// text, quoted and anchored, so it matches that spec and no other.
	Focus []string `json:"focus"`
	// Command is the command, from the module root, that runs them with `make conformance`'s settings and
	// the run's emulator switches (credentials and endpoint come from the environment, as before); "" when
	// nothing failed or only suite-level nodes did, which no focus can select.
	Command string `json:"command"`
}

// rerunOf builds the re-run command of the run's failed specs.
func rerunOf(r types.Report, run RunInfo) RerunResult {
	res := RerunResult{Focus: []string{}}
	seen := map[string]bool{}
	for _, sr := range r.SpecReports {
		if sr.LeafNodeType != types.NodeTypeIt || !sr.State.Is(types.SpecStateFailureStates) || seen[sr.FullText()] {
			continue
		}
		seen[sr.FullText()] = true
		res.Focus = append(res.Focus, FocusOf(r.SuiteDescription, sr.FullText()))
	}
	if len(res.Focus) == 0 {
		return res
	}
	var env []string
	if run.Target == "in-process emulator" { // a separate emulator keeps its own switches
		if len(run.Mutants) > 0 {
			env = append(env, EnvMutants+"="+shellQuote(strings.Join(run.Mutants, ",")))
		}
		if len(run.Readings) > 0 {
			env = append(env, EnvReadings+"="+shellQuote(strings.Join(run.Readings, ",")))
		}
	}
	if run.Profile != "" {
		env = append(env, EnvProfile+"="+shellQuote(run.Profile))
	}
	if run.Strict {
		env = append(env, EnvStrict+"=1")
	}
	args := append(env, "go", "tool", "ginkgo", "--keep-going", "--no-color")
	for _, f := range res.Focus {
		args = append(args, "--focus="+shellQuote(f))
	}
	res.Command = strings.Join(append(args, SuitePackage), " ")
	return res
}

// FocusOf is the Ginkgo focus expression that selects exactly one spec. Ginkgo matches a focus against
// the suite's description, a space and the spec's full text.
func FocusOf(suiteDescription, fullText string) string {
	return "^" + regexp.QuoteMeta(suiteDescription+" "+fullText) + "$"
}

// shellQuote quotes s for a POSIX shell: in single quotes, an inner quote closed, escaped and reopened.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.,/=:") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
