package index

import (
	"cmp"
	"math"
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

// Work is split across at most maxParts goroutines, from these sizes on
// (blocks to scan, candidates to rescore); below them the hand-off costs more
// than it saves.
const (
	maxParts        = 2
	parallelBlocks  = 8
	parallelRescore = 256
)

// First-stage scores are integer dot products bounded by maxSketchDot; a
// histogram of them in buckets of 2^bucketShift finds the cut-off score of
// the best rescoreCount in linear time.
const (
	maxSketchDot = imaging.SketchLen * 127 * 127
	bucketShift  = 6
	bucketCount  = 2*maxSketchDot>>bucketShift + 1
	notKept      = math.MinInt32
)

// Hit is one search result.
type Hit struct {
	Key   Key
	Score float32
}

// candidate is a first-stage result: sketch score and storage position.
type candidate struct {
	score int32
	pos   int
}

// scratch is a search's working memory, pooled because it is large.
type scratch struct {
	scores []int32
	hist   [maxParts][bucketCount]int32
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// Search returns the best limit hits among the keys for which keep returns
// true (nil keep keeps every key), ordered by Score descending, then ProductId
// and PicName ascending; total is the number of kept keys. keep may be called
// from several goroutines at once; it must not panic or call back into the
// index.
func (x *Index) Search(q imaging.Descriptor, keep func(Key) bool, limit int) (hits []Hit, total int) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	cands, total := x.firstStage(q.QuerySketch(), keep, max(rescoreCount, limit))
	hits = x.rescore(&q, cands)
	return hits[:min(len(hits), max(limit, 0))], total
}

// parts is the number of goroutines to split n units of work over, given
// the size from which splitting pays.
func parts(n, from int) int {
	if n < from {
		return 1
	}
	return min(runtime.GOMAXPROCS(0), maxParts)
}

// split runs f over [0, n) cut into p contiguous ranges, concurrently.
func split(n, p int, f func(part, lo, hi int)) {
	if p == 1 {
		f(0, 0, n)
		return
	}
	var wg sync.WaitGroup
	per := (n + p - 1) / p
	for k := range p {
		wg.Go(func() { f(k, min(k*per, n), min((k+1)*per, n)) })
	}
	wg.Wait()
}

// firstStage returns the best n kept positions by sketch similarity, in a
// total order (score, then key) that does not depend on storage order, and
// the number of kept keys.
func (x *Index) firstStage(qs imaging.Sketch, keep func(Key) bool, n int) ([]candidate, int) {
	s := scratchPool.Get().(*scratch)
	defer scratchPool.Put(s)
	if cap(s.scores) < x.n {
		s.scores = make([]int32, x.n)
	}
	scores := s.scores[:x.n]
	var q [imaging.SketchLen]int32
	for i, v := range qs {
		q[i] = int32(v)
	}
	p := parts(len(x.blocks), parallelBlocks)
	var kept [maxParts]int
	split(len(x.blocks), p, func(part, lo, hi int) {
		clear(s.hist[part][:])
		kept[part] = x.scan(&q, keep, lo, hi, scores, &s.hist[part])
	})
	cut := cutoff(&s.hist, p, n)
	var cands []candidate
	for pos, sc := range scores {
		if sc != notKept && bucket(sc) >= cut {
			cands = append(cands, candidate{score: sc, pos: pos})
		}
	}
	slices.SortFunc(cands, func(a, b candidate) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return x.keyAt(a.pos).compare(*x.keyAt(b.pos))
	})
	total := 0
	for _, k := range kept {
		total += k
	}
	return cands[:min(len(cands), n)], total
}

// scan scores blocks [lo, hi) into scores (notKept for filtered keys), counts
// kept scores per bucket into hist and returns the number kept.
func (x *Index) scan(q *[imaging.SketchLen]int32, keep func(Key) bool, lo, hi int, scores []int32, hist *[bucketCount]int32) int {
	kept := 0
	for bi := lo; bi < hi; bi++ {
		b := x.blocks[bi]
		base := bi * blockSize
		count := min(blockSize, x.n-base)
		out := scores[base : base+count]
		for j := range out {
			if keep != nil && !keep(b.keys[j]) {
				out[j] = notKept
				continue
			}
			kept++
			sc := dot(q, &b.sketches[j])
			out[j] = sc
			hist[bucket(sc)]++
		}
	}
	return kept
}

func bucket(score int32) int { return int(score+maxSketchDot) >> bucketShift }

// cutoff returns the highest bucket such that it and the buckets above hold
// at least n scores (0 when fewer than n are kept).
func cutoff(hist *[maxParts][bucketCount]int32, p, n int) int {
	seen := 0
	for b := bucketCount - 1; b > 0; b-- {
		for k := range p {
			seen += int(hist[k][b])
		}
		if seen >= n {
			return b
		}
	}
	return 0
}

// rescore computes exact scores for the candidates and sorts the hits.
func (x *Index) rescore(q *imaging.Descriptor, cands []candidate) []Hit {
	hits := make([]Hit, len(cands))
	split(len(cands), parts(len(cands), parallelRescore), func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			k, d := x.at(cands[i].pos)
			hits[i] = Hit{Key: *k, Score: imaging.Score(q, d)}
		}
	})
	slices.SortFunc(hits, func(a, b Hit) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return a.Key.compare(b.Key)
	})
	return hits
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
