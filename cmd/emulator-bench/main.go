// Command emulator-bench measures the emulator's speed and size goals and prints them as a Markdown
// table: UpdateImage throughput on loopback next to a bare net/http handler under the same load,
// SearchImageByPic latency over a large index, the process RSS holding that index, and the start time.
//
//	go run ./cmd/emulator-bench                         # 100,000 images, 5 s per throughput run
//	go run ./cmd/emulator-bench -images 5000 -duration 1s
package main

import (
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/emulator"
	"github.com/imagesearch-conformance/conformance/fixtures"
)

// config holds the command-line flags.
type config struct {
	images     int
	duration   time.Duration
	clients    int
	searches   int
	starts     int
	cpuProfile string
	memProfile string
}

func main() {
	var c config
	flag.IntVar(&c.images, "images", 100_000, "images in the index for the search and RSS measurements")
	flag.DurationVar(&c.duration, "duration", 5*time.Second, "length of each throughput run")
	flag.IntVar(&c.clients, "clients", 8, "concurrent HTTP clients of the load generator")
	flag.IntVar(&c.searches, "searches", 200, "SearchImageByPic calls for the latency percentiles")
	flag.IntVar(&c.starts, "starts", 20, "in-process starts for the start-time median")
	flag.StringVar(&c.cpuProfile, "cpuprofile", "", "write a CPU profile of the whole run to this file")
	flag.StringVar(&c.memProfile, "memprofile", "", "write a heap profile, taken with the index full, to this file")
	flag.Parse()
	if c.images < 1 || c.clients < 1 || c.searches < 1 || c.starts < 1 || c.duration <= 0 {
		fmt.Fprintln(os.Stderr, "emulator-bench: -images, -clients, -searches, -starts and -duration must be positive")
		os.Exit(2)
	}
	if err := run(c, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "emulator-bench:", err)
		os.Exit(1)
	}
}

// results are the measured values.
type results struct {
	emulatorRPS, bareRPS  float64
	fillRate              float64
	p50, p95, serverP50   time.Duration
	baseRSS, rss, heap    float64
	nonces, bareSent      int64
	startMedian, maxStart time.Duration
}

func run(c config, out, progress io.Writer) error {
	if c.cpuProfile != "" {
		f, err := os.Create(c.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	var r results
	var err error
	if r.baseRSS, err = rssMB(); err != nil {
		return err
	}
	starts, err := startTimes(c.starts)
	if err != nil {
		return fmt.Errorf("start: %w", err)
	}
	r.startMedian, r.maxStart = percentile(starts, 50), starts[len(starts)-1]

	srv, err := emulator.Start(emulator.Options{Instances: []emulator.Instance{{Name: instance, Unlimited: true}},
		Credentials: []emulator.Credential{{ID: keyID, Secret: secret}}})
	if err != nil {
		return err
	}
	defer srv.Close()
	if err := r.measureThroughput(c, srv.URL(), progress); err != nil {
		return err
	}
	fmt.Fprintf(progress, "filling %d images...\n", c.images)
	if r.fillRate, err = fill(srv.URL(), c.images, c.clients); err != nil {
		return err
	}
	if r.rss, err = rssMB(); err != nil {
		return err
	}
	r.heap = heapMB()
	r.nonces = sent.Load() - r.bareSent
	if c.memProfile != "" {
		if err := writeHeapProfile(c.memProfile); err != nil {
			return err
		}
	}
	fmt.Fprintf(progress, "searching %d times...\n", c.searches)
	lat, server, err := searchLatency(srv.URL(), c.searches, c.images+1) // + the image the load updates
	if err != nil {
		return err
	}
	r.p50, r.p95, r.serverP50 = percentile(lat, 50), percentile(lat, 95), percentile(server, 50)
	r.print(c, out)
	return nil
}

// measureThroughput adds the image the load updates, then runs the bare handler and the emulator under
// the same load generator, one after the other.
func (r *results) measureThroughput(c config, base string, progress io.Writer) error {
	add := url.Values{"InstanceName": {instance}, "ProductId": {"load"}, "PicName": {"load.jpg"},
		"PicContent": {fixtures.Base64(fixtures.Image(fixtures.JPEG, 1, width, height))}}
	if status, body, err := send(newClient(1), signedRequest(base, contract.OpAddImage, add)); err != nil || status != 200 {
		return fmt.Errorf("AddImage: %d %s %v", status, body, err)
	}
	bare, stop, err := startBare()
	if err != nil {
		return err
	}
	defer stop()
	fmt.Fprintf(progress, "UpdateImage load on the bare handler for %v...\n", c.duration)
	before := sent.Load()
	if r.bareRPS, err = throughput(bare, c.clients, c.duration); err != nil {
		return fmt.Errorf("bare handler: %w", err)
	}
	r.bareSent = sent.Load() - before
	fmt.Fprintf(progress, "UpdateImage load on the emulator for %v...\n", c.duration)
	if r.emulatorRPS, err = throughput(base, c.clients, c.duration); err != nil {
		return fmt.Errorf("emulator: %w", err)
	}
	return nil
}

func (r *results) print(c config, w io.Writer) {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }
	met := func(ok bool) string {
		if ok {
			return "yes"
		}
		return "**no**"
	}
	ratio := r.emulatorRPS / r.bareRPS
	fmt.Fprintf(w, "%s %s/%s, %d CPUs (GOMAXPROCS %d); %d images; %d load clients, %v per throughput run.\n",
		runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.GOMAXPROCS(0), c.images, c.clients, c.duration)
	fmt.Fprintf(w, "Each load client signs every request with RPC v1 (HMAC-SHA1) inside its loop, for both targets.\n\n")
	fmt.Fprintln(w, "| Measure | Result | Goal | Met |")
	fmt.Fprintln(w, "|---|---|---|---|")
	fmt.Fprintf(w, "| UpdateImage on loopback, emulator (Unlimited instance) | %.0f req/s | | |\n", r.emulatorRPS)
	fmt.Fprintf(w, "| Same load, bare net/http handler with a fixed body | %.0f req/s | | |\n", r.bareRPS)
	fmt.Fprintf(w, "| Emulator / bare | %.2f | ≥ 0.5 | %s |\n", ratio, met(ratio >= 0.5))
	fmt.Fprintf(w, "| SearchImageByPic at %d images, p50 (client, loopback) | %s | ≤ 5 ms | %s |\n", c.images, ms(r.p50), met(r.p50 <= 5*time.Millisecond))
	fmt.Fprintf(w, "| SearchImageByPic at %d images, p95 | %s | | |\n", c.images, ms(r.p95))
	fmt.Fprintf(w, "| SearchImageByPic Head.SearchTime, p50 | %s | | |\n", ms(r.serverP50))
	fmt.Fprintf(w, "| Process RSS with %d images (after GC) | %.0f MB | ≤ 150 MB | %s |\n", c.images, r.rss, met(r.rss <= 150))
	fmt.Fprintf(w, "| Live heap with %d images | %.0f MB | | |\n", c.images, r.heap)
	fmt.Fprintf(w, "| Signed requests whose nonces the emulator holds at that point (kept 15 min) | %d | | |\n", r.nonces)
	fmt.Fprintf(w, "| Process RSS before any image | %.0f MB | | |\n", r.baseRSS)
	fmt.Fprintf(w, "| emulator.Start in process, median of %d (max) | %s (%s) | ≤ 50 ms | %s |\n", c.starts, ms(r.startMedian), ms(r.maxStart), met(r.startMedian <= 50*time.Millisecond))
	fmt.Fprintf(w, "| Fill: AddImage over loopback, %d clients | %.0f images/s | | |\n", c.clients, r.fillRate)
}
