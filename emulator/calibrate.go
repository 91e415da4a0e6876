package emulator

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/imagesearch-conformance/conformance/contract"
)

// resultsSchema is the schema of the suite's results.json that calibration reads. It mirrors
// harness.ResultsSchema, which the emulator cannot import (the harness imports the Ginkgo DSL): a file of
// another schema is refused rather than half-read.
const resultsSchema = "imagesearch-conformance/results/v1"

// visibilityPrefix names the suite's visibility measurements ("visibility delay, SearchImageByName").
const visibilityPrefix = "visibility delay, "

// minIndexLagMs is the smallest measured visibility delay calibration turns into index-lag. The suite
// polls searches every 100 ms, so a delay below one poll is the search's own time and the client's
// pacing, not a lag of the index.
const minIndexLagMs = 100

// runResults holds the fields of results.json calibration reads. It is a local copy of the few fields
// needed, not the harness type, for the reason given at resultsSchema.
type runResults struct {
	Schema string `json:"schema"`
	Run    struct {
		Mutants []string `json:"mutants"`
	} `json:"run"`
	Failures []struct {
		Footing string `json:"footing"`
	} `json:"failures"`
	Deviations []struct {
		Point    string `json:"point"`
		Observed string `json:"observed"`
	} `json:"deviations"`
	Observations []struct {
		Point   string `json:"point"`
		Footing string `json:"footing"`
		Value   string `json:"value"`
	} `json:"observations"`
	Measurements []struct {
		Name  string  `json:"name"`
		Value float64 `json:"value"`
		Unit  string  `json:"unit"`
	} `json:"measurements"`
}

// Calibration says how a Server was calibrated from a run's results.json (Options.Calibrate).
type Calibration struct {
	File string // Options.Calibrate; "" when the server was not calibrated
	// Readings are the readings and freedoms calibration switched on, "name=value", in the order found.
	Readings []string
	// Overridden are the calibrated readings that an explicit Options.Readings value of the same option
	// replaced: an explicit choice is deliberate, a calibrated one inferred.
	Overridden []Override
	// Notes say what the run showed that calibration did not map, and why.
	Notes []string
}

// Override is a calibrated reading that an explicit reading of the same option replaced.
type Override struct {
	Explicit   string // as given in Options.Readings, "name=value"
	Calibrated string // what the run's results.json would have switched on
}

// CalibrationReadings reads a results.json (schema imagesearch-conformance/results/v1) and returns the
// readings and freedoms ("name=value") that make this emulator answer as that run's target did, plus notes
// on what it could not map. Every deviation becomes the reading whose Variant.Observed is the deviation's
// observed value at its Point; every free observation the freedom that Observes its point with that value;
// the largest measured visibility delay of at least 100 ms becomes index-lag. Anything without a variant is
// a note, not an error (an answer no single reading gives, such as the throttle-code mixture
// "403 DeniedRequest + 400 Throttling.User", keeps the expected behaviour). The error is for input that is
// not such a results.json.
func CalibrationReadings(resultsJSON []byte) (readings, notes []string, err error) {
	var r runResults
	if err := json.Unmarshal(resultsJSON, &r); err != nil {
		return nil, nil, fmt.Errorf("not a results.json: %v", err)
	}
	if r.Schema != resultsSchema {
		return nil, nil, fmt.Errorf("schema %q, want %s", r.Schema, resultsSchema)
	}
	c := calibrator{chosen: map[string]string{}}
	for _, d := range r.Deviations {
		c.deviation(d.Point, d.Observed)
	}
	var unmapped []string
	for _, o := range r.Observations {
		if o.Footing != string(contract.Free) {
			continue // a reading's observation either is its expected answer or shows as a deviation
		}
		if !c.freeObservation(o.Point, o.Value) && !slices.Contains(unmapped, o.Point+"="+o.Value) {
			unmapped = append(unmapped, o.Point+"="+o.Value)
		}
	}
	if len(unmapped) > 0 {
		c.note("free observations no variant gives, left at the emulator's default: %s", strings.Join(unmapped, ", "))
	}
	c.indexLag(r)
	if len(r.Run.Mutants) > 0 {
		c.note("the run's emulator had mutants on (%s): calibration switches on readings and freedoms only",
			strings.Join(r.Run.Mutants, ", "))
	}
	if documented := countDocumented(r); documented > 0 {
		c.note("the run has %d documented failure(s): violations are not calibrated; this emulator keeps the contract", documented)
	}
	return c.readings, c.notes, nil
}

// calibrator collects readings, one value per option, and notes.
type calibrator struct {
	readings []string
	notes    []string
	chosen   map[string]string // option name -> calibrated reading, so a second value is a note
}

func (c *calibrator) note(format string, args ...any) {
	c.notes = append(c.notes, fmt.Sprintf(format, args...))
}

// deviation maps one deviation through the variant table.
func (c *calibrator) deviation(point, observed string) {
	for _, v := range variants {
		if v.Kind == KindReading && v.Point == point && v.Observed == observed {
			c.add(v.Name, fmt.Sprintf("deviation %s %q", point, observed))
			return
		}
	}
	if p, ok := contract.PointByID(point); ok {
		c.note("deviation %s %q: no single reading of this emulator answers it; it keeps the expected answer %q", point, observed, p.Expected)
		return
	}
	c.note("deviation %s %q: not an open point this emulator knows; ignored", point, observed)
}

// freeObservation maps one free observation through the variant table. It returns false for a point no
// variant observes or a value no variant gives, which is also how the emulator's own default answers look
// (the table has rows for the other values only): the caller lists those in one note.
func (c *calibrator) freeObservation(point, value string) bool {
	for _, v := range variants {
		if v.Kind == KindFreedom && v.Observes == point && v.Observed == value {
			c.add(v.Name, fmt.Sprintf("observation %s %q", point, value))
			return true
		}
	}
	return false
}

// indexLag maps the largest visibility delay to index-lag. The suite measures from the update to the
// first search that shows it, and the image was added just before, so AddImage's index lag shows in that
// delay; the measurement is an upper bound (poll interval, client pacing), so the lag is too.
func (c *calibrator) indexLag(r runResults) {
	largest := 0.0
	for _, m := range r.Measurements {
		if strings.HasPrefix(m.Name, visibilityPrefix) && m.Unit == "ms" {
			largest = math.Max(largest, m.Value)
		}
	}
	switch {
	case largest >= minIndexLagMs:
		c.add(fmt.Sprintf("index-lag=%dms", int64(math.Ceil(largest))), fmt.Sprintf("largest visibility delay %.0f ms", largest))
	case largest > 0:
		c.note("largest visibility delay %.0f ms is below one search poll (%d ms): index-lag stays 0", largest, minIndexLagMs)
	}
}

// add switches name on unless its option already has a calibrated value: one spec reads each point, so
// two values mean a run merged from several (ginkgo -p); the first is kept and the second noted.
func (c *calibrator) add(name, why string) {
	opt := optionName(name)
	if prev, ok := c.chosen[opt]; ok {
		if prev != name {
			c.note("%s would give %s, but %s is already calibrated; kept %s", why, name, prev, prev)
		}
		return
	}
	c.chosen[opt] = name
	c.readings = append(c.readings, name)
}

func countDocumented(r runResults) int {
	n := 0
	for _, f := range r.Failures {
		if f.Footing == string(contract.Documented) {
			n++
		}
	}
	return n
}

// calibrate reads Options.Calibrate and merges its readings with the explicit ones: an explicit value of
// the same option wins (it is recorded in Overridden). It returns the calibration and every reading to
// switch on, explicit ones last so configure's errors still name them.
func calibrate(file string, explicit []string) (Calibration, []string, error) {
	if file == "" {
		return Calibration{}, explicit, nil
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return Calibration{}, nil, fmt.Errorf("calibrate: %w", err)
	}
	readings, notes, err := CalibrationReadings(data)
	if err != nil {
		return Calibration{}, nil, fmt.Errorf("calibrate %s: %w", file, err)
	}
	cal := Calibration{File: file, Notes: notes}
	given := map[string]string{}
	for _, r := range explicit {
		name, value, _ := strings.Cut(r, "=")
		given[strings.TrimSpace(name)] = strings.TrimSpace(name) + "=" + strings.TrimSpace(value)
	}
	var merged []string
	for _, r := range readings {
		if e, ok := given[optionName(r)]; ok && e != r {
			cal.Overridden = append(cal.Overridden, Override{Explicit: e, Calibrated: r})
			continue
		}
		cal.Readings = append(cal.Readings, r)
		merged = append(merged, r)
	}
	return cal, append(merged, explicit...), nil
}

// Calibration returns how the server was calibrated; its File is "" when Options.Calibrate was not set.
func (s *Server) Calibration() Calibration {
	c := s.cal
	c.Readings = slices.Clone(c.Readings)
	c.Overridden = slices.Clone(c.Overridden)
	c.Notes = slices.Clone(c.Notes)
	return c
}
