package harness

import (
	"encoding/xml"
	"fmt"
	"os"

	"github.com/onsi/ginkgo/v2/reporters"
	"github.com/onsi/ginkgo/v2/types"
)

// writeJUnit writes junit.xml with Ginkgo's reporter, then appends each failed spec's HTTP exchanges
// (ExchangesEntry) to its failure text. Ginkgo prints report entries only in the timeline (system-err),
// which CI pages show apart from the failure, if at all.
func writeJUnit(path string, r types.Report) error {
	if err := reporters.GenerateJUnitReportWithConfig(r, path, reporters.JunitReportConfig{
		OmitTimelinesForSpecState: types.SpecStatePassed | types.SpecStateSkipped | types.SpecStatePending,
	}); err != nil {
		return err
	}
	texts := map[int]string{}
	for i, sr := range r.SpecReports {
		if e, ok := exchangesEntry(sr); ok && sr.State.Is(types.SpecStateFailureStates) {
			texts[i] = e.String()
		}
	}
	if len(texts) == 0 {
		return nil
	}
	return appendToFailures(path, texts, len(r.SpecReports))
}

// appendToFailures adds texts[i] to the failure (or error) description of the i-th of cases test cases. Ginkgo
// writes one test case per spec report, in order, when suite setup nodes are kept (WriteReports keeps
// them); a file that does not line up is left as Ginkgo wrote it rather than annotating the wrong case.
func appendToFailures(path string, texts map[int]string, cases int) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var doc reporters.JUnitTestSuites
	if err := xml.Unmarshal(b, &doc); err != nil {
		return fmt.Errorf("read back %s: %w", path, err)
	}
	if len(doc.TestSuites) != 1 || len(doc.TestSuites[0].TestCases) != cases {
		return nil
	}
	for i, text := range texts {
		switch c := &doc.TestSuites[0].TestCases[i]; {
		case c.Failure != nil:
			c.Failure.Description += "\n" + text
		case c.Error != nil:
			c.Error.Description += "\n" + text
		}
	}
	out, err := xml.MarshalIndent(doc, "  ", "    ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append([]byte(xml.Header), append(out, '\n')...), 0o644)
}
