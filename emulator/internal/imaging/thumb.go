package imaging

import (
	"image"
	"image/color"
	"sync"
)

// thumbSide is the side of the area-averaged thumbnail every descriptor
// vector is computed from (building blocks §2).
const thumbSide = 64

// thumb is a thumbnail in RGB, alpha composited over white, values in [0, 255].
type thumb [thumbSide * thumbSide * 3]float32

// thumbs recycles thumbnails: every described picture needs one or two, 48 KB
// each, and averageCells and averageYCbCr overwrite every value.
var thumbs = sync.Pool{New: func() any { return new(thumb) }}

// release hands t back for reuse; t must not be used after.
func (t *thumb) release() { thumbs.Put(t) }

// rowFunc writes pixels [x0, x0+len(dst)/3) of row y as three 8-bit
// channels: RGB over white.
type rowFunc func(y, x0 int, dst []uint8)

// makeThumb area-averages rectangle r of img to thumbSide×thumbSide. Each cell
// averages the source pixels that fall in it; when r is narrower than the
// thumbnail, cells reuse the nearest source pixel instead of staying empty.
// The caller releases the thumbnail when done with it.
func makeThumb(img image.Image, r image.Rectangle) *thumb {
	if m, ok := img.(*image.YCbCr); ok {
		// Averaging Y, Cb, Cr and converting once per cell is several
		// times faster than converting every pixel, and equal up to
		// rounding since the conversion is affine.
		return averageYCbCr(m, r)
	}
	return averageCells(rowReader(img), r)
}

// run is a source offset and how many consecutive pixels of a cell use it.
type run struct {
	off int
	n   uint32
}

// chromaRuns lists, for each cell span, the runs of pixels that share one
// chroma sample; off(i) is the chroma offset of pixel i of the span's axis.
// start[c]..start[c+1] indexes the runs of cell c.
func chromaRuns(spans *[thumbSide][2]int, off func(i int) int) (runs []run, start [thumbSide + 1]int) {
	n := 0 // count first, to allocate once
	for _, s := range spans {
		for i := s[0]; i < s[1]; i++ {
			if i == s[0] || off(i) != off(i-1) {
				n++
			}
		}
	}
	runs = make([]run, 0, n)
	for c, s := range spans {
		start[c] = len(runs)
		for i := s[0]; i < s[1]; i++ {
			o := off(i)
			if k := len(runs) - 1; k >= start[c] && runs[k].off == o {
				runs[k].n++
				continue
			}
			runs = append(runs, run{o, 1})
		}
	}
	start[thumbSide] = len(runs)
	return runs, start
}

// averageYCbCr averages Y, Cb and Cr over each cell of rectangle r straight
// from the planes, then converts the averages to RGB. A chroma sample shared
// by several pixels of a cell (any subsampled layout) is read once and
// weighted by its pixel count, which gives the same integer sums as adding
// pixel by pixel. A chroma offset is a row part plus a column part for
// every subsampling ratio, so runs are found per axis.
func averageYCbCr(m *image.YCbCr, r image.Rectangle) *thumb {
	w := r.Dx()
	xs, ys := cellSpans(w), cellSpans(r.Dy())
	cols, colStart := chromaRuns(&xs, func(x int) int {
		return m.COffset(r.Min.X+x, m.Rect.Min.Y)
	})
	rows, rowStart := chromaRuns(&ys, func(y int) int {
		return m.COffset(m.Rect.Min.X, r.Min.Y+y)
	})
	t := thumbs.Get().(*thumb)
	var acc [thumbSide * 3]uint32
	var areas cellAreas
	for ty := 0; ty < thumbSide; ty++ {
		clear(acc[:])
		y := ys[ty][0]
		for ; y+1 < ys[ty][1]; y += 2 {
			o := m.YOffset(r.Min.X, r.Min.Y+y)
			sumLuma2(&acc, m.Y[o:o+w], m.Y[o+m.YStride:o+m.YStride+w], &xs)
		}
		if y < ys[ty][1] {
			o := m.YOffset(r.Min.X, r.Min.Y+y)
			sumLuma(&acc, m.Y[o:o+w], &xs)
		}
		for _, cr := range rows[rowStart[ty]:rowStart[ty+1]] {
			sumChroma(&acc, m.Cb[cr.off:], m.Cr[cr.off:], cols, &colStart, cr.n)
		}
		t.setRowYCbCr(ty, &acc, areas.forRows(ys[ty][1]-ys[ty][0], &xs))
	}
	return t
}

// sumLuma adds each cell's luma of one row to acc[3*cell].
func sumLuma(acc *[thumbSide * 3]uint32, row []uint8, xs *[thumbSide][2]int) {
	if len(row) == 2*thumbSide {
		// Every cell two pixels wide: the common case of a 128 px side.
		for tx := 0; tx < thumbSide; tx++ {
			p := row[2*tx : 2*tx+2]
			acc[3*tx] += uint32(p[0]) + uint32(p[1])
		}
		return
	}
	for tx := range xs {
		var s uint32
		for _, v := range row[xs[tx][0]:xs[tx][1]] {
			s += uint32(v)
		}
		acc[3*tx] += s
	}
}

// sumLuma2 is sumLuma for two rows at once, halving the updates of acc.
func sumLuma2(acc *[thumbSide * 3]uint32, row0, row1 []uint8, xs *[thumbSide][2]int) {
	row1 = row1[:len(row0)]
	if len(row0) == 2*thumbSide {
		for tx := 0; tx < thumbSide; tx++ {
			p, q := row0[2*tx:2*tx+2], row1[2*tx:2*tx+2]
			acc[3*tx] += uint32(p[0]) + uint32(p[1]) + uint32(q[0]) + uint32(q[1])
		}
		return
	}
	for tx := range xs {
		var s uint32
		a, b := xs[tx][0], xs[tx][1]
		q := row1[a:b]
		for i, v := range row0[a:b] {
			s += uint32(v) + uint32(q[i])
		}
		acc[3*tx] += s
	}
}

// sumChroma adds each cell's Cb and Cr of one chroma row, used by rowN
// pixel rows of the cell row, to acc[3*cell+1] and acc[3*cell+2].
func sumChroma(acc *[thumbSide * 3]uint32, cb, cr []uint8, cols []run, start *[thumbSide + 1]int, rowN uint32) {
	if len(cols) == thumbSide {
		// One chroma sample per cell and row, as for 4:2:0 at 128 px.
		for tx, c := range cols[:thumbSide] {
			acc[3*tx+1] += rowN * c.n * uint32(cb[c.off])
			acc[3*tx+2] += rowN * c.n * uint32(cr[c.off])
		}
		return
	}
	for tx := 0; tx < thumbSide; tx++ {
		var sb, sr uint32
		for _, c := range cols[start[tx]:start[tx+1]] {
			sb += c.n * uint32(cb[c.off])
			sr += c.n * uint32(cr[c.off])
		}
		acc[3*tx+1] += rowN * sb
		acc[3*tx+2] += rowN * sr
	}
}

// averageCells averages the channels that read produces over each cell.
func averageCells(read rowFunc, r image.Rectangle) *thumb {
	w, h := r.Dx(), r.Dy()
	xs, ys := cellSpans(w), cellSpans(h)
	row := make([]uint8, 3*w)
	t := thumbs.Get().(*thumb)
	var acc [thumbSide * 3]uint32
	var areas cellAreas
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
		t.setRow(ty, &acc, areas.forRows(ys[ty][1]-ys[ty][0], &xs))
	}
	return t
}

// setRow stores thumbnail row ty: the channel sums of each cell divided by
// the cell's pixel count.
func (t *thumb) setRow(ty int, acc *[thumbSide * 3]uint32, areas *cellAreas) {
	out := t[ty*thumbSide*3 : (ty+1)*thumbSide*3]
	for tx := 0; tx < thumbSide; tx++ {
		a, n := acc[3*tx:3*tx+3], areas.a[tx]
		p := out[3*tx : 3*tx+3]
		p[0], p[1], p[2] = n.div(a[0]), n.div(a[1]), n.div(a[2])
	}
}

// setRowYCbCr stores thumbnail row ty from Y, Cb and Cr cell sums, converted
// from JFIF YCbCr to RGB.
func (t *thumb) setRowYCbCr(ty int, acc *[thumbSide * 3]uint32, areas *cellAreas) {
	out := t[ty*thumbSide*3 : (ty+1)*thumbSide*3]
	for tx := 0; tx < thumbSide; tx++ {
		a, n := acc[3*tx:3*tx+3], areas.a[tx]
		y, cb, cr := n.div(a[0]), n.div(a[1])-128, n.div(a[2])-128
		p := out[3*tx : 3*tx+3]
		p[0] = clamp255(y + 1.402*cr)
		p[1] = clamp255(y - 0.344136*cb - 0.714136*cr)
		p[2] = clamp255(y + 1.772*cb)
	}
}

// area is a cell's pixel count, with its reciprocal when that is exact.
type area struct {
	n, inv float32 // inv is 0 unless n is a power of two
}

// cellAreas holds the areas of one row of cells; rows change at most
// once or twice down a thumbnail, so they are recomputed only then.
type cellAreas struct {
	rows int
	a    [thumbSide]area
}

// forRows returns the areas of a row of cells rows pixels high.
func (c *cellAreas) forRows(rows int, xs *[thumbSide][2]int) *cellAreas {
	if c.rows == rows {
		return c
	}
	c.rows = rows
	for tx, span := range xs {
		k := rows * (span[1] - span[0])
		c.a[tx] = area{float32(k), 0}
		if k&(k-1) == 0 {
			// Dividing by a power of two and multiplying by its
			// reciprocal round the same exact quotient alike.
			c.a[tx].inv = 1 / float32(k)
		}
	}
	return c
}

// div returns the average of sum over the cell, float32(sum) / n.
func (a area) div(sum uint32) float32 {
	if a.inv != 0 {
		return float32(sum) * a.inv
	}
	return float32(sum) / a.n
}

// clamp255 is min(255, max(0, v)) (-0 gives +0, NaN stays NaN), written
// with comparisons because the builtins' NaN and signed-zero handling makes
// them several times slower.
func clamp255(v float32) float32 {
	if v <= 0 {
		return 0
	}
	if v >= 255 {
		return 255
	}
	return v
}

// cellSpans splits [0, n) into thumbSide consecutive, non-empty spans.
func cellSpans(n int) [thumbSide][2]int {
	var s [thumbSide][2]int
	for t := range s {
		a, b := t*n/thumbSide, (t+1)*n/thumbSide
		if b <= a {
			b = a + 1
		}
		s[t] = [2]int{a, b}
	}
	return s
}

// rowReader returns a row converter for the concrete image type; the fast
// paths cover what the accepted decoders return, anything else goes through
// the generic color interface.
func rowReader(img image.Image) rowFunc {
	switch m := img.(type) {
	case *image.NYCbCrA:
		return func(y, x0 int, dst []uint8) {
			for i := 0; i < len(dst)/3; i++ {
				yi, ci := m.YOffset(x0+i, y), m.COffset(x0+i, y)
				r, g, b := color.YCbCrToRGB(m.Y[yi], m.Cb[ci], m.Cr[ci])
				a := m.A[m.AOffset(x0+i, y)]
				dst[3*i], dst[3*i+1], dst[3*i+2] = overWhite(r, a), overWhite(g, a), overWhite(b, a)
			}
		}
	case *image.RGBA:
		return func(y, x0 int, dst []uint8) {
			p := m.Pix[m.PixOffset(x0, y):]
			for i := 0; i < len(dst)/3; i++ {
				a := 255 - p[4*i+3] // premultiplied: c + (255 - a) is c over white
				dst[3*i], dst[3*i+1], dst[3*i+2] = satAdd(p[4*i], a), satAdd(p[4*i+1], a), satAdd(p[4*i+2], a)
			}
		}
	case *image.NRGBA:
		return func(y, x0 int, dst []uint8) {
			p := m.Pix[m.PixOffset(x0, y):]
			for i := 0; i < len(dst)/3; i++ {
				a := p[4*i+3]
				dst[3*i], dst[3*i+1], dst[3*i+2] = overWhite(p[4*i], a), overWhite(p[4*i+1], a), overWhite(p[4*i+2], a)
			}
		}
	case *image.Gray:
		return func(y, x0 int, dst []uint8) {
			p := m.Pix[m.PixOffset(x0, y):]
			for i := 0; i < len(dst)/3; i++ {
				dst[3*i], dst[3*i+1], dst[3*i+2] = p[i], p[i], p[i]
			}
		}
	case *image.Paletted:
		lut := paletteRGB(m.Palette)
		return func(y, x0 int, dst []uint8) {
			p := m.Pix[m.PixOffset(x0, y):]
			for i := 0; i < len(dst)/3; i++ {
				c := &lut[p[i]]
				dst[3*i], dst[3*i+1], dst[3*i+2] = c[0], c[1], c[2]
			}
		}
	}
	return func(y, x0 int, dst []uint8) {
		for i := 0; i < len(dst)/3; i++ {
			dst[3*i], dst[3*i+1], dst[3*i+2] = genericRGB(img.At(x0+i, y))
		}
	}
}

// paletteRGB precomputes a palette over white; indices past the palette's end
// (possible only in hostile input) read as black.
func paletteRGB(p color.Palette) *[256][3]uint8 {
	var lut [256][3]uint8
	for i := 0; i < len(p) && i < 256; i++ {
		if p[i] != nil {
			lut[i][0], lut[i][1], lut[i][2] = genericRGB(p[i])
		}
	}
	return &lut
}

// genericRGB composites any color over white.
func genericRGB(c color.Color) (uint8, uint8, uint8) {
	r, g, b, a := c.RGBA() // premultiplied, 16 bit
	bg := 0xffff - a
	return to8(r + bg), to8(g + bg), to8(b + bg)
}

// to8 narrows a 16-bit sample, clamping values that invalid premultiplied
// colours can push past 0xffff.
func to8(v uint32) uint8 {
	return uint8(min(v, 0xffff) >> 8)
}

// overWhite composites a non-premultiplied 8-bit sample over white.
func overWhite(c, a uint8) uint8 {
	return uint8((uint32(c)*uint32(a) + 255*uint32(255-a) + 127) / 255)
}

// satAdd adds without wrapping, since hostile premultiplied data can have c > a.
func satAdd(c, d uint8) uint8 {
	if s := uint16(c) + uint16(d); s < 255 {
		return uint8(s)
	}
	return 255
}
