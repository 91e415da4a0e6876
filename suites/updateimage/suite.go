// Package updateimage is the UpdateImage conformance suite: Ginkgo specs that check a target (the
// in-process emulator by default, or any endpoint the Config names) against the contract reference, each
// assertion citing its section (ref §N). Test runs the whole suite under plain `go test`; Register adds it
// to a caller's own Ginkgo suite. After a run, results.json in the report directory (schema
// harness.Results) says what happened.
package updateimage

import (
	"encoding/json"
	"io"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	. "github.com/onsi/gomega"

	"github.com/imagesearch-conformance/conformance/suites/harness"
)

// suite is the state every spec of one run shares. Register fills it in the suite's setup node; the specs
// read it only while they run.
type suite struct {
	cfg      Config
	target   *harness.Target
	api      *harness.API
	tracker  *harness.Tracker // images on the main instance
	tracker2 *harness.Tracker // images on the throttling instance, cleaned by the throttling container
	verdicts harness.Verdicts // turns answers to open points into verdicts (strict or not)
	picSeed  atomic.Int64     // numbers the pictures of this process, so every image added looks different
	// modelPics are the model property's pictures (model.go); only its spec touches them.
	modelPics [][]byte
	specs     int               // specs the run will run, as Ginkgo counts them before the suite starts
	progress  *harness.Progress // nil without Config.Progress
}

// Register declares every spec and suite node of the UpdateImage suite in the caller's Ginkgo tree; call it
// before RunSpecs, once per process (it returns true, for `var _ = updateimage.Register(cfg)`). Label and
// focus filters are the caller's Ginkgo configuration's. Under SuiteConfig.DryRun the suite nodes open no
// target, write no reports and fail nothing.
func Register(cfg Config) bool {
	s := &suite{cfg: cfg}
	s.suiteNodes()
	s.errorCodeSpecs()
	s.clientMappingSpecs()
	s.lengthSpecs()
	s.modelSpecs()
	s.overwriteSpecs()
	s.roundTripSpecs()
	s.throttlingSpecs()
	return true
}

// Test runs the whole suite under `go test`: it registers Ginkgo's fail handler, registers the suite, applies
// cfg.LabelFilter when the Ginkgo configuration has no filter of its own, and runs the specs. Call it once,
// from one Test function.
func Test(t *testing.T, cfg Config) {
	t.Helper()
	RegisterFailHandler(Fail)
	Register(cfg)
	suiteConfig, reporterConfig := GinkgoConfiguration()
	if cfg.LabelFilter != "" && suiteConfig.LabelFilter == "" {
		suiteConfig.LabelFilter = cfg.LabelFilter
	}
	RunSpecs(t, "UpdateImage conformance", suiteConfig, reporterConfig)
}

// longSpec is the SpecPriority of the specs that take seconds: scheduled first, they overlap the short ones
// in a parallel run instead of trailing them.
const longSpec = 10

// sharedSetup is what the first process hands every process of a run.
type sharedSetup struct {
	RunID  string
	Pacing []byte
}

func (s *suite) suiteNodes() {
	// The first process learns the target's limits and, in a parallel run, serves one shared pacer so that
	// `ginkgo -p` does not multiply the rate; every process then opens the target.
	SynchronizedBeforeSuite(func(ctx SpecContext) []byte {
		if dryRun() {
			return nil
		}
		cfg := s.cfg.Target
		pacing, stop, err := harness.SharedPacing(ctx, cfg, parallelTotal() > 1)
		Expect(err).NotTo(HaveOccurred(), "learn the target's QPS limits (%s)", cfg.Redacted())
		DeferCleanup(stop)
		data, _ := json.Marshal(sharedSetup{RunID: cfg.RunID, Pacing: harness.EncodePacing(pacing)})
		return data
	}, s.open, NodeTimeout(time.Minute))

	// Every spec's images are deleted when it ends, newest first, even after a failed assertion; the HTTP
	// exchanges of a failed spec go into its report (credentials masked). The exchanges start afresh with
	// each spec's name, so nothing is reset here.
	BeforeEach(func() {
		Expect(harness.CheckLabels(CurrentSpecReport().Labels())).To(Succeed(), "spec metadata")
		if s.api.Exhausted() {
			Skip(harness.BudgetSkipReason)
		}
		DeferCleanup(func(ctx SpecContext) {
			Expect(s.tracker.Cleanup(ctx)).To(Succeed(), "infrastructure: cleanup of the spec's images")
		}, NodeTimeout(2*time.Minute))
	})

	JustAfterEach(func() {
		if CurrentSpecReport().Failed() {
			AddReportEntry(harness.ExchangesEntry, s.target.TakeExchanges())
		}
	})

	ReportBeforeSuite(func(r Report) { s.specs = r.PreRunStats.SpecsThatWillRun })
	ReportAfterEach(func(r SpecReport) {
		if s.progress != nil && ran(r) {
			s.progress.SpecDone()
		}
	})
	AfterSuite(s.checkLeaks, NodeTimeout(5*time.Minute))
	ReportAfterSuite("reports", s.writeReports)
}

// open is the setup every process runs: it opens the target with the run id and pacing the first process
// handed out.
func (s *suite) open(ctx SpecContext, data []byte) {
	if dryRun() {
		return
	}
	cfg := s.cfg.Target
	var setup sharedSetup
	Expect(json.Unmarshal(data, &setup)).To(Succeed())
	cfg.RunID = setup.RunID // one run id for every process: one prefix to report and to sweep
	pacing, err := harness.DecodePacing(setup.Pacing)
	Expect(err).NotTo(HaveOccurred())
	if n := parallelTotal(); cfg.MaxCalls > 0 && n > 1 {
		cfg.MaxCalls = (cfg.MaxCalls + n - 1) / n // the run's cap, split evenly over the processes
	}
	Expect(s.cfg.applyRapidChecks()).To(Succeed(), "rapid.checks")
	s.target, err = harness.Open(ctx, cfg, pacing)
	Expect(err).NotTo(HaveOccurred(), "open the target (%s)", cfg.Redacted())
	DeferCleanup(s.target.Close)
	s.api = s.target.API
	s.verdicts = harness.Verdicts{Strict: cfg.Strict}
	s.api.SpecName = func() string { return CurrentSpecReport().FullText() }
	s.api.OnExhausted = func() { Skip(harness.BudgetSkipReason) }
	procPrefix := s.target.Prefix() + "p" + itoa(GinkgoParallelProcess()) + "-"
	s.tracker = harness.NewTracker(s.api, s.target.Instance, procPrefix)
	s.tracker2 = harness.NewTracker(s.api, s.target.ThrottleInstance, procPrefix+"t")
	// The journal names every image before it is created, so `make sweep` can clean up after a killed run
	// (an in-process emulator dies with the run, so it needs none).
	if cfg.Endpoint != "" {
		journal, err := harness.OpenJournal(filepath.Join(s.cfg.reportDir(), "journal"),
			s.target.RunID+"-p"+itoa(GinkgoParallelProcess()))
		Expect(err).NotTo(HaveOccurred(), "open the run journal")
		DeferCleanup(journal.Close)
		s.tracker.SetJournal(journal)
		s.tracker2.SetJournal(journal)
	}
	s.startProgress()
	GinkgoWriter.Printf("target: %s (%s)\n", s.target.Kind, s.target.Redacted())
}

// startProgress prints progress lines on Config.Progress from the first process; the others only count
// (into the shared pacer, when there is one), since Ginkgo counts the run's specs on the first alone.
func (s *suite) startProgress() {
	if s.cfg.Progress == nil {
		return
	}
	var w io.Writer
	if GinkgoParallelProcess() == 1 {
		w = s.cfg.Progress
		// The ginkgo CLI holds a parallel process's output until it ends; its own output route does not.
		if sc, _ := GinkgoConfiguration(); sc.ParallelTotal > 1 {
			w = harness.ParallelOutput(sc.ParallelHost)
		}
	}
	s.progress = harness.StartProgress(w, s.specs, s.api)
	DeferCleanup(s.progress.Stop)
}

// checkLeaks treats anything the run created that still exists as a failure ("leaked images"), not
// silently swept. The process's call counts are saved first, so the report has them even when it fails.
func (s *suite) checkLeaks(ctx SpecContext) {
	if dryRun() || s.api == nil {
		return
	}
	Expect(harness.WriteStats(s.cfg.reportDir(), GinkgoParallelProcess(), s.api.ProcessStats())).To(Succeed())
	for _, tr := range []*harness.Tracker{s.tracker, s.tracker2} {
		leaked, err := tr.Leaked(ctx)
		Expect(err).NotTo(HaveOccurred(), "infrastructure: leak check on instance %s", tr.Instance())
		Expect(leaked).To(BeEmpty(), "leaked images on instance %s under prefix %s", tr.Instance(), tr.Prefix())
	}
}

// writeReports writes the run's reports (on the first process, after every process ended) and fails a run
// that leaked the secret into them or checked almost nothing.
func (s *suite) writeReports(r Report) {
	if dryRun() {
		return
	}
	dir := s.cfg.reportDir()
	run := harness.RunInfo{Version: harness.Version()}
	if t := s.target; t != nil {
		run.Target, run.Profile, run.RunID, run.Instance = t.Kind, string(t.Profile), t.RunID, t.Instance
		run.Strict, run.Readings, run.Mutants = t.Strict, t.Readings, t.Mutants
		run.MaxCalls = s.cfg.Target.MaxCalls // the run's cap; t.MaxCalls is this process's share
	}
	stats, err := harness.ReadStats(dir)
	Expect(err).NotTo(HaveOccurred())
	run.AddStats(stats)
	results, err := harness.WriteReports(dir, r, run)
	Expect(err).NotTo(HaveOccurred())
	if t := s.target; t != nil {
		Expect(harness.ScanForSecret(dir, t.AccessKeySecret, t.AccessKeyID)).To(Succeed(), "redaction")
		// A recording kept outside the report directory is held to the same rule.
		Expect(harness.ScanRecordings(t.Record, dir, t.AccessKeySecret, t.AccessKeyID)).
			To(Succeed(), "redaction of the recording (%s)", harness.EnvRecord)
	}
	Expect(results.Incomplete()).To(Succeed(), "a run that checked almost nothing is not green")
}

// ran tells whether a spec counts as done for progress: ReportAfterEach also sees the specs a label or
// focus filter left out (skipped without a message) and pending ones, which SpecsThatWillRun does not count.
func ran(r SpecReport) bool {
	return r.State != types.SpecStatePending && (r.State != types.SpecStateSkipped || r.Failure.Message != "")
}

func dryRun() bool {
	suiteConfig, _ := GinkgoConfiguration()
	return suiteConfig.DryRun
}

func parallelTotal() int {
	suiteConfig, _ := GinkgoConfiguration()
	return suiteConfig.ParallelTotal
}

func itoa(n int) string { return strconv.Itoa(n) }
