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

// fromThumb computes the descriptor of a thumbnail.
func fromThumb(t *thumb) Descriptor {
	var d Descriptor
	v := measure(t)
	d.Gray = !v.colour
	quantize(v.shape[:], d.Shape[:])
	quantize(v.layout[:], d.Layout[:])
	d.Hist = scaleHistogram(&v.counts)
	return d
}

// measures are a thumbnail's descriptor vectors before quantisation.
type measures struct {
	shape  [ShapeLen]float64
	layout [LayoutLen]float64
	counts [HistLen]int // cells per histogram bin
	colour bool         // some cell has chroma of grayChroma or more
}

// measure computes the measures of a thumbnail. One pass converts each cell
// to YCbCr and adds it to the shape and layout grids, cell by cell in row
// order, each sum held in a register while it covers consecutive cells:
// every sum sees the same terms in the same order as separate passes over a
// converted copy would, so the bits are the same without the copy.
func measure(t *thumb) measures {
	const f, cell, g2 = thumbSide / dctSide, thumbSide / layoutGrid, layoutGrid * layoutGrid
	var m measures
	var luma [dctSide][dctSide]float64
	// Neighbouring cells mostly share a bin: two sets of counts keep
	// consecutive increments independent.
	var counts [2][HistLen]int
	colour := false
	for ty := 0; ty < thumbSide; ty++ {
		lrow := &luma[ty/f]
		grow := m.layout[(ty/cell)*layoutGrid:]
		grow = grow[:2*g2+layoutGrid]
		cells := t[ty*thumbSide*3 : (ty+1)*thumbSide*3]
		for gx := 0; gx < layoutGrid; gx++ {
			sy, sb, sr := grow[gx], grow[g2+gx], grow[2*g2+gx]
			for lx := gx * cell / f; lx < (gx+1)*cell/f; lx++ {
				l := lrow[lx]
				for tx := lx * f; tx < (lx+1)*f; tx++ {
					p := cells[3*tx : 3*tx+3]
					counts[tx&1][histBin(p[0], p[1], p[2])]++
					y, cb, cr := toYCbCr(p[0], p[1], p[2])
					// Gray means the largest chroma is below grayChroma:
					// no cell may reach it (nor be NaN, as max would say).
					if !(math.Abs(cb)+math.Abs(cr) < grayChroma) {
						colour = true
					}
					l += y / (f * f)
					sy += y / (cell * cell)
					sb += cb / (cell * cell)
					sr += cr / (cell * cell)
				}
				lrow[lx] = l
			}
			grow[gx], grow[g2+gx], grow[2*g2+gx] = sy, sb, sr
		}
	}
	for i, c := range counts[1] {
		counts[0][i] += c
	}
	m.counts, m.colour = counts[0], colour
	shapeVector(&luma, &m.shape)
	layoutVector(&m.layout)
	return m
}

// toYCbCr converts a thumbnail cell to JFIF YCbCr in float64.
func toYCbCr(r32, g32, b32 float32) (y, cb, cr float64) {
	r, g, b := float64(r32), float64(g32), float64(b32)
	y = 0.299*r + 0.587*g + 0.114*b
	cb = -0.168736*r - 0.331264*g + 0.5*b
	cr = 0.5*r - 0.418688*g - 0.081312*b
	return y, cb, cr
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

// layoutGrid is the side of the colour layout grid.
const layoutGrid = 8

// layoutVector turns the 8×8 grid averages of Y, Cb and Cr (in that order)
// into the layout vector in place by removing the mean of Y.
func layoutVector(v *[LayoutLen]float64) {
	const grid = layoutGrid
	mean := 0.0
	for _, y := range v[:grid*grid] {
		mean += y
	}
	mean /= grid * grid
	for i := range v[:grid*grid] {
		v[i] -= mean
	}
}

// histBin is the 4×4×4 RGB histogram bin of a thumbnail cell: 64 levels a
// bin per channel. Thumbnail values lie in [0, 255], so a shift divides.
func histBin(r, g, b float32) int {
	return int(r)>>6<<4 | int(g)>>6<<2 | int(b)>>6
}

// scaleHistogram scales the cell counts of the 4×4×4 RGB bins to sum to
// exactly 255 (largest remainder), so identical images intersect to 1.
func scaleHistogram(counts *[HistLen]int) [HistLen]uint8 {
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
