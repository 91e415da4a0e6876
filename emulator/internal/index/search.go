package index

import (
	"math"
	"math/bits"
	"runtime"
	"sync"

	"github.com/imagesearch-conformance/conformance/emulator/internal/filter"
	"github.com/imagesearch-conformance/conformance/emulator/internal/imaging"
)

// rescoreCount is how many first-stage candidates get the exact score. It
// does not depend on limit, so pages requested with different Start/Num see
// one consistent ranking; it is above the deepest reachable result
// (Start+Num ≤ 500, ref §1.6).
const rescoreCount = 512

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
)

// Hit is one search result.
type Hit struct {
	Key   Key
	Score float32
}

// candidate is a first-stage result: sketch score, storage position, and
// the stored prefix of its ProductId (block.pre), carried along so that
// breaking a tie between thousands of near-copies reads no column at random.
type candidate struct {
	score int32
	pos   uint32
	pre   uint64
}

// preAt is the stored ProductId prefix of the image at pos.
func (x *Index) preAt(pos int) uint64 { return x.blocks[pos/blockSize].pre[pos%blockSize] }

// scratch is a search's working memory, pooled because it is large.
type scratch struct {
	est     []uint16              // estimate bucket per position; notSelected for images the selection excludes
	cands   [maxParts][]candidate // per part, the candidates the prefilter passes
	above   []candidate           // the best of them
	tied    []candidate           // those of them tied at the boundary score
	packed  []uint64              // best's working memory
	ranked  []candidate           // best's result
	estHist [maxParts][estimateBuckets]int32
	hist    [maxParts][bucketCount]int32
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
	s := scratchPool.Get().(*scratch)
	defer scratchPool.Put(s)
	cands, total := x.firstStage(s, q.QuerySketch(), &sel, max(rescoreCount, limit))
	x.rescore(&q, cands)
	top := x.best(s, cands, max(limit, 0))
	x.orderTies(top)
	hits = make([]Hit, len(top))
	for i, c := range top {
		hits[i] = Hit{Key: *x.keyAt(int(c.pos)), Score: math.Float32frombits(uint32(c.score))}
	}
	return hits, total
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
	for k := 1; k < p; k++ {
		wg.Go(func() { f(k, min(k*per, n), min((k+1)*per, n)) })
	}
	f(0, 0, min(per, n)) // on this goroutine: one hand-off fewer
	wg.Wait()
}

// firstStage returns the best n selected positions by sketch similarity
// (ties broken by key, so the set does not depend on storage order), in no
// particular order, and the number of selected images. The prefilter first
// keeps the images with the best estimates; only those get the sketch dot
// product.
func (x *Index) firstStage(s *scratch, qs imaging.Sketch, sel *Selection, n int) ([]candidate, int) {
	if cap(s.est) < x.n {
		s.est = make([]uint16, x.n)
	}
	est := s.est[:x.n]
	e := newEstimator(&qs)
	prog := sel.Filter.Bind(&x.dict)
	p := parts(len(x.blocks), parallelBlocks)
	var kept [maxParts]int
	split(len(x.blocks), p, func(part, lo, hi int) {
		clear(s.estHist[part][:])
		kept[part] = x.estimate(e, sel, prog, lo, hi, est, &s.estHist[part])
	})
	pass := uint16(prefilterCut(&s.estHist, p, prefilterCount))
	q := packQuery(qs)
	split(len(x.blocks), p, func(part, lo, hi int) {
		clear(s.hist[part][:])
		s.cands[part] = x.score(q, lo, hi, est, pass, s.cands[part][:0], &s.hist[part])
	})
	total, scored := 0, 0
	for k := range p {
		total, scored = total+kept[k], scored+len(s.cands[k])
	}
	if scored <= n { // all of them: no cut to find (a narrow filter)
		all := s.above[:0]
		for _, part := range s.cands[:p] {
			all = append(all, part...)
		}
		s.above = all
		return all, total
	}
	return x.firstCut(s, p, cutoff(&s.hist, p, n), n), total
}

// firstCut returns the n best of the sketch stage's candidates (all of them
// if fewer), ties at the boundary score broken by key, in no particular
// order and without a sort: the bucket histogram found the bucket cut that
// holds the n-th best score, and a histogram of the scores that bucket spans
// finds the score itself.
func (x *Index) firstCut(s *scratch, p, cut, n int) []candidate {
	var within [1 << bucketShift]int // candidates of bucket cut, by score offset in it
	above := 0                       // candidates of the buckets above cut
	for _, part := range s.cands[:p] {
		for _, c := range part {
			switch b := bucket(c.score); {
			case b > cut:
				above++
			case b == cut:
				within[offset(c.score)]++
			}
		}
	}
	edge, need := -1, n-above // the boundary score's offset, and how many of it are needed
	for o := len(within) - 1; o >= 0; o-- {
		if within[o] >= need {
			edge = o
			break
		}
		need -= within[o]
	}
	out, tied := s.above[:0], s.tied[:0]
	for _, part := range s.cands[:p] {
		for _, c := range part {
			switch b := bucket(c.score); {
			case edge < 0 || b > cut || (b == cut && offset(c.score) > edge):
				out = append(out, c)
			case b == cut && offset(c.score) == edge:
				tied = append(tied, c)
			}
		}
	}
	if len(tied) > need {
		x.selectFirst(tied, need)
		tied = tied[:need]
	}
	s.above, s.tied = append(out, tied...), tied
	return s.above
}

// estimate writes the prefilter's estimate bucket of each selected image of
// blocks [lo, hi) into est (notSelected for the others), counts them per
// bucket into hist and returns how many were selected.
func (x *Index) estimate(e *estimator, sel *Selection, prog *filter.Program, lo, hi int, est []uint16, hist *[estimateBuckets]int32) int {
	kept := 0
	var m filter.Mask
	for bi := lo; bi < hi; bi++ {
		b := x.blocks[bi]
		base := bi * blockSize
		count := min(blockSize, x.n-base)
		out := est[base : base+count]
		if !sel.any() {
			e.all(b.codes[:count], out, hist)
			kept += count
			continue
		}
		b.selected(sel, prog, count, &m)
		clear(out)
		for w, word := range m { // the selected images only: a narrow filter skips most of the block
			for ; word != 0; word &= word - 1 {
				j := w*64 + bits.TrailingZeros64(word)
				v := e.of(&b.codes[j])
				out[j] = v
				hist[v]++
				kept++
			}
		}
	}
	return kept
}

// score appends to cands the sketch score of each image of blocks [lo, hi)
// whose estimate bucket is pass or better, counting the scores per bucket
// into hist.
func (x *Index) score(q *querySketch, lo, hi int, est []uint16, pass uint16, cands []candidate, hist *[bucketCount]int32) []candidate {
	for bi := lo; bi < hi; bi++ {
		b := x.blocks[bi]
		base := bi * blockSize
		for j, v := range est[base:min(base+blockSize, x.n)] {
			if v-1 >= pass { // v is notSelected (0, wrapping) or worse than pass
				continue
			}
			sc := dot(q, &b.sketches[j])
			cands = append(cands, candidate{score: sc, pos: uint32(base + j), pre: b.pre[j]})
			hist[bucket(sc)]++
		}
	}
	return cands
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

// offset is a score's place within its bucket.
func offset(score int32) int { return int(score+maxSketchDot) & (1<<bucketShift - 1) }

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

// rescore replaces each candidate's sketch score by its exact score, as
// the bits of the float32: non-negative floats order as their bits do.
func (x *Index) rescore(q *imaging.Descriptor, cands []candidate) {
	query := imaging.NewQuery(q)
	split(len(cands), parts(len(cands), parallelRescore), func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			pos := int(cands[i].pos)
			cands[i].score = int32(math.Float32bits(query.Score(&x.blocks[pos/blockSize].descs[pos%blockSize])))
		}
	})
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
