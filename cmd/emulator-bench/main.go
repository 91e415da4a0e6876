// Command emulator-bench measures the emulator's speed and size goals and prints them as a Markdown
// table, each figure next to its goal: UpdateImage throughput on loopback next to a bare net/http handler
// under the same load, and, against the imagesearch-emulator binary in a child process as a user runs
// it, SearchImageByPic latency with and without a Filter, the RSS ps shows while it serves, the AddImage
// fill rate, and the start-up time over a large persistent store.
//
//	go run ./cmd/emulator-bench                         # 100,000 images (make bench)
//	go run ./cmd/emulator-bench -images 1000000         # the 1,000,000-image goals (make bench SCALE=1000000)
//	go run ./cmd/emulator-bench -inprocess -cpuprofile cpu.out   # the emulator in this process, profiled
//	go run ./cmd/emulator-bench -throughput-only -rounds 9       # the UpdateImage throughput figure alone
//
// The throughput runs alternate: a warm-up of each side, then bare, emulator, bare, ..., emulator, bare,
// -rounds emulator runs of -duration/-rounds each. Each round's ratio is its emulator rate over the mean of
// the two bare runs around it, and the figure is the median of those ratios: the machine may be shared,
// and load that changes between two runs then weighs on both sides of a ratio instead of deciding it.
package main

import (
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime/pprof"
	"time"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/emulator"
	"github.com/imagesearch-conformance/conformance/fixtures"
)

// config holds the command-line flags.
type config struct {
	images         int
	fill           int
	duration       time.Duration // throughput load per side, split over rounds
	rounds         int
	clients        int
	searches       int
	starts         int
	inProcess      bool
	throughputOnly bool
	cpuProfile     string
	memProfile     string
}

func main() {
	var c config
	flag.IntVar(&c.images, "images", 100_000, "images in the persistent store measured (start-up, searches, RSS)")
	flag.IntVar(&c.fill, "fill", 0, "images added through AddImage to the in-memory store measured (default: -images, at most 100000)")
	flag.DurationVar(&c.duration, "duration", 5*time.Second, "UpdateImage throughput load per side (bare handler, emulator), split over -rounds")
	flag.IntVar(&c.rounds, "rounds", 5, "interleaved throughput rounds: each runs the bare handler, then the emulator, for -duration/-rounds (and the bare handler once more after the last)")
	flag.BoolVar(&c.throughputOnly, "throughput-only", false, "measure only the UpdateImage throughput: no start times, fill, searches, RSS or start-up")
	flag.IntVar(&c.clients, "clients", 8, "concurrent HTTP clients of the load generator")
	flag.IntVar(&c.searches, "searches", 200, "SearchImageByPic calls per kind of search for the latency percentiles")
	flag.IntVar(&c.starts, "starts", 20, "in-process starts for the start-time median")
	flag.BoolVar(&c.inProcess, "inprocess", false, "run the measured emulators in this process instead of the binary (for profiles)")
	flag.StringVar(&c.cpuProfile, "cpuprofile", "", "write a CPU profile of the whole run to this file")
	flag.StringVar(&c.memProfile, "memprofile", "", "write a heap profile, taken with the in-memory store full, to this file (needs -inprocess)")
	flag.Parse()
	if c.fill == 0 {
		c.fill = min(c.images, 100_000)
	}
	if c.images < 1 || c.fill < 1 || c.clients < 1 || c.searches < 1 || c.starts < 1 || c.rounds < 1 || c.roundLength() <= 0 {
		fmt.Fprintln(os.Stderr, "emulator-bench: -images, -fill, -clients, -searches, -starts, -rounds and -duration must be positive")
		os.Exit(2)
	}
	if err := run(c, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "emulator-bench:", err)
		os.Exit(1)
	}
}

// roundLength is the length of each throughput run.
func (c config) roundLength() time.Duration { return c.duration / time.Duration(c.rounds) }

// results are the measured values.
type results struct {
	load                  throughputSummary
	baseRSS               float64
	nonces                int64
	startMedian, maxStart time.Duration
	memory, persistent    storeRun
}

// storeRun is what one emulator process holding images measured.
type storeRun struct {
	images             int
	fillRate           float64       // AddImage images/s, for the store filled through the API
	seeded, started    time.Duration // SeedDataDir, then exec until serving, for the persistent store
	startCPU           time.Duration // the CPU time the start-up took
	rssFull, rssServed float64       // MB once filled (or started), and after the searches
	searches           []searchRun   // one per searchKinds entry
	steal              float64       // the machine's stolen CPU share during the searches, -1 if unknown
}

// searchRun is the latency of one kind of search, and the emulator's CPU time per call: on a machine
// shared with other work, latency measures the machine while CPU time still measures the emulator.
type searchRun struct{ p50, p95, server, cpu time.Duration }

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
	if !c.throughputOnly {
		starts, err := startTimes(c.starts)
		if err != nil {
			return fmt.Errorf("start: %w", err)
		}
		r.startMedian, r.maxStart = percentile(starts, 50), starts[len(starts)-1]
	}
	if err := r.measureThroughput(c, progress); err != nil {
		return err
	}
	if c.throughputOnly {
		r.print(c, out)
		return nil
	}
	tmp, err := os.MkdirTemp("", "emulator-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin := ""
	if !c.inProcess {
		fmt.Fprintln(progress, "building the emulator binary...")
		if bin, err = buildEmulator(tmp); err != nil {
			return err
		}
	}
	pics := pictures()
	if r.memory, err = measureMemory(c, bin, pics, progress); err != nil {
		return fmt.Errorf("in-memory store: %w", err)
	}
	if r.persistent, err = measurePersistent(c, bin, filepath.Join(tmp, "data"), pics, progress); err != nil {
		return fmt.Errorf("persistent store: %w", err)
	}
	r.print(c, out)
	return nil
}

// measureThroughput runs the bare handler and an in-process emulator holding the one image the load
// updates under the same load generator, in interleaved rounds.
func (r *results) measureThroughput(c config, progress io.Writer) error {
	srv, err := emulator.Start(emulator.Options{Instances: []emulator.Instance{{Name: instance, Unlimited: true}},
		Credentials: []emulator.Credential{{ID: keyID, Secret: secret}}})
	if err != nil {
		return err
	}
	defer srv.Close()
	before := sent.Load()
	add := url.Values{"InstanceName": {instance}, "ProductId": {"load"}, "PicName": {"load.jpg"},
		"PicContent": {fixtures.Base64(fixtures.Image(fixtures.JPEG, 1, width, height))}}
	if status, body, err := send(newClient(1), signedRequest(srv.URL(), contract.OpAddImage, add)); err != nil || status != 200 {
		return fmt.Errorf("AddImage: %d %s %v", status, body, err)
	}
	bare, stop, err := startBare()
	if err != nil {
		return err
	}
	defer stop()
	bareRuns, emuRuns, bareSent, err := interleaved(bare, srv.URL(), c.clients, c.rounds, c.roundLength(), progress)
	if err != nil {
		return err
	}
	r.load = summarize(bareRuns, emuRuns)
	r.nonces = sent.Load() - before - bareSent // the AddImage and every emulator run, warm-up included
	return nil
}

// measureMemory fills an in-memory emulator through AddImage, then searches it.
func measureMemory(c config, bin string, pics []string, progress io.Writer) (storeRun, error) {
	run := storeRun{images: c.fill}
	t, err := startTarget(bin, "")
	if err != nil {
		return run, err
	}
	defer t.stop()
	fmt.Fprintf(progress, "filling %d images through AddImage...\n", c.fill)
	if run.fillRate, err = fill(t.url, pics, c.fill, c.clients); err != nil {
		return run, err
	}
	if c.memProfile != "" && c.inProcess {
		if err := writeHeapProfile(c.memProfile); err != nil {
			return run, err
		}
	}
	return run, run.measureServing(c, t, progress)
}

// measurePersistent seeds a data directory, starts an emulator on it, then searches it.
func measurePersistent(c config, bin, dir string, pics []string, progress io.Writer) (storeRun, error) {
	run := storeRun{images: c.images}
	fmt.Fprintf(progress, "seeding a data directory with %d images...\n", c.images)
	t0 := time.Now()
	if err := emulator.SeedDataDir(dir, instance, pics, c.images, image); err != nil {
		return run, err
	}
	run.seeded = time.Since(t0)
	fmt.Fprintln(progress, "starting the emulator on it...")
	t, err := startTarget(bin, dir)
	if err != nil {
		return run, err
	}
	defer t.stop()
	run.started, run.startCPU = t.started, t.startCPU
	return run, run.measureServing(c, t, progress)
}

// measureServing reads the RSS, runs every kind of search, and reads the RSS again.
func (run *storeRun) measureServing(c config, t *target, progress io.Writer) error {
	var err error
	if run.rssFull, err = t.rss(); err != nil {
		return err
	}
	steal := startSteal()
	for _, k := range searchKinds {
		fmt.Fprintf(progress, "searching %d images %d times, filter %q...\n", run.images, c.searches, k.filter)
		cpu0 := t.cpu()
		lat, server, err := searchLatency(t.url, c.searches, k.found(run.images), k.filter)
		if err != nil {
			return err
		}
		cpu := (t.cpu() - cpu0) / time.Duration(c.searches)
		run.searches = append(run.searches, searchRun{percentile(lat, 50), percentile(lat, 95), percentile(server, 50), cpu})
	}
	run.steal = steal.share()
	run.rssServed, err = t.rss()
	return err
}
