// Command emulator-soak runs many concurrent clients against the emulator's persistent store for a set
// time, mixing all seven operations, kills the emulator with SIGKILL and restarts it on the same -data
// directory in the middle, and afterwards checks through the API that every acknowledged write is present
// with its last acknowledged value. It prints the figures (calls per operation and outcome, acknowledged
// writes, lost, 5xx, throttled, RSS per emulator process, restarts) and exits 1 when anything was lost, a
// 5xx was answered, an answer contradicted the acknowledged writes or memory exceeded -max-rss-mb.
//
// Run it from the module (it builds cmd/imagesearch-emulator with the go command unless -emulator is
// given): go run ./cmd/emulator-soak -duration 90s -clients 16.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
)

func main() {
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	defer cancel()
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	cancel()
	os.Exit(code)
}

// run parses the flags, runs the soak and prints the report; it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("emulator-soak", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg Config
	fs.DurationVar(&cfg.Duration, "duration", defaultDuration, "how long the clients run")
	fs.IntVar(&cfg.Clients, "clients", 16, "concurrent clients; each owns its images")
	fs.IntVar(&cfg.Images, "images", 8, "images per client")
	fs.IntVar(&cfg.Restarts, "restarts", 1, "kill -9 and restarts during the run, evenly spaced (one more precedes the final check)")
	fs.StringVar(&cfg.Emulator, "emulator", "", "emulator binary (default: build cmd/imagesearch-emulator)")
	fs.StringVar(&cfg.DataDir, "data", "", "the emulator's -data directory, empty or absent (default: a temporary one)")
	fs.BoolVar(&cfg.Limits, "limits", false, "keep the instance's QPS limits on (default off, so admission does not dominate)")
	fs.Int64Var(&cfg.MaxRSSMB, "max-rss-mb", 512, "fail when an emulator process's RSS exceeds this many MB (0: no limit)")
	fs.Uint64Var(&cfg.Seed, "seed", 0, "seed of the clients' random choices (default: from the clock)")
	fs.BoolVar(&cfg.Keep, "keep", false, "keep the work directory (emulator log and data)")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	cfg.Progress = stderr
	r, err := Run(ctx, cfg)
	if err != nil {
		fmt.Fprintln(stderr, "emulator-soak:", err)
		return 2
	}
	r.Print(stdout)
	if len(r.Failures()) > 0 {
		return 1
	}
	return 0
}
