package harness

// Labels from a fixed registry. Every spec carries exactly one area label; the others say what a spec needs
// or how it runs. Filter with IMAGESEARCH_LABEL_FILTER (or `make conformance LABELS=...`).
const (
	AreaLength     = "length-limits"
	AreaOverwrite  = "overwrite"
	AreaRoundTrip  = "round-trip"
	AreaThrottling = "throttling"
	AreaErrors     = "error-codes"

	LabelProperty     = "property"      // a rapid property or state machine
	LabelEmulatorOnly = "emulator-only" // needs the emulator's fault hook; skips elsewhere
	LabelProfileCN    = "cn-2026-only"  // only meaningful under the cn-2026 profile
	LabelSlow         = "slow"          // takes seconds against a rate-limited target
)

// Areas lists the five behaviour areas in report order.
var Areas = []string{AreaLength, AreaOverwrite, AreaRoundTrip, AreaThrottling, AreaErrors}

// AllLabels is the registry; a test checks that specs use nothing else.
var AllLabels = append(append([]string(nil), Areas...), LabelProperty, LabelEmulatorOnly, LabelProfileCN, LabelSlow)
