package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/imagesearch-conformance/conformance/emulator"
)

// maxBlast is the number of failing specs above which a killed mutant is flagged: a mutant that fails many
// specs shows a suite whose specs depend on one another, or a mutant that breaks more than it names.
const maxBlast = 5

// Outcomes: what a run did, whatever was expected of it.
const (
	outKilled   = "killed"   // a mutant made at least one spec fail
	outSurvived = "survived" // a mutant made no spec fail
	outFailed   = "failed"   // a reading or freedom made specs fail
	outDeviated = "deviated" // no spec failed, but open points deviated
	outPassed   = "passed"   // no failure and no deviation
	outBroken   = "broken"   // the run produced no usable results
)

// judgement is whether a variant's runs met what its kind demands.
type judgement struct {
	Outcome string
	Met     bool
	Reason  string   // why not met; "" when met
	Flags   []string // notes that do not fail the proof (a mutant's blast radius)
}

// expectation is what a variant's kind demands, in words for the reports.
func expectation(v emulator.Variant) string {
	switch v.Kind {
	case emulator.KindMutant:
		return "killed"
	case emulator.KindReading:
		return "deviates " + v.Point + "; strict fails"
	case emulator.KindFreedom:
		return "passes silently"
	}
	return "?"
}

// judge decides a variant from its default run and, for a reading, its strict run (nil otherwise).
func judge(v emulator.Variant, main suiteRun, strict *suiteRun) judgement {
	if main.Err != nil {
		return judgement{Outcome: outBroken, Reason: "the run broke: " + main.Err.Error()}
	}
	switch v.Kind {
	case emulator.KindMutant:
		return judgeMutant(v, main)
	case emulator.KindReading:
		return judgeReading(v, main, strict)
	case emulator.KindFreedom:
		return judgeFreedom(main)
	}
	return judgement{Outcome: observed(main), Reason: fmt.Sprintf("unknown variant kind %q", v.Kind)}
}

// observed names what a reading's or freedom's run did.
func observed(r suiteRun) string {
	switch {
	case len(r.Failures) > 0:
		return outFailed
	case len(r.Deviations) > 0:
		return outDeviated
	}
	return outPassed
}

// judgeMutant: at least one spec must fail; a wide blast radius is flagged, not failed.
func judgeMutant(v emulator.Variant, r suiteRun) judgement {
	if len(r.Failures) == 0 {
		return judgement{Outcome: outSurvived, Reason: "survived: no spec failed"}
	}
	j := judgement{Outcome: outKilled, Met: true}
	if n := len(r.Failures); n > maxBlast {
		j.Flags = append(j.Flags, fmt.Sprintf("blast radius: %d failing specs (more than %d)", n, maxBlast))
	}
	var outside []string
	for _, a := range failureAreas(r.Failures) {
		if a != v.Area {
			outside = append(outside, areaName(a))
		}
	}
	if len(outside) > 0 {
		j.Flags = append(j.Flags, fmt.Sprintf("blast radius: fails specs outside %s: %v", v.Area, outside))
	}
	return j
}

// judgeReading: the default run passes with deviations of exactly the variant's point; the strict run of
// the reading specs fails, and only in specs that deviate on that point.
func judgeReading(v emulator.Variant, main suiteRun, strict *suiteRun) judgement {
	j := judgement{Outcome: observed(main)}
	points := deviationPoints(main.Deviations)
	switch {
	case v.Point == "":
		j.Reason = "the reading names no open point"
	case len(main.Failures) > 0:
		j.Reason = fmt.Sprintf("default run failed %d spec(s) %s, want none", len(main.Failures), firstSpecs(main.Failures))
	case !slices.Equal(points, []string{v.Point}):
		j.Reason = fmt.Sprintf("deviations %s, want exactly [%s]", list(points), v.Point)
	case strict == nil:
		j.Reason = "no strict run"
	case strict.Err != nil:
		j.Reason = "the strict run broke: " + strict.Err.Error()
	case len(strict.Failures) == 0:
		j.Reason = fmt.Sprintf("strict run passed, want it to fail on %s", v.Point)
	default:
		var others []failure
		for _, f := range strict.Failures {
			if !deviatesOn(f, v.Point, strict.Deviations) {
				others = append(others, f)
			}
		}
		if len(others) > 0 {
			j.Reason = fmt.Sprintf("strict run failed %d spec(s) without a %s deviation %s", len(others), v.Point, firstSpecs(others))
		}
	}
	j.Met = j.Reason == ""
	return j
}

// deviatesOn reports whether a strict failure is the point's deviation: the strict run recorded the
// point's deviation for that spec, or the failure message is the deviation line ("DEVIATION ref §10 #3
// unsent-fields: ..."). The default run's deviations are no evidence here: a spec that deviated there can
// fail in the strict run for another reason, such as depending on a spec the label filter left out.
func deviatesOn(f failure, point string, strictDevs []deviation) bool {
	for _, d := range strictDevs {
		if d.Point == point && d.Spec == f.Spec {
			return true
		}
	}
	return strings.HasPrefix(f.Message, "DEVIATION ") && strings.Contains(f.Message, " "+point+": expected ")
}

// judgeFreedom: a freedom must leave the suite silent.
func judgeFreedom(r suiteRun) judgement {
	j := judgement{Outcome: observed(r)}
	switch {
	case len(r.Failures) > 0:
		j.Reason = fmt.Sprintf("%d failing spec(s) %s, want none", len(r.Failures), firstSpecs(r.Failures))
	case len(r.Deviations) > 0:
		j.Reason = fmt.Sprintf("deviations %s, want none", list(deviationPoints(r.Deviations)))
	}
	j.Met = j.Reason == ""
	return j
}

// deviationPoints lists the distinct points of deviations in order of first appearance.
func deviationPoints(devs []deviation) []string {
	var out []string
	for _, d := range devs {
		if !slices.Contains(out, d.Point) {
			out = append(out, d.Point)
		}
	}
	return out
}

// failureAreas lists the distinct areas of failures in order of first appearance ("" for a suite node).
func failureAreas(fs []failure) []string {
	var out []string
	for _, f := range fs {
		if !slices.Contains(out, f.Area) {
			out = append(out, f.Area)
		}
	}
	return out
}

// areaName shows a failure without an area (a suite setup node) as such rather than as an empty string.
func areaName(a string) string {
	if a == "" {
		return "(none)"
	}
	return a
}

// list formats names as "[a b]", the form the summary lines use.
func list(names []string) string { return "[" + strings.Join(names, " ") + "]" }

// firstSpecs quotes the first failing specs, enough to start looking without flooding a summary line.
func firstSpecs(fs []failure) string {
	const shown = 2
	var q []string
	for i, f := range fs {
		if i == shown {
			q = append(q, fmt.Sprintf("and %d more", len(fs)-shown))
			break
		}
		q = append(q, fmt.Sprintf("%q", f.Spec))
	}
	return "(" + strings.Join(q, ", ") + ")"
}
