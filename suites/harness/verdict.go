package harness

import (
	"fmt"
	"slices"

	"github.com/onsi/ginkgo/v2"

	"github.com/imagesearch-conformance/conformance/contract"
)

// Report entry names the specs attach; the reports (results.json, summary.html) read them.
const (
	DeviationEntry   = "deviation"
	ObservationEntry = "observation"
)

// DeviationPrefix starts the skip reason (and, in strict mode, the failure) of a spec whose open point the
// target answered another allowed way; JUnit viewers show it as the skip message.
const DeviationPrefix = "DEVIATION"

// Deviation is an open point the target answered differently from the expected reading, within what the
// documents allow.
type Deviation struct {
	Point    string `json:"point"`
	Ref      string `json:"ref"`
	Expected string `json:"expected"`
	Observed string `json:"observed"`
}

// String is the deviation as one line: "DEVIATION ref §10 #3 unsent-fields: expected kept, observed reset".
func (d Deviation) String() string {
	return fmt.Sprintf("%s ref %s %s: expected %s, observed %s", DeviationPrefix, d.Ref, d.Point, d.Expected, d.Observed)
}

// Observation is what the target answered to an open point (footing reading) or how it used a freedom
// (footing free), recorded whether or not it deviates.
type Observation struct {
	Point   string `json:"point"`
	Footing string `json:"footing"`
	Value   string `json:"value"`
}

// Verdicts turns the target's answers to open points into verdicts. Strict makes a deviation fail the spec.
type Verdicts struct{ Strict bool }

// Read records the target's answer to an open point (a contract.OpenPoints ID) and ends the spec's verdict
// on it: the expected answer passes; another allowed answer is a deviation: the spec is skipped with the
// deviation as its reason, or fails under strict mode; any other answer fails. Call it last in the spec,
// after everything the observed answer itself must satisfy has been checked.
func (v Verdicts) Read(pointID, observed string) {
	ginkgo.GinkgoHelper()
	p, ok := contract.PointByID(pointID)
	if !ok {
		ginkgo.Fail("no open point " + pointID + " in contract.OpenPoints")
	}
	ginkgo.AddReportEntry(ObservationEntry, Observation{Point: p.ID, Footing: FootingReading, Value: observed})
	if observed == p.Expected {
		return
	}
	if !slices.Contains(p.Allowed, observed) {
		ginkgo.Fail(fmt.Sprintf("ref %s %s: observed %q, which is neither the expected %q nor one of the allowed %q",
			p.Ref, p.ID, observed, p.Expected, p.Allowed))
	}
	d := Deviation{Point: p.ID, Ref: p.Ref, Expected: p.Expected, Observed: observed}
	ginkgo.AddReportEntry(DeviationEntry, d)
	if v.Strict {
		ginkgo.Fail(d.String() + " (strict mode, " + EnvStrict + "=1)")
	}
	ginkgo.Skip(d.String())
}

// Observe records how the target used a freedom: never asserted, only reported.
func Observe(point, value string) {
	ginkgo.AddReportEntry(ObservationEntry, Observation{Point: point, Footing: string(contract.Free), Value: value})
}
