// Command mutation-score proves the conformance suite against every behaviour variant of the emulator
// (emulator.Variants): it runs the suite against the in-process emulator once without a variant (which
// must be conformant with no deviation), then once per variant, and checks what each kind demands:
//
//   - a mutant (a contract violation) must make at least one spec fail;
//   - a reading (another allowed answer to an open point) must pass with deviations of exactly its point,
//     and a strict run of the reading specs must fail on that point alone;
//   - a freedom (an implementation freedom) must pass with no failure and no deviation.
//
// It writes reports/mutation.json and reports/mutation.md and exits non-zero if the baseline is not
// conformant or any variant does not meet its expectation.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/imagesearch-conformance/conformance/emulator"
)

func main() {
	out := flag.String("out", "reports", "directory for mutation.json and mutation.md")
	jobs := flag.Int("j", runtime.NumCPU(), "variants run in parallel")
	var only string
	flag.StringVar(&only, "variants", "", "comma-separated subset of variant names (default: all)")
	flag.StringVar(&only, "mutants", "", "alias of -variants")
	timeout := flag.Duration("timeout", 10*time.Minute, "time limit per suite run")
	flag.Parse()
	if err := run(*out, max(1, *jobs), only, *timeout); err != nil {
		fmt.Fprintln(os.Stderr, "mutation-score:", err)
		os.Exit(1)
	}
}

func run(out string, jobs int, only string, timeout time.Duration) (err error) {
	variants, err := selectVariants(emulator.Variants(), only)
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "mutation-score-")
	if err != nil {
		return err
	}
	// The runs' logs and reports are what explains a failure, and the messages point into them: keep them
	// unless everything went as expected.
	defer func() {
		if err == nil {
			os.RemoveAll(work)
		} else {
			fmt.Fprintln(os.Stderr, "mutation-score: run logs and reports kept in", work)
		}
	}()
	// One compiled binary for every run: `go test` per run would relink and recheck the cache each time.
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

	start := time.Now()
	fmt.Println("baseline: the emulator without a variant ...")
	base := r.suite(runConfig{dir: "baseline"})
	if err := checkBaseline(base); err != nil {
		return err
	}
	fmt.Printf("baseline conformant: %d specs passed in %s\n", base.Passed, base.Took.Round(time.Second))

	results := r.all(variants, jobs)
	if err := writeReports(out, base, results, time.Since(start)); err != nil {
		return err
	}
	var unmet []string
	for _, o := range results {
		if !o.j.Met {
			unmet = append(unmet, fmt.Sprintf("%s %s: %s", o.v.Kind, o.v.Name, o.j.Reason))
		}
	}
	fmt.Printf("suite proof: %d/%d variants as expected in %s; reports in %s\n",
		len(results)-len(unmet), len(results), time.Since(start).Round(time.Second), out)
	if len(unmet) > 0 {
		return fmt.Errorf("%d variant(s) not as expected: %s", len(unmet), strings.Join(unmet, "; "))
	}
	return nil
}

// checkBaseline refuses a baseline that is not conformant: a suite that fails everything kills every
// mutant, and one that deviates everywhere makes every reading's deviation meaningless.
func checkBaseline(base suiteRun) error {
	switch {
	case base.Err != nil:
		return fmt.Errorf("the baseline run broke: %v", base.Err)
	case len(base.Failures) > 0:
		return fmt.Errorf("the suite is not green against the emulator without a variant (failed %d: %s; first: %s); a suite that fails everything kills everything",
			len(base.Failures), firstSpecs(base.Failures), firstLine(base.Failures[0].Message))
	case len(base.Deviations) > 0:
		return fmt.Errorf("the emulator without a variant deviates on %s; the baseline must give every expected reading",
			list(deviationPoints(base.Deviations)))
	case base.Verdict != "conformant":
		return fmt.Errorf("the baseline's verdict is %q, want \"conformant\"", base.Verdict)
	}
	return nil
}

// firstLine is a failure message's first line, which names the assertion; the rest is Gomega's detail.
func firstLine(msg string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(msg), "\n")
	return line
}

// selectVariants keeps the named variants, in the emulator's order; an unknown name is an error, since a
// typo would otherwise prove nothing and still exit zero.
func selectVariants(all []emulator.Variant, only string) ([]emulator.Variant, error) {
	if len(all) == 0 {
		return nil, fmt.Errorf("emulator.Variants() lists no variant")
	}
	if strings.TrimSpace(only) == "" {
		return all, nil
	}
	want := map[string]bool{}
	for _, n := range strings.Split(only, ",") {
		if n = strings.TrimSpace(n); n != "" {
			want[n] = true
		}
	}
	var out []emulator.Variant
	for _, v := range all {
		if want[v.Name] {
			out = append(out, v)
			delete(want, v.Name)
		}
	}
	if len(want) > 0 {
		var unknown []string
		for n := range want {
			unknown = append(unknown, n)
		}
		return nil, fmt.Errorf("unknown variant(s) %v", unknown)
	}
	return out, nil
}

// outcome is one variant's runs and their judgement.
type outcome struct {
	v      emulator.Variant
	main   suiteRun
	strict *suiteRun // readings only
	j      judgement
}

// took is the variant's total suite time, the strict run included.
func (o outcome) took() time.Duration {
	t := o.main.Took
	if o.strict != nil {
		t += o.strict.Took
	}
	return t
}

// all runs every variant, jobs at a time, and prints a line as each finishes.
func (r runner) all(variants []emulator.Variant, jobs int) []outcome {
	results := make([]outcome, len(variants))
	sem := make(chan struct{}, jobs)
	var wg sync.WaitGroup
	var mu sync.Mutex
	for _, i := range runOrder(variants) {
		v := variants[i]
		// Take the slot before starting the goroutine, so runs start in runOrder rather than in whatever
		// order the scheduler wakes goroutines.
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			o := r.variant(i, v)
			results[i] = o
			mu.Lock()
			defer mu.Unlock()
			fmt.Println(progressLine(o))
		}()
	}
	wg.Wait()
	return results
}

// runOrder is the order variants start in: freedoms, then readings, then mutants. The proof is bound by
// its longest runs finishing last, and freedoms are the long ones (latency and index lag slow the whole
// suite down), while a mutant's run is often cut short by its failures. Reports keep the emulator's order.
func runOrder(variants []emulator.Variant) []int {
	rank := map[emulator.VariantKind]int{emulator.KindFreedom: 0, emulator.KindReading: 1, emulator.KindMutant: 2}
	order := make([]int, len(variants))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return rank[variants[order[a]].Kind] < rank[variants[order[b]].Kind] })
	return order
}

// variant runs one variant: the default run, then for a reading the strict run of the reading specs. The
// strict run is short (the reading specs only), so it shares the variant's slot rather than taking its own.
func (r runner) variant(i int, v emulator.Variant) outcome {
	dir := dirName(i, v.Name)
	o := outcome{v: v, main: r.suite(runConfig{dir: dir, v: v})}
	if v.Kind == emulator.KindReading {
		s := r.suite(runConfig{dir: dir + "-strict", v: v, strict: true})
		o.strict = &s
	}
	o.j = judge(v, o.main, o.strict)
	return o
}

// progressLine is the line printed as a variant finishes.
func progressLine(o outcome) string {
	mark := "ok"
	if !o.j.Met {
		mark = "NOT AS EXPECTED: " + o.j.Reason
	}
	line := fmt.Sprintf("%-8s %-36s %-9s %3d failing  %5s  %s", o.v.Kind, o.v.Name, o.j.Outcome,
		len(o.main.Failures), o.took().Round(time.Second), mark)
	for _, f := range o.j.Flags {
		line += "; " + f
	}
	return line
}
