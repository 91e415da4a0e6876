package main

import (
	"fmt"
	"io"
	"runtime"
	"slices"
	"time"
)

// goals are the targets at one store size: those of 100,000 images up to that size, those of 1,000,000
// above it.
type goals struct {
	unfiltered, filtered time.Duration
	rssMB                float64
}

func goalsFor(images int) goals {
	if images <= 100_000 {
		return goals{3 * time.Millisecond, 5 * time.Millisecond, 150}
	}
	return goals{20 * time.Millisecond, 20 * time.Millisecond, 1024}
}

// maxStartup is the start-up goal over a persistent store (set at 1,000,000 images).
const maxStartup = 10 * time.Second

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

// stealText renders a stolen CPU share; a few percent or more means the latencies above measure the
// host's other tenants as much as the emulator (its CPU per call is the steadier figure then).
func stealText(share float64) string {
	if share < 0 {
		return "unknown"
	}
	return fmt.Sprintf("%.0f %%", 100*share)
}

func met(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

func (r *results) print(c config, w io.Writer) {
	where := "the imagesearch-emulator binary in a child process"
	switch {
	case c.throughputOnly:
		where = "in process, throughput only (-throughput-only)"
	case c.inProcess:
		where = "in process (-inprocess)"
	}
	l := r.load
	fmt.Fprintf(w, "%s %s/%s, %d CPUs (GOMAXPROCS %d); emulators measured: %s; %d load clients, throughput in %d interleaved rounds of %v per side.\n",
		runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.GOMAXPROCS(0), where, c.clients, c.rounds, c.roundLength())
	if !c.throughputOnly {
		fmt.Fprintf(w, "Pictures: %d %d×%d PNG scenes, varied per image by Region; queries: a JPEG re-encoding of one, %d calls per kind, one at a time.\n",
			pictureCount, width, height, c.searches)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| Measure | Result | Goal | Met |")
	fmt.Fprintln(w, "|---|---|---|---|")
	fmt.Fprintf(w, "| UpdateImage on loopback, emulator in process (Unlimited instance), signed V1, median of %d runs (process CPU per request) | %.0f req/s (%s) | | |\n",
		l.rounds, l.emulatorRPS, us(l.emulatorCPU))
	fmt.Fprintf(w, "| Same load, bare net/http handler with a fixed body, median of %d runs: one before each emulator run, one after the last (process CPU per request) | %.0f req/s (%s) | | |\n",
		l.rounds+1, l.bareRPS, us(l.bareCPU))
	fmt.Fprintf(w, "| Emulator / bare | %.2f (median of %d rounds, each emulator run over the mean of the bare runs around it; min %.2f, max %.2f) | ≥ 0.85 | %s |\n",
		l.ratio, l.rounds, l.minRatio, l.maxRatio, met(l.ratio >= 0.85))
	if c.throughputOnly {
		r.printNonces(w)
		return
	}
	fmt.Fprintf(w, "| emulator.Start in process, median of %d (max) | %s (%s) | ≤ 50 ms | %s |\n", c.starts, ms(r.startMedian), ms(r.maxStart), met(r.startMedian <= 50*time.Millisecond))
	fmt.Fprintf(w, "| AddImage fill over loopback, %d×%d PNG, V3-signed, %d clients, %d images | %.0f images/s | | |\n", width, height, c.clients, r.memory.images, r.memory.fillRate)
	r.memory.print(w, fmt.Sprintf("in memory, %d images added through AddImage", r.memory.images))
	fmt.Fprintf(w, "| SeedDataDir: a data directory of %d images (not through the API) | %.1f s | | |\n", r.persistent.images, r.persistent.seeded.Seconds())
	fmt.Fprintf(w, "| Start-up on a data directory of %d images, from exec until it serves (CPU time used) | %.2f s (%.2f s) | ≤ %.0f s | %s |\n",
		r.persistent.images, r.persistent.started.Seconds(), r.persistent.startCPU.Seconds(), maxStartup.Seconds(), met(r.persistent.started <= maxStartup))
	r.persistent.print(w, fmt.Sprintf("persistent (-data), %d images", r.persistent.images))
	r.printNonces(w)
	fmt.Fprintf(w, "| This process's RSS before any emulator | %.0f MB | | |\n", r.baseRSS)
}

// printNonces writes the row of the nonces the throughput runs left in the in-process emulator.
func (r *results) printNonces(w io.Writer) {
	fmt.Fprintf(w, "| Signed requests of the throughput runs whose nonces the in-process emulator held (kept 15 min) | %d | | |\n", r.nonces)
}

// print writes the search and RSS rows of one store.
func (run *storeRun) print(w io.Writer, store string) {
	g := goalsFor(run.images)
	for i, k := range searchKinds {
		s, goal, name := run.searches[i], g.filtered, "Filter "+k.filter
		if k.filter == "" {
			goal, name = g.unfiltered, "no Filter"
		}
		fmt.Fprintf(w, "| SearchImageByPic, %s, %s: p50 (p95; server SearchTime p50; emulator CPU per call) | %s (%s; %s; %s) | ≤ %s | %s |\n",
			store, name, ms(s.p50), ms(s.p95), ms(s.server), ms(s.cpu), ms(goal), met(s.p50 <= goal))
	}
	fmt.Fprintf(w, "| CPU time the hypervisor stole from this machine during those searches (/proc/stat) | %s | | |\n", stealText(run.steal))
	rss := max(run.rssFull, run.rssServed)
	fmt.Fprintf(w, "| RSS as ps shows it, %s: filled, after the searches | %.0f MB, %.0f MB | ≤ %.0f MB | %s |\n",
		store, run.rssFull, run.rssServed, g.rssMB, met(rss <= g.rssMB))
}

// throughputSummary condenses the interleaved throughput runs (see interleaved).
type throughputSummary struct {
	rounds                    int
	ratio, minRatio, maxRatio float64       // median, lowest and highest of the rounds' emulator/bare ratios
	emulatorRPS, bareRPS      float64       // median rate of each side's runs
	emulatorCPU, bareCPU      time.Duration // process CPU time per request over each side's runs
}

// summarize pairs each emulator run with the bare runs just before and after it (len(bare) must be
// len(emu)+1): its ratio is the emulator's rate over the mean of those two, so that a machine load that
// drifts across a round weighs on both sides of its ratio alike, where pairing with one neighbour would
// count the drift as the emulator's. The figure is the median of the rounds' ratios.
func summarize(bare, emu []loadRun) throughputSummary {
	rates := func(runs []loadRun) []float64 {
		out := make([]float64, len(runs))
		for i, r := range runs {
			out[i] = r.rps
		}
		return out
	}
	perRequest := func(runs []loadRun) time.Duration {
		var cpu time.Duration
		var n int64
		for _, r := range runs {
			cpu, n = cpu+r.cpu, n+r.requests
		}
		if n == 0 {
			return 0
		}
		return cpu / time.Duration(n)
	}
	ratios := roundRatios(rates(bare), rates(emu))
	return throughputSummary{rounds: len(emu), ratio: median(ratios), minRatio: slices.Min(ratios), maxRatio: slices.Max(ratios),
		emulatorRPS: median(rates(emu)), bareRPS: median(rates(bare)), emulatorCPU: perRequest(emu), bareCPU: perRequest(bare)}
}

// roundRatios is each round's emulator rate over the mean of the bare rates before and after it.
func roundRatios(bare, emu []float64) []float64 {
	if len(bare) != len(emu)+1 {
		panic(fmt.Sprintf("roundRatios: %d bare runs around %d emulator runs", len(bare), len(emu)))
	}
	out := make([]float64, len(emu))
	for i, e := range emu {
		out[i] = e / ((bare[i] + bare[i+1]) / 2)
	}
	return out
}

// median of xs (the mean of the middle two for an even count); xs is not modified.
func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// us formats a duration in microseconds.
func us(d time.Duration) string { return fmt.Sprintf("%.0f µs", float64(d.Nanoseconds())/1000) }
