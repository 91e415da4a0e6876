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
// vector norms are computed once instead of once per candidate.
type Query struct {
	d                     *Descriptor
	shapeNorm, layoutNorm int32
}

// NewQuery prepares d as a query; d must not change while the Query is used.
func NewQuery(d *Descriptor) Query {
	return Query{d: d, shapeNorm: norm(d.Shape[:]), layoutNorm: norm(d.Layout[:])}
}

// Score is Score(query, candidate) for the prepared query.
func (q *Query) Score(candidate *Descriptor) float32 {
	s := max(0, cosine(q.d.Shape[:], q.shapeNorm, candidate.Shape[:]))
	if !q.d.Gray {
		l := max(0, cosine(q.d.Layout[:], q.layoutNorm, candidate.Layout[:]))
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

// cosine of two quantised vectors, given a's squared norm na. Two zero
// vectors (flat images) are equal; a zero vector is unrelated to any other.
// Identical vectors give exactly 1 because sqrt of a perfect square is exact.
// int32 sums cannot overflow: 192·127² < 2³¹.
func cosine(a []int8, na int32, b []int8) float64 {
	b = b[:len(a)]
	var dot, nb int32
	for i, x := range a {
		y := int32(b[i])
		dot += int32(x) * y
		nb += y * y
	}
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
