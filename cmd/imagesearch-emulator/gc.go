package main

import (
	"fmt"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// The garbage bound: the heap may grow past the live heap by gcMaxPercent, but by no more than
// gcHeadroom, and never by less than gcMinPercent.
//
//   - gcMaxPercent (GOGC=25) is what the binary always served with: at 100,000 images (about 90 MiB live)
//     the heap stays within 25 % of the images, well under the 150 MB goal, and a fill through AddImage
//     collects no more often than before.
//   - gcHeadroom: at 1,000,000 images the live heap is about 720 MiB, so GOGC=25 let some 180 MiB of
//     garbage pile up. A collection there takes about 1 s of CPU to mark, and searches leave garbage at
//     every call: with 32 MiB of headroom (GOGC=4 at that size) a search of the million images spent about
//     a quarter of its CPU time in collections (25 ms per call against 19 ms under GOGC=25); 64 MiB
//     (GOGC=8) collects half as often, and the process still serves the million images in about 850 MiB.
//   - gcMinPercent bounds the CPU cost: a cycle marks the pointerful part of the live heap, so with a fixed
//     headroom the GC work per allocated byte grows with the heap; a percent floor caps it at what GOGC=2
//     costs, whatever the size. It binds only above gcHeadroom·100/gcMinPercent (3.2 GiB live, about
//     4,500,000 images).
const (
	gcMaxPercent = 25
	gcMinPercent = 2
	gcHeadroom   = 64 << 20
	gcInterval   = time.Second
)

// gcPercentFor is the policy: the GC percent that lets a heap of live bytes grow by at most gcHeadroom,
// clamped to [gcMinPercent, gcMaxPercent]. It rounds down, so the headroom never exceeds gcHeadroom
// within the clamp.
func gcPercentFor(live uint64) int {
	if live == 0 {
		return gcMaxPercent
	}
	p := 100 * uint64(gcHeadroom) / live
	return int(min(max(p, gcMinPercent), gcMaxPercent))
}

// userTunesGC reports whether the user set GOGC or GOMEMLIMIT: the runtime has then applied it, and the
// binary leaves garbage collection alone.
func userTunesGC(getenv func(string) string) bool {
	return getenv("GOGC") != "" || getenv("GOMEMLIMIT") != ""
}

// gcPolicyLine describes in the banner which garbage bound the process serves with.
func gcPolicyLine(getenv func(string) string) string {
	if userTunesGC(getenv) {
		return "  garbage collection: as GOGC/GOMEMLIMIT in the environment say"
	}
	return fmt.Sprintf("  garbage collection: heap within %d%% of the live heap, at most %d MiB over it (set GOGC or GOMEMLIMIT to choose)",
		gcMaxPercent, gcHeadroom>>20)
}

// startGCBound applies the garbage bound once start-up is over, unless the user tunes the GC, and keeps it
// applied every gcInterval as the live heap changes. It returns a function that stops the tuning and
// waits for it to end.
//
// Start-up (loading a data directory makes much short-lived garbage, which collects faster under the
// default GOGC) is left to the default; its garbage is then collected and returned to the OS, which also
// gives the first reading of the live heap an exact value.
//
// The bound is set through the GC percent rather than a memory limit (debug.SetMemoryLimit at live plus
// headroom): a percent scales the goal with the live heap between two readings, so a fill that grows the
// heap faster than the readings costs at most one interval of slightly more garbage, whereas a limit the
// live heap outgrew makes the GC run back to back (up to half the CPU) until the next reading.
func startGCBound(getenv func(string) string) (stop func()) {
	if userTunesGC(getenv) {
		return func() {}
	}
	debug.FreeOSMemory()
	last := retune(liveHeap, debug.SetGCPercent, -1) // in force before the banner says so
	tick := time.NewTicker(gcInterval)
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		tuneGC(liveHeap, debug.SetGCPercent, last, tick.C, quit)
	}()
	return func() {
		tick.Stop()
		close(quit)
		<-done
	}
}

// retune sets the GC percent for the live heap if it differs from last, the percent in force, and
// returns the percent now in force.
func retune(live func() uint64, set func(int) int, last int) int {
	if p := gcPercentFor(live()); p != last {
		set(p)
		return p
	}
	return last
}

// tuneGC retunes the GC percent at every tick until quit is closed.
func tuneGC(live func() uint64, set func(int) int, last int, tick <-chan time.Time, quit <-chan struct{}) {
	for {
		select {
		case <-tick:
			last = retune(live, set, last)
		case <-quit:
			return
		}
	}
}

// liveHeap reads the heap the last GC cycle marked live.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

// gcHelp closes the -h text: the garbage bound and how to replace it.
var gcHelp = fmt.Sprintf(`
Garbage collection: once started, the heap may grow past the live heap by %d%%, but by no more than
%d MiB (and by at least %d%%), so RSS stays close to what the images need at any store size. Set GOGC
or GOMEMLIMIT to replace this bound with the Go runtime's own; GOGC=100 trades memory for fewer
collections.
`, gcMaxPercent, gcHeadroom>>20, gcMinPercent)
