package harness

import (
	"strings"
	"testing"
)

func TestCheckLabels(t *testing.T) {
	for _, c := range []struct {
		labels []string
		err    string // "" = valid
	}{
		{[]string{AreaOverwrite, FootingDocumented, "ref:§2.3"}, ""},
		{[]string{AreaThrottling, LabelSlow, "Serial", FootingReading, "ref:§1.10", "ref:§10 #7"}, ""},
		{[]string{AreaOverwrite, "ref:§2.3"}, "exactly one area, one footing"},
		{[]string{AreaOverwrite, FootingDocumented}, "at least one ref"},
		{[]string{AreaOverwrite, AreaErrors, FootingDocumented, "ref:§2.3"}, "exactly one area"},
		{[]string{AreaOverwrite, FootingDocumented, FootingReading, "ref:§2.3"}, "one footing"},
		{[]string{AreaOverwrite, FootingDocumented, "ref:2.3"}, "must name a section"},
		{[]string{AreaOverwrite, FootingDocumented, "ref:§2.3", "flaky"}, "not in the registry"},
	} {
		err := CheckLabels(c.labels)
		switch {
		case c.err == "" && err != nil:
			t.Errorf("%v: unexpected error %v", c.labels, err)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%v: error %v, want one containing %q", c.labels, err, c.err)
		}
	}
}

func TestRefsAreaAndFootingOf(t *testing.T) {
	labels := append([]string{AreaLength, FootingReading}, Ref("§10 #9", "§2.1")...)
	if got := Refs(labels); len(got) != 2 || got[0] != "§10 #9" || got[1] != "§2.1" {
		t.Errorf("Refs = %v", got)
	}
	if AreaOf(labels) != AreaLength || FootingOf(labels) != FootingReading {
		t.Errorf("AreaOf/FootingOf = %q/%q", AreaOf(labels), FootingOf(labels))
	}
}

func TestDeviationString(t *testing.T) {
	d := Deviation{Point: "unsent-fields", Ref: "§10 #3", Expected: "kept", Observed: "reset"}
	if got, want := d.String(), "DEVIATION ref §10 #3 unsent-fields: expected kept, observed reset"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
}
