package imaging

import (
	"image"
	"math"
)

// The descriptor code as it was before the planar averaging and the fused
// descriptor pass, kept as the reference the optimised code must equal bit
// for bit. Parts that the change left as they were (quantize,
// scaleHistogram, the mean removal of layoutVector, subjectBox) are called,
// not copied.

func describeRef(img image.Image, region *Region, crop bool) (Descriptor, string) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if region != nil {
		return describeRectRef(img, region.Rect().Add(b.Min)), region.String()
	}
	whole := makeThumbRef(img, b)
	defer whole.release()
	used := Region{X2: w, Y2: h}
	if crop {
		if cells, ok := subjectBox(whole); ok {
			used = cellsToPixels(cells, w, h)
			return describeRectRef(img, used.Rect().Add(b.Min)), used.String()
		}
	}
	return fromThumbRef(whole), used.String()
}

func describeRectRef(img image.Image, r image.Rectangle) Descriptor {
	t := makeThumbRef(img, r)
	defer t.release()
	return fromThumbRef(t)
}

func makeThumbRef(img image.Image, r image.Rectangle) *thumb {
	if m, ok := img.(*image.YCbCr); ok {
		t := averageCellsRef(ycbcrRowsRef(m, r.Min.X, r.Dx()), r)
		t.ycbcrToRGBRef()
		return t
	}
	return averageCellsRef(rowReader(img), r)
}

func averageCellsRef(read rowFunc, r image.Rectangle) *thumb {
	w, h := r.Dx(), r.Dy()
	xs, ys := cellSpans(w), cellSpans(h)
	row := make([]uint8, 3*w)
	t := thumbs.Get().(*thumb)
	var acc [thumbSide * 3]uint32
	for ty := 0; ty < thumbSide; ty++ {
		clear(acc[:])
		for y := ys[ty][0]; y < ys[ty][1]; y++ {
			read(r.Min.Y+y, r.Min.X, row)
			for tx := 0; tx < thumbSide; tx++ {
				var sr, sg, sb uint32
				for x := xs[tx][0]; x < xs[tx][1]; x++ {
					p := row[3*x : 3*x+3]
					sr += uint32(p[0])
					sg += uint32(p[1])
					sb += uint32(p[2])
				}
				acc[3*tx] += sr
				acc[3*tx+1] += sg
				acc[3*tx+2] += sb
			}
		}
		rows := ys[ty][1] - ys[ty][0]
		for tx := 0; tx < thumbSide; tx++ {
			n := float32(rows * (xs[tx][1] - xs[tx][0]))
			o := (ty*thumbSide + tx) * 3
			t[o] = float32(acc[3*tx]) / n
			t[o+1] = float32(acc[3*tx+1]) / n
			t[o+2] = float32(acc[3*tx+2]) / n
		}
	}
	return t
}

func ycbcrRowsRef(m *image.YCbCr, left, w int) rowFunc {
	col := make([]int, w)
	base := m.COffset(left, m.Rect.Min.Y)
	for i := range col {
		col[i] = m.COffset(left+i, m.Rect.Min.Y) - base
	}
	return func(y, x0 int, dst []uint8) {
		ys := m.Y[m.YOffset(x0, y):]
		c := m.COffset(x0, y)
		cb, cr := m.Cb[c:], m.Cr[c:]
		n := len(dst) / 3
		ys, col := ys[:n], col[:n]
		for i, o := range col {
			dst[3*i], dst[3*i+1], dst[3*i+2] = ys[i], cb[o], cr[o]
		}
	}
}

func (t *thumb) ycbcrToRGBRef() {
	for i := 0; i < len(t); i += 3 {
		y, cb, cr := t[i], t[i+1]-128, t[i+2]-128
		t[i] = clamp255Ref(y + 1.402*cr)
		t[i+1] = clamp255Ref(y - 0.344136*cb - 0.714136*cr)
		t[i+2] = clamp255Ref(y + 1.772*cb)
	}
}

func fromThumbRef(t *thumb) Descriptor {
	var d Descriptor
	v := measureRef(t)
	d.Gray = !v.colour
	quantize(v.shape[:], d.Shape[:])
	quantize(v.layout[:], d.Layout[:])
	d.Hist = scaleHistogram(&v.counts)
	return d
}

// measureRef is the reference fromThumb up to quantisation and the scaling
// of the histogram counts.
func measureRef(t *thumb) measures {
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
	var counts [HistLen]int
	for i := 0; i < thumbSide*thumbSide; i++ {
		bin := 0
		for c := 0; c < 3; c++ {
			bin = bin*4 + min(int(t[3*i+c])/64, 3)
		}
		counts[bin]++
	}
	m := measures{counts: counts, colour: !(maxChroma < grayChroma)}
	copy(m.shape[:], shapeVectorRef(&ycc))
	layoutVectorRef(&ycc, &m.layout)
	return m
}

// layoutVectorRef averages the 8×8 grid cell by cell in pixel order, then
// removes the mean of Y as layoutVector does.
func layoutVectorRef(ycc *[thumbSide * thumbSide][3]float64, v *[LayoutLen]float64) {
	const grid, cell = 8, thumbSide / 8
	for i := range ycc {
		gx, gy := (i%thumbSide)/cell, (i/thumbSide)/cell
		for c := 0; c < 3; c++ {
			v[c*grid*grid+gy*grid+gx] += ycc[i][c] / (cell * cell)
		}
	}
	layoutVector(v)
}

func shapeVectorRef(ycc *[thumbSide * thumbSide][3]float64) []float64 {
	const f = thumbSide / dctSide
	var luma [dctSide][dctSide]float64
	for i := range ycc {
		x, y := (i%thumbSide)/f, (i/thumbSide)/f
		luma[y][x] += ycc[i][0] / (f * f)
	}
	var rows [dctSide][dctKeep]float64
	for y := range luma {
		for u := 0; u < dctKeep; u++ {
			s := 0.0
			for x, p := range luma[y] {
				s += dctCos[u][x] * p
			}
			rows[y][u] = s
		}
	}
	var coef [dctKeep][dctKeep]float64
	for v := 0; v < dctKeep; v++ {
		for u := 0; u < dctKeep; u++ {
			s := 0.0
			for y := 0; y < dctSide; y++ {
				s += dctCos[v][y] * rows[y][u]
			}
			coef[v][u] = s
		}
	}
	out := make([]float64, ShapeLen)
	for i, uv := range diagonalOrder {
		out[i] = coef[uv[1]][uv[0]]
	}
	return out
}

func clamp255Ref(v float32) float32 { return min(255, max(0, v)) }
