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
// each, and averageCells overwrites every value.
var thumbs = sync.Pool{New: func() any { return new(thumb) }}

// release hands t back for reuse; t must not be used after.
func (t *thumb) release() { thumbs.Put(t) }

// rowFunc writes pixels [x0, x0+len(dst)/3) of row y as three 8-bit
// channels: RGB over white, or Y, Cb, Cr for YCbCr sources.
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
		t := averageCells(ycbcrRows(m, r.Min.X, r.Dx()), r)
		t.ycbcrToRGB()
		return t
	}
	return averageCells(rowReader(img), r)
}

// averageCells averages the channels that read produces over each cell.
func averageCells(read rowFunc, r image.Rectangle) *thumb {
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

// ycbcrRows reads the Y, Cb and Cr planes directly. Chroma offsets are
// separable in x and y for every subsampling ratio, so the column part is
// computed once.
func ycbcrRows(m *image.YCbCr, left, w int) rowFunc {
	col := make([]int, w)
	base := m.COffset(left, m.Rect.Min.Y)
	for i := range col {
		col[i] = m.COffset(left+i, m.Rect.Min.Y) - base
	}
	// x0 is always left: makeThumb reads whole rows of its rectangle.
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

// ycbcrToRGB converts cell averages from JFIF YCbCr to RGB in place.
func (t *thumb) ycbcrToRGB() {
	for i := 0; i < len(t); i += 3 {
		y, cb, cr := t[i], t[i+1]-128, t[i+2]-128
		t[i] = clamp255(y + 1.402*cr)
		t[i+1] = clamp255(y - 0.344136*cb - 0.714136*cr)
		t[i+2] = clamp255(y + 1.772*cb)
	}
}

func clamp255(v float32) float32 { return min(255, max(0, v)) }

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
