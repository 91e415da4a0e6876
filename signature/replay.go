package signature

import (
	"container/heap"
	"sync"
	"time"
)

// DefaultReplayWindow is the gateway's tolerated clock skew and nonce memory: 15 minutes
// (ref §8.3, InvalidTimeStamp.Expired and SignatureNonceUsed).
const DefaultReplayWindow = 15 * time.Minute

// ReplayGuard rejects requests whose timestamp is more than the window away from now
// (InvalidTimeStamp.Expired) and nonces reused by the same AccessKeyId (SignatureNonceUsed).
// A nonce is remembered until its request's timestamp leaves the window, after which the
// timestamp check alone rejects a replay; memory is therefore bounded by the requests accepted
// in two windows. Safe for concurrent use.
type ReplayGuard struct {
	window time.Duration

	mu     sync.Mutex
	seen   map[nonceKey]struct{}
	expiry expiryHeap
}

type nonceKey struct{ accessKeyID, nonce string }

type nonceEntry struct {
	key     nonceKey
	expires time.Time
}

// NewReplayGuard returns a guard with the given window; window <= 0 means DefaultReplayWindow.
func NewReplayGuard(window time.Duration) *ReplayGuard {
	if window <= 0 {
		window = DefaultReplayWindow
	}
	return &ReplayGuard{window: window, seen: make(map[nonceKey]struct{})}
}

// Check accepts res at time now, or returns an *Error with CodeTimeStampExpired or
// CodeNonceUsed. A skew of exactly the window is still accepted. A rejected request does not
// record its nonce.
func (g *ReplayGuard) Check(res Result, now time.Time) error {
	skew := now.Sub(res.Timestamp)
	if skew > g.window || skew < -g.window {
		return timeStampExpired()
	}
	key := nonceKey{res.AccessKeyID, res.Nonce}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.evict(now)
	if _, dup := g.seen[key]; dup {
		return nonceUsed()
	}
	g.seen[key] = struct{}{}
	heap.Push(&g.expiry, nonceEntry{key: key, expires: res.Timestamp.Add(g.window)})
	return nil
}

// Len reports how many nonces are remembered.
func (g *ReplayGuard) Len() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.seen)
}

// evict forgets nonces whose timestamp can no longer pass the skew check at now.
func (g *ReplayGuard) evict(now time.Time) {
	for len(g.expiry) > 0 && g.expiry[0].expires.Before(now) {
		e := heap.Pop(&g.expiry).(nonceEntry)
		delete(g.seen, e.key)
	}
}

// expiryHeap is a min-heap of nonce entries by expiry time.
type expiryHeap []nonceEntry

func (h expiryHeap) Len() int           { return len(h) }
func (h expiryHeap) Less(i, j int) bool { return h[i].expires.Before(h[j].expires) }
func (h expiryHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }

// Push implements heap.Interface.
func (h *expiryHeap) Push(x any) { *h = append(*h, x.(nonceEntry)) }

// Pop implements heap.Interface.
func (h *expiryHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}
