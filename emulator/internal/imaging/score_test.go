package imaging

import (
	"math"
	"math/rand/v2"
	"testing"
)

// referenceScore is Score computed the plain way, one product at a time: the
// packed arithmetic of Query.Score must give the same float32 for every pair.
func referenceScore(q, c *Descriptor) float32 {
	cos := func(a, b []int8) float64 {
		var dot, na, nb int32
		for i := range a {
			dot += int32(a[i]) * int32(b[i])
			na += int32(a[i]) * int32(a[i])
			nb += int32(b[i]) * int32(b[i])
		}
		switch {
		case na == 0 && nb == 0:
			return 1
		case na == 0 || nb == 0:
			return 0
		}
		return float64(dot) / math.Sqrt(float64(na)*float64(nb))
	}
	s := max(0, cos(q.Shape[:], c.Shape[:]))
	if !q.Gray {
		l := max(0, cos(q.Layout[:], c.Layout[:]))
		s = weightShape*s + weightLayout*l + weightHist*intersection(&q.Hist, &c.Hist)
	}
	s = math.Round(s*1e6) / 1e6
	return float32(min(1, max(0, s)))
}

// TestQueryScoreIsExact compares Query.Score with referenceScore over random
// descriptors whose values range over all of int8, including the extremes
// (every value -128 or 127, where the packed sums are largest), zero parts
// and gray queries.
func TestQueryScoreIsExact(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	fillers := []func() int8{
		func() int8 { return int8(r.IntN(256) - 128) },
		func() int8 { return int8(r.IntN(2)*255 - 128) }, // -128 or 127
		func() int8 { return -128 },
		func() int8 { return 127 },
		func() int8 { return int8(r.IntN(7) - 3) },
		func() int8 { return 0 },
	}
	random := func() Descriptor {
		var d Descriptor
		shape, layout := fillers[r.IntN(len(fillers))], fillers[r.IntN(len(fillers))]
		for i := range d.Shape {
			d.Shape[i] = shape()
		}
		for i := range d.Layout {
			d.Layout[i] = layout()
		}
		for i := range d.Hist {
			d.Hist[i] = uint8(r.IntN(256))
		}
		d.Gray = r.IntN(4) == 0
		return d
	}
	for range 20_000 {
		q, c := random(), random()
		if r.IntN(8) == 0 {
			c = q
		}
		query := NewQuery(&q)
		if got, want := query.Score(&c), referenceScore(&q, &c); got != want {
			t.Fatalf("Query.Score = %v, plain arithmetic %v\nquery %v\ncandidate %v", got, want, q, c)
		}
	}
}
