package main

import (
	"flag"
	"fmt"
	"os"
	"testing"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	"github.com/onsi/gomega"

	"github.com/imagesearch-conformance/conformance/suites/updateimage"
)

// ginkgoEngine runs the compiled-in suite with Ginkgo: the specs are declared once, then previewed (--list)
// or run; Ginkgo allows one RunSpecs per process.
type ginkgoEngine struct{ registered bool }

// failRecorder is the GinkgoTestingT of a run outside `go test`: RunSpecs' result says the rest.
type failRecorder struct{ failed bool }

func (f *failRecorder) Fail() { f.failed = true }

// register exports the flags' variables (so that every reader of the environment agrees with the
// flags), builds the suite configuration and declares the specs.
func (e *ginkgoEngine) register(p plan) error {
	if e.registered {
		return nil
	}
	e.registered = true
	for k, v := range p.env {
		if err := os.Setenv(k, v); err != nil {
			return fmt.Errorf("set %s: %w", k, err)
		}
	}
	cfg, err := updateimage.ConfigFromEnv(p.getenv)
	if err != nil {
		return err
	}
	cfg.ReportDir, cfg.Progress = p.reportDir, p.progress
	if p.rapidChecks > 0 {
		cfg.RapidChecks = p.rapidChecks
	}
	// The rapid properties ask testing.Short(), which panics unless the testing flags are registered and
	// parsed; this command's own flags live in their own FlagSet, so the default set parses nothing.
	testing.Init()
	if err := flag.CommandLine.Parse(nil); err != nil {
		return err
	}
	gomega.RegisterFailHandler(ginkgo.Fail)
	updateimage.Register(cfg)
	return nil
}

func (e *ginkgoEngine) list(p plan) (types.Report, error) {
	if err := e.register(p); err != nil {
		return types.Report{}, err
	}
	return ginkgo.PreviewSpecs(suiteDescription, p.suite, p.reporter), nil
}

func (e *ginkgoEngine) run(p plan) (bool, types.Report, error) {
	if err := e.register(p); err != nil {
		return false, types.Report{}, err
	}
	var rep types.Report
	// Declared after the suite's own reporting node, so it sees the report that node saw.
	ginkgo.ReportAfterSuite("exit status", func(r ginkgo.Report) { rep = r })
	t := &failRecorder{}
	passed := ginkgo.RunSpecs(t, suiteDescription, p.suite, p.reporter)
	return passed && !t.failed, rep, nil
}
