// Package updateimage_test is the UpdateImage conformance suite. It runs against the in-process emulator by
// default, or against any endpoint configured through the environment (see README.md). Every assertion
// cites its section of the contract reference (ref §N).
package updateimage_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/imagesearch-conformance/conformance/suites/harness"
)

var (
	target   *harness.Target
	api      *harness.API
	tracker  *harness.Tracker // images on the main instance
	tracker2 *harness.Tracker // images on the throttling instance, cleaned by the throttling container
	verdicts harness.Verdicts // turns answers to open points into verdicts (strict or not)
)

func TestUpdateImage(t *testing.T) {
	RegisterFailHandler(Fail)
	defaultRapidChecks()
	suiteConfig, reporterConfig := GinkgoConfiguration()
	// Ginkgo has no environment variable for the label filter; -ginkgo.* flags would break plain packages
	// in `go test ./...`, so the suite reads one of its own.
	if lf := os.Getenv("IMAGESEARCH_LABEL_FILTER"); lf != "" && suiteConfig.LabelFilter == "" {
		suiteConfig.LabelFilter = lf
	}
	RunSpecs(t, "UpdateImage conformance", suiteConfig, reporterConfig)
}

// defaultRapidChecks keeps rapid's 100 cases per property against the in-process emulator unless the user
// chose otherwise, and lowers them for targets behind an endpoint, which are paced to their QPS limits and
// may cost money (IMAGESEARCH_REMOTE_RAPID_CHECKS, default 10).
func defaultRapidChecks() {
	setByUser := false
	flag.Visit(func(f *flag.Flag) { setByUser = setByUser || f.Name == "rapid.checks" })
	if _, env := os.LookupEnv("RAPID_CHECKS"); setByUser || env {
		return
	}
	if os.Getenv(harness.EnvEndpoint) != "" {
		n := os.Getenv("IMAGESEARCH_REMOTE_RAPID_CHECKS")
		if n == "" {
			n = "10"
		}
		_ = flag.Set("rapid.checks", n)
	}
}

// The first process learns the target's limits and, in a parallel run, serves one shared pacer so that
// `ginkgo -p` does not multiply the rate; every process then opens the target.
var _ = SynchronizedBeforeSuite(func(ctx SpecContext) []byte {
	cfg, err := harness.Load(os.Getenv)
	Expect(err).NotTo(HaveOccurred(), "target configuration")
	pacing, stop, err := harness.SharedPacing(ctx, cfg, parallelTotal() > 1)
	Expect(err).NotTo(HaveOccurred(), "learn the target's QPS limits (%s)", cfg.Redacted())
	DeferCleanup(stop)
	data, _ := json.Marshal(sharedSetup{RunID: cfg.RunID, Pacing: harness.EncodePacing(pacing)})
	return data
}, func(ctx SpecContext, data []byte) {
	cfg, err := harness.Load(os.Getenv)
	Expect(err).NotTo(HaveOccurred(), "target configuration")
	var setup sharedSetup
	Expect(json.Unmarshal(data, &setup)).To(Succeed())
	cfg.RunID = setup.RunID // one run id for every process: one prefix to report and to sweep
	pacing, err := harness.DecodePacing(setup.Pacing)
	Expect(err).NotTo(HaveOccurred())
	if n := parallelTotal(); cfg.MaxCalls > 0 && n > 1 {
		cfg.MaxCalls = (cfg.MaxCalls + n - 1) / n // the run's cap, split evenly over the processes
	}
	target, err = harness.Open(ctx, cfg, pacing)
	Expect(err).NotTo(HaveOccurred(), "open the target (%s)", cfg.Redacted())
	DeferCleanup(target.Close)
	api = target.API
	verdicts = harness.Verdicts{Strict: cfg.Strict}
	api.SpecName = func() string { return CurrentSpecReport().FullText() }
	harness.OnExhausted = func() { Skip(harness.BudgetSkipReason) }
	procPrefix := target.Prefix() + "p" + itoa(GinkgoParallelProcess()) + "-"
	tracker = harness.NewTracker(api, target.Instance, procPrefix)
	tracker2 = harness.NewTracker(api, target.ThrottleInstance, procPrefix+"t")
	// The journal names every image before it is created, so `make sweep` can clean up after a killed run
	// (an in-process emulator dies with the run, so it needs none).
	if cfg.Endpoint != "" {
		journal, err := harness.OpenJournal(filepath.Join(reportDir(), "journal"), target.RunID+"-p"+itoa(GinkgoParallelProcess()))
		Expect(err).NotTo(HaveOccurred(), "open the run journal")
		DeferCleanup(journal.Close)
		tracker.SetJournal(journal)
		tracker2.SetJournal(journal)
	}
	GinkgoWriter.Printf("target: %s (%s)\n", target.Kind, target.Redacted())
}, NodeTimeout(time.Minute))

// sharedSetup is what the first process hands every process of a run.
type sharedSetup struct {
	RunID  string
	Pacing []byte
}

// Every spec's images are deleted when it ends, newest first, even after a failed assertion; the
// RequestIds of a failed spec's calls go into its report.
var _ = BeforeEach(func() {
	Expect(harness.CheckLabels(CurrentSpecReport().Labels())).To(Succeed(), "spec metadata")
	if api.Exhausted() {
		Skip(harness.BudgetSkipReason)
	}
	api.TakeRecent()
	DeferCleanup(func(ctx SpecContext) {
		Expect(tracker.Cleanup(ctx)).To(Succeed(), "infrastructure: cleanup of the spec's images")
	}, NodeTimeout(2*time.Minute))
})

var _ = JustAfterEach(func() {
	if CurrentSpecReport().Failed() {
		AddReportEntry("request-ids", api.TakeRecent())
	}
})

// At the end, anything the run created that still exists is a failure ("leaked images"), not silently
// swept. The process's call counts are saved first, so the report has them even when the check fails.
var _ = AfterSuite(func(ctx SpecContext) {
	if api == nil {
		return
	}
	calls, throttled := api.Stats()
	Expect(harness.WriteStats(reportDir(), GinkgoParallelProcess(), harness.ProcessStats{Calls: calls,
		Throttled: throttled, Rates: api.Rates(), ThrottledElsewhere: api.ThrottledElsewhere(),
		Exhausted: api.Exhausted()})).To(Succeed())
	for _, tr := range []*harness.Tracker{tracker, tracker2} {
		leaked, err := tr.Leaked(ctx)
		Expect(err).NotTo(HaveOccurred(), "infrastructure: leak check on instance %s", tr.Instance())
		Expect(leaked).To(BeEmpty(), "leaked images on instance %s under prefix %s", tr.Instance(), tr.Prefix())
	}
}, NodeTimeout(5*time.Minute))

var _ = ReportAfterSuite("reports", func(r Report) {
	run := harness.RunInfo{Version: harness.Version()}
	if target != nil {
		run.Target, run.Profile, run.RunID, run.Instance = target.Kind, string(target.Profile), target.RunID, target.Instance
		run.Strict, run.Readings, run.Mutants = target.Strict, target.Readings, target.Mutants
		if cfg, err := harness.Load(os.Getenv); err == nil {
			run.MaxCalls = cfg.MaxCalls // the run's cap; target.MaxCalls is this process's share
		}
	}
	stats, err := harness.ReadStats(reportDir())
	Expect(err).NotTo(HaveOccurred())
	run.Calls, run.Throttled, run.Rates = stats.Calls, stats.Throttled, stats.Rates
	run.ThrottledElsewhere, run.BudgetExhausted = stats.ThrottledElsewhere, stats.Exhausted
	results, err := harness.WriteReports(reportDir(), r, run)
	Expect(err).NotTo(HaveOccurred())
	if target != nil {
		Expect(harness.ScanForSecret(reportDir(), target.AccessKeySecret, target.AccessKeyID)).To(Succeed(), "redaction")
		// A recording kept outside the report directory is held to the same rule.
		Expect(harness.ScanRecordings(target.Record, reportDir(), target.AccessKeySecret, target.AccessKeyID)).
			To(Succeed(), "redaction of the recording (%s)", harness.EnvRecord)
	}
	Expect(results.Incomplete()).To(Succeed(), "a run that checked almost nothing is not green")
})

// reportDir is IMAGESEARCH_REPORT_DIR, or reports/ at the module root.
func reportDir() string {
	if d := os.Getenv(harness.EnvReportDir); d != "" {
		return d
	}
	return harness.FromModuleRoot("reports")
}

func parallelTotal() int {
	suiteConfig, _ := GinkgoConfiguration()
	return suiteConfig.ParallelTotal
}
