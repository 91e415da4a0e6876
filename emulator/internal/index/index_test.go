package index

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/imagesearch-conformance/conformance/emulator/internal/imaging"
)

// baseDescriptors renders n small scenes and describes them; cheap enough to
// build distractor sets from.
func baseDescriptors(n int) []imaging.Descriptor {
	out := make([]imaging.Descriptor, n)
	for i := range out {
		out[i] = imaging.Describe(newScene(uint64(1_000_000+i)).render(64, 64))
	}
	return out
}

// perturb returns a nearby but distinct descriptor: every vector entry moves
// by Gaussian noise, which is how a different-but-similar picture looks.
func perturb(d imaging.Descriptor, r *rand.Rand, sigma float64) imaging.Descriptor {
	jitter := func(v int8) int8 {
		return int8(min(127, max(-127, float64(v)+r.NormFloat64()*sigma)))
	}
	for i := range d.Shape {
		d.Shape[i] = jitter(d.Shape[i])
	}
	for i := range d.Layout {
		d.Layout[i] = jitter(d.Layout[i])
	}
	for k := 0; k < 8; k++ { // move histogram mass, keeping the sum at 255
		from, to := r.IntN(imaging.HistLen), r.IntN(imaging.HistLen)
		if d.Hist[from] > 0 && d.Hist[to] < 255 {
			d.Hist[from]--
			d.Hist[to]++
		}
	}
	return d
}

func key(i int) Key { return mk(fmt.Sprintf("p%06d", i), fmt.Sprintf("p%06d.jpg", i)) }

func TestPutReplaceDelete(t *testing.T) {
	base := baseDescriptors(3)
	x := New()
	x.Put(key(1), base[0], Attrs{})
	x.Put(key(2), base[1], Attrs{})
	x.Put(key(1), base[2], Attrs{}) // replaces
	if x.Len() != 2 {
		t.Fatalf("Len = %d, want 2", x.Len())
	}
	hits, total := x.Search(base[2], Selection{}, 10)
	if total != 2 || len(hits) != 2 || hits[0].Key != key(1) || hits[0].Score != 1 {
		t.Fatalf("after replace: %v total %d", hits, total)
	}
	x.Delete(key(1))
	x.Delete(key(1)) // absent: no effect
	x.Delete(key(9))
	hits, total = x.Search(base[2], Selection{}, 10)
	if x.Len() != 1 || total != 1 || len(hits) != 1 || hits[0].Key != key(2) {
		t.Fatalf("after delete: len %d, %v total %d", x.Len(), hits, total)
	}
	x.Delete(key(2))
	if hits, total := x.Search(base[0], Selection{}, 10); x.Len() != 0 || total != 0 || len(hits) != 0 {
		t.Fatalf("empty index: %v %d", hits, total)
	}
}

func TestSearchOrderKeepAndLimit(t *testing.T) {
	base := baseDescriptors(2)
	x := New()
	// Four identical images tie at 1.0 and must come out in key order.
	for _, k := range []Key{mk("b", "2"), mk("a", "9"), mk("b", "1"), mk("a", "10")} {
		x.Put(k, base[0], Attrs{})
	}
	x.Put(mk("0", "other"), base[1], Attrs{})
	hits, total := x.Search(base[0], Selection{}, 10)
	want := []Key{mk("a", "10"), mk("a", "9"), mk("b", "1"), mk("b", "2"), mk("0", "other")}
	if total != 5 || len(hits) != 5 {
		t.Fatalf("got %d hits, total %d", len(hits), total)
	}
	for i, h := range hits {
		if h.Key != want[i] {
			t.Fatalf("hit %d = %v, want %v (all: %v)", i, h.Key, want[i], hits)
		}
	}
	if hits[3].Score != 1 || hits[4].Score >= 1 {
		t.Fatalf("scores %v", hits)
	}
	cases := []struct {
		name      string
		keep      func(Key) bool
		limit     int
		wantHits  int
		wantTotal int
	}{
		{"limit 2", nil, 2, 2, 5},
		{"limit 0 counts only", nil, 0, 0, 5},
		{"negative limit", nil, -1, 0, 5},
		{"keep product a", func(k Key) bool { return k.ProductId == "a" }, 10, 2, 2},
		{"keep nothing", func(Key) bool { return false }, 10, 0, 0},
	}
	for _, tc := range cases {
		hits, total := x.Search(base[0], Selection{Keep: tc.keep}, tc.limit)
		if len(hits) != tc.wantHits || total != tc.wantTotal {
			t.Errorf("%s: %d hits, total %d; want %d, %d", tc.name, len(hits), total, tc.wantHits, tc.wantTotal)
		}
		for _, h := range hits {
			if tc.keep != nil && !tc.keep(h.Key) {
				t.Errorf("%s: hit %v should have been filtered", tc.name, h.Key)
			}
		}
	}
}

// TestDeleteKeepsStorageConsistent deletes in random order across block
// boundaries and checks every remaining key is still found as itself.
func TestDeleteKeepsStorageConsistent(t *testing.T) {
	const n = 2*blockSize + 37
	base := baseDescriptors(50)
	r := rand.New(rand.NewPCG(1, 2))
	descs := make([]imaging.Descriptor, n)
	x := New()
	for i := range descs {
		descs[i] = perturb(base[i%len(base)], r, 20)
		x.Put(key(i), descs[i], Attrs{})
	}
	alive := map[int]bool{}
	for i := range n {
		alive[i] = true
	}
	for _, i := range r.Perm(n)[:n-100] {
		x.Delete(key(i))
		delete(alive, i)
	}
	if x.Len() != 100 || len(x.blocks) != 1 {
		t.Fatalf("Len %d, %d blocks; want 100 in 1 block", x.Len(), len(x.blocks))
	}
	for i := range alive {
		hits, _ := x.Search(descs[i], Selection{}, 1)
		if len(hits) != 1 || hits[0].Key != key(i) || hits[0].Score != 1 {
			t.Fatalf("key %d: got %v", i, hits)
		}
	}
	for i := range alive {
		x.Delete(key(i))
	}
	if x.Len() != 0 || len(x.blocks) != 0 || x.pos.n != 0 || slices.ContainsFunc(x.pos.slots, func(s uint32) bool { return s != 0 }) {
		t.Fatalf("not empty: %d %d %d", x.Len(), len(x.blocks), x.pos.n)
	}
}

// TestSearchIndependentOfInsertionOrder: the same content inserted in two
// orders (and so stored in two orders) answers identically, including ties
// at the prefilter's and the sketch stage's cut-offs (the index is larger
// than both counts).
func TestSearchIndependentOfInsertionOrder(t *testing.T) {
	base := baseDescriptors(40)
	r := rand.New(rand.NewPCG(3, 4))
	const n = prefilterCount + 2000
	descs := make([]imaging.Descriptor, n)
	for i := range descs {
		if i%3 == 0 {
			descs[i] = base[i%len(base)] // many exact duplicates: ties
		} else {
			descs[i] = perturb(base[i%len(base)], r, 15)
		}
	}
	a, b := New(), New()
	for i := range descs {
		a.Put(key(i), descs[i], Attrs{})
	}
	for _, i := range r.Perm(n) {
		b.Put(key(i), descs[i], Attrs{})
	}
	for qi := 0; qi < 10; qi++ {
		q := base[qi]
		ha, ta := a.Search(q, Selection{}, 500)
		hb, tb := b.Search(q, Selection{}, 500)
		if ta != tb || !slices.Equal(ha, hb) {
			t.Fatalf("query %d: results depend on insertion order", qi)
		}
		short, _ := a.Search(q, Selection{}, 20)
		if !slices.Equal(short, ha[:20]) {
			t.Fatalf("query %d: page of 20 differs from the head of the page of 500", qi)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	base := baseDescriptors(20)
	x := New()
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 60 {
				k := key(w*1000 + i)
				x.Put(k, base[i%len(base)], Attrs{})
				if i%3 == 0 {
					x.Delete(k)
				}
				x.Search(base[(i+w)%len(base)], Selection{Keep: func(k Key) bool { return k.PicName != "" }}, 5)
				x.Len()
			}
		})
	}
	wg.Wait()
	if x.Len() != 4*40 {
		t.Fatalf("Len = %d, want 160", x.Len())
	}
}

func TestGetReturnsTheStoredDescriptor(t *testing.T) {
	x := New()
	var d imaging.Descriptor
	d.Shape[0], d.Gray = 7, true
	x.Put(mk("p", "a"), d, Attrs{})
	if got, ok := x.Get(mk("p", "a")); !ok || got != d {
		t.Errorf("Get = %v, %v", got.Shape[0], ok)
	}
	x.Delete(mk("p", "a"))
	if _, ok := x.Get(mk("p", "a")); ok {
		t.Error("Get after Delete found the image")
	}
}

// mk builds a key.
func mk(productID, picName string) Key { return Key{ProductId: productID, PicName: picName} }
