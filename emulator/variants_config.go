package emulator

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// maxLatency bounds the latency freedom: longer sleeps would only make a run look hung.
const maxLatency = 10 * time.Second

// optionName is the part of a variant name before "=" (the whole name of a mutant).
func optionName(name string) string {
	opt, _, _ := strings.Cut(name, "=")
	return opt
}

// findOption returns the first row of the option (readings and freedoms) or the mutant called name.
func findOption(name string, mutants bool) (variant, bool) {
	for _, v := range variants {
		if (v.Kind == KindMutant) == mutants && optionName(v.Name) == name {
			return v, true
		}
	}
	return variant{}, false
}

// knownReadings lists every reading and freedom option with its values, for error messages.
func knownReadings() string {
	var out []string
	for _, v := range variants {
		if v.Kind == KindMutant {
			continue
		}
		if s := optionName(v.Name) + "=" + v.values; !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return strings.Join(out, ", ")
}

// configure builds the behaviour from the readings ("name=value") and mutants of the options. Readings are
// applied first, then mutants, so where a mutant and a reading set the same value (key-limit=512 and
// key-over-512-accepted, say) the mutant wins; two values of one option are an error. It returns the
// behaviour and the normalised, sorted lists of the readings and mutants switched on.
func configure(readings, mutants []string) (b *behaviour, on, mut []string, err error) {
	b = defaultBehaviour()
	given := map[string]string{}
	for _, r := range readings {
		r = strings.TrimSpace(r)
		name, value, ok := strings.Cut(r, "=")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if _, isMutant := findOption(name, true); isMutant && !ok {
			return nil, nil, nil, fmt.Errorf("%q is a mutant, not a reading: switch it on with Mutants (-mutant)", name)
		}
		if !ok {
			return nil, nil, nil, fmt.Errorf("reading %q is not name=value (known: %s)", r, knownReadings())
		}
		v, found := findOption(name, false)
		if !found {
			return nil, nil, nil, fmt.Errorf("unknown reading %q (known: %s)", name, knownReadings())
		}
		if prev, dup := given[name]; dup {
			if prev == value {
				continue
			}
			return nil, nil, nil, fmt.Errorf("reading %s given twice, as %q and %q: an option takes one value", name, prev, value)
		}
		if err := v.apply(b, value); err != nil {
			return nil, nil, nil, fmt.Errorf("reading %s: %v (want %s)", name, err, v.values)
		}
		given[name] = value
		on = append(on, name+"="+value)
	}
	for _, m := range mutants {
		m = strings.TrimSpace(m)
		if slices.Contains(mut, m) {
			continue
		}
		v, found := findOption(m, true)
		if !found {
			if _, isReading := findOption(optionName(m), false); isReading {
				return nil, nil, nil, fmt.Errorf("%q is a reading, not a mutant: switch it on with Readings (-reading name=value)", m)
			}
			return nil, nil, nil, fmt.Errorf("unknown mutant %q (known: %s)", m, strings.Join(MutantNames(), ", "))
		}
		if err := v.apply(b, ""); err != nil {
			return nil, nil, nil, fmt.Errorf("mutant %s: %v", m, err)
		}
		mut = append(mut, m)
	}
	slices.Sort(on)
	slices.Sort(mut)
	return b, on, mut, nil
}

// setLatency reads "MIN-MAX" (or a single duration, or 0) for the latency freedom.
func setLatency(b *behaviour, v string) error {
	lo, hi, ranged := strings.Cut(v, "-")
	minD, err := parseDuration(lo)
	if err != nil {
		return err
	}
	maxD := minD
	if ranged {
		if maxD, err = parseDuration(hi); err != nil {
			return err
		}
	}
	if maxD < minD || maxD > maxLatency {
		return fmt.Errorf("latency %q: want MIN <= MAX <= %s", v, maxLatency)
	}
	b.latencyMin, b.latencyMax = minD, maxD
	return nil
}

// setIndexLag reads the index-lag duration.
func setIndexLag(b *behaviour, v string) error {
	d, err := parseDuration(v)
	if err != nil {
		return err
	}
	b.indexLag = d
	return nil
}

// setTransient reads the fraction of calls the transient-5xx freedom fails.
func setTransient(b *behaviour, v string) error {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || !(f >= 0 && f <= 1) { // NaN fails both comparisons
		return fmt.Errorf("%q is not a fraction between 0 and 1", v)
	}
	b.transient = f
	return nil
}

// parseDuration accepts a non-negative Go duration; a bare "0" is zero.
func parseDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%q is not a non-negative duration such as 250ms", s)
	}
	return d, nil
}

// Mutant is a named, switchable contract violation.
//
// Deprecated: use Variants, whose KindMutant rows carry the same names; Mutant stays for callers that
// have not switched yet.
type Mutant struct {
	Name        string
	Area        string
	Ref         string
	Description string
}

// Mutants lists the KindMutant rows of Variants in the older form.
//
// Deprecated: use Variants.
var Mutants = mutantList()

func mutantList() []Mutant {
	var out []Mutant
	for _, v := range variants {
		if v.Kind == KindMutant {
			out = append(out, Mutant{Name: v.Name, Area: v.Area, Ref: v.Ref, Description: v.Description})
		}
	}
	return out
}

// MutantNames returns every mutant name, sorted.
func MutantNames() []string {
	var names []string
	for _, v := range variants {
		if v.Kind == KindMutant {
			names = append(names, v.Name)
		}
	}
	slices.Sort(names)
	return names
}
