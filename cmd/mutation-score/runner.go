package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/imagesearch-conformance/conformance/emulator"
)

// resultsSchema is the results.json schema this command understands; another schema is refused rather than
// misread, since a misread report could turn a surviving mutant into a killed one.
const resultsSchema = "imagesearch-conformance/results/v1"

// failure is one failed spec of results.json.
type failure struct {
	Spec    string   `json:"spec"`
	Area    string   `json:"area"`
	Footing string   `json:"footing"`
	Refs    []string `json:"refs"`
	Message string   `json:"message"`
	Node    string   `json:"node"`
}

// deviation is one open point of results.json that the target answered another allowed way.
type deviation struct {
	Point    string `json:"point"`
	Ref      string `json:"ref"`
	Expected string `json:"expected"`
	Observed string `json:"observed"`
	Spec     string `json:"spec"`
	Area     string `json:"area"`
}

// resultsFile is the part of the suite's results.json this command reads. It is a local copy on purpose:
// suites/harness imports the Ginkgo DSL, which must not be linked into a plain command.
type resultsFile struct {
	Schema string `json:"schema"`
	Run    struct {
		Strict    bool     `json:"strict"`
		Readings  []string `json:"readings"`
		Mutants   []string `json:"mutants"`
		Succeeded bool     `json:"succeeded"`
	} `json:"run"`
	Verdict string `json:"verdict"`
	// Areas counts the specs per area; only the passed counts are read, to show the baseline ran specs.
	Areas []struct {
		Documented struct {
			Passed int `json:"passed"`
		} `json:"documented"`
		Reading struct {
			Passed int `json:"passed"`
		} `json:"reading"`
	} `json:"areas"`
	Failures   []failure   `json:"failures"`
	Deviations []deviation `json:"deviations"`
}

// passed counts the specs that passed, of either footing.
func (res resultsFile) passed() int {
	n := 0
	for _, a := range res.Areas {
		n += a.Documented.Passed + a.Reading.Passed
	}
	return n
}

// suiteRun is what one run of the suite produced.
type suiteRun struct {
	Verdict    string
	Failures   []failure
	Deviations []deviation
	Passed     int // passed specs
	Took       time.Duration
	Err        error // the run itself broke (no usable results), as opposed to specs failing
}

// runConfig is how one suite run is set up.
type runConfig struct {
	dir    string           // report directory name under the work directory
	v      emulator.Variant // the variant to switch on; the zero Variant for the baseline
	strict bool             // IMAGESEARCH_STRICT=1 and only the reading specs
}

// runner runs the compiled suite binary.
type runner struct {
	bin, dir, work string
	timeout        time.Duration
}

// env is the environment of one run. Every variable the suite reads for targets, variants and filters is
// set explicitly, so a value exported by the caller (the Makefile exports IMAGESEARCH_LABEL_FILTER) cannot
// leak into a run and change what it proves.
func (c runConfig) env(reportDir string) []string {
	var readings, mutants, strict, filter string
	switch c.v.Kind {
	case emulator.KindMutant:
		mutants = c.v.Name
	case emulator.KindReading, emulator.KindFreedom:
		readings = c.v.Name
	}
	if c.strict {
		strict, filter = "1", "reading"
	}
	env := append(os.Environ(),
		"IMAGESEARCH_ENDPOINT=", // always the in-process emulator
		"IMAGESEARCH_EMULATOR_MUTANTS="+mutants,
		"IMAGESEARCH_EMULATOR_READINGS="+readings,
		"IMAGESEARCH_STRICT="+strict,
		"IMAGESEARCH_LABEL_FILTER="+filter,
		"IMAGESEARCH_REPORT_DIR="+reportDir,
		"RAPID_NOFAILFILE=true", // a mutant's counterexamples must not become the baseline's regressions
		"RAPID_SHRINKTIME=2s",   // the proof needs a failure, not a minimal one
	)
	if c.v.Kind == emulator.KindMutant {
		// The in-process emulator shows updates at once; the visibility bound only matters when a mutant
		// hides an update, and then a short wait kills it just as surely. Readings and freedoms keep the
		// suite's own bound: a freedom may delay visibility, and a short bound would fail it wrongly.
		env = append(env, "IMAGESEARCH_VISIBILITY_TIMEOUT=2s")
	}
	return env
}

// suite runs the suite once and reads its results.json.
func (r runner) suite(c runConfig) suiteRun {
	reportDir := filepath.Join(r.work, c.dir)
	logFile := reportDir + ".log"
	ctx, cancel := context.WithTimeout(context.Background(), r.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, r.bin, "-ginkgo.no-color", "-test.timeout=0")
	cmd.Dir = r.dir
	cmd.Env = c.env(reportDir)
	if f, err := os.Create(logFile); err == nil {
		cmd.Stdout, cmd.Stderr = f, f
		defer f.Close()
	}
	start := time.Now()
	runErr := cmd.Run()
	out := suiteRun{Took: time.Since(start)}
	res, err := readResults(filepath.Join(reportDir, "results.json"))
	if err == nil {
		err = res.check(c)
	}
	if err != nil {
		out.Err = fmt.Errorf("%v (run: %v; log %s)", err, runErr, logFile)
		return out
	}
	out.Verdict, out.Failures, out.Deviations, out.Passed = res.Verdict, res.Failures, res.Deviations, res.passed()
	if runErr != nil && len(res.Failures) == 0 {
		out.Err = fmt.Errorf("the suite exited with %v but results.json lists no failure (log %s)", runErr, logFile)
	}
	return out
}

// readResults reads and decodes a results.json.
func readResults(path string) (resultsFile, error) {
	var res resultsFile
	b, err := os.ReadFile(path)
	if err != nil {
		return res, fmt.Errorf("no results: %w", err)
	}
	if err := json.Unmarshal(b, &res); err != nil {
		return res, fmt.Errorf("bad results %s: %w", path, err)
	}
	if res.Schema != resultsSchema {
		return res, fmt.Errorf("results %s: schema %q, want %q", path, res.Schema, resultsSchema)
	}
	return res, nil
}

// check holds the run recorded in results.json to the run that was asked for: a suite that ignored the
// variant's environment variable would pass a freedom, or fail a mutant, for the wrong reason. It compares
// the variants of both lists together: the environment variable chosen already sets the kind (the emulator
// refuses a mutant's name as a reading and the other way round), and the suite reports an emulator's
// variants in one list when it cannot tell them apart.
func (res resultsFile) check(c runConfig) error {
	var want []string
	if c.v.Name != "" {
		want = []string{c.v.Name}
	}
	got := append(append([]string(nil), res.Run.Readings...), res.Run.Mutants...)
	if !slices.Equal(got, want) || res.Run.Strict != c.strict {
		return fmt.Errorf("results.json records variants %v (readings %v, mutants %v), strict %v; asked for %v, strict %v",
			got, res.Run.Readings, res.Run.Mutants, res.Run.Strict, want, c.strict)
	}
	return nil
}

// dirName turns a variant name ("latency=2ms-20ms") into a safe, unique directory name.
func dirName(i int, name string) string {
	clean := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '.', r == '=':
			return r
		}
		return '_'
	}, name)
	return fmt.Sprintf("%02d-%s", i, clean)
}
