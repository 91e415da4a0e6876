package harness

import (
	"fmt"
	"io"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// ProgressInterval is how often Progress prints a line.
const ProgressInterval = 15 * time.Second

// ProgressSource is what Progress reads: the calls per operation so far and the rates they are paced to.
// *API is one.
type ProgressSource interface {
	Stats() (calls, throttled map[string]int)
	Rates() Rates
}

// Progress prints a line every ProgressInterval while a run goes, e.g.
//
//	progress: 40/85 specs, 612 calls, 1m05s elapsed, about 1m10s left at the QPS floor (search 5/s)
//
// The time left is estimated from the QPS floor: the calls so far per spec done, projected over the specs
// not yet done, give each QPS group's remaining calls; the slowest group's calls ÷ its rate is the estimate
// (the rate of a group is its smallest over the instances, so a second instance only lengthens it). It
// assumes the remaining specs call like the finished ones, and it is a floor: latency and setup add to it.
// Against an unpaced target (the embedded emulator) there is no estimate. Counts are the process's own:
// in a parallel run each process sees its own specs and calls.
type Progress struct {
	w     io.Writer
	total int
	src   ProgressSource
	now   func() time.Time
	start time.Time
	done  atomic.Int64

	stop     chan struct{}
	exited   chan struct{}
	stopOnce sync.Once
}

// StartProgress starts printing progress lines to w for a run of total specs whose calls src counts. Call
// SpecDone after each spec and Stop at the end of the run.
func StartProgress(w io.Writer, total int, src ProgressSource) *Progress {
	t := time.NewTicker(ProgressInterval)
	return startProgress(w, total, src, t.C, t.Stop, time.Now)
}

// startProgress prints a line at each tick; tests drive it with their own ticks and clock. stopTick runs
// when the lines end.
func startProgress(w io.Writer, total int, src ProgressSource, tick <-chan time.Time, stopTick func(),
	now func() time.Time) *Progress {
	p := &Progress{w: w, total: total, src: src, now: now, start: now(),
		stop: make(chan struct{}), exited: make(chan struct{})}
	go p.run(tick, stopTick)
	return p
}

func (p *Progress) run(tick <-chan time.Time, stopTick func()) {
	defer close(p.exited)
	defer stopTick()
	for {
		select {
		case <-p.stop:
			return
		case <-tick:
			fmt.Fprintln(p.w, p.Line())
		}
	}
}

// SpecDone counts one finished spec (passed, failed or skipped).
func (p *Progress) SpecDone() { p.done.Add(1) }

// Stop ends the lines; it returns once nothing more will be printed. Calling it again does nothing.
func (p *Progress) Stop() {
	p.stopOnce.Do(func() { close(p.stop) })
	<-p.exited
}

// Line is the progress line as of now.
func (p *Progress) Line() string {
	done := int(p.done.Load())
	calls, _ := p.src.Stats()
	n := 0
	for _, c := range calls {
		n += c
	}
	var b strings.Builder
	fmt.Fprintf(&b, "progress: %d/%d specs, %d calls, %s elapsed", done, p.total, n, round(p.now().Sub(p.start)))
	rates := p.src.Rates()
	switch left, group, rate := timeLeft(calls, rates, done, p.total); {
	case !paced(rates):
		b.WriteString(", unpaced: no estimate of the time left")
	case done == 0 || group == "":
		b.WriteString(", time left: estimated after the first spec")
	default:
		fmt.Fprintf(&b, ", about %s left at the QPS floor (%s %d/s)", round(left), group, rate)
	}
	return b.String()
}

// timeLeft projects each paced group's calls per spec done over the specs left and returns the slowest
// group's time at its rate. group is "" when no call so far is paced.
func timeLeft(calls map[string]int, rates Rates, done, total int) (left time.Duration, group string, rate int) {
	perGroup := map[string]int{}
	for op, c := range calls {
		perGroup[qpsGroup(op)] += c
	}
	worst := -1.0
	for g, c := range perGroup {
		r := groupRate(rates, g)
		if r <= 0 {
			continue
		}
		secs := 0.0
		if done > 0 && total > done {
			secs = float64(c) * float64(total-done) / float64(done) / float64(r)
		}
		if secs > worst || (secs == worst && g < group) {
			worst, group, rate = secs, g, r
		}
	}
	if worst < 0 {
		return 0, "", 0
	}
	return time.Duration(math.Round(worst * float64(time.Second))), group, rate
}

func paced(rates Rates) bool {
	for _, r := range rates {
		if r > 0 {
			return true
		}
	}
	return false
}

// groupRate is the smallest positive rate of a QPS group over the instances (0: unpaced).
func groupRate(rates Rates, group string) int {
	lowest := 0
	for k, r := range rates {
		if strings.HasSuffix(k, "/"+group) && r > 0 && (lowest == 0 || r < lowest) {
			lowest = r
		}
	}
	return lowest
}

func round(d time.Duration) time.Duration { return d.Round(time.Second) }
