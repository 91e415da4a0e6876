package imaging

import "math"

// Sketch layout: the lowest shape frequencies, then a 2×2 colour layout.
const (
	SketchShape  = 20
	SketchColour = 12 // 2×2 quadrants × (Y, Cb, Cr)
	// SketchLen is the length of the coarse sketch used by a first search stage.
	SketchLen = SketchShape + SketchColour
)

// sketchScale maps the larger weighted part to at most ±127.
var sketchScale = 127 / math.Sqrt(weightShape)

// Sketch is a coarse, pre-weighted summary of a descriptor: each part is
// normalised and scaled by the square root of its weight in Score, so the
// plain integer dot product of a query sketch with a candidate sketch
// approximates weightShape·cos(shape) + weightLayout·cos(layout), the bulk of
// Score, at a tenth of its cost. A first stage scans sketches over a
// contiguous array and rescores the best few hundred with Score.
type Sketch [SketchLen]int8

// Sketch returns the sketch stored for an indexed image.
func (d *Descriptor) Sketch() Sketch {
	var s Sketch
	var shape [SketchShape]float64
	for i := range shape {
		shape[i] = float64(d.Shape[i])
	}
	colour := coarseLayout(&d.Layout)
	putWeighted(s[:SketchShape], shape[:], weightShape)
	putWeighted(s[SketchShape:], colour[:], weightLayout)
	return s
}

// QuerySketch returns the sketch to compare against stored sketches. Like
// Score, a gray query ignores colour.
func (d *Descriptor) QuerySketch() Sketch {
	s := d.Sketch()
	if d.Gray {
		clear(s[SketchShape:])
	}
	return s
}

// putWeighted writes v normalised to length sqrt(w)·sketchScale; a zero vector
// stays zero.
func putWeighted(out []int8, v []float64, w float64) {
	n := 0.0
	for _, x := range v {
		n += x * x
	}
	if n == 0 {
		return
	}
	f := math.Sqrt(w) * sketchScale / math.Sqrt(n)
	for i, x := range v {
		out[i] = int8(math.Round(x * f))
	}
}

// coarseLayout sums the 8×8 layout grid of each channel into 2×2 quadrants.
func coarseLayout(l *[LayoutLen]int8) [SketchColour]float64 {
	var v [SketchColour]float64
	for c := 0; c < 3; c++ {
		for y := 0; y < 8; y++ {
			for x := 0; x < 8; x++ {
				v[c*4+(y/4)*2+x/4] += float64(l[c*64+y*8+x])
			}
		}
	}
	return v
}
