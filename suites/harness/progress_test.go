package harness

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/rpc"
	"strings"
	"sync"
	"testing"
	"time"
)

type fakeSource struct {
	mu    sync.Mutex
	done  int
	calls map[string]int
	r     Rates
}

func (f *fakeSource) specDone()    { f.mu.Lock(); f.done++; f.mu.Unlock() }
func (f *fakeSource) rates() Rates { return f.r }
func (f *fakeSource) counts(context.Context) (int, map[string]int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.done, maps.Clone(f.calls), nil
}

// lockedBuffer is a writer the progress goroutine and the test share.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// lines waits (bounded) until the buffer holds n lines and returns them.
func (l *lockedBuffer) lines(t *testing.T, n int) []string {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; {
		l.mu.Lock()
		got := strings.Split(strings.TrimSuffix(l.b.String(), "\n"), "\n")
		if l.b.Len() == 0 {
			got = nil
		}
		l.mu.Unlock()
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d progress lines after 10s, want %d: %q", len(got), n, got)
		}
		time.Sleep(time.Millisecond)
	}
}

type progressRig struct {
	p       *Progress
	out     *lockedBuffer
	tick    chan time.Time
	clock   *fakeClock
	src     *fakeSource
	stopped chan struct{}
}

func startRig(total int, rates Rates) *progressRig {
	r := &progressRig{out: &lockedBuffer{}, tick: make(chan time.Time), clock: &fakeClock{t: time.Unix(0, 0)},
		src: &fakeSource{calls: map[string]int{}, r: rates}, stopped: make(chan struct{})}
	r.p = startProgress(r.out, total, r.src, r.tick, func() { close(r.stopped) }, r.clock.now)
	return r
}

// Each tick prints specs done / total, calls, the time elapsed and the slowest paced group's projected
// remaining calls at its rate.
func TestProgressEstimatesTheTimeLeftFromTheQPSFloor(t *testing.T) {
	r := startRig(10, Rates{"i/search": 5, "i/UpdateImage": 20, "j/search": 10})
	defer r.p.Stop()
	r.tick <- time.Time{}
	r.out.lines(t, 1) // the first line is written before the counts change
	for range 4 {
		r.p.SpecDone()
	}
	r.src.mu.Lock()
	r.src.calls = map[string]int{"SearchImageByPic": 30, "CheckImageExists": 10, "UpdateImage": 100}
	r.src.mu.Unlock()
	r.clock.advance(time.Minute)
	r.tick <- time.Time{}
	got := r.out.lines(t, 2)
	// search: 40 calls in 4 specs, 60 more for the 6 left, at 5/s (the smaller of the two instances): 12s;
	// UpdateImage: 150 more at 20/s is 7.5s.
	want := []string{
		"progress: 0/10 specs, 0 calls, 0s elapsed, time left: estimated after the first spec",
		"progress: 4/10 specs, 140 calls, 1m0s elapsed, about 12s left at the QPS floor (search 5/s)",
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d:\n got %q\nwant %q", i+1, got[i], want[i])
		}
	}
}

func TestProgressAgainstAnUnpacedTargetGivesNoEstimate(t *testing.T) {
	r := startRig(3, nil)
	defer r.p.Stop()
	r.p.SpecDone()
	r.src.mu.Lock()
	r.src.calls["UpdateImage"] = 7
	r.src.mu.Unlock()
	r.tick <- time.Time{}
	if got, want := r.out.lines(t, 1)[0], "progress: 1/3 specs, 7 calls, 0s elapsed, unpaced: no estimate of the time left"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// Stop ends the goroutine and its ticker before it returns, and can be called twice.
func TestProgressStopLeavesNothingRunning(t *testing.T) {
	r := startRig(1, nil)
	r.p.Stop()
	r.p.Stop()
	for name, ch := range map[string]chan struct{}{"the goroutine": r.p.exited, "the ticker": r.stopped} {
		select {
		case <-ch:
		default:
			t.Errorf("%s still runs after Stop", name)
		}
	}
	p := StartProgress(&lockedBuffer{}, 1, newAPI(nil, 0, ""))
	p.Stop()
	select {
	case <-p.exited:
	default:
		t.Error("StartProgress's goroutine still runs after Stop")
	}
}

// In a parallel run every process counts into the shared pacer, and the printing process reads the whole
// run's specs and paced calls from it.
func TestProgressOfAParallelRunCountsEveryProcess(t *testing.T) {
	srv, err := ServePacer(Rates{"i/search": 5}, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	apis := []*API{newAPI(nil, 0, ""), newAPI(nil, 0, "")}
	var ps []*Progress
	for _, a := range apis {
		a.pace, a.rates = remotePacer{srv.URL()}, Rates{"i/search": 5}
	}
	ps = append(ps, StartProgress(&lockedBuffer{}, 10, apis[0]), StartProgress(nil, 0, apis[1]))
	defer ps[0].Stop()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, a := range apis {
		done, err := a.before(ctx, "SearchImageByPic", "i")
		if err != nil {
			t.Fatal(err)
		}
		done()
	}
	ps[0].SpecDone()
	ps[1].SpecDone()
	ps[1].Stop() // a counting-only Progress stops at once
	// 2 searches in 2 specs, 8 more for the 8 left, at 5/s: 1.6s. (The elapsed time is the real clock's.)
	got := ps[0].Line()
	if !strings.HasPrefix(got, "progress: 2/10 specs, 2 calls, ") ||
		!strings.HasSuffix(got, " elapsed, about 2s left at the QPS floor (search 5/s)") {
		t.Errorf("got %q, want 2/10 specs, 2 calls and about 2s left", got)
	}
}

// Under ginkgo -p the lines go to the CLI's output route.
func TestParallelOutputPostsToGinkgo(t *testing.T) {
	got := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- r.Method + " " + r.URL.Path + " " + string(b)
	}))
	defer srv.Close()
	if _, err := fmt.Fprintln(ParallelOutput(srv.URL), "progress: 1/2 specs"); err != nil {
		t.Fatal(err)
	}
	if g, want := <-got, "POST /emit-output progress: 1/2 specs\n"; g != want {
		t.Errorf("got %q, want %q", g, want)
	}
}

// emitter stands in for ginkgo's parallel server over net/rpc (its default protocol).
type emitter struct{ got chan string }

func (e *emitter) EmitOutput(p []byte, n *int) error { e.got <- string(p); *n = len(p); return nil }

func TestParallelOutputCallsGinkgoOverRPC(t *testing.T) {
	e := &emitter{got: make(chan string, 1)}
	rs := rpc.NewServer()
	if err := rs.RegisterName("Server", e); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(rs)
	defer srv.Close()
	if _, err := fmt.Fprintln(ParallelOutput(strings.TrimPrefix(srv.URL, "http://")), "progress: 1/2 specs"); err != nil {
		t.Fatal(err)
	}
	if g, want := <-e.got, "progress: 1/2 specs\n"; g != want {
		t.Errorf("got %q, want %q", g, want)
	}
}
