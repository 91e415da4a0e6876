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
	"strings"
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
	if cfg.listVariants || cfg.listMutants {
		listVariants(stdout, cfg.listMutants && !cfg.listVariants)
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
	stopGC := startGCBound(getenv)
	defer stopGC()
	printBanner(stdout, srv, opts, demo, gcPolicyLine(getenv))
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

// printBanner tells the user where the emulator listens, which variants are on and the exact env lines a
// client needs, and the garbage bound it serves with. The secret is printed only for the generated demo
// key, which exists nowhere else.
func printBanner(w io.Writer, srv *emulator.Server, opts emulator.Options, demo *emulator.Credential, gcLine string) {
	url := srv.URL()
	fmt.Fprintf(w, "imagesearch-emulator listening on %s (profile %s)\n", url, opts.Profile)
	for _, in := range srv.Instances() {
		fmt.Fprintf(w, "  instance %s: capacity %d, search QPS %d, limits off: %v\n", in.Name, in.Capacity, in.SearchQPS, in.Unlimited)
	}
	printCalibration(w, srv.Calibration())
	printVariants(w, srv.Variants())
	fmt.Fprintln(w, gcLine)
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

// listVariants prints every variant (or only the mutants): kind, name, area, ref and description.
func listVariants(w io.Writer, mutantsOnly bool) {
	for _, v := range emulator.Variants() {
		if mutantsOnly && v.Kind != emulator.KindMutant {
			continue
		}
		fmt.Fprintf(w, "%-8s %-32s %-14s ref %-13s %s\n", v.Kind, v.Name, v.Area, v.Ref, v.Description)
	}
}

// printVariants tells the user which readings and mutants are on. A mutant is announced loudly: an emulator
// with one on is not a reference, and a green run against it means the suite missed a violation.
func printVariants(w io.Writer, on []string) {
	kinds := map[string]emulator.Variant{}
	for _, v := range emulator.Variants() {
		kinds[strings.SplitN(v.Name, "=", 2)[0]] = v
	}
	for _, name := range on {
		v := kinds[strings.SplitN(name, "=", 2)[0]]
		if v.Kind == emulator.KindMutant {
			fmt.Fprintf(w, "  MUTANT ON: %s (%s, ref %s): this emulator violates the contract\n", name, v.Description, v.Ref)
			continue
		}
		fmt.Fprintf(w, "  %s on: %s (ref %s)\n", v.Kind, name, v.Ref)
	}
}

// printCalibration says which readings came from a run's results.json, which explicit -reading replaced,
// and what the run showed that has no variant, so a calibrated emulator never passes for a default one.
func printCalibration(w io.Writer, cal emulator.Calibration) {
	if cal.File == "" {
		return
	}
	on := strings.Join(cal.Readings, ", ")
	if on == "" {
		on = "nothing to switch on (every answer the expected one, or without a variant)"
	}
	fmt.Fprintf(w, "  calibrated from %s: %s\n", cal.File, on)
	for _, o := range cal.Overridden {
		fmt.Fprintf(w, "  calibration: the explicit -reading %s wins over the calibrated %s\n", o.Explicit, o.Calibrated)
	}
	for _, n := range cal.Notes {
		fmt.Fprintf(w, "  calibration note: %s\n", n)
	}
}
