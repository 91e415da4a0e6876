package index

import (
	"cmp"
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/imagesearch-conformance/conformance/emulator/internal/filter"
	"github.com/imagesearch-conformance/conformance/emulator/internal/imaging"
	"github.com/imagesearch-conformance/conformance/emulator/internal/store"
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
	packed []uint64
	hist   [maxParts][bucketCount]int32
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// Selection restricts a search to some images; the zero value selects every image.
type Selection struct {
	Filter *filter.Expr // nil: no filter (ref §1.7)
	// Category, when ByCategory is set, is the only CategoryId selected (ref §1.8).
	Category   int32
	ByCategory bool
	// Keep is a further test of each image's key (nil keeps all). It may be called from several
	// goroutines at once; it must not panic or call back into the index.
	Keep func(Key) bool
}

// any reports whether sel excludes anything, so a scan must build a selection mask.
func (sel *Selection) any() bool { return sel.Filter != nil || sel.ByCategory || sel.Keep != nil }

// Search returns the best limit hits among the selected images, ordered by
// Score descending, then ProductId and PicName ascending; total is the number
// of selected images.
func (x *Index) Search(q imaging.Descriptor, sel Selection, limit int) (hits []Hit, total int) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	cands, total := x.firstStage(q.QuerySketch(), &sel, max(rescoreCount, limit))
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

// firstStage returns the best n selected positions by sketch similarity, in
// a total order (score, then key) that does not depend on storage order, and
// the number of selected images.
func (x *Index) firstStage(qs imaging.Sketch, sel *Selection, n int) ([]candidate, int) {
	s := scratchPool.Get().(*scratch)
	defer scratchPool.Put(s)
	if cap(s.scores) < x.n {
		s.scores = make([]int32, x.n)
	}
	scores := s.scores[:x.n]
	q := packQuery(qs)
	prog := sel.Filter.Bind(&x.dict)
	p := parts(len(x.blocks), parallelBlocks)
	var kept [maxParts]int
	split(len(x.blocks), p, func(part, lo, hi int) {
		clear(s.hist[part][:])
		kept[part] = x.scan(q, sel, prog, lo, hi, scores, &s.hist[part])
	})
	total := 0
	for _, k := range kept {
		total += k
	}
	return x.best(s, scores, cutoff(&s.hist, p, n), n), total
}

// best returns the n best scores at or above bucket cut, ranked by score,
// then key. Only the images tied at the boundary score need their keys
// compared, so the ranking sorts packed integers instead of strings.
func (x *Index) best(s *scratch, scores []int32, cut, n int) []candidate {
	packed := s.packed[:0] // (MaxInt32-score) << 32 | pos: ascending is score descending, then position
	for pos, sc := range scores {
		if sc != notKept && bucket(sc) >= cut {
			packed = append(packed, uint64(math.MaxInt32-sc)<<32|uint64(pos))
		}
	}
	s.packed = packed
	slices.Sort(packed)
	cands := make([]candidate, len(packed))
	for i, v := range packed {
		cands[i] = candidate{score: math.MaxInt32 - int32(v>>32), pos: int(uint32(v))}
	}
	if len(cands) <= n {
		return cands
	}
	edge := cands[n-1].score
	lo := n - 1
	for lo > 0 && cands[lo-1].score == edge {
		lo--
	}
	hi := n
	for hi < len(cands) && cands[hi].score == edge {
		hi++
	}
	x.selectFirst(cands[lo:hi], n-lo)
	return cands[:n]
}

// tie is an image tied at the boundary score: pre holds 8 bytes of its
// ProductId from where the tied ProductIds start to differ.
type tie struct {
	pre uint64
	pos uint32
}

// selectFirst reorders tied so that its first k entries are those with the
// smallest keys (in no particular order): a quickselect, so a large group of
// equal scores costs a few comparisons per entry instead of a sort. Most
// comparisons are of integer prefixes, taken past the bytes all tied
// ProductIds share; keys are compared only when prefixes are equal.
func (x *Index) selectFirst(tied []candidate, k int) {
	first := x.keyAt(tied[0].pos).ProductId
	common := len(first) // bytes every tied ProductId shares: they cannot decide
	for _, v := range tied[1:] {
		id := x.keyAt(v.pos).ProductId
		common = min(common, len(id))
		for i := range common {
			if id[i] != first[i] {
				common = i
				break
			}
		}
	}
	ties := make([]tie, len(tied))
	for i, c := range tied {
		ties[i] = tie{pre: prefix(x.keyAt(c.pos).ProductId, common), pos: uint32(c.pos)}
	}
	less := func(a, b tie) bool {
		if a.pre != b.pre {
			return a.pre < b.pre
		}
		return store.CompareKeys(*x.keyAt(int(a.pos)), *x.keyAt(int(b.pos))) < 0
	}
	lo, hi := 0, len(ties) // the k-th smallest lies in ties[lo:hi]
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		ties[mid], ties[hi-1] = ties[hi-1], ties[mid] // middle element as pivot: storage order is not adversarial
		pivot, at := ties[hi-1], lo
		for i := lo; i < hi-1; i++ {
			if less(ties[i], pivot) {
				ties[i], ties[at] = ties[at], ties[i]
				at++
			}
		}
		ties[at], ties[hi-1] = ties[hi-1], ties[at]
		if at == k-1 || at == k {
			break
		}
		if at < k {
			lo = at + 1
		} else {
			hi = at
		}
	}
	for i, t := range ties {
		tied[i].pos = int(t.pos)
	}
}

// prefix returns the 8 bytes of id from offset from, big-endian and padded
// with zeros. Prefixes that differ order their strings as strings.Compare
// does (a zero pad sorts before any byte, as a shorter string does); equal
// prefixes decide nothing.
func prefix(id string, from int) uint64 {
	var p uint64
	for i := range 8 {
		p <<= 8
		if from+i < len(id) {
			p |= uint64(id[from+i])
		}
	}
	return p
}

// scan scores the selected images of blocks [lo, hi) into scores (notKept
// for the others), counts their scores per bucket into hist and returns how
// many were selected.
func (x *Index) scan(q *querySketch, sel *Selection, prog *filter.Program, lo, hi int, scores []int32, hist *[bucketCount]int32) int {
	kept := 0
	var m filter.Mask
	for bi := lo; bi < hi; bi++ {
		b := x.blocks[bi]
		base := bi * blockSize
		count := min(blockSize, x.n-base)
		out := scores[base : base+count]
		if !sel.any() {
			for j := range out {
				sc := dot(q, &b.sketches[j])
				out[j] = sc
				hist[bucket(sc)]++
			}
			kept += count
			continue
		}
		b.selected(sel, prog, count, &m)
		for j := range out {
			if !m.Has(j) {
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

// selected sets in m the first count images of b that sel selects.
func (b *block) selected(sel *Selection, prog *filter.Program, count int, m *filter.Mask) {
	prog.Eval(&b.attrs, count, m)
	if !sel.ByCategory && sel.Keep == nil {
		return
	}
	for j := range count {
		if m.Has(j) && ((sel.ByCategory && b.cats[j] != sel.Category) || (sel.Keep != nil && !sel.Keep(b.keys[j]))) {
			m[j>>6] &^= 1 << (j & 63)
		}
	}
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
			pos := cands[i].pos
			b, j := x.blocks[pos/blockSize], pos%blockSize
			hits[i] = Hit{Key: b.keys[j], Score: imaging.Score(q, &b.descs[j])}
		}
	})
	slices.SortFunc(hits, func(a, b Hit) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return store.CompareKeys(a.Key, b.Key)
	})
	return hits
}

// querySketch packs the query sketch in pairs, as dot expects.
type querySketch [imaging.SketchLen / 2]int64

func packQuery(qs imaging.Sketch) *querySketch {
	var q querySketch
	for k := range q {
		q[k] = int64(qs[2*k]) + int64(qs[2*k+1])<<32
	}
	return &q
}

// dot is the first-stage similarity: sketches are pre-weighted so a plain
// integer dot product approximates imaging.Score.
//
// It does two multiply-adds per multiplication: (q0 + q1·2³²)·(s1 + s0·2³²)
// holds q0·s0 + q1·s1 at 2³², with q0·s1 below it and the rest above 2⁶⁴
// (wrapped away). The low sum (16 terms of at most 128², < 2³¹) and the dot
// (< 2³¹) each fit in 32 bits, so removing the low sum leaves the exact dot.
func dot(q *querySketch, s *imaging.Sketch) int32 {
	var x, y int64 // two sums, so the additions do not wait on each other
	for k := 0; k < len(q); k += 2 {
		x += q[k] * (int64(s[2*k+1]) + int64(s[2*k])<<32)
		y += q[k+1] * (int64(s[2*k+3]) + int64(s[2*k+2])<<32)
	}
	acc := x + y
	return int32((acc - int64(int32(acc))) >> 32)
}
