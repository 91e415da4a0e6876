package updateimage

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/imagesearch-conformance/conformance/suites/harness"
)

// Environment variables ConfigFromEnv reads besides the target's (harness.Load).
const (
	// EnvLabelFilter is the Ginkgo label filter of a run under plain `go test`, where -ginkgo.* flags
	// would break the other packages of `go test ./...`.
	EnvLabelFilter = "IMAGESEARCH_LABEL_FILTER"
	// EnvRapidChecks is rapid's own variable: the cases per property.
	EnvRapidChecks = "RAPID_CHECKS"
	// EnvRemoteRapidChecks is the cases per property against an endpoint when EnvRapidChecks is unset.
	EnvRemoteRapidChecks = "IMAGESEARCH_REMOTE_RAPID_CHECKS"
)

// Rapid's cases per property when Config.RapidChecks is 0: rapid's default in-process, fewer against an
// endpoint, which is paced to its QPS limits and may cost money.
const (
	DefaultRapidChecks       = 100
	DefaultRemoteRapidChecks = 10
)

// Config configures one run of the UpdateImage suite.
type Config struct {
	// Target is the system under test; harness.Load(os.Getenv) reads it from the environment. The zero
	// Endpoint starts the emulator in-process.
	Target harness.Config
	// ReportDir is where junit.xml, report.json, results.json and summary.html go. "" means
	// IMAGESEARCH_REPORT_DIR when set, else reports/ at the root of the module the run starts in.
	ReportDir string
	// LabelFilter is a Ginkgo label filter (e.g. "overwrite || length-limits"), used by Test when the
	// Ginkgo configuration has none. Register leaves filtering to the caller's Ginkgo configuration.
	LabelFilter string
	// RapidChecks is the number of cases per rapid property; 0 means DefaultRapidChecks in-process and
	// DefaultRemoteRapidChecks against an endpoint. A -rapid.checks flag on the command line wins.
	RapidChecks int
	// Progress receives a progress line every harness.ProgressInterval (specs done of the total, calls,
	// and the time left at the QPS floor), from the first process of a parallel run; nil means none.
	Progress io.Writer
}

// ConfigFromEnv reads every IMAGESEARCH_* variable (README.md lists them), the target's credentials and
// RAPID_CHECKS. It validates the target configuration but never contacts it.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	target, err := harness.Load(getenv)
	if err != nil {
		return Config{}, err
	}
	cfg := Config{Target: target, ReportDir: getenv(harness.EnvReportDir), LabelFilter: getenv(EnvLabelFilter)}
	checks, name := getenv(EnvRapidChecks), EnvRapidChecks
	if checks == "" && target.Endpoint != "" {
		checks, name = getenv(EnvRemoteRapidChecks), EnvRemoteRapidChecks
	}
	if checks != "" {
		if cfg.RapidChecks, err = strconv.Atoi(checks); err != nil || cfg.RapidChecks <= 0 {
			return Config{}, fmt.Errorf("%s %q: want a positive integer", name, checks)
		}
	}
	return cfg, nil
}

// reportDir resolves ReportDir.
func (c Config) reportDir() string {
	if c.ReportDir != "" {
		return c.ReportDir
	}
	if d := os.Getenv(harness.EnvReportDir); d != "" {
		return d
	}
	return harness.FromModuleRoot("reports")
}

// rapidChecks is the number of cases per property the run asks rapid for.
func (c Config) rapidChecks() int {
	switch {
	case c.RapidChecks > 0:
		return c.RapidChecks
	case c.Target.Endpoint != "":
		return DefaultRemoteRapidChecks
	}
	return DefaultRapidChecks
}

// applyRapidChecks sets rapid's -rapid.checks flag, rapid's only setting for it, unless the command line
// set it: the flag is how `go test -rapid.checks=N` has always chosen it.
func (c Config) applyRapidChecks() error {
	setByUser := false
	flag.Visit(func(f *flag.Flag) { setByUser = setByUser || f.Name == "rapid.checks" })
	if setByUser || flag.Lookup("rapid.checks") == nil {
		return nil
	}
	return flag.Set("rapid.checks", strconv.Itoa(c.rapidChecks()))
}
