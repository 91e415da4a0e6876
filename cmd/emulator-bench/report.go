package main

import (
	"fmt"
	"io"
	"runtime"
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

func met(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

func (r *results) print(c config, w io.Writer) {
	where := "the imagesearch-emulator binary in a child process"
	if c.inProcess {
		where = "in process (-inprocess)"
	}
	fmt.Fprintf(w, "%s %s/%s, %d CPUs (GOMAXPROCS %d); emulators measured: %s; %d load clients, %v per throughput run.\n",
		runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.GOMAXPROCS(0), where, c.clients, c.duration)
	fmt.Fprintf(w, "Pictures: %d %d×%d PNG scenes, varied per image by Region; queries: a JPEG re-encoding of one, %d calls per kind, one at a time.\n\n",
		pictureCount, width, height, c.searches)
	fmt.Fprintln(w, "| Measure | Result | Goal | Met |")
	fmt.Fprintln(w, "|---|---|---|---|")
	ratio := r.emulatorRPS / r.bareRPS
	fmt.Fprintf(w, "| UpdateImage on loopback, emulator in process (Unlimited instance), signed V1 | %.0f req/s | | |\n", r.emulatorRPS)
	fmt.Fprintf(w, "| Same load, bare net/http handler with a fixed body | %.0f req/s | | |\n", r.bareRPS)
	fmt.Fprintf(w, "| Emulator / bare | %.2f | ≥ 0.85 | %s |\n", ratio, met(ratio >= 0.85))
	fmt.Fprintf(w, "| emulator.Start in process, median of %d (max) | %s (%s) | ≤ 50 ms | %s |\n", c.starts, ms(r.startMedian), ms(r.maxStart), met(r.startMedian <= 50*time.Millisecond))
	fmt.Fprintf(w, "| AddImage fill over loopback, %d×%d PNG, V3-signed, %d clients, %d images | %.0f images/s | | |\n", width, height, c.clients, r.memory.images, r.memory.fillRate)
	r.memory.print(w, fmt.Sprintf("in memory, %d images added through AddImage", r.memory.images))
	fmt.Fprintf(w, "| SeedDataDir: a data directory of %d images (not through the API) | %.1f s | | |\n", r.persistent.images, r.persistent.seeded.Seconds())
	fmt.Fprintf(w, "| Start-up on a data directory of %d images, from exec until it serves (CPU time used) | %.2f s (%.2f s) | ≤ %.0f s | %s |\n",
		r.persistent.images, r.persistent.started.Seconds(), r.persistent.startCPU.Seconds(), maxStartup.Seconds(), met(r.persistent.started <= maxStartup))
	r.persistent.print(w, fmt.Sprintf("persistent (-data), %d images", r.persistent.images))
	fmt.Fprintf(w, "| Signed requests of the throughput runs whose nonces the in-process emulator held (kept 15 min) | %d | | |\n", r.nonces)
	fmt.Fprintf(w, "| This process's RSS before any emulator | %.0f MB | | |\n", r.baseRSS)
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
	rss := max(run.rssFull, run.rssServed)
	fmt.Fprintf(w, "| RSS as ps shows it, %s: filled, after the searches | %.0f MB, %.0f MB | ≤ %.0f MB | %s |\n",
		store, run.rssFull, run.rssServed, g.rssMB, met(rss <= g.rssMB))
}
