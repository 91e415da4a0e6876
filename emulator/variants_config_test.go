package emulator

import (
	"slices"
	"strings"
	"testing"
)

// TestConfigureErrors checks that every bad configuration is refused with an error that says what is
// wrong and, for an unknown name, lists the known ones.
func TestConfigureErrors(t *testing.T) {
	cases := []struct {
		name               string
		readings, mutants  []string
		want1, want2, want string // parts of the error
	}{
		{name: "unknown reading", readings: []string{"colour=red"}, want1: `unknown reading "colour"`, want2: "unsent=keep|reset", want: "latency=MIN-MAX"},
		{name: "not name=value", readings: []string{"unsent"}, want1: "not name=value", want2: "key-limit=256|512"},
		{name: "mutant as reading", readings: []string{"no-throttling"}, want1: "is a mutant", want2: "-mutant"},
		{name: "bad value", readings: []string{"unsent=forget"}, want1: `"forget"`, want2: "keep|reset"},
		{name: "two values", readings: []string{"throttle=fixed-window", "throttle=token-bucket"}, want1: "twice", want2: "token-bucket"},
		{name: "unknown mutant", mutants: []string{"no-throttling", "no-such-mutant"}, want1: "no-such-mutant", want2: "no-throttling"},
		{name: "reading as mutant", mutants: []string{"unsent=reset"}, want1: "is a reading", want2: "-reading"},
		{name: "removed mutant", mutants: []string{"throttle-wrong-status"}, want1: "unknown mutant", want2: "denied-wrong-status"},
		{name: "latency min above max", readings: []string{"latency=20ms-5ms"}, want1: "MIN <= MAX"},
		{name: "latency too long", readings: []string{"latency=1s-20s"}, want1: "MIN <= MAX <= 10s"},
		{name: "latency not a duration", readings: []string{"latency=fast"}, want1: "not a non-negative duration"},
		{name: "latency negative", readings: []string{"latency=-5ms"}, want1: "not a non-negative duration"},
		{name: "index-lag", readings: []string{"index-lag=soon"}, want1: "index-lag"},
		{name: "transient above 1", readings: []string{"transient-5xx=1.5"}, want1: "fraction"},
		{name: "transient NaN", readings: []string{"transient-5xx=NaN"}, want1: "fraction"},
		{name: "transient negative", readings: []string{"transient-5xx=-0.1"}, want1: "fraction"},
		{name: "throttle design", readings: []string{"throttle=leaky-bucket"}, want1: "sliding|fixed-window|token-bucket"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(Options{Readings: tc.readings, Mutants: tc.mutants})
			if err == nil {
				t.Fatal("accepted")
			}
			for _, want := range []string{tc.want1, tc.want2, tc.want} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
			if _, err := Start(Options{Readings: tc.readings, Mutants: tc.mutants}); err == nil {
				t.Error("Start accepted what New refused")
			}
		})
	}
}

// TestConfigureAccepts checks the accepted forms: any valid value, the defaults spelt out, repeats of one
// value, spaces, and every variant at once (one value per option).
func TestConfigureAccepts(t *testing.T) {
	for _, readings := range [][]string{
		{"latency=50ms-250ms", "index-lag=2s", "transient-5xx=0", "transient-5xx=1", "latency=0", "latency=3ms"},
		{" unsent = reset ", "unsent=reset"},
	} {
		for _, r := range readings {
			if _, _, _, err := configure([]string{r}, nil); err != nil {
				t.Errorf("%q refused: %v", r, err)
			}
		}
	}
	_, on, _, err := configure([]string{" unsent = reset ", "unsent=reset"}, nil)
	if err != nil || !slices.Equal(on, []string{"unsent=reset"}) {
		t.Errorf("a repeated reading: %v, %v", on, err)
	}
	var readings, mutants []string
	options := map[string]bool{}
	for _, v := range Variants() {
		switch {
		case v.Kind == KindMutant:
			mutants = append(mutants, v.Name)
		case !options[optionName(v.Name)]:
			options[optionName(v.Name)] = true
			readings = append(readings, v.Name)
		}
	}
	srv, err := New(Options{Readings: readings, Mutants: append(mutants, mutants[0])})
	if err != nil {
		t.Fatalf("every variant at once: %v", err)
	}
	defer srv.Close()
	if got := srv.health(); len(got.Readings) != len(readings) || len(got.Mutants) != len(mutants) {
		t.Errorf("health lists %d readings and %d mutants, want %d and %d", len(got.Readings), len(got.Mutants), len(readings), len(mutants))
	}
}

// TestExplicitDefaults checks that naming the default value of every option changes nothing.
func TestExplicitDefaults(t *testing.T) {
	t.Parallel()
	defaults := []string{"unsent=keep", "empty-string=clear", "update-missing=error", "length=code-points",
		"key-limit=256", "metadata-codes=listed", "throttle-code=DeniedRequest", "request-id=uuid",
		"missing-param=specific", "throttle=sliding", "latency=0", "index-lag=0", "head=observed",
		"transient-5xx=0", "extra-fields=off"}
	for _, v := range Variants() {
		if v.Kind != KindMutant && !slices.ContainsFunc(defaults, func(d string) bool { return optionName(d) == optionName(v.Name) }) {
			t.Errorf("option %s has no default in this test", optionName(v.Name))
		}
	}
	got := observe(t, defaults, nil)
	for _, p := range probes {
		if got[p.name] != p.want {
			t.Errorf("probe %s: %q, want the default %q", p.name, got[p.name], p.want)
		}
	}
}

// TestReadingWithMutant checks combinations of a reading and a mutant that set the same value: the
// mutant wins, and the reading's other effects stay.
func TestReadingWithMutant(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		reading, mutant, probe, want string
	}{
		{"key-limit=512", "key-over-512-accepted", "key-limit", "p256=a p257=a p512=a p513=a n257=a n513=a"},
		{"update-missing=success", "update-creates-missing", "update-missing", "ok "},
		{"throttle-code=Throttling.User", "denied-wrong-status", "throttling",
			"admitted=20 last=400 DeniedRequest value=20 detail=400 Throttling.User"},
		{"length=utf16", "length-in-bytes", "length-unit", "astral=r accented=r"},
		{"unsent=reset", "update-ignores-query-attrs", "query-fields", "0,"},
	} {
		var p probe
		for _, q := range probes {
			if q.name == tc.probe {
				p = q
			}
		}
		e, clock := probeEnv(t, []string{tc.reading}, []string{tc.mutant})
		if got := p.run(e, clock); got != tc.want {
			t.Errorf("%s with %s: probe %s observes %q, want %q", tc.reading, tc.mutant, tc.probe, got, tc.want)
		}
	}
}
