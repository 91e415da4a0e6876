package index

import (
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/imagesearch-conformance/conformance/emulator/internal/filter"
	"github.com/imagesearch-conformance/conformance/emulator/internal/imaging"
)

// A large index is built from perturbed copies of a few thousand small real
// renders: realistic vectors at a fraction of the rendering cost.
const (
	largeN    = 100_000
	largeBase = 2000
)

// fill puts n perturbed descriptors into x and returns the base set.
func fill(x *Index, n int) []imaging.Descriptor {
	base := baseDescriptors(min(n, largeBase))
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < n; i++ {
		x.Put(key(i), perturb(base[i%len(base)], r, 12), Attrs{})
	}
	return base
}

var large struct {
	once    sync.Once
	x       *Index
	queries []imaging.Descriptor
}

// largeIndex is shared by the benchmarks: 100k images, and queries that are
// re-renders of indexed scenes at another size (like re-encoded uploads).
func largeIndex() (*Index, []imaging.Descriptor) {
	large.once.Do(func() {
		large.x = New()
		fill(large.x, largeN)
		for i := range 64 {
			m := newScene(uint64(1_000_000+i*7)).render(90, 70)
			large.queries = append(large.queries, imaging.Describe(m))
		}
	})
	return large.x, large.queries
}

// TestExactFirstAmongDistractors: every indexed image, queried with its own
// descriptor, ranks first with score 1 among 100k similar distractors (which
// include noisy copies of the query's own scene).
func TestExactFirstAmongDistractors(t *testing.T) {
	n := largeN
	if testing.Short() || raceEnabled {
		n = 20_000
	}
	x := New()
	base := fill(x, n)
	for i := 0; i < 20; i++ {
		q := base[i*37%len(base)]
		k := mk("needle", string(rune('a'+i)))
		x.Put(k, q, Attrs{})
		hits, total := x.Search(q, Selection{}, 5)
		if total != n+1 || len(hits) != 5 || hits[0].Key != k || hits[0].Score != 1 || hits[1].Score >= 1 {
			t.Fatalf("query %d: total %d, hits %v", i, total, hits)
		}
		x.Delete(k)
	}
}

// TestMemoryPerImage measures heap growth for 100k images, keys included.
func TestMemoryPerImage(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("allocation accounting is distorted under the race detector")
	}
	base := baseDescriptors(200)
	r := rand.New(rand.NewPCG(7, 8))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	x := New()
	for i := 0; i < largeN; i++ {
		x.Put(key(i), perturb(base[i%len(base)], r, 12), Attrs{})
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	per := float64(after.HeapAlloc-before.HeapAlloc) / largeN
	t.Logf("heap per image: %.0f bytes (%.1f MB per 100k)", per, per*largeN/1e6)
	// Descriptor 400, sketch 32, prefilter code 16, key prefix 8, columns 36, key 32 and its strings, and
	// 4 to 10.7 bytes of position table (a map[Key]int took ~50).
	if per > 580 {
		t.Fatalf("%.0f bytes per image, want ≤ 580", per)
	}
	runtime.KeepAlive(x)
}

// BenchmarkSearch100k reports mean (ns/op) and median (p50-ms) search latency
// over 100k images: unfiltered, with a Filter evaluated on the columns that
// keeps every image (the most work), and with a per-key test that keeps half.
func BenchmarkSearch100k(b *testing.B) {
	x, queries := largeIndex()
	everything, err := filter.Parse(`int_attr >= 0 AND str_attr != "x"`)
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		sel  Selection
	}{
		{"all", Selection{}},
		{"filter-all", Selection{Filter: everything}},
		{"keep-half", Selection{Keep: func(k Key) bool { return k.ProductId[len(k.ProductId)-1]%2 == 0 }}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var times []time.Duration
			i := 0
			for b.Loop() {
				start := time.Now()
				x.Search(queries[i%len(queries)], bc.sel, 10)
				times = append(times, time.Since(start))
				i++
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
		})
	}
}

// BenchmarkSearchNearCopies100k is the shape of the emulator's own benchmark:
// 100k images that are slightly perturbed copies of 16 pictures, so a query
// has 6,250 near-copies that the prefilter cannot tell apart and that tie in
// thousands at the sketch stage.
func BenchmarkSearchNearCopies100k(b *testing.B) {
	base := baseDescriptors(16)
	x := New()
	r := rand.New(rand.NewPCG(7, 8))
	for i := range largeN {
		x.Put(key(i), perturb(base[i%len(base)], r, 1), Attrs{})
	}
	q := perturb(base[3], r, 2)
	var times []time.Duration
	for b.Loop() {
		start := time.Now()
		x.Search(q, Selection{}, 10)
		times = append(times, time.Since(start))
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
}

// BenchmarkPut measures inserting new images and replacing existing ones,
// in an index that grows to 100k images.
func BenchmarkPut(b *testing.B) {
	_, queries := largeIndex()
	keys := make([]Key, largeN)
	for i := range keys {
		keys[i] = key(i)
	}
	x := New()
	i := 0
	for b.Loop() {
		x.Put(keys[i%largeN], queries[i%len(queries)], Attrs{})
		i++
	}
}
