package harness

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"

	"github.com/onsi/ginkgo/v2/reporters"
	"github.com/onsi/ginkgo/v2/types"
)

// MeasurementEntry is the name of the report entries that carry a measurement (throttling rate, visibility
// delay); the HTML summary lists them.
const MeasurementEntry = "measurement"

// Measurement is one measured value attached to a spec with AddReportEntry(MeasurementEntry, m).
type Measurement struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
	Unit  string  `json:"unit"`
	Note  string  `json:"note,omitempty"`
}

// RunInfo describes the run for the reports: what the Ginkgo report cannot know.
type RunInfo struct {
	Target    string
	Profile   string
	RunID     string
	Instance  string
	Version   string         // the target's version, when it tells one
	Calls     map[string]int // per operation, summed over processes
	Throttled map[string]int
	Rates     Rates
	// ThrottledElsewhere lists DeniedRequest answers outside the throttling specs.
	ThrottledElsewhere []string
	// BudgetExhausted: the run stopped early at IMAGESEARCH_MAX_CALLS; the remaining specs were skipped.
	BudgetExhausted bool
	MaxCalls        int      // the run's IMAGESEARCH_MAX_CALLS (0: no cap), for the reports to name it
	Strict          bool     // IMAGESEARCH_STRICT=1: a deviation failed its spec
	Readings        []string // the in-process emulator's readings (IMAGESEARCH_EMULATOR_READINGS)
	Mutants         []string // the in-process emulator's mutants (IMAGESEARCH_EMULATOR_MUTANTS)
	// CallLog is every logged call of the run, for the latency figures and results.json's latency.
	CallLog CallLog
}

// AddStats takes the run's merged process stats (ReadStats) into the run's description.
func (run *RunInfo) AddStats(s ProcessStats) {
	run.Calls, run.Throttled, run.Rates = s.Calls, s.Throttled, s.Rates
	run.ThrottledElsewhere, run.BudgetExhausted, run.CallLog = s.ThrottledElsewhere, s.Exhausted, s.CallLog
}

// WriteReports writes junit.xml, report.json, results.json and summary.html into dir and returns the
// results, so the caller can fail an incomplete run (Results.Incomplete). The JUnit keeps suite setup
// nodes, so a failed setup can never look green; Ginkgo writes a deviation there as a skip whose message is
// "skipped - DEVIATION ...".
func WriteReports(dir string, r types.Report, run RunInfo) (Results, error) {
	res := BuildResults(r, run)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return res, err
	}
	if err := writeJUnit(filepath.Join(dir, "junit.xml"), r); err != nil {
		return res, err
	}
	if err := reporters.GenerateJSONReport(r, filepath.Join(dir, "report.json")); err != nil {
		return res, err
	}
	b, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return res, err
	}
	if err := os.WriteFile(filepath.Join(dir, "results.json"), append(b, '\n'), 0o644); err != nil {
		return res, err
	}
	f, err := os.Create(filepath.Join(dir, "summary.html"))
	if err != nil {
		return res, err
	}
	if err := writeSummary(f, summaryOf(r, res, run)); err != nil {
		f.Close()
		return res, err
	}
	return res, f.Close() // a short write shows only at Close, and a truncated page must not pass
}

// ScanForSecret fails if any file under dir contains the secret or the unmasked AccessKeyId, raw or
// URL-escaped. The suite runs it on its own reports, so a change that prints either anywhere the reports
// capture fails the run.
func ScanForSecret(dir, secret, keyID string) error {
	var needles [][]byte
	for _, v := range []string{secret, keyID} {
		if len(v) >= 6 {
			needles = append(needles, []byte(v), []byte(url.QueryEscape(v)))
		}
	}
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, n := range needles {
			if bytes.Contains(b, n) {
				return fmt.Errorf("a credential (the AccessKey secret or the unmasked AccessKeyId) appears in %s", path)
			}
		}
		return nil
	})
}
