package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/imagesearch-conformance/conformance/suites/harness"
)

// plan is one run or listing of the compiled-in suite, as the command line and environment describe it.
type plan struct {
	env         map[string]string    // the variables the flags set; the engine exports them
	getenv      func(string) string  // the environment with the flags winning
	suite       types.SuiteConfig    // label filter, focus, timeout
	reporter    types.ReporterConfig // console output
	rapidChecks int                  // 0: the suite's default
	progress    io.Writer            // progress lines on long runs
	reportDir   string               // absolute
}

// engine runs the suite. The real one is Ginkgo with the suite package registered (engine.go); the
// tests give fakes, since Ginkgo runs one suite per process.
type engine interface {
	// list returns the dry-run report: every spec, the selected ones not skipped.
	list(p plan) (types.Report, error)
	// run runs the selected specs; it returns an error only for a configuration nothing ran with.
	run(p plan) (passed bool, rep types.Report, err error)
}

// runSuite is the command without a subcommand: it runs (or lists) the suite and returns the exit status.
func runSuite(argv0 string, args []string, environ func(string) string, stdout, stderr io.Writer, eng engine) int {
	o, err := parseOptions(args, environ)
	if err != nil {
		return usageFailure(stderr, err)
	}
	switch {
	case o.help:
		writeHelp(stdout)
		return exitConformant
	case o.version:
		fmt.Fprintln(stdout, "imagesearch-conformance", harness.Version())
		return exitConformant
	}
	p := o.plan(environ, stdout)
	// The target settings are checked here so that a bad one is a usage error, not a failed BeforeSuite.
	if _, err := harness.Load(p.getenv); err != nil {
		return usageFailure(stderr, err)
	}
	if o.list {
		return listSpecs(p, stdout, stderr, eng)
	}
	return execute(p, argv0, args, stdout, stderr, eng)
}

// execute runs the suite, judges the run, and prints its exit status and the re-run line.
func execute(p plan, argv0 string, args []string, stdout, stderr io.Writer, eng engine) int {
	// A results.json left by an earlier run must not speak for this one if this one writes none.
	if err := os.Remove(filepath.Join(p.reportDir, "results.json")); err != nil && !errors.Is(err, os.ErrNotExist) {
		fmt.Fprintln(stderr, "imagesearch-conformance:", err)
		return exitInfra
	}
	// A filter that selects nothing is found after the run (judge): Ginkgo runs no setup node for zero
	// specs, so nothing is sent. Not by a dry run first: a preview before RunSpecs in the same process
	// leaves the specs' DeferCleanup nodes unrun, and every image leaks.
	passed, rep, err := eng.run(p)
	if err != nil {
		return usageFailure(stderr, err)
	}
	res, resErr := loadRunResults(p.reportDir)
	out := judge(passed, rep, res, resErr)
	fmt.Fprintf(stderr, "imagesearch-conformance: exit %d: %s (reports in %s)\n", out.code, out.reason, p.reportDir)
	if res != nil {
		if line := rerunLine(argv0, args, res); line != "" {
			fmt.Fprintln(stdout, "Re-run only the failed specs with:")
			fmt.Fprintln(stdout, "  "+line)
		}
	}
	return out.code
}

// plan turns the options into a plan.
func (o options) plan(environ func(string) string, progress io.Writer) plan {
	get := o.getenv(environ)
	sc, rc := types.NewDefaultSuiteConfig(), types.NewDefaultReporterConfig()
	sc.LabelFilter, sc.FocusStrings, sc.Timeout = get(envLabelFilter), o.focus, o.timeout
	rc.NoColor, rc.Verbose = true, o.verbose
	return plan{env: o.env, getenv: get, suite: sc, reporter: rc, rapidChecks: o.rapidChecks, progress: progress,
		reportDir: get(harness.EnvReportDir)}
}

// listSpecs is --list.
func listSpecs(p plan, stdout, stderr io.Writer, eng engine) int {
	rep, err := eng.list(p)
	if err != nil {
		return usageFailure(stderr, err)
	}
	specs := selectedSpecs(rep)
	if len(specs) == 0 {
		fmt.Fprintln(stderr, "imagesearch-conformance: the label filter and focus select no spec")
		return exitUsage
	}
	writeList(stdout, specs)
	return exitConformant
}

func usageFailure(stderr io.Writer, err error) int {
	fmt.Fprintf(stderr, "imagesearch-conformance: %v\nRun imagesearch-conformance -h for the flags and exit codes.\n", err)
	return exitUsage
}
