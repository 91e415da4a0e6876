// Command mutation-score measures whether the conformance suite bites: it runs the suite against the
// in-process emulator once unmutated (which must pass) and once per emulator mutant (each a named contract
// violation, which must make at least one spec fail), then writes reports/mutation.json and
// reports/mutation.md and exits non-zero if the baseline fails or any mutant survives.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/imagesearch-conformance/conformance/emulator"
)

func main() {
	out := flag.String("out", "reports", "directory for mutation.json and mutation.md")
	jobs := flag.Int("j", max(1, runtime.NumCPU()/2), "mutants run in parallel")
	only := flag.String("mutants", "", "comma-separated subset of mutants (default: all)")
	timeout := flag.Duration("timeout", 10*time.Minute, "time limit per suite run")
	flag.Parse()
	if err := run(*out, *jobs, *only, *timeout); err != nil {
		fmt.Fprintln(os.Stderr, "mutation-score:", err)
		os.Exit(1)
	}
}

func run(out string, jobs int, only string, timeout time.Duration) error {
	work, err := os.MkdirTemp("", "mutation-score-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	bin := filepath.Join(work, "suite.test")
	fmt.Println("building the suite ...")
	build := exec.Command("go", "test", "-c", "-o", bin, "./suites/updateimage")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("build the suite: %w", err)
	}
	suiteDir, err := filepath.Abs("suites/updateimage")
	if err != nil {
		return err
	}
	r := runner{bin: bin, dir: suiteDir, work: work, timeout: timeout}

	fmt.Println("baseline: the unmutated emulator ...")
	base := r.suite("baseline", "")
	if base.err != nil || len(base.failed) > 0 {
		return fmt.Errorf("the suite is not green against the unmutated emulator (%v, failed: %s); a suite that fails everything kills everything",
			base.err, strings.Join(base.failed, "; "))
	}
	fmt.Printf("baseline passed: %d specs in %s\n", base.passed, base.took.Round(time.Second))

	results := r.all(selectMutants(only), jobs)
	if err := writeReports(out, base, results); err != nil {
		return err
	}
	survived := 0
	for _, res := range results {
		if !res.killed() {
			survived++
		}
	}
	fmt.Printf("mutation score: %d/%d killed; reports in %s\n", len(results)-survived, len(results), out)
	if survived > 0 {
		return fmt.Errorf("%d mutant(s) survived", survived)
	}
	return nil
}

func selectMutants(only string) []emulator.Mutant {
	if only == "" {
		return emulator.Mutants
	}
	want := map[string]bool{}
	for _, n := range strings.Split(only, ",") {
		want[strings.TrimSpace(n)] = true
	}
	var out []emulator.Mutant
	for _, m := range emulator.Mutants {
		if want[m.Name] {
			out = append(out, m)
		}
	}
	return out
}

// runner runs the compiled suite.
type runner struct {
	bin, dir, work string
	timeout        time.Duration
}

// outcome is one suite run.
type outcome struct {
	mutant emulator.Mutant
	passed int
	failed []string // full texts of the specs that failed
	took   time.Duration
	err    error // the run itself broke (no report), as opposed to specs failing
	exit   int
}

func (o outcome) killed() bool { return len(o.failed) > 0 }

func (r runner) all(mutants []emulator.Mutant, jobs int) []outcome {
	results := make([]outcome, len(mutants))
	sem := make(chan struct{}, jobs)
	var wg sync.WaitGroup
	var mu sync.Mutex
	for i, m := range mutants {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			res := r.suite(m.Name, m.Name)
			res.mutant = m
			results[i] = res
			mu.Lock()
			defer mu.Unlock()
			state := "SURVIVED"
			if res.killed() {
				state = fmt.Sprintf("killed by %d spec(s)", len(res.failed))
			}
			fmt.Printf("%-32s %-22s %s\n", m.Name, state, res.took.Round(time.Second))
		}()
	}
	wg.Wait()
	return results
}

// suite runs the suite once with the given mutant ("" for none) and reads its JSON report.
func (r runner) suite(name, mutant string) outcome {
	dir := filepath.Join(r.work, name)
	ctx, cancel := context.WithTimeout(context.Background(), r.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, r.bin, "-ginkgo.no-color", "-test.timeout=0")
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(),
		"IMAGESEARCH_ENDPOINT=", // always the in-process emulator
		"IMAGESEARCH_EMULATOR_MUTANTS="+mutant,
		"IMAGESEARCH_REPORT_DIR="+dir,
		"RAPID_NOFAILFILE=true", // a mutant's counterexamples must not become the baseline's regressions
		"RAPID_SHRINKTIME=2s",   // the score needs a failure, not a minimal one
		// The in-process emulator shows updates at once; the visibility bound only matters when a mutant
		// hides an update, and then a short wait kills it just as surely.
		"IMAGESEARCH_VISIBILITY_TIMEOUT=2s",
	)
	start := time.Now()
	logFile := filepath.Join(r.work, name+".log")
	if f, err := os.Create(logFile); err == nil {
		cmd.Stdout, cmd.Stderr = f, f
		defer f.Close()
	}
	runErr := cmd.Run()
	o := outcome{took: time.Since(start)}
	if ee, ok := runErr.(*exec.ExitError); ok {
		o.exit = ee.ExitCode()
	}
	passed, failed, err := readReport(filepath.Join(dir, "report.json"))
	if err != nil {
		o.err = fmt.Errorf("%v (run: %v; log %s)", err, runErr, logFile)
		return o
	}
	o.passed, o.failed = passed, failed
	if runErr != nil && len(failed) == 0 {
		o.err = fmt.Errorf("the suite exited with %v but no spec failed (log %s)", runErr, logFile)
	}
	return o
}
