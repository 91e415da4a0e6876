// Command imagesearch-sweep deletes what earlier conformance runs left on a target, by run prefix only.
// It reads the target from the same environment as the suite (IMAGESEARCH_ENDPOINT, credentials,
// IMAGESEARCH_ALLOW_LIVE, ...), finds images through the runs' journals and, optionally, by searching with
// the suite's deterministic pictures, and refuses prefixes that are too short or not the suite's.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"

	"github.com/imagesearch-conformance/conformance/suites/harness"
)

func main() {
	prefix := flag.String("prefix", "", "run prefix to sweep, e.g. cf-1a2b3c4d (required)")
	journals := flag.String("journals", "reports/journal", "directory of run journals")
	seeds := flag.Int("search", 300, "also search with this many of the suite's pictures to find images whose journal was lost (0: journals only)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *prefix, *journals, *seeds); err != nil {
		fmt.Fprintln(os.Stderr, "imagesearch-sweep:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, prefix, journals string, seeds int) error {
	if err := harness.CheckSweepPrefix(prefix); err != nil {
		return err
	}
	cfg, err := harness.Load(os.Getenv)
	if err != nil {
		return err
	}
	if cfg.Endpoint == "" {
		return fmt.Errorf("%s is not set: there is nothing to sweep on an in-process emulator", harness.EnvEndpoint)
	}
	cfg.RunID = strings.SplitN(prefix, "-", 3)[1] // the API then refuses writes outside this run
	target, err := harness.Open(ctx, cfg, harness.Pacing{})
	if err != nil {
		return err
	}
	defer target.Close()
	deleted, err := harness.Sweep(ctx, target.API, harness.SweepOptions{Prefix: prefix,
		Instances: []string{target.Instance, target.ThrottleInstance}, JournalDir: journals, PictureSeeds: seeds,
		Log: func(f string, a ...any) { fmt.Printf(f+"\n", a...) }})
	if err != nil {
		return err
	}
	fmt.Printf("swept %d image(s) under %s\n", len(deleted), prefix)
	return nil
}
