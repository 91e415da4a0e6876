package harness

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/onsi/ginkgo/v2/types"
)

// ResultsSchema names the layout of results.json; a change that breaks its readers bumps the version.
const ResultsSchema = "imagesearch-conformance/results/v1"

// Verdicts of a run, as results.json and summary.html state them.
const (
	VerdictConformant = "conformant" // nothing failed and enough of the suite ran to say so
	VerdictViolations = "violations" // a spec or a suite-level node failed
	VerdictIncomplete = "incomplete" // the call cap stopped the run before half of its specs ran
)

// Results is results.json: the run folded into what a reader of a conformance run asks — did the target
// conform, where does it differ from the expected readings, and how much of the suite actually ran.
type Results struct {
	Schema             string              `json:"schema"`
	Run                RunResult           `json:"run"`
	Verdict            string              `json:"verdict"`
	Areas              []AreaResult        `json:"areas"`
	Failures           []FailureResult     `json:"failures"`
	Deviations         []DeviationResult   `json:"deviations"`
	Observations       []ObservationResult `json:"observations"`
	Measurements       []Measurement       `json:"measurements"`
	Calls              map[string]int      `json:"calls"`
	Throttled          map[string]int      `json:"throttled"`
	ThrottledElsewhere []string            `json:"throttledElsewhere"`
	Budget             BudgetResult        `json:"budget"`
	NotApplicable      []NotApplicableCode `json:"notApplicable"`
	Latency            []LatencyResult     `json:"latency"` // per operation, from the call log
	Rerun              RerunResult         `json:"rerun"`
}

// RunResult describes the run and the target it ran against.
type RunResult struct {
	Target      string   `json:"target"`
	Profile     string   `json:"profile"`
	Instance    string   `json:"instance"`
	RunID       string   `json:"runId"`
	Version     string   `json:"version"`
	Strict      bool     `json:"strict"`
	Readings    []string `json:"readings"` // the in-process emulator's allowed readings switched on
	Mutants     []string `json:"mutants"`  // the in-process emulator's violations switched on
	WallSeconds float64  `json:"wallSeconds"`
	Succeeded   bool     `json:"succeeded"`
	// FailureReasons are Ginkgo's reasons for failing a suite outside any node (interrupted, suite timeout,
	// programmatic focus): without them such a run would look like it failed for nothing.
	FailureReasons []string `json:"failureReasons,omitempty"`
}

// AreaResult counts the specs of one behaviour area by footing.
type AreaResult struct {
	Area string `json:"area"`
	// CountsAsConformance is false for AreaClientMapping, whose specs check the suite's client, not the target.
	CountsAsConformance bool             `json:"countsAsConformance"`
	Documented          DocumentedCounts `json:"documented"`
	Reading             ReadingCounts    `json:"reading"`
}

// DocumentedCounts counts the specs of documented footing (and any spec without a footing label, so a
// mislabelled spec is still counted where a failure matters most).
type DocumentedCounts struct {
	Passed  int `json:"passed"`
	Failed  int `json:"failed"`
	Skipped int `json:"skipped"`
}

// ReadingCounts counts the specs of reading footing; Deviated are skipped for a deviation and are not in
// Skipped.
type ReadingCounts struct {
	Passed   int `json:"passed"`
	Failed   int `json:"failed"`
	Deviated int `json:"deviated"`
	Skipped  int `json:"skipped"`
}

// FailureResult is one failed spec or suite-level node.
type FailureResult struct {
	Spec     string   `json:"spec"`
	Area     string   `json:"area"` // "" for a suite-level node
	Footing  string   `json:"footing"`
	Refs     []string `json:"refs"`
	Message  string   `json:"message"`
	Location string   `json:"location"` // file:line of the failure
	Node     string   `json:"node"`     // "It", or the suite-level node type such as "AfterSuite"
	// Exchanges are the spec's last HTTP exchanges, credentials masked (empty when the suite attached none).
	Exchanges     []Exchange `json:"exchanges"`
	ExchangeCalls int        `json:"exchangeCalls"` // the calls the spec made, of which Exchanges are the last
}

// DeviationResult is a Deviation with the spec that found it.
type DeviationResult struct {
	Deviation
	Spec string `json:"spec"`
	Area string `json:"area"`
}

// ObservationResult is an Observation with the spec that made it.
type ObservationResult struct {
	Observation
	Spec string `json:"spec"`
}

// BudgetResult says how much of the suite the call cap let run.
type BudgetResult struct {
	MaxCalls        int  `json:"maxCalls"` // 0: no cap
	Exhausted       bool `json:"exhausted"`
	Specs           int  `json:"specs"` // specs that would run: not filtered out by label or focus
	Ran             int  `json:"ran"`
	SkippedByBudget int  `json:"skippedByBudget"`
}

// NotApplicableCode is one entry of NotApplicable.
type NotApplicableCode struct {
	Code   string `json:"code"`
	Reason string `json:"reason"`
}

// BuildResults folds a Ginkgo report and the run's stats into Results.
func BuildResults(r types.Report, run RunInfo) Results {
	res := Results{
		Schema: ResultsSchema,
		Run: RunResult{Target: run.Target, Profile: run.Profile, Instance: run.Instance, RunID: run.RunID,
			Version: run.Version, Strict: run.Strict, Readings: nonNil(run.Readings), Mutants: nonNil(run.Mutants),
			WallSeconds: r.RunTime.Seconds(), Succeeded: r.SuiteSucceeded, FailureReasons: r.SpecialSuiteFailureReasons},
		Failures: []FailureResult{}, Deviations: []DeviationResult{}, Observations: []ObservationResult{},
		Measurements: []Measurement{}, Calls: nonNilMap(run.Calls), Throttled: nonNilMap(run.Throttled),
		ThrottledElsewhere: nonNil(run.ThrottledElsewhere), Budget: BudgetResult{MaxCalls: run.MaxCalls},
		Latency: Latency(run.CallLog), Rerun: rerunOf(r, run),
	}
	byArea := map[string]*AreaResult{}
	for _, a := range Areas {
		byArea[a] = &AreaResult{Area: a, CountsAsConformance: a != AreaClientMapping}
	}
	// Specs skipped without a message were filtered out or never reached (a failed BeforeSuite, an
	// interrupt); Ginkgo's pre-run count tells the two apart, a hand-built report falls back on counting.
	specs, fallbackSpecs := r.PreRunStats.SpecsThatWillRun, 0
	for _, sr := range r.SpecReports {
		if sr.LeafNodeType != types.NodeTypeIt {
			if sr.State.Is(types.SpecStateFailureStates) {
				res.Failures = append(res.Failures, failureOf(sr, sr.LeafNodeType.String(), "", "", []string{}))
			}
			continue
		}
		res.addSpec(sr, byArea)
		if !sr.State.Is(types.SpecStatePending) && !(sr.State.Is(types.SpecStateSkipped) && sr.Failure.Message == "") {
			fallbackSpecs++
		}
	}
	if r.PreRunStats.TotalSpecs == 0 {
		specs = fallbackSpecs
	}
	for _, a := range Areas {
		res.Areas = append(res.Areas, *byArea[a])
	}
	res.Budget.Specs = specs
	res.Budget.Ran = max(fallbackSpecs-res.Budget.SkippedByBudget, 0)
	res.Budget.Exhausted = run.BudgetExhausted || res.Budget.SkippedByBudget > 0
	for code, reason := range NotApplicable {
		res.NotApplicable = append(res.NotApplicable, NotApplicableCode{code, reason})
	}
	sort.Slice(res.NotApplicable, func(i, j int) bool { return res.NotApplicable[i].Code < res.NotApplicable[j].Code })
	sort.SliceStable(res.Measurements, func(i, j int) bool { return res.Measurements[i].Name < res.Measurements[j].Name })
	switch {
	case len(res.Failures) > 0:
		res.Verdict = VerdictViolations
	case res.Budget.Exhausted && res.Budget.Ran*2 < res.Budget.Specs:
		res.Verdict = VerdictIncomplete
	default:
		res.Verdict = VerdictConformant
	}
	return res
}

// addSpec counts one It and collects its failure and report entries.
func (res *Results) addSpec(sr types.SpecReport, byArea map[string]*AreaResult) {
	labels := sr.Labels()
	area, footing, text := AreaOf(labels), FootingOf(labels), sr.FullText()
	var devs []Deviation
	for _, e := range sr.ReportEntries {
		switch e.Name {
		case DeviationEntry:
			var d Deviation
			if decodeEntry(e, &d) {
				devs = append(devs, d)
			}
		case ObservationEntry:
			var o Observation
			if decodeEntry(e, &o) {
				res.Observations = append(res.Observations, ObservationResult{o, text})
			}
		case MeasurementEntry:
			var m Measurement
			if decodeEntry(e, &m) {
				res.Measurements = append(res.Measurements, m)
			}
		}
	}
	msg := sr.Failure.Message
	if d, ok := parseDeviation(msg); ok && len(devs) == 0 {
		devs = append(devs, d) // the entry did not survive (or was never attached): the message still names it
	}
	for _, d := range devs {
		res.Deviations = append(res.Deviations, DeviationResult{d, text, area})
	}

	skipped := sr.State.Is(types.SpecStateSkipped | types.SpecStatePending)
	budget := sr.State.Is(types.SpecStateSkipped) && strings.HasPrefix(msg, BudgetSkipReason)
	if budget {
		res.Budget.SkippedByBudget++
	}
	failed := !skipped && !sr.State.Is(types.SpecStatePassed)
	if failed {
		res.Failures = append(res.Failures, failureOf(sr, types.NodeTypeIt.String(), area, footing, nonNil(Refs(labels))))
	}
	a := byArea[area]
	if a == nil {
		return // no area label: CheckLabels fails such a spec, so it shows among the failures instead
	}
	if footing == FootingReading {
		c := &a.Reading
		switch {
		case sr.State.Is(types.SpecStatePassed):
			c.Passed++
		case failed:
			c.Failed++
		case sr.State.Is(types.SpecStateSkipped) && len(devs) > 0:
			c.Deviated++
		default:
			c.Skipped++
		}
		return
	}
	c := &a.Documented
	switch {
	case sr.State.Is(types.SpecStatePassed):
		c.Passed++
	case failed:
		c.Failed++
	default:
		c.Skipped++
	}
}

func failureOf(sr types.SpecReport, node, area, footing string, refs []string) FailureResult {
	msg := sr.Failure.Message
	if sr.Failure.ForwardedPanic != "" {
		msg += ": " + sr.Failure.ForwardedPanic // "Test Panicked" alone does not say what panicked
	}
	text := sr.FullText()
	if text == "" {
		text = "[" + node + "]" // suite-level nodes have no text; name them as JUnit does
	}
	loc := ""
	if l := sr.Failure.Location; l.FileName != "" {
		loc = fmt.Sprintf("%s:%d", l.FileName, l.LineNumber)
	}
	f := FailureResult{Spec: text, Area: area, Footing: footing, Refs: refs, Message: msg, Location: loc, Node: node,
		Exchanges: []Exchange{}}
	if e, ok := exchangesEntry(sr); ok {
		f.Exchanges, f.ExchangeCalls = e.Shown, e.Calls
	}
	return f
}

// exchangesEntry is the spec's last ExchangesEntry, if the suite attached one.
func exchangesEntry(sr types.SpecReport) (Exchanges, bool) {
	for i := len(sr.ReportEntries) - 1; i >= 0; i-- {
		var e Exchanges
		if sr.ReportEntries[i].Name == ExchangesEntry && decodeEntry(sr.ReportEntries[i], &e) {
			if e.Shown == nil {
				e.Shown = []Exchange{}
			}
			return e, true
		}
	}
	return Exchanges{}, false
}

// decodeEntry decodes a report entry's value into v. In-process the entry holds the Go value itself; once
// the report has crossed processes (ginkgo -p) only its JSON is left, so both go through JSON.
func decodeEntry(e types.ReportEntry, v any) bool {
	raw := e.Value.AsJSON
	if raw == "" {
		b, err := json.Marshal(e.GetRawValue())
		if err != nil {
			return false
		}
		raw = string(b)
	}
	return json.Unmarshal([]byte(raw), v) == nil
}

// parseDeviation reads a skip or failure message written from Deviation.String:
// "DEVIATION ref <ref> <point>: expected <expected>, observed <observed>[ (strict mode, ...)]".
// A ref may contain spaces ("§2.4, §10 #6") but a point ID never does, so the point is the last word.
func parseDeviation(msg string) (Deviation, bool) {
	rest, ok := strings.CutPrefix(msg, DeviationPrefix+" ref ")
	if !ok {
		return Deviation{}, false
	}
	rest, _, _ = strings.Cut(rest, "\n")
	head, tail, ok := strings.Cut(rest, ": expected ")
	sp := strings.LastIndexByte(head, ' ')
	ob := strings.LastIndex(tail, ", observed ")
	if !ok || sp < 0 || ob < 0 {
		return Deviation{}, false
	}
	observed, _, _ := strings.Cut(tail[ob+len(", observed "):], " (strict mode")
	return Deviation{Point: head[sp+1:], Ref: head[:sp], Expected: tail[:ob], Observed: observed}, true
}

// Incomplete returns why the run cannot vouch for the target when the call cap stopped it too early, and
// nil otherwise; the suite fails its ReportAfterSuite on it, so such a run exits non-zero.
func (r Results) Incomplete() error {
	if r.Verdict != VerdictIncomplete {
		return nil
	}
	return fmt.Errorf("incomplete: the call cap (%s=%d) stopped the run after %d of %d specs; raise it or filter with LABELS",
		EnvMaxCalls, r.Budget.MaxCalls, r.Budget.Ran, r.Budget.Specs)
}

// nonNil keeps empty lists as [] in results.json, so its readers need no null checks.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nonNilMap(m map[string]int) map[string]int {
	if m == nil {
		return map[string]int{}
	}
	return m
}
