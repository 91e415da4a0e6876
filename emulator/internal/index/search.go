package index

import (
	"runtime"
	"slices"
	"sync"

	"github.com/imagesearch-conformance/conformance/emulator/internal/imaging"
)

// rescoreCount is how many first-stage candidates get the exact score. It
// does not depend on limit, so pages requested with different Start/Num see
// one consistent ranking; it is above the deepest reachable result
// (Start+Num ≤ 500, ref §1.6).
const rescoreCount = 1024

// parallelMin is the index size from which the first stage is split across
// goroutines; below it the goroutine hand-off costs more than it saves.
const parallelMin = 8 * blockSize

// Hit is one search result.
type Hit struct {
	Key   Key
	Score float32
}

// Search returns the best limit hits among the keys for which keep returns
// true (nil keep keeps every key), ordered by Score descending, then ProductId
// and PicName ascending; total is the number of kept keys. keep may be called
// from several goroutines at once and must not call back into the index.
func (x *Index) Search(q imaging.Descriptor, keep func(Key) bool, limit int) (hits []Hit, total int) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	cands, total := x.firstStage(q.QuerySketch(), keep, max(rescoreCount, limit))
	hits = make([]Hit, len(cands))
	for i, c := range cands {
		k, d := x.at(c.pos)
		hits[i] = Hit{Key: *k, Score: imaging.Score(&q, d)}
	}
	slices.SortFunc(hits, func(a, b Hit) int {
		switch {
		case a.Score != b.Score:
			if a.Score > b.Score {
				return -1
			}
			return 1
		case a.Key.less(b.Key):
			return -1
		case b.Key.less(a.Key):
			return 1
		}
		return 0
	})
	return hits[:min(len(hits), max(limit, 0))], total
}

// firstStage returns the best n kept positions by sketch similarity and the
// number of kept keys, splitting the scan over up to two goroutines per core
// pair. Each part keeps its own top n under the same total order, so the
// merged result does not depend on how the work was split.
func (x *Index) firstStage(qs imaging.Sketch, keep func(Key) bool, n int) ([]candidate, int) {
	parts := 1
	if x.n >= parallelMin {
		parts = min(runtime.GOMAXPROCS(0), 2)
	}
	if parts == 1 {
		return x.scan(&qs, keep, n, 0, len(x.blocks))
	}
	results := make([][]candidate, parts)
	totals := make([]int, parts)
	var wg sync.WaitGroup
	per := (len(x.blocks) + parts - 1) / parts
	for p := range parts {
		lo, hi := p*per, min((p+1)*per, len(x.blocks))
		wg.Go(func() { results[p], totals[p] = x.scan(&qs, keep, n, lo, hi) })
	}
	wg.Wait()
	all := slices.Concat(results...)
	h := topN{n: n, keyAt: x.keyAt}
	for _, c := range all {
		h.offer(c)
	}
	total := 0
	for _, t := range totals {
		total += t
	}
	return h.items, total
}

// scan runs the first stage over blocks [lo, hi).
func (x *Index) scan(qs *imaging.Sketch, keep func(Key) bool, n, lo, hi int) ([]candidate, int) {
	var q [imaging.SketchLen]int32
	for i, v := range qs {
		q[i] = int32(v)
	}
	h := topN{n: n, keyAt: x.keyAt}
	total := 0
	for bi := lo; bi < hi; bi++ {
		b := x.blocks[bi]
		count := min(blockSize, x.n-bi*blockSize)
		for j := 0; j < count; j++ {
			if keep != nil && !keep(b.keys[j]) {
				continue
			}
			total++
			s := dot(&q, &b.sketches[j])
			if h.full() && s < h.floor() {
				continue // fast reject: most entries end here
			}
			h.offer(candidate{score: s, pos: bi*blockSize + j})
		}
	}
	return h.items, total
}

// dot is the first-stage similarity: sketches are pre-weighted so a plain
// integer dot product approximates imaging.Score.
func dot(q *[imaging.SketchLen]int32, s *imaging.Sketch) int32 {
	var a, b, c, d int32
	for i := 0; i < imaging.SketchLen; i += 4 {
		a += q[i] * int32(s[i])
		b += q[i+1] * int32(s[i+1])
		c += q[i+2] * int32(s[i+2])
		d += q[i+3] * int32(s[i+3])
	}
	return a + b + c + d
}

func (x *Index) keyAt(pos int) *Key {
	return &x.blocks[pos/blockSize].keys[pos%blockSize]
}
