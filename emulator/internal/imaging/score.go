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
	s := max(0, cosine(query.Shape[:], candidate.Shape[:]))
	if !query.Gray {
		l := max(0, cosine(query.Layout[:], candidate.Layout[:]))
		h := intersection(&query.Hist, &candidate.Hist)
		s = weightShape*s + weightLayout*l + weightHist*h
	}
	s = math.Round(s*1e6) / 1e6
	return float32(min(1, max(0, s)))
}

// cosine of two quantised vectors. Two zero vectors (flat images) are equal;
// a zero vector is unrelated to any other. Identical vectors give exactly 1
// because sqrt of a perfect square is exact. int32 sums cannot overflow:
// 192·127² < 2³¹.
func cosine(a, b []int8) float64 {
	b = b[:len(a)]
	var dot, na, nb int32
	for i, x := range a {
		y := int32(b[i])
		dot += int32(x) * y
		na += int32(x) * int32(x)
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
