// Command imagesearch-emulator serves a local emulator of Alibaba Cloud Image Search (OpenAPI 2020-12-14)
// on loopback. Run it with -h for its flags and their environment variables.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/imagesearch-conformance/conformance/emulator"
)

func main() {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr, sig))
}

// run is the whole command: it serves until a value arrives on sig and returns the exit status.
func run(args []string, getenv func(string) string, stdout, stderr io.Writer, sig <-chan os.Signal) int {
	cfg, err := parseConfig(args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "imagesearch-emulator:", err)
		return 2
	}
	if cfg.listMutants {
		for _, m := range emulator.Mutants {
			fmt.Fprintf(stdout, "%-32s %-10s ref %-6s %s\n", m.Name, m.Area, m.Ref, m.Description)
		}
		return 0
	}
	opts, demo, err := cfg.options()
	if err != nil {
		fmt.Fprintln(stderr, "imagesearch-emulator:", err)
		return 2
	}
	opts.Logger = newLogger(cfg.logFormat, stderr)
	srv, err := emulator.Start(opts)
	if err != nil {
		fmt.Fprintln(stderr, "imagesearch-emulator:", err)
		return 1
	}
	printBanner(stdout, srv.URL(), srv.Instances(), opts, demo)
	got := <-sig
	fmt.Fprintf(stdout, "received %s, shutting down\n", got)
	if err := srv.Close(); err != nil {
		fmt.Fprintln(stderr, "imagesearch-emulator: close:", err)
		return 1
	}
	return 0
}

func newLogger(format string, w io.Writer) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// printBanner tells the user where the emulator listens and the exact env lines a client needs. The secret
// is printed only for the generated demo key, which exists nowhere else.
func printBanner(w io.Writer, url string, instances []emulator.Instance, opts emulator.Options, demo *emulator.Credential) {
	fmt.Fprintf(w, "imagesearch-emulator listening on %s (profile %s)\n", url, opts.Profile)
	for _, in := range instances {
		fmt.Fprintf(w, "  instance %s: capacity %d, search QPS %d, limits off: %v\n", in.Name, in.Capacity, in.SearchQPS, in.Unlimited)
	}
	fmt.Fprintln(w, "Point a client at it with:")
	fmt.Fprintf(w, "  export IMAGESEARCH_ENDPOINT=%s\n", url)
	fmt.Fprintf(w, "  export IMAGESEARCH_INSTANCE=%s\n", opts.Instances[0].Name)
	if demo != nil {
		fmt.Fprintf(w, "  export ALIBABA_CLOUD_ACCESS_KEY_ID=%s\n", demo.ID)
		fmt.Fprintf(w, "  export ALIBABA_CLOUD_ACCESS_KEY_SECRET=%s\n", demo.Secret)
	} else {
		fmt.Fprintf(w, "  export ALIBABA_CLOUD_ACCESS_KEY_ID=%s\n", opts.Credentials[0].ID)
		fmt.Fprintln(w, "  export ALIBABA_CLOUD_ACCESS_KEY_SECRET=<the secret you passed with -access-key>")
	}
}
