package harness

import (
	"context"
	"sync"
	"time"
)

// DefaultPacingMargin bounds how long after the pacer's grant a call can reach the target: the spread of
// the delay between the grant and the target's admission (scheduling, a shared pacer over loopback, the
// network on the way in). It only costs time while a call is on its way: once a call has been answered,
// its answer is the later bound (see pacer). Raise it (IMAGESEARCH_PACING_MARGIN) for a target whose
// one-way delay varies more than this.
const DefaultPacingMargin = 250 * time.Millisecond

// window is the length of the target's QPS window (ref §1.10: limits are per second).
const window = time.Second

// grant is one call the pacer let start: by is the latest time the call can have reached the target.
type grant struct{ by time.Time }

// pacer lets a call start only while fewer than n earlier calls can have reached the target within the
// last second, so that no window of one second, sliding or aligned, sees more than n arrivals (a token
// bucket of n refilled at n per second admits them too).
//
// A call granted at g arrives at the target in [g+d, g+d+margin] for some unknown d shared by all calls
// (shifting every arrival by d moves no call in or out of a window, so d drops out). Its answer, once back
// at done time r, bounds the arrival more tightly: min(g+margin, r). The new call arrives at or after now,
// so it is safe when fewer than n calls have a bound later than now minus one second. The margin is thus
// paid only by calls still on their way; it never adds to a window whose calls have been answered.
type pacer struct {
	mu      sync.Mutex
	n       int
	margin  time.Duration
	now     func() time.Time
	live    []*grant      // grants whose bound is less than a window old
	changed chan struct{} // closed (and replaced) when a bound moves earlier, to wake waiters
}

func newPacer(n int, margin time.Duration) *pacer {
	return &pacer{n: n, margin: margin, now: time.Now, changed: make(chan struct{})}
}

// Wait blocks until a call may start or ctx ends. done must be called once the call's answer (or error)
// is back; calling it late or never only makes the pacer slower, not wrong.
func (p *pacer) Wait(ctx context.Context) (done func(), err error) {
	for {
		g, wait, changed := p.try()
		if g != nil {
			return func() { p.finish(g) }, nil
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return func() {}, ctx.Err()
		case <-changed:
			t.Stop()
		case <-t.C:
		}
	}
}

// try grants a call now, or says how long until the oldest bound leaves the window.
func (p *pacer) try() (g *grant, wait time.Duration, changed <-chan struct{}) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	kept := p.live[:0]
	var oldest time.Time
	for _, l := range p.live {
		if l.by.After(now.Add(-window)) {
			kept = append(kept, l)
			if oldest.IsZero() || l.by.Before(oldest) {
				oldest = l.by
			}
		}
	}
	clear(p.live[len(kept):])
	p.live = kept
	if len(p.live) < p.n {
		g = &grant{by: now.Add(p.margin)}
		p.live = append(p.live, g)
		return g, 0, nil
	}
	return nil, oldest.Add(window).Sub(now), p.changed
}

// finish records that g's answer is back: g cannot reach the target later than now.
func (p *pacer) finish(g *grant) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if now := p.now(); now.Before(g.by) {
		g.by = now
		close(p.changed)
		p.changed = make(chan struct{})
	}
}

// Saturate records n calls that reached the target just now around the pacer (the throttling specs' offered
// load): the next paced calls wait for them to leave the window, as the target's own window does, and a run
// that sends no more such calls pays nothing.
func (p *pacer) Saturate() {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	for range p.n {
		p.live = append(p.live, &grant{by: now})
	}
}

// pacers holds one pacer per (instance, QPS group).
type pacers struct {
	mu     sync.Mutex
	rates  Rates // a missing or zero rate is unpaced
	margin time.Duration
	by     map[string]*pacer
}

func noop() {}

func (ps *pacers) wait(ctx context.Context, instance, group string) (done func(), err error) {
	p := ps.pacer(instance, group)
	if p == nil {
		return noop, nil
	}
	return p.Wait(ctx)
}

func (ps *pacers) saturate(_ context.Context, instance, group string) error {
	if p := ps.pacer(instance, group); p != nil {
		p.Saturate()
	}
	return nil
}

// pacer returns the pacer of a group, nil when the group is unpaced.
func (ps *pacers) pacer(instance, group string) *pacer {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	n := ps.rates[instance+"/"+group]
	if n <= 0 {
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
	return p
}
