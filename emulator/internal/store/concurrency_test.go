package store

import (
	"errors"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
)

// effect is one write that changed a key, bracketed by ticks of a shared logical clock taken before the call
// and after it returned (acknowledged).
type effect struct {
	key        Key
	version    int // 0 for a delete
	start, end int64
}

// history collects effects from concurrent writers.
type history struct {
	clock   atomic.Int64
	mu      sync.Mutex
	effects []effect
	owned   []Record // written once each and never touched again, so a lost update stays visible
}

func (h *history) add(e effect) {
	h.mu.Lock()
	h.effects = append(h.effects, e)
	h.mu.Unlock()
}

// allowedFinal returns the versions a key may end with: those of effects that no other effect on the key
// started after (0 means absent). With no effect at all the key must be absent.
func (h *history) allowedFinal(k Key) map[int]bool {
	var on []effect
	for _, e := range h.effects {
		if e.key == k {
			on = append(on, e)
		}
	}
	allowed := map[int]bool{}
	if len(on) == 0 {
		allowed[0] = true
	}
	for _, e := range on {
		if !slices.ContainsFunc(on, func(o effect) bool { return o.start > e.end }) {
			allowed[e.version] = true
		}
	}
	return allowed
}

const (
	concProducts = 2
	concPics     = 4
)

// writer performs a random mix of Put, Update (by key and by product) and Delete on a few shared keys.
func writer(t *testing.T, c *Catalog, h *history, seed uint64, ops int) {
	rng := rand.New(rand.NewPCG(seed, 1))
	for range ops {
		product, pic := rng.IntN(concProducts), rng.IntN(concPics)
		k := numbered(product, pic, 0).Key()
		start := h.clock.Add(1)
		version := int(start)
		var changed []Key
		var err error
		switch op := rng.IntN(12); {
		case op >= 10:
			own := numbered(concProducts+int(start), 0, version)
			if _, err := c.Put("i", own); err != nil {
				t.Errorf("write: %v", err)
				return
			}
			h.mu.Lock()
			h.owned = append(h.owned, own)
			h.mu.Unlock()
		case op < 6:
			_, err = c.Put("i", numbered(product, pic, version))
			changed = []Key{k}
		case op < 9:
			byProduct := op == 8
			sel := k
			if byProduct {
				sel.PicName = ""
			}
			changed, err = c.Update("i", sel, byProduct, func(r *Record) {
				*r = numbered(int(r.IntAttr[1]), int(r.IntAttr[2]), version)
			})
		default:
			changed, err = c.Delete("i", []Key{k})
			version = 0
		}
		end := h.clock.Add(1)
		if err != nil && !errors.Is(err, ErrNotFound) {
			t.Errorf("write: %v", err)
			return
		}
		for _, ck := range changed {
			h.add(effect{key: ck, version: version, start: start, end: end})
		}
	}
}

// reader checks that every observed record is whole (one write's fields) and that Scan and Keys are sorted.
func reader(t *testing.T, c *Catalog, stop *atomic.Bool) {
	for !stop.Load() {
		var prev *Key
		c.Scan("i", func(r Record) bool {
			k := r.Key()
			if !consistent(c, r) || (prev != nil && CompareKeys(*prev, k) >= 0) {
				t.Errorf("Scan saw torn or unordered record %+v after %v", r, prev)
				return false
			}
			prev = &k
			return true
		})
		if r, ok := c.Get("i", numbered(1, 2, 0).Key()); ok && !consistent(c, r) {
			t.Errorf("Get saw torn record %+v", r)
		}
		if keys := c.Keys("i", numbered(0, 0, 0).ProductId); !slices.IsSortedFunc(keys, CompareKeys) {
			t.Errorf("Keys not sorted: %v", keys)
		}
	}
}

func TestConcurrentWritersAndReaders(t *testing.T) {
	for _, tt := range []struct {
		name    string
		durable bool
		ops     int
	}{{"memory", false, 2000}, {"durable", true, 60}} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			c := OpenMemory()
			if tt.durable {
				c = openDir(t, dir)
			}
			h := &history{}
			var stop atomic.Bool
			var readers, writers sync.WaitGroup
			for range 4 {
				readers.Go(func() { reader(t, c, &stop) })
			}
			for w := range 4 {
				writers.Go(func() { writer(t, c, h, uint64(w), tt.ops) })
			}
			writers.Wait()
			stop.Store(true)
			readers.Wait()
			assertFinalState(t, c, h)
			if tt.durable {
				c.Close()
				assertFinalState(t, openDir(t, dir), h) // disk order equals memory order
			}
		})
	}
}

// assertFinalState checks each shared key against the last acknowledged writes to it, and that every
// once-written key is present.
func assertFinalState(t *testing.T, c *Catalog, h *history) {
	t.Helper()
	for _, own := range h.owned {
		got, ok := c.Get("i", own.Key())
		if !ok {
			t.Fatalf("acknowledged write of %v lost", own.Key())
		}
		assertRecord(t, got, inMemory(c, own))
	}
	descs := storedDescs(t, c, "i")
	shared := 0
	for product := range concProducts {
		for pic := range concPics {
			k := numbered(product, pic, 0).Key()
			version := 0
			if r, ok := c.Get("i", k); ok {
				shared++
				version = int(r.IntAttr[0])
				want := numbered(product, pic, version)
				assertRecord(t, r, inMemory(c, want))
				if c.disk != nil && descs[k] != string(want.Desc) {
					t.Fatalf("%v: stored Desc %x, want version %d's", k, descs[k], version)
				}
			}
			if allowed := h.allowedFinal(k); !allowed[version] {
				t.Fatalf("%v ends at version %d; last acknowledged writes allow %v", k, version, allowed)
			}
		}
	}
	if n := c.Count("i"); n != shared+len(h.owned) {
		t.Fatalf("Count = %d, want %d shared + %d owned", n, shared, len(h.owned))
	}
}
