package imaging

import (
	"errors"
	"image"
	"math"
)

// Lengths of the descriptor parts.
const (
	ShapeLen  = 143 // 12×12 low-frequency DCT block of the luma, minus DC
	LayoutLen = 192 // 8×8 grid of Y (mean removed), Cb and Cr
	HistLen   = 64  // 4×4×4 RGB histogram
)

// Descriptor is the compact visual signature of an image: the "comboG"
// recipe of the building-blocks notes (§2), with each vector quantised to
// 8 bits (400 bytes in all). Every part comes from one 64×64 area-averaged
// thumbnail with alpha composited over white.
type Descriptor struct {
	// Shape holds the DCT-II coefficients of the 32×32 luma, u,v < 12 without
	// DC, in diagonal (low frequency first) order, scaled so the largest
	// magnitude is 127. All zero for a flat image.
	Shape [ShapeLen]int8
	// Layout holds an 8×8 colour layout: Y minus its mean, then Cb, then Cr,
	// jointly scaled so the largest magnitude is 127.
	Layout [LayoutLen]int8
	// Hist is the RGB histogram in 4 levels per channel, summing to 255.
	Hist [HistLen]uint8
	// Gray reports that the image carried no chroma; a gray query is then
	// compared by shape only, so colour and gray copies of a picture match.
	Gray bool
}

// flatEnergy is the vector norm (in 8-bit sample units) below which a vector
// is treated as zero: quantising the residue of a flat image would otherwise
// turn JPEG noise into a full-scale random vector.
const flatEnergy = 2.0

// grayChroma is the largest |Cb|+|Cr| (8-bit units) of any thumbnail cell of
// an image still considered gray; re-encoding adds a little chroma noise.
const grayChroma = 3.0

// Describe computes the descriptor of a whole decoded image.
func Describe(img image.Image) Descriptor {
	return describeRect(img, img.Bounds())
}

// describeRect computes the descriptor of rectangle r (inside img's bounds).
func describeRect(img image.Image, r image.Rectangle) Descriptor {
	t := makeThumb(img, r)
	defer t.release()
	return fromThumb(t)
}

func fromThumb(t *thumb) Descriptor {
	var d Descriptor
	var ycc [thumbSide * thumbSide][3]float64
	maxChroma := 0.0
	for i := range ycc {
		r, g, b := float64(t[3*i]), float64(t[3*i+1]), float64(t[3*i+2])
		ycc[i] = [3]float64{
			0.299*r + 0.587*g + 0.114*b,
			-0.168736*r - 0.331264*g + 0.5*b,
			0.5*r - 0.418688*g - 0.081312*b,
		}
		maxChroma = max(maxChroma, math.Abs(ycc[i][1])+math.Abs(ycc[i][2]))
	}
	d.Gray = maxChroma < grayChroma
	quantize(shapeVector(&ycc), d.Shape[:])
	quantize(layoutVector(&ycc), d.Layout[:])
	d.Hist = histogram(t)
	return d
}

// quantize scales v so that its largest magnitude maps to 127 and rounds.
// Cosine similarity is scale-free, so the scale need not be stored.
func quantize(v []float64, out []int8) {
	norm, peak := 0.0, 0.0
	for _, x := range v {
		norm += x * x
		peak = max(peak, math.Abs(x))
	}
	if math.Sqrt(norm) < flatEnergy {
		clear(out)
		return
	}
	s := 127 / peak
	for i, x := range v {
		out[i] = int8(math.Round(x * s))
	}
}

// layoutVector averages the thumbnail into an 8×8 grid of Y (mean removed),
// Cb and Cr, in that order.
func layoutVector(ycc *[thumbSide * thumbSide][3]float64) []float64 {
	const grid, cell = 8, thumbSide / 8
	v := make([]float64, LayoutLen)
	for i := range ycc {
		gx, gy := (i%thumbSide)/cell, (i/thumbSide)/cell
		for c := 0; c < 3; c++ {
			v[c*grid*grid+gy*grid+gx] += ycc[i][c] / (cell * cell)
		}
	}
	mean := 0.0
	for _, y := range v[:grid*grid] {
		mean += y
	}
	mean /= grid * grid
	for i := range v[:grid*grid] {
		v[i] -= mean
	}
	return v
}

// histogram counts thumbnail cells in 4×4×4 RGB bins and scales the counts to
// sum to exactly 255 (largest remainder), so identical images intersect to 1.
func histogram(t *thumb) [HistLen]uint8 {
	var counts [HistLen]int
	for i := 0; i < thumbSide*thumbSide; i++ {
		bin := 0
		for c := 0; c < 3; c++ {
			bin = bin*4 + min(int(t[3*i+c])/64, 3)
		}
		counts[bin]++
	}
	const total = thumbSide * thumbSide
	var h [HistLen]uint8
	var rem [HistLen]int
	left := 255
	for i, c := range counts {
		q := c * 255
		h[i], rem[i] = uint8(q/total), q%total
		left -= int(h[i])
	}
	for ; left > 0; left-- { // hand out the rest, largest remainder first
		best := 0
		for i := range rem {
			if rem[i] > rem[best] {
				best = i
			}
		}
		h[best]++
		rem[best] = -1
	}
	return h
}

// descriptorVersion prefixes the binary form so a stored index can detect a
// change of recipe: descriptors of different versions are not comparable.
const descriptorVersion = 2

// binaryLen is the size of the binary form: version, vectors, gray flag.
const binaryLen = 1 + ShapeLen + LayoutLen + HistLen + 1

// MarshalBinary encodes the descriptor in a fixed 401-byte form.
func (d *Descriptor) MarshalBinary() ([]byte, error) {
	b := make([]byte, 0, binaryLen)
	b = append(b, descriptorVersion)
	for _, v := range d.Shape {
		b = append(b, byte(v))
	}
	for _, v := range d.Layout {
		b = append(b, byte(v))
	}
	b = append(b, d.Hist[:]...)
	if d.Gray {
		return append(b, 1), nil
	}
	return append(b, 0), nil
}

// UnmarshalBinary decodes the form written by MarshalBinary.
func (d *Descriptor) UnmarshalBinary(b []byte) error {
	if len(b) != binaryLen || b[0] != descriptorVersion || b[binaryLen-1] > 1 {
		return errors.New("imaging: invalid descriptor encoding")
	}
	b = b[1:]
	for i := range d.Shape {
		d.Shape[i] = int8(b[i])
	}
	b = b[ShapeLen:]
	for i := range d.Layout {
		d.Layout[i] = int8(b[i])
	}
	b = b[LayoutLen:]
	copy(d.Hist[:], b[:HistLen])
	d.Gray = b[HistLen] == 1
	return nil
}
