package harness

import (
	"context"
	"sync"
	"time"
)

// DefaultPacingMargin is added to the one-second window because the target measures arrival times, not
// send times: without it, a request that travels faster than its predecessor could land N+1 in one window.
// It covers the spread of the delay between the pacer's decision and the request's arrival (a loaded
// 2-core machine showed more than 60 ms when the pacer is shared over loopback); it costs about 13 % of the
// rate. Raise it (IMAGESEARCH_PACING_MARGIN) for a target behind a jittery network.
const DefaultPacingMargin = 150 * time.Millisecond

// pacer lets at most n calls start in any window of one second plus margin, waiting when it must.
type pacer struct {
	mu     sync.Mutex
	n      int
	margin time.Duration
	sent   []time.Time // ring of the last n start times
	next   int
}

func newPacer(n int, margin time.Duration) *pacer {
	return &pacer{n: n, margin: margin, sent: make([]time.Time, n)}
}

// Wait blocks until a call may start or ctx ends.
func (p *pacer) Wait(ctx context.Context) error {
	for {
		p.mu.Lock()
		now := time.Now()
		oldest := p.sent[p.next]
		wait := oldest.Add(time.Second + p.margin).Sub(now)
		if oldest.IsZero() || wait <= 0 {
			p.sent[p.next] = now
			p.next = (p.next + 1) % p.n
			p.mu.Unlock()
			return nil
		}
		p.mu.Unlock()
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// pacers holds one pacer per (instance, QPS group).
type pacers struct {
	mu     sync.Mutex
	rates  Rates // a missing or zero rate is unpaced
	margin time.Duration
	by     map[string]*pacer
}

func (ps *pacers) wait(ctx context.Context, instance, group string) error {
	ps.mu.Lock()
	n := ps.rates[instance+"/"+group]
	if n <= 0 {
		ps.mu.Unlock()
		return nil
	}
	if ps.by == nil {
		ps.by = map[string]*pacer{}
	}
	p, ok := ps.by[instance+"/"+group]
	if !ok {
		p = newPacer(n, ps.margin)
		ps.by[instance+"/"+group] = p
	}
	ps.mu.Unlock()
	return p.Wait(ctx)
}
