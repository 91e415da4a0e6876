package emulator

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/imagesearch-conformance/conformance/contract"
)

// calibrationFixture is a hand-written results.json under testdata/calibrate.
func calibrationFixture(name string) string { return filepath.Join("testdata", "calibrate", name) }

// TestCalibrationReadings maps hand-written results.json files to readings and notes.
func TestCalibrationReadings(t *testing.T) {
	cases := []struct {
		file  string
		want  []string // readings, in the order found
		notes []string // each a part of one note, in order
	}{
		{"every-reading.json", []string{"unsent=reset", "empty-string=ignore", "update-missing=success", "length=utf16",
			"key-limit=512", "metadata-codes=generic", "throttle-code=Throttling.User", "request-id=opaque",
			"head=documented", "missing-param=generic", "index-lag=250ms"},
			[]string{"left at the emulator's default: empty-productid-code=NoSpecifiedProductId"}},
		{"unmapped.json", nil, []string{
			`throttle-code "403 DeniedRequest + 400 Throttling.User": no single reading`, `keeps the expected answer "403 DeniedRequest"`,
			`colour "red": not an open point`,
			`unsent-fields "forgotten": no single reading`,
			"head-returned-count=DocsReturn, missing-parameter-code=MissingInstanceName",
			"3 ms is below one search poll",
			"mutants on (no-throttling)",
			"1 documented failure(s)"}},
		// Two processes report the same answers: each reading once, and a strict run's reading failure is
		// not a documented one.
		{"merged-processes.json", []string{"unsent=reset", "head=documented"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(calibrationFixture(tc.file))
			if err != nil {
				t.Fatal(err)
			}
			got, notes, err := CalibrationReadings(data)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("readings %q, want %q", got, tc.want)
			}
			all := strings.Join(notes, "\n")
			for _, want := range tc.notes {
				if !strings.Contains(all, want) {
					t.Errorf("notes lack %q:\n%s", want, all)
				}
			}
			if len(tc.notes) == 0 && len(notes) > 0 {
				t.Errorf("unexpected notes:\n%s", all)
			}
			if _, err := New(Options{Readings: got}); err != nil {
				t.Errorf("the calibrated readings are refused: %v", err)
			}
		})
	}
}

// TestCalibrationErrors checks that only input that is not a results.json of schema v1 is an error.
func TestCalibrationErrors(t *testing.T) {
	other, err := os.ReadFile(calibrationFixture("other-schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		data []byte
		want string
	}{
		"other schema": {other, `schema "imagesearch-conformance/results/v2", want imagesearch-conformance/results/v1`},
		"no schema":    {[]byte(`{"deviations": []}`), `schema ""`},
		"not JSON":     {[]byte("<junit/>"), "not a results.json"},
	} {
		if _, _, err := CalibrationReadings(tc.data); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err %v, want one containing %q", name, err, tc.want)
		}
	}
	missing := calibrationFixture("no-such.json")
	if _, err := New(Options{Calibrate: missing}); err == nil || !strings.Contains(err.Error(), "calibrate") {
		t.Errorf("missing file: %v", err)
	}
	if _, err := New(Options{Calibrate: calibrationFixture("other-schema.json")}); err == nil ||
		!strings.Contains(err.Error(), "other-schema.json") {
		t.Errorf("other schema through Options: %v", err)
	}
}

// TestCalibrateExplicitWins checks the merge: an explicit value of a calibrated option replaces it and is
// recorded, the same value is no override, and the rest of the calibration stays.
func TestCalibrateExplicitWins(t *testing.T) {
	cal, readings, err := calibrate(calibrationFixture("every-reading.json"), []string{" head = observed", "unsent=reset", "latency=0"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cal.Overridden, []Override{{"head=observed", "head=documented"}}) {
		t.Errorf("overridden %q", cal.Overridden)
	}
	if slices.Contains(readings, "head=documented") || !slices.Contains(readings, "unsent=reset") ||
		!slices.Contains(readings, "index-lag=250ms") || !slices.Contains(readings, "latency=0") {
		t.Errorf("merged readings %q", readings)
	}
	if _, _, _, err := configure(readings, nil); err != nil {
		t.Errorf("merged readings refused: %v", err)
	}
}

// TestCalibratedServer starts an emulator calibrated from a run and probes it: the calibrated reading
// answers (request-id), the explicit value wins where both name one option (unsent), and health lists
// what is on.
func TestCalibratedServer(t *testing.T) {
	clock := newFakeClock()
	e := startEnv(t, Options{Now: clock.Now, Calibrate: calibrationFixture("every-reading.json"), Readings: []string{"unsent=keep"},
		Instances: []Instance{{Name: testInstance, Unlimited: true}, {Name: limitedInstance}}})
	run := func(name string) string {
		for _, p := range probes {
			if p.name == name {
				return p.run(e, clock)
			}
		}
		t.Fatalf("no probe %s", name)
		return ""
	}
	if got, want := run("request-id"), changes["request-id=opaque"]["request-id"]; got != want {
		t.Errorf("probe request-id %q, want the calibrated %q", got, want)
	}
	if got, want := run("unsent"), "5,s,c,7"; got != want {
		t.Errorf("probe unsent %q, want the explicit keep's %q", got, want)
	}
	h := e.srv.health()
	for _, want := range []string{"request-id=opaque", "unsent=keep", "index-lag=250ms", "throttle-code=Throttling.User"} {
		if !slices.Contains(h.Readings, want) {
			t.Errorf("health readings %q lack %s", h.Readings, want)
		}
	}
	cal := e.srv.Calibration()
	if cal.File != calibrationFixture("every-reading.json") || slices.Contains(cal.Readings, "unsent=reset") ||
		!slices.Equal(cal.Overridden, []Override{{"unsent=keep", "unsent=reset"}}) {
		t.Errorf("calibration %+v", cal)
	}
}

// TestObservedValues checks the table's calibration keys: a reading's Observed is one of its point's
// allowed answers, and a freedom that observes a point names the value it gives there.
func TestObservedValues(t *testing.T) {
	for _, v := range Variants() {
		switch {
		case v.Kind == KindReading:
			p, _ := contract.PointByID(v.Point)
			if !slices.Contains(p.Allowed, v.Observed) || v.Observes != "" {
				t.Errorf("reading %s: Observed %q not among %s's allowed %q (Observes %q)", v.Name, v.Observed, v.Point, p.Allowed, v.Observes)
			}
		case (v.Observes == "") != (v.Observed == ""):
			t.Errorf("%s %s: Observes %q with Observed %q", v.Kind, v.Name, v.Observes, v.Observed)
		case v.Kind == KindMutant && v.Observes != "":
			t.Errorf("mutant %s observes %s: calibration never switches a mutant on", v.Name, v.Observes)
		}
	}
}
