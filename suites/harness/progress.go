package harness

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/rpc"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// ProgressInterval is how often Progress prints a line.
const ProgressInterval = 15 * time.Second

// Progress prints a line every ProgressInterval while a run goes, e.g.
//
//	progress: 40/85 specs, 612 calls, 1m05s elapsed, about 1m10s left at the QPS floor (search 5/s)
//
// The time left is estimated from the QPS floor: the calls so far per spec done, projected over the specs
// not yet done, give each QPS group's remaining calls; the slowest group's calls ÷ its rate is the estimate
// (a group's rate is its smallest over the instances, so a second instance only lengthens it). It assumes
// the remaining specs call like the finished ones, and it is a floor: latency and the serial specs add to
// it. Against an unpaced target (the embedded emulator) there is no estimate.
//
// In a parallel run every process counts into the shared pacer, so the line covers the whole run; its
// calls are then the paced calls (the throttling specs' deliberate bursts are not paced).
type Progress struct {
	w      io.Writer // nil: count only, print nothing
	total  int
	counts progressCounts
	now    func() time.Time
	start  time.Time

	stop     chan struct{}
	exited   chan struct{}
	stopOnce sync.Once
}

// progressCounts is where Progress counts finished specs and reads the calls so far.
type progressCounts interface {
	specDone()
	counts(ctx context.Context) (specs int, calls map[string]int, err error) // calls by operation or QPS group
	rates() Rates
}

// StartProgress counts the specs of a run of total specs whose calls api makes, and prints a progress
// line to w every ProgressInterval; with a nil w it only counts (the other processes of a parallel run,
// which share the first one's pacer). Call SpecDone after each spec and Stop at the end of the run.
func StartProgress(w io.Writer, total int, api *API) *Progress {
	var c progressCounts = &localCounts{api: api}
	if r, ok := api.pace.(remotePacer); ok {
		c = sharedCounts{url: r.url, api: api}
	}
	if w == nil {
		return &Progress{counts: c, stop: make(chan struct{}), exited: closed()}
	}
	t := time.NewTicker(ProgressInterval)
	return startProgress(w, total, c, t.C, t.Stop, time.Now)
}

func closed() chan struct{} { c := make(chan struct{}); close(c); return c }

// startProgress prints a line at each tick; tests drive it with their own ticks and clock. stopTick runs
// when the lines end.
func startProgress(w io.Writer, total int, c progressCounts, tick <-chan time.Time, stopTick func(),
	now func() time.Time) *Progress {
	p := &Progress{w: w, total: total, counts: c, now: now, start: now(),
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
func (p *Progress) SpecDone() { p.counts.specDone() }

// Stop ends the lines; it returns once nothing more will be printed. Calling it again does nothing.
func (p *Progress) Stop() {
	p.stopOnce.Do(func() { close(p.stop) })
	<-p.exited
}

// Line is the progress line as of now.
func (p *Progress) Line() string {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	done, calls, err := p.counts.counts(ctx)
	if err != nil {
		return "progress: " + err.Error()
	}
	n := 0
	for _, c := range calls {
		n += c
	}
	var b strings.Builder
	fmt.Fprintf(&b, "progress: %d/%d specs, %d calls, %s elapsed", done, p.total, n, round(p.now().Sub(p.start)))
	rates := p.counts.rates()
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

// localCounts counts in this process: its specs, and every call of its API.
type localCounts struct {
	api  *API
	done atomic.Int64
}

func (l *localCounts) specDone() { l.done.Add(1) }
func (l *localCounts) rates() Rates {
	return l.api.Rates()
}
func (l *localCounts) counts(context.Context) (int, map[string]int, error) {
	calls, _ := l.api.Stats()
	return int(l.done.Load()), calls, nil
}

// sharedCounts counts in the shared pacer of a parallel run: every process's specs and paced calls.
type sharedCounts struct {
	url string
	api *API
}

// sharedProgress is the shared pacer's answer to GET /progress.
type sharedProgress struct {
	Specs int            `json:"specs"`
	Calls map[string]int `json:"calls"` // paced calls by QPS group
}

func (s sharedCounts) specDone() {
	ctx, cancel := context.WithTimeout(context.Background(), doneTimeout)
	defer cancel()
	remotePacer{s.url}.post(ctx, "/spec-done", http.StatusNoContent) // a lost count only delays the estimate
}

func (s sharedCounts) rates() Rates { return s.api.Rates() }

func (s sharedCounts) counts(ctx context.Context) (int, map[string]int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url+"/progress", nil)
	if err != nil {
		return 0, nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("shared pacer: %w", err)
	}
	defer resp.Body.Close()
	var sp sharedProgress
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&sp); err != nil {
		return 0, nil, fmt.Errorf("shared pacer: %w", err)
	}
	return sp.Specs, sp.Calls, nil
}

// ParallelOutput is where progress lines reach the terminal under `ginkgo -p`: the ginkgo CLI keeps each
// parallel process's stdout and stderr to itself until the process ends, so the lines go to the CLI's
// parallel server, the way Ginkgo forwards the first process's SynchronizedBeforeSuite output (its
// Server.EmitOutput call over net/rpc, or POST /emit-output when GINKGO_PARALLEL_PROTOCOL=HTTP). host is
// Ginkgo's SuiteConfig.ParallelHost.
func ParallelOutput(host string) io.Writer { return parallelOutput{host} }

type parallelOutput struct{ host string }

func (o parallelOutput) Write(p []byte) (int, error) {
	if strings.HasPrefix(o.host, "http://") {
		return o.post(p)
	}
	c, err := rpc.DialHTTPPath("tcp", o.host, "/")
	if err != nil {
		return 0, err
	}
	defer c.Close()
	var n int
	err = c.Call("Server.EmitOutput", p, &n)
	return n, err
}

func (o parallelOutput) post(p []byte) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), doneTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, o.host+"/emit-output", bytes.NewReader(p))
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("ginkgo output: %s", resp.Status)
	}
	return len(p), nil
}
