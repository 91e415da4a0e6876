package index

import (
	"math"
	"math/bits"
	"math/rand/v2"

	"github.com/imagesearch-conformance/conformance/emulator/internal/imaging"
)

// The prefilter is the cheapest stage of a search. Every image carries a
// 128-bit code: the signs of its sketch's shape part and of its colour part,
// each projected on 64 fixed random directions (SimHash). The Hamming
// distance h of two 64-bit halves estimates the angle between those parts as
// π·h/64, so two popcounts estimate the sketch dot product at a fraction of
// its cost. Only the images whose estimate ranks among the best
// prefilterCount are given the sketch dot product.
//
// The cut is taken at an estimate value, never inside a group of equal
// estimates, so which images pass depends on the images and the query alone,
// not on storage order or on the page asked for.
const (
	prefilterCount = 8 * rescoreCount
	codeBits       = 64
	// estimateBuckets quantises the estimate: bucket 1 is the most similar,
	// 0 marks an image the selection excludes, so a block's marks are cleared
	// at memory speed.
	estimateBuckets = 2*estimateScale + 2
	estimateScale   = 1024
	notSelected     = 0
)

// code is an image's prefilter signature: shape half, colour half.
type code [2]uint64

// A direction's components are small integers (a rounded Gaussian of
// standard deviation 2, within ±planeMax), so that four projections fit in
// one 64-bit word as 16-bit lanes: |projection| ≤ 20·127·7 < 2¹⁵.
const (
	planeMax     = 7
	lanes        = 4
	wordsPerHalf = codeBits / lanes
)

// planes are the fixed random directions, from a fixed seed so that every
// process computes the same codes: planes[h][b][i] is component i of
// direction b of half h.
var planes = func() (p [2][codeBits][]int64) {
	r := rand.New(rand.NewPCG(20201214, 1))
	dims := [2]int{imaging.SketchShape, imaging.SketchColour}
	for h := range p {
		for b := range p[h] {
			p[h][b] = make([]int64, dims[h])
			for i := range p[h][b] {
				p[h][b][i] = int64(min(planeMax, max(-planeMax, math.Round(2*r.NormFloat64()))))
			}
		}
	}
	return p
}()

// packedPlanes holds planes four directions to a word: packedPlanes[h][w][i]
// is Σₗ planes[h][4w+l][i]·2^(16l), an exact signed integer, so one
// multiplication by a sketch value adds to four projections at once.
var packedPlanes = func() (p [2][wordsPerHalf][]int64) {
	for h := range p {
		for w := range p[h] {
			p[h][w] = make([]int64, len(planes[h][0]))
			for i := range p[h][w] {
				for l := range lanes {
					p[h][w][i] += planes[h][lanes*w+l][i] << (16 * l)
				}
			}
		}
	}
	return p
}()

// codeOf computes the code of a sketch: bit b of half h is set when the
// projection of that part on direction b is ≥ 0. A zero part codes as all
// ones; its weight in an estimate is zero when it is the query's (see
// estimator), and it compares as a random direction when it is a
// candidate's.
func codeOf(s *imaging.Sketch) code {
	var c code
	parts := [2][]int8{s[:imaging.SketchShape], s[imaging.SketchShape:]}
	for h, part := range parts {
		for w, pw := range &packedPlanes[h] {
			pw = pw[:len(part)]
			var a int64
			for i, v := range part {
				a += int64(v) * pw[i]
			}
			for l := range lanes {
				proj := int64(int16(a)) // lanes below were removed exactly, so this is the projection
				if proj >= 0 {
					c[h] |= 1 << (lanes*w + l)
				}
				a = (a - proj) >> 16
			}
		}
	}
	return c
}

// estimator maps the two Hamming distances of a candidate to the query to
// an estimate bucket.
type estimator struct {
	q      code
	bucket [codeBits + 1][codeBits + 1]uint16
}

// newEstimator weighs each half by the norm of the query's part: the
// sketch parts are pre-weighted, so the dot product of a query part with a
// candidate part of the usual norm is proportional to that norm times the
// cosine. A gray query's cleared colour part, or a flat part, weighs nothing.
func newEstimator(qs *imaging.Sketch) *estimator {
	var w [2]float64
	for i, v := range qs {
		h := 0
		if i >= imaging.SketchShape {
			h = 1
		}
		w[h] += float64(v) * float64(v)
	}
	w[0], w[1] = math.Sqrt(w[0]), math.Sqrt(w[1])
	sum := w[0] + w[1]
	e := &estimator{q: codeOf(qs)}
	if sum == 0 { // nothing can be told apart: everything passes
		for hs := range e.bucket {
			for hc := range e.bucket[hs] {
				e.bucket[hs][hc] = 1
			}
		}
		return e
	}
	// part[h][d] is half h's share of the estimate at Hamming distance d, in
	// units of the bucket width: the table is their sums, rounded.
	var part [2][codeBits + 1]float64
	for d := range part[0] {
		cos := math.Cos(math.Pi * float64(d) / codeBits)
		part[0][d] = w[0] / sum * cos * estimateScale
		part[1][d] = w[1] / sum * cos * estimateScale
	}
	for hs := range e.bucket {
		for hc := range e.bucket[hs] {
			est := part[0][hs] + part[1][hc] // in [-estimateScale, estimateScale]
			e.bucket[hs][hc] = uint16(1 + estimateScale - int(math.Round(est)))
		}
	}
	return e
}

// of returns the estimate bucket of a candidate's code.
func (e *estimator) of(c *code) uint16 {
	return e.bucket[bits.OnesCount64(c[0]^e.q[0])][bits.OnesCount64(c[1]^e.q[1])]
}

// all writes the estimate bucket of each of codes into out and counts them
// per bucket into hist. It is the prefilter's whole loop when nothing is
// filtered out, kept small so that its variables stay in registers.
func (e *estimator) all(codes []code, out []uint16, hist *[estimateBuckets]int32) {
	out = out[:len(codes)]
	for j := range codes {
		v := e.of(&codes[j])
		out[j] = v
		hist[v]++
	}
}

// prefilterCut returns the last estimate bucket that passes: the best
// buckets that together hold at least n images.
func prefilterCut(hist *[maxParts][estimateBuckets]int32, p, n int) int {
	seen := 0
	for b := 1; b < estimateBuckets; b++ {
		for k := range p {
			seen += int(hist[k][b])
		}
		if seen >= n {
			return b
		}
	}
	return estimateBuckets - 1
}
