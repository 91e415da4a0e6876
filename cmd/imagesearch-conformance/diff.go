package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/imagesearch-conformance/conformance/suites/harness"
)

// resultsSchema is the only results.json layout diff reads: the one the suite writes.
const resultsSchema = harness.ResultsSchema

// Tolerances: a measurement or call count that moves by no more than these is noise, not drift. Delays
// (unit ms) are dominated by the suite's 100 ms search poll and the client's pacing, so they get an
// absolute floor of one poll; the throttling counts and rates are bounded by the service's QPS, so a
// relative band suffices; calls per operation vary with the rapid properties' random cases.
const (
	delayTolerance = 0.25 // visibility delays: ±25 % of the old value ...
	delayFloorMs   = 100  // ... and at least 100 ms
	rateTolerance  = 0.20 // every other measurement (accepted calls, steady rate): ±20 %
	callsTolerance = 0.25 // calls per operation: ±25 % ...
	callsFloor     = 10   // ... and at least 10 calls
)

// results is the results.json that diff compares.
type results = harness.Results

// Change is one difference between two runs.
type Change struct {
	Kind    string `json:"kind"`    // verdict, failure, deviation, observation, measurement, calls
	Subject string `json:"subject"` // the spec, open point, observation point, measurement or operation
	Change  string `json:"change"`  // started failing, stopped failing, appeared, went away, changed, moved
	Old     string `json:"old"`
	New     string `json:"new"`
	Note    string `json:"note,omitempty"`
}

// loadResults reads one results.json and refuses any other schema.
func loadResults(path string) (results, error) {
	var r results
	data, err := os.ReadFile(path)
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal(data, &r); err != nil {
		return r, fmt.Errorf("%s is not a results.json: %v", path, err)
	}
	if r.Schema != resultsSchema {
		return r, fmt.Errorf("%s has schema %q; diff reads %s", path, r.Schema, resultsSchema)
	}
	return r, nil
}

// diffResults lists every change from the run from to the run to, grouped by kind in the order of Change.Kind.
func diffResults(from, to results) []Change {
	var out []Change
	if from.Verdict != to.Verdict {
		out = append(out, Change{Kind: "verdict", Change: "changed", Old: from.Verdict, New: to.Verdict})
	}
	out = append(out, diffFailures(from, to)...)
	out = append(out, diffDeviations(from, to)...)
	out = append(out, diffObservations(from, to)...)
	out = append(out, diffMeasurements(from, to)...)
	return append(out, diffCalls(from, to)...)
}

func diffFailures(from, to results) []Change {
	before, after := map[string]string{}, map[string]string{}
	for _, f := range from.Failures {
		before[f.Spec] = f.Message
	}
	for _, f := range to.Failures {
		after[f.Spec] = f.Message
	}
	var out []Change
	for _, spec := range sortedKeys(after) {
		if _, ok := before[spec]; !ok {
			out = append(out, Change{Kind: "failure", Subject: spec, Change: "started failing", New: "failed", Note: firstLine(after[spec])})
		}
	}
	for _, spec := range sortedKeys(before) {
		if _, ok := after[spec]; !ok {
			out = append(out, Change{Kind: "failure", Subject: spec, Change: "stopped failing", Old: "failed"})
		}
	}
	return out
}

// diffDeviations compares deviations by open point and observed answer: the same point answered another
// allowed way is one deviation going away and another appearing.
func diffDeviations(from, to results) []Change {
	type key struct{ point, observed string }
	index := func(r results) (map[key]string, []key) {
		m := map[key]string{}
		var keys []key
		for _, d := range r.Deviations {
			k := key{d.Point, d.Observed}
			if _, dup := m[k]; !dup {
				keys = append(keys, k)
			}
			m[k] = "expected " + d.Expected + "; " + d.Spec
		}
		sort.Slice(keys, func(i, j int) bool {
			return keys[i].point < keys[j].point || keys[i].point == keys[j].point && keys[i].observed < keys[j].observed
		})
		return m, keys
	}
	before, oldKeys := index(from)
	after, newKeys := index(to)
	var out []Change
	for _, k := range newKeys {
		if _, ok := before[k]; !ok {
			out = append(out, Change{Kind: "deviation", Subject: k.point, Change: "appeared", New: k.observed, Note: after[k]})
		}
	}
	for _, k := range oldKeys {
		if _, ok := after[k]; !ok {
			out = append(out, Change{Kind: "deviation", Subject: k.point, Change: "went away", Old: k.observed, Note: before[k]})
		}
	}
	return out
}

// diffObservations compares the free observations by point and spec. Observations of reading footing are
// left out: an answer other than the expected one is a deviation or a failure, which are compared above.
func diffObservations(from, to results) []Change {
	index := func(r results) map[string][]string {
		m := map[string][]string{}
		for _, o := range r.Observations {
			if o.Footing == "reading" {
				continue
			}
			k := o.Point + "\x00" + o.Spec
			if !slices.Contains(m[k], o.Value) {
				m[k] = append(m[k], o.Value)
				slices.Sort(m[k])
			}
		}
		return m
	}
	before, after := index(from), index(to)
	var out []Change
	for _, k := range sortedKeys(union(before, after)) {
		point, spec, _ := strings.Cut(k, "\x00")
		o, inOld := before[k]
		n, inNew := after[k]
		c := Change{Kind: "observation", Subject: point, Old: strings.Join(o, ", "), New: strings.Join(n, ", "), Note: spec}
		switch {
		case !inOld:
			c.Change = "appeared"
		case !inNew:
			c.Change = "went away"
		case c.Old != c.New:
			c.Change = "changed"
		default:
			continue
		}
		out = append(out, c)
	}
	return out
}

// measurement is one measurement name's value over a run: the median of the values of that name (the
// visibility delay is measured once per round-trip set), so one slow poll does not read as drift.
type measurement struct {
	value float64
	unit  string
	n     int
}

func measurements(r results) map[string]measurement {
	values, units := map[string][]float64{}, map[string]string{}
	for _, m := range r.Measurements {
		values[m.Name] = append(values[m.Name], m.Value)
		units[m.Name] = m.Unit
	}
	out := map[string]measurement{}
	for name, vs := range values {
		slices.Sort(vs)
		med := vs[len(vs)/2]
		if len(vs)%2 == 0 {
			med = (vs[len(vs)/2-1] + vs[len(vs)/2]) / 2
		}
		out[name] = measurement{med, units[name], len(vs)}
	}
	return out
}

func diffMeasurements(from, to results) []Change {
	before, after := measurements(from), measurements(to)
	var out []Change
	for _, name := range sortedKeys(union(before, after)) {
		o, inOld := before[name]
		n, inNew := after[name]
		c := Change{Kind: "measurement", Subject: name}
		if inOld {
			c.Old = formatMeasurement(o)
		}
		if inNew {
			c.New = formatMeasurement(n)
		}
		switch {
		case !inOld:
			c.Change = "appeared"
		case !inNew:
			c.Change = "went away"
		default:
			limit, tol := rateTolerance*math.Abs(o.value), band(rateTolerance, 0, "")
			if o.unit == "ms" {
				limit, tol = math.Max(delayTolerance*math.Abs(o.value), delayFloorMs), band(delayTolerance, delayFloorMs, "ms")
			}
			if math.Abs(n.value-o.value) <= limit {
				continue
			}
			c.Change, c.Note = "moved", "tolerance "+tol
		}
		out = append(out, c)
	}
	return out
}

func diffCalls(from, to results) []Change {
	var out []Change
	for _, op := range sortedKeys(union(from.Calls, to.Calls)) {
		o, n := from.Calls[op], to.Calls[op]
		if math.Abs(float64(n-o)) <= math.Max(callsTolerance*float64(o), callsFloor) {
			continue
		}
		out = append(out, Change{Kind: "calls", Subject: op, Change: "moved", Old: strconv.Itoa(o), New: strconv.Itoa(n),
			Note: "tolerance " + band(callsTolerance, callsFloor, "calls")})
	}
	return out
}

// band describes a tolerance, e.g. "±25 %, at least 100 ms"; the help and the notes both use it, so
// they always state the constants.
func band(tolerance, floor float64, unit string) string {
	s := fmt.Sprintf("±%g %%", tolerance*100)
	if floor > 0 {
		s += fmt.Sprintf(", at least %g %s", floor, unit)
	}
	return s
}

func formatMeasurement(m measurement) string {
	s := strconv.FormatFloat(m.value, 'f', 2, 64)
	s = strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
	if m.unit != "" {
		s += " " + m.unit
	}
	if m.n > 1 {
		s += fmt.Sprintf(" (median of %d)", m.n)
	}
	return s
}

// firstLine shortens a failure message to its first line, for a table cell.
func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	return s
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// union returns a map with the keys of both (the values do not matter to its callers).
func union[V any](a, b map[string]V) map[string]V {
	out := make(map[string]V, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}
