package harness

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// fakeClock is a pacer clock the test moves by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func fakePacer(n int, margin time.Duration) (*pacer, *fakeClock) {
	c := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	p := newPacer(n, margin)
	p.now = c.now
	return p, c
}

// Calls whose answers are not back hold the window plus the margin: they may still be on their way.
func TestPacerHoldsUnansweredCallsForTheWindowPlusMargin(t *testing.T) {
	p, c := fakePacer(2, 100*time.Millisecond)
	for i := range 2 {
		if g, _, _ := p.try(); g == nil {
			t.Fatalf("call %d of 2 was not granted at once", i+1)
		}
	}
	g, wait, _ := p.try()
	if g != nil || wait != 1100*time.Millisecond {
		t.Fatalf("third call: granted %v, wait %v; want a wait of 1.1s", g != nil, wait)
	}
	c.advance(wait - time.Millisecond)
	if g, _, _ := p.try(); g != nil {
		t.Fatal("third call granted before the window plus margin had passed")
	}
	c.advance(time.Millisecond)
	if g, _, _ := p.try(); g == nil {
		t.Fatal("third call not granted once the window plus margin had passed")
	}
}

// An answered call can no longer reach the target, so its window ends one second after its answer: the
// margin is not paid again.
func TestPacerAnsweredCallsFreeTheWindowWithoutTheMargin(t *testing.T) {
	p, c := fakePacer(2, 100*time.Millisecond)
	a, _, _ := p.try()
	b, _, _ := p.try()
	c.advance(5 * time.Millisecond)
	p.finish(a)
	p.finish(b)
	p.finish(b) // a second report changes nothing
	if _, wait, _ := p.try(); wait != time.Second {
		t.Fatalf("after both answers the third call waits %v, want 1s", wait)
	}
	c.advance(time.Second - time.Millisecond)
	if g, _, _ := p.try(); g != nil {
		t.Fatal("third call granted less than a second after the answers")
	}
	c.advance(time.Millisecond)
	if g, _, _ := p.try(); g == nil {
		t.Fatal("third call not granted a second after the answers")
	}
}

// A simulated busy run: each call reaches the target up to spread after its grant (spread <= margin) and is
// answered up to answer later. No second of the target's clock may see more than n arrivals, and against a
// fast target the pacer must keep close to n per second.
func TestPacerNeverLetsMoreThanNArriveInASecond(t *testing.T) {
	for _, tc := range []struct {
		name    string
		n       int
		margin  time.Duration
		spread  time.Duration // longest time from grant to arrival
		answer  time.Duration // longest time from arrival to answer
		minRate float64       // calls per second the pacer must keep, as a fraction of n
	}{
		{"fast target", 5, 250 * time.Millisecond, 5 * time.Millisecond, 5 * time.Millisecond, 0.98},
		{"jittery target", 5, 250 * time.Millisecond, 250 * time.Millisecond, 300 * time.Millisecond, 0.75},
		{"twenty per second", 20, 200 * time.Millisecond, 200 * time.Millisecond, 50 * time.Millisecond, 0.8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			arrivals, elapsed := simulate(t, tc.n, tc.margin, tc.spread, tc.answer, 2000)
			for i := tc.n; i < len(arrivals); i++ {
				if span := arrivals[i].Sub(arrivals[i-tc.n]); span < time.Second {
					t.Fatalf("arrivals %d..%d span %v: %d calls within one second", i-tc.n, i, span, tc.n+1)
				}
			}
			if rate := float64(len(arrivals)) / elapsed.Seconds() / float64(tc.n); rate < tc.minRate {
				t.Errorf("the pacer kept %.3f of the limit, want at least %.2f", rate, tc.minRate)
			}
		})
	}
}

// simulate grants calls as fast as the pacer allows on a fake clock and returns their arrival times,
// sorted, and the time the run took.
func simulate(t *testing.T, n int, margin, spread, answer time.Duration, calls int) ([]time.Time, time.Duration) {
	t.Helper()
	p, c := fakePacer(n, margin)
	start := c.t
	rnd := rand.New(rand.NewPCG(1, uint64(n)))
	type pending struct {
		at time.Time
		g  *grant
	}
	var open []pending
	var arrivals []time.Time
	for len(arrivals) < calls {
		g, wait, _ := p.try()
		if g != nil {
			delay := time.Duration(rnd.Int64N(int64(spread) + 1))
			if rnd.IntN(2) == 0 { // half the calls at either end of the spread: the worst cases
				delay = spread * time.Duration(rnd.IntN(2))
			}
			arrive := c.t.Add(delay)
			arrivals = append(arrivals, arrive)
			open = append(open, pending{arrive.Add(time.Duration(rnd.Int64N(int64(answer) + 1))), g})
			continue
		}
		// Move to the next event: a timer firing or an answer coming back.
		next := c.t.Add(wait)
		for _, o := range open {
			if o.at.Before(next) {
				next = o.at
			}
		}
		if next.Before(c.t) {
			next = c.t
		}
		c.advance(next.Sub(c.t))
		kept := open[:0]
		for _, o := range open {
			if o.at.After(c.t) {
				kept = append(kept, o)
			} else {
				p.finish(o.g)
			}
		}
		open = kept
	}
	slices.SortFunc(arrivals, func(a, b time.Time) int { return a.Compare(b) })
	return arrivals, c.t.Sub(start)
}

func TestPacerStopsWaitingWhenTheContextEnds(t *testing.T) {
	p := newPacer(1, 0)
	ctx, cancel := context.WithCancel(context.Background())
	if _, err := p.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	cancel()
	if done, err := p.Wait(ctx); err == nil || done == nil {
		t.Errorf("Wait after the context ended: err %v, done %v; want an error and a callable done", err, done != nil)
	}
}

// A waiting call wakes when an answer comes back, instead of sleeping out the margin.
func TestPacerWakesAWaiterWhenAnAnswerComesBack(t *testing.T) {
	p := newPacer(1, time.Hour)
	ctx := context.Background()
	done, err := p.Wait(ctx)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	waited := make(chan error, 1)
	go func() { _, err := p.Wait(ctx); waited <- err }()
	done()
	select {
	case err := <-waited:
		if err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d < 900*time.Millisecond {
			t.Errorf("second call started %v after the first answer, want about a second", d)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the waiting call did not wake after the answer came back")
	}
}

// Processes of a parallel run share one pacer: two clients of the server together get n per window, and an
// answer reported by one client frees its place in the window.
func TestSharedPacerPacesAllClientsTogether(t *testing.T) {
	srv, err := ServePacer(Rates{"i/search": 2}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	a, b := remotePacer{srv.URL()}, remotePacer{srv.URL()}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	start := time.Now()
	for _, p := range []remotePacer{a, b, a} {
		done, err := p.wait(ctx, "i", "search")
		if err != nil {
			t.Fatal(err)
		}
		done()
	}
	// Without the answers the third call would wait for the hour-long margin.
	if d := time.Since(start); d < time.Second || d > 30*time.Second {
		t.Errorf("three answered calls of two clients through a 2-per-second shared pacer took %v, want about 1s", d)
	}
	if _, err := (remotePacer{"http://127.0.0.1:1"}).wait(ctx, "i", "search"); err == nil {
		t.Error("an unreachable pacer did not report an error")
	}
}

// Calls sent around the pacer (the throttling specs' load) fill the window as they left it: the next paced
// call waits one second from then, not longer, and only if it comes within that second.
func TestPacerSaturateHoldsTheNextCallsForOneWindow(t *testing.T) {
	p, c := fakePacer(3, 100*time.Millisecond)
	p.Saturate()
	g, wait, _ := p.try()
	if g != nil || wait != time.Second {
		t.Fatalf("after Saturate: granted %v, wait %v; want a wait of 1s", g != nil, wait)
	}
	c.advance(time.Second)
	for i := range 3 {
		if g, _, _ := p.try(); g == nil {
			t.Fatalf("call %d of 3 not granted once the saturated window had passed", i+1)
		}
	}
}

// The shared pacer's /saturate reaches the pacer every process asks.
func TestRemotePacerSaturate(t *testing.T) {
	srv, err := ServePacer(Rates{"i/UpdateImage": 2}, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	r := remotePacer{srv.URL()}
	if err := r.saturate(ctx, "i", "UpdateImage"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	done, err := r.wait(ctx, "i", "UpdateImage")
	if err != nil {
		t.Fatal(err)
	}
	done()
	if waited := time.Since(start); waited < 900*time.Millisecond {
		t.Fatalf("a call after /saturate started after %v; want about a window", waited)
	}
}
