// Command imagesearch-replay replays recorded conformance runs (IMAGESEARCH_RECORD) against a fresh
// in-process emulator and reports where its answers differ from the recorded ones:
//
//	go run ./cmd/imagesearch-replay [-reading name=value]... [-mutant name]... [-calibrate results.json]
//	    [-out reports] [-pictures 5000] [-pace-cap 1.2s] FILE|GLOB...
//
// Every recorded request is sent again, in recorded order, re-signed with the replay's own key, to an
// emulator set up like the recorded target (instance names, limits, profile) with the variants given by
// the flags (default: none, so a recording of a reading's run shows that reading's differences). Calls on
// instances that keep QPS limits, and calls of throttling specs, keep their recorded gaps; the rest go as
// fast as possible. Each answer is compared with the recorded one by named rules (see rules); the report,
// fidelity.md and fidelity.json, groups the exchanges by operation and recorded code and shows the first
// differing exchange of each group in full.
//
// Exit status: 0 when nothing differs, 1 on any difference, 2 on a usage error (bad flags, unreadable or
// malformed recordings, variants the emulator refuses).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"time"
)

// usageError is a problem with the command line or its inputs: exit status 2.
type usageError struct{ error }

// multi is a repeatable string flag.
type multi []string

func (m *multi) String() string { return strings.Join(*m, ";") }
func (m *multi) Set(v string) error {
	*m = append(*m, v)
	return nil
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run is the command: it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("imagesearch-replay", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var opts options
	var readings, mutants multi
	fs.Var(&readings, "reading", "switch a reading or freedom on in the replaying emulator, name=value (repeatable; see imagesearch-emulator -list-variants)")
	fs.Var(&mutants, "mutant", "switch a mutant on in the replaying emulator (repeatable)")
	fs.StringVar(&opts.calibrate, "calibrate", "", "results.json of a suite run: switch on the readings and freedoms it observed (emulator.Options.Calibrate)")
	out := fs.String("out", "reports", "directory for fidelity.md and fidelity.json")
	fs.IntVar(&opts.pictures, "pictures", 5000, "how many of the suite's deterministic pictures to search for a recorded picture digest")
	fs.DurationVar(&opts.paceCap, "pace-cap", 1200*time.Millisecond, "longest recorded gap kept between paced calls (a QPS window is empty after 1 s)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: imagesearch-replay [flags] FILE|GLOB...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	opts.readings, opts.mutants = readings, mutants
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	f, err := replay(ctx, fs.Args(), opts)
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintln(stderr, "imagesearch-replay:", err)
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "imagesearch-replay:", err)
		return 1
	}
	if err := f.write(*out); err != nil {
		fmt.Fprintln(stderr, "imagesearch-replay:", err)
		return 1
	}
	t := f.Totals
	fmt.Fprintf(stdout, "replayed %d exchanges: %d match, %d differ, %d pace, %d unanswered, %d not replayed, %d stand-in pictures; report in %s\n",
		t.Exchanges, t.Matches, t.Differences, t.Pace, t.Unanswered, t.NotReplayed, t.StandIns, *out)
	if t.Differences > 0 {
		return 1
	}
	return 0
}

// replay loads the recordings, replays every world against its own emulator (worlds run concurrently:
// they share nothing) and builds the report.
func replay(ctx context.Context, args []string, opts options) (*fidelity, error) {
	start := time.Now()
	if opts.pictures < 0 || opts.paceCap < 0 {
		return nil, usageError{errors.New("-pictures and -pace-cap must not be negative")}
	}
	files, err := expandArgs(args)
	if err != nil {
		return nil, usageError{err}
	}
	worlds, err := loadWorlds(files)
	if err != nil {
		return nil, usageError{err}
	}
	// The variants are checked once, before anything is sent: a typo is a usage error, not a failed replay.
	for _, w := range worlds {
		srv, err := startEmulator(w.header, opts)
		if err != nil {
			return nil, usageError{fmt.Errorf("emulator for %s: %w", w.key, err)}
		}
		srv.Close()
	}
	pics := newPictures(opts.pictures)
	f := newFidelity(files, opts)
	type result struct {
		outs   []outcome
		volume map[string]*volume
		err    error
	}
	results := make([]result, len(worlds))
	var wg sync.WaitGroup
	for i, w := range worlds {
		wg.Go(func() {
			outs, vol, err := replayWorld(ctx, w, opts, pics)
			results[i] = result{outs, vol, err}
		})
	}
	wg.Wait()
	for i, w := range worlds {
		r := results[i]
		if r.err != nil {
			return nil, fmt.Errorf("replay of %s: %w", w.key, r.err)
		}
		h := w.header
		f.Worlds = append(f.Worlds, worldReport{Key: w.key, Files: w.files, Target: h.Target, Profile: h.Profile,
			Instances: uniqueNames(h.Instance, h.ThrottleInstance), Unlimited: nonNil(h.Unlimited),
			Readings: nonNil(h.Readings), Mutants: nonNil(h.Mutants), Calls: len(r.outs)})
		for _, o := range r.outs {
			f.add(o)
		}
		for _, k := range sortedKeys(r.volume) {
			f.addVolume(w.key, r.volume[k])
		}
	}
	f.finish()
	f.WallSeconds = time.Since(start).Seconds()
	return f, nil
}

func uniqueNames(a, b string) []string {
	if a == b || b == "" {
		return []string{a}
	}
	return []string{a, b}
}
