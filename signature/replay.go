package signature

import (
	"hash/maphash"
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
	seed   maphash.Seed
	seen   map[uint64]struct{}
	expiry expiryHeap
}

// nonceEntry remembers a nonce by a 64-bit hash of (AccessKeyId, nonce): 16 bytes instead of two
// strings, so an emulator that accepted a few hundred thousand requests in the window stays small. A
// false "nonce used" needs a 64-bit collision among the remembered nonces (about 1e-9 at 200,000).
type nonceEntry struct {
	key     uint64
	expires int64 // unix nanoseconds
}

// NewReplayGuard returns a guard with the given window; window <= 0 means DefaultReplayWindow.
func NewReplayGuard(window time.Duration) *ReplayGuard {
	if window <= 0 {
		window = DefaultReplayWindow
	}
	return &ReplayGuard{window: window, seed: maphash.MakeSeed(), seen: make(map[uint64]struct{})}
}

// Check accepts res at time now, or returns an *Error with CodeTimeStampExpired or
// CodeNonceUsed. A skew of exactly the window is still accepted. A rejected request does not
// record its nonce.
func (g *ReplayGuard) Check(res Result, now time.Time) error {
	skew := now.Sub(res.Timestamp)
	if skew > g.window || skew < -g.window {
		return timeStampExpired()
	}
	var h maphash.Hash
	h.SetSeed(g.seed)
	h.WriteString(res.AccessKeyID)
	h.WriteByte(0)
	h.WriteString(res.Nonce)
	key := h.Sum64()
	g.mu.Lock()
	defer g.mu.Unlock()
	g.evict(now)
	n := len(g.seen)
	g.seen[key] = struct{}{} // one map operation: a key already there leaves the length as it was
	if len(g.seen) == n {
		return nonceUsed()
	}
	g.expiry.push(nonceEntry{key: key, expires: res.Timestamp.Add(g.window).UnixNano()})
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
	for len(g.expiry) > 0 && g.expiry[0].expires < now.UnixNano() {
		delete(g.seen, g.expiry.pop().key)
	}
}

// expiryHeap is a min-heap of nonce entries by expiry time. It is written out rather than built on
// container/heap, whose interface boxes every entry pushed: one allocation per accepted request.
type expiryHeap []nonceEntry

func (h *expiryHeap) push(e nonceEntry) {
	*h = append(*h, e)
	q := *h
	for i := len(q) - 1; i > 0; {
		parent := (i - 1) / 2
		if q[parent].expires <= q[i].expires {
			break
		}
		q[parent], q[i] = q[i], q[parent]
		i = parent
	}
}

// pop removes and returns the entry that expires first; h must not be empty.
func (h *expiryHeap) pop() nonceEntry {
	q := *h
	top, n := q[0], len(q)-1
	q[0] = q[n]
	q = q[:n]
	for i := 0; ; {
		small, l, r := i, 2*i+1, 2*i+2
		if l < n && q[l].expires < q[small].expires {
			small = l
		}
		if r < n && q[r].expires < q[small].expires {
			small = r
		}
		if small == i {
			break
		}
		q[i], q[small] = q[small], q[i]
		i = small
	}
	*h = q
	return top
}
