package imaging

import "math"

// Weights of the comboG score (building blocks §2).
const (
	weightShape  = 0.5
	weightLayout = 0.3
	weightHist   = 0.2
)

// Score is the similarity of a candidate to a query, in [0, 1], rounded to 6
// decimals so that identical inputs score exactly 1. It is asymmetric: a gray
// query is compared by shape only (building blocks §2, "grayscale-aware").
func Score(query, candidate *Descriptor) float32 {
	q := NewQuery(query)
	return q.Score(candidate)
}

// Query is a descriptor prepared to be scored against many candidates: its
// vector norms are computed once, and its vectors are packed in pairs for
// pairDots.
type Query struct {
	d                     *Descriptor
	shapeNorm, layoutNorm int32
	shape                 [ShapeLen / 2]int64
	layout                [LayoutLen / 2]int64
}

// NewQuery prepares d as a query; d must not change while the Query is used.
func NewQuery(d *Descriptor) Query {
	q := Query{d: d, shapeNorm: norm(d.Shape[:]), layoutNorm: norm(d.Layout[:])}
	packPairs(q.shape[:], d.Shape[:])
	packPairs(q.layout[:], d.Layout[:])
	return q
}

// Score is Score(query, candidate) for the prepared query.
func (q *Query) Score(candidate *Descriptor) float32 {
	dot, nb := pairDots(q.shape[:], candidate.Shape[:])
	if len(q.d.Shape)%2 == 1 { // the unpaired last value
		a, b := int32(q.d.Shape[len(q.d.Shape)-1]), int32(candidate.Shape[len(candidate.Shape)-1])
		dot, nb = dot+a*b, nb+b*b
	}
	s := max(0, cosine(dot, q.shapeNorm, nb))
	if !q.d.Gray {
		dot, nb := pairDots(q.layout[:], candidate.Layout[:])
		l := max(0, cosine(dot, q.layoutNorm, nb))
		h := intersection(&q.d.Hist, &candidate.Hist)
		s = weightShape*s + weightLayout*l + weightHist*h
	}
	s = math.Round(s*1e6) / 1e6
	return float32(min(1, max(0, s)))
}

// norm is the squared length of a quantised vector.
func norm(a []int8) int32 {
	var n int32
	for _, x := range a {
		n += int32(x) * int32(x)
	}
	return n
}

// packPairs writes a's values two to a word, a[2k] + a[2k+1]·2³², for pairDots.
func packPairs(dst []int64, a []int8) {
	for k := range dst {
		dst[k] = int64(a[2*k]) + int64(a[2*k+1])<<32
	}
}

// pairDots returns Σ a·b and Σ b² over the first 2·len(pa) values, where pa
// is a packed by packPairs: each 64-bit multiplication adds two products.
// (a0 + a1·2³²)·(b1 + b0·2³²) holds a0·b0 + a1·b1 at 2³², a0·b1 below it and
// the rest above 2⁶⁴ (wrapped away); (b0 + b1·2³²)·(b1 + b0·2³²) likewise
// holds b0² + b1². Every sum below and at 2³² has at most 192 terms of at most
// 128², so each fits in 31 bits and the upper sum comes out exact.
func pairDots(pa []int64, b []int8) (dot, nb int32) {
	b = b[:2*len(pa)]
	var d, n int64
	for k, a := range pa {
		b0, b1 := int64(b[2*k]), int64(b[2*k+1])
		swapped := b1 + b0<<32
		d += a * swapped
		n += (b0 + b1<<32) * swapped
	}
	return upper(d), upper(n)
}

// upper is the sum held at 2³² of a pairDots accumulator.
func upper(acc int64) int32 { return int32((acc - int64(int32(acc))) >> 32) }

// cosine of two quantised vectors from their dot product and squared norms.
// Two zero vectors (flat images) are equal; a zero vector is unrelated to any
// other. Identical vectors give exactly 1 because sqrt of a perfect square is
// exact.
func cosine(dot, na, nb int32) float64 {
	switch {
	case na == 0 && nb == 0:
		return 1
	case na == 0 || nb == 0:
		return 0
	}
	return float64(dot) / math.Sqrt(float64(na)*float64(nb))
}

// intersection of two histograms that each sum to 255.
func intersection(a, b *[HistLen]uint8) float64 {
	s := 0
	for i := range a {
		s += int(min(a[i], b[i]))
	}
	return float64(s) / 255
}
