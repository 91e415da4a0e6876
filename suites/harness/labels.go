package harness

import (
	"fmt"
	"slices"
	"strings"

	"github.com/onsi/ginkgo/v2"

	"github.com/imagesearch-conformance/conformance/contract"
)

// Labels from a fixed registry. Every spec carries exactly one area label, exactly one footing label and at
// least one ref label (Ref); the others say what a spec needs or how it runs. Filter with
// IMAGESEARCH_LABEL_FILTER (or `make conformance LABELS=...`), e.g. LABELS=reading.
const (
	AreaLength        = contract.AreaLength
	AreaOverwrite     = contract.AreaOverwrite
	AreaRoundTrip     = contract.AreaRoundTrip
	AreaThrottling    = contract.AreaThrottling
	AreaErrors        = contract.AreaErrors
	AreaClientMapping = contract.AreaClientMapping // injected faults: the client's mapping, not the target's conformance

	// FootingDocumented marks a spec whose assertions a vendor source states: a violation fails the run.
	FootingDocumented = string(contract.Documented)
	// FootingReading marks the one spec that reads an open point (contract.OpenPoints): another allowed
	// answer is a deviation, which fails only under IMAGESEARCH_STRICT=1.
	FootingReading = string(contract.Reading)

	LabelProperty     = "property"      // a rapid property or state machine
	LabelEmulatorOnly = "emulator-only" // needs the emulator's fault hook; skips elsewhere
	LabelProfileCN    = "cn-2026-only"  // only meaningful under the cn-2026 profile
	LabelSlow         = "slow"          // takes seconds against a rate-limited target
)

// Areas lists the behaviour areas in report order; AreaClientMapping comes last because it is not counted as
// the target's conformance.
var Areas = []string{AreaLength, AreaOverwrite, AreaRoundTrip, AreaThrottling, AreaErrors, AreaClientMapping}

// Footings lists the footing labels.
var Footings = []string{FootingDocumented, FootingReading}

// AllLabels is the registry of plain labels; ref labels (RefLabelPrefix) are checked by CheckLabels.
var AllLabels = append(append(append([]string(nil), Areas...), Footings...),
	LabelProperty, LabelEmulatorOnly, LabelProfileCN, LabelSlow)

// RefLabelPrefix starts the labels that name the contract sections a spec cites, e.g. "ref:§2.3".
const RefLabelPrefix = "ref:"

// Ref labels a spec with the sections of the contract reference it checks, e.g. Ref("§2.1", "§2.4").
func Ref(sections ...string) ginkgo.Labels {
	out := make(ginkgo.Labels, len(sections))
	for i, s := range sections {
		out[i] = RefLabelPrefix + s
	}
	return out
}

// Refs returns the sections of a spec's ref labels.
func Refs(labels []string) []string {
	var out []string
	for _, l := range labels {
		if s, ok := strings.CutPrefix(l, RefLabelPrefix); ok {
			out = append(out, s)
		}
	}
	return out
}

// AreaOf returns a spec's area label ("" if none).
func AreaOf(labels []string) string { return firstOf(labels, Areas) }

// FootingOf returns a spec's footing label ("" if none).
func FootingOf(labels []string) string { return firstOf(labels, Footings) }

func firstOf(labels, set []string) string {
	for _, l := range labels {
		if slices.Contains(set, l) {
			return l
		}
	}
	return ""
}

// CheckLabels holds a spec's labels to the registry: labels from AllLabels (plus Ginkgo's Serial), exactly
// one area, exactly one footing and at least one ref, so reports can group by each.
func CheckLabels(labels []string) error {
	areas, footings, refs := 0, 0, 0
	for _, l := range labels {
		switch {
		case strings.HasPrefix(l, RefLabelPrefix):
			if !strings.HasPrefix(l, RefLabelPrefix+"§") {
				return fmt.Errorf("ref label %q must name a section, e.g. %s§2.3", l, RefLabelPrefix)
			}
			refs++
		case l == "Serial":
		case !slices.Contains(AllLabels, l):
			return fmt.Errorf("label %q is not in the registry (suites/harness/labels.go)", l)
		case slices.Contains(Areas, l):
			areas++
		case slices.Contains(Footings, l):
			footings++
		}
	}
	if areas != 1 || footings != 1 || refs == 0 {
		return fmt.Errorf("a spec carries exactly one area, one footing and at least one ref label, got %v", labels)
	}
	return nil
}
