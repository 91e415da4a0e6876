package main

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strings"
	"testing"
	"time"
)

// gcPercent reads the GC percent in force without setting it, which would race with the tuning.
func gcPercent() int {
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	metrics.Read(s)
	return int(s[0].Value.Uint64())
}

// TestGCPercentFor checks the policy: GOGC=25 while 25 % of the live heap is under the headroom, then
// the percent that keeps the garbage within gcHeadroom (rounded down), and never below gcMinPercent.
func TestGCPercentFor(t *testing.T) {
	const mib = 1 << 20
	for _, tc := range []struct {
		live uint64
		want int
	}{
		{0, 25},                 // no reading yet: the old fixed percent
		{1 * mib, 25},           // a small store: GOGC-like
		{75 * mib, 25},          // 100,000 images
		{256 * mib, 25},         // exactly where 25 % is the headroom
		{257 * mib, 24},         // just past it: the headroom binds
		{720 * mib, 8},          // 1,000,000 images: 57.6 MiB of garbage, not 180
		{3200 * mib, 2},         // where the floor starts
		{3201 * mib, 2},         // past it: the floor, not 1
		{64 << 30, 2},           // far past it
		{1 << 62, gcMinPercent}, // no overflow in 100·headroom/live
	} {
		if got := gcPercentFor(tc.live); got != tc.want {
			t.Errorf("gcPercentFor(%d MiB) = %d, want %d", tc.live/mib, got, tc.want)
		}
	}
	// Within the clamp the garbage allowed never exceeds the headroom, and one more percent would.
	for live := uint64(257 * mib); live < 3200*mib; live += 7 * mib {
		p := uint64(gcPercentFor(live))
		if live*p/100 > gcHeadroom || live*(p+1)/100 <= gcHeadroom {
			t.Fatalf("gcPercentFor(%d MiB) = %d: headroom %d MiB", live/mib, p, live*p/100/mib)
		}
	}
}

// TestUserTunesGC checks that GOGC or GOMEMLIMIT in the environment wins: the bound is not applied, no
// tuning runs, and the banner says so.
func TestUserTunesGC(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		user bool
	}{
		{nil, false},
		{map[string]string{"GOGC": "100"}, true},
		{map[string]string{"GOGC": "off"}, true},
		{map[string]string{"GOMEMLIMIT": "2GiB"}, true},
		{map[string]string{"GOGC": "50", "GOMEMLIMIT": "1GiB"}, true},
		{map[string]string{"GODEBUG": "gctrace=1"}, false},
	} {
		if got := userTunesGC(fakeEnv(tc.env)); got != tc.user {
			t.Errorf("userTunesGC(%v) = %v, want %v", tc.env, got, tc.user)
		}
		line := gcPolicyLine(fakeEnv(tc.env))
		if strings.Contains(line, "GOGC/GOMEMLIMIT in the environment") != tc.user {
			t.Errorf("banner line for %v: %q", tc.env, line)
		}
	}
	// With GOGC set, starting the bound leaves the process's GC percent as it was.
	old := debug.SetGCPercent(77)
	defer debug.SetGCPercent(old)
	stop := startGCBound(fakeEnv(map[string]string{"GOGC": "77"}))
	stop()
	if p := gcPercent(); p != 77 {
		t.Errorf("GOGC set by the user, yet the GC percent became %d", p)
	}
}

// TestStartGCBoundApplies checks that without GOGC or GOMEMLIMIT the bound is in force as soon as
// start-up is over, before the banner (this test process's live heap is small: GOGC=25).
func TestStartGCBoundApplies(t *testing.T) {
	old := debug.SetGCPercent(100)
	defer debug.SetGCPercent(old)
	stop := startGCBound(fakeEnv(nil))
	defer stop()
	if liveHeap() == 0 {
		t.Fatal("no live heap reading after start-up's collection")
	}
	if p, want := gcPercent(), gcPercentFor(liveHeap()); p != want || p != gcMaxPercent {
		t.Errorf("GC percent %d right after start-up, want %d", p, want)
	}
}

// TestTuneGCFollowsLiveHeapAndStops checks that the first retune sets the percent, that every tick
// sets it again when the live heap calls for another percent (and only then), and that the tuning ends
// when told to.
func TestTuneGCFollowsLiveHeapAndStops(t *testing.T) {
	var set []int
	record := func(p int) int { set = append(set, p); return 0 }
	if last := retune(func() uint64 { return 90 << 20 }, record, -1); last != 25 || !slices.Equal(set, []int{25}) {
		t.Fatalf("first retune: in force %d, set %v; want 25, [25]", last, set)
	}
	live := make(chan uint64, 1)
	tick, quit, done := make(chan time.Time), make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		tuneGC(func() uint64 { return <-live }, record, 25, tick, quit)
	}()
	for _, l := range []uint64{100 << 20, 890 << 20, 520 << 20, 521 << 20} { // 25 again, 7, 12, 12 again
		live <- l
		tick <- time.Time{}
	}
	close(quit)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("tuneGC did not return after quit")
	}
	if want := []int{25, 7, 12}; !slices.Equal(set, want) {
		t.Errorf("percents set %v, want %v", set, want)
	}
}

// TestRunStopsGCBound checks that the command announces the bound in its banner and its -h text, and
// that a run of it leaves no tuning goroutine behind once it has shut down.
func TestRunStopsGCBound(t *testing.T) {
	r := start(t, "-addr", "127.0.0.1:0")
	if !slices.ContainsFunc(r.banner, func(l string) bool {
		return strings.HasPrefix(l, "  garbage collection: heap within 25% of the live heap, at most 64 MiB")
	}) {
		t.Errorf("banner lacks the garbage bound: %q", r.banner)
	}
	if !tuning() {
		t.Error("no tuning goroutine while the command serves")
	}
	if code := r.stop(t); code != 0 {
		t.Errorf("exit status %d", code)
	}
	if tuning() {
		t.Error("the tuning goroutine outlived the run")
	}
	var out, errOut syncBuffer
	run([]string{"-h"}, fakeEnv(nil), &out, &errOut, nil)
	if help := out.String() + errOut.String(); !strings.Contains(help, "by no more than\n64 MiB") || !strings.Contains(help, "GOMEMLIMIT") {
		t.Errorf("-h does not describe the garbage bound:\n%s", help)
	}
}

// tuning reports whether a tuneGC goroutine is running in this process.
func tuning() bool {
	buf := make([]byte, 1<<20)
	return strings.Contains(string(buf[:runtime.Stack(buf, true)]), ".tuneGC(")
}
