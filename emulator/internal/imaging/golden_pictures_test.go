package imaging

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/imagesearch-conformance/conformance/fixtures"
)

// Pictures for the golden descriptor test: each reaches a different pixel
// layout or edge of the thumbnail code.

// goldenRNG is a fixed xorshift generator, so the pictures never depend on
// the standard library's random streams.
type goldenRNG uint64

func (r *goldenRNG) next() uint8 {
	x := uint64(*r)
	x ^= x << 13
	x ^= x >> 7
	x ^= x << 17
	*r = goldenRNG(x)
	return uint8(x >> 32)
}

// smoothPlane fills a plane with a gradient, a bright box and a little noise.
func smoothPlane(p []uint8, stride, w, h int, seed uint64, phase int) {
	rng := goldenRNG(seed | 1)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := (x*173/max(w, 1) + y*91/max(h, 1) + phase) % 256
			if x > w/4 && x < w/2 && y > h/3 && y < 3*h/4 {
				v = 255 - v/3
			}
			p[y*stride+x] = uint8(min(255, v+int(rng.next()%7)))
		}
	}
}

// ycbcrImage makes a YCbCr picture of the given subsampling, optionally
// with a non-zero origin (as a sub-image of a larger one).
func ycbcrImage(w, h int, ratio image.YCbCrSubsampleRatio, origin image.Point) image.Image {
	full := image.NewYCbCr(image.Rect(0, 0, w+origin.X, h+origin.Y), ratio)
	cw, ch := full.CStride, len(full.Cb)/max(full.CStride, 1)
	smoothPlane(full.Y, full.YStride, full.Rect.Dx(), full.Rect.Dy(), 11, 0)
	smoothPlane(full.Cb, full.CStride, cw, ch, 12, 60)
	smoothPlane(full.Cr, full.CStride, cw, ch, 13, 190)
	return full.SubImage(image.Rect(origin.X, origin.Y, w+origin.X, h+origin.Y))
}

// productYCbCr is a plain light background with one coloured object, so
// subject detection finds a box (odd-sized, odd-placed).
func productYCbCr(ratio image.YCbCrSubsampleRatio) image.Image {
	m := image.NewYCbCr(image.Rect(0, 0, 301, 211), ratio)
	for i := range m.Y {
		m.Y[i] = 235
	}
	for i := range m.Cb {
		m.Cb[i], m.Cr[i] = 128, 128
	}
	for y := 57; y < 149; y++ {
		for x := 83; x < 201; x++ {
			m.Y[m.YOffset(x, y)] = uint8(40 + (x+y)%50)
			c := m.COffset(x, y)
			m.Cb[c], m.Cr[c] = 90, 170
		}
	}
	return m
}

// productRGBA is productYCbCr's counterpart for RGB pixel layouts.
func productRGBA(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	fill(m, m.Rect, 250, 250, 245)
	fill(m, image.Rect(w/3, h/4, 2*w/3+1, 3*h/5).Intersect(m.Rect), 30, 90, 160)
	fill(m, image.Rect(w/3+5, h/4+7, w/2, h/2).Intersect(m.Rect), 200, 40, 30)
	return m
}

// translucent is an NRGBA scene with an alpha ramp.
func translucent(w, h int) *image.NRGBA {
	m := fixtures.Scene(5, w, h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			m.Pix[m.PixOffset(x, y)+3] = uint8(255 - (x*200)/w)
		}
	}
	return m
}

func grayScene(w, h int) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	s := fixtures.Scene(6, w, h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			g.Pix[g.PixOffset(x, y)] = color.GrayModel.Convert(s.At(x, y)).(color.Gray).Y
		}
	}
	return g
}

func encodeGrayJPEG(t *testing.T, w, h int) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, grayScene(w, h), &jpeg.Options{Quality: 75}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// encodePNG16 writes a 16-bit translucent PNG, which decodes to NRGBA64
// and so reaches the generic colour path.
func encodePNG16(t *testing.T, w, h int) []byte {
	m := image.NewNRGBA64(image.Rect(0, 0, w, h))
	src := translucent(w, h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := src.NRGBAAt(x, y)
			m.SetNRGBA64(x, y, color.NRGBA64{uint16(c.R)*257 + uint16(x), uint16(c.G) * 257, uint16(c.B) * 257, uint16(c.A) * 257})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// hostileRGBA has premultiplied samples above alpha, which satAdd clamps.
func hostileRGBA(w, h int) image.Image {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	rng := goldenRNG(99)
	for i := range m.Pix {
		m.Pix[i] = rng.next()
	}
	return m
}

func nycbcra(w, h int) image.Image {
	m := image.NewNYCbCrA(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	y := ycbcrImage(w, h, image.YCbCrSubsampleRatio420, image.Point{}).(*image.YCbCr)
	m.YCbCr = *y
	for i := range m.A {
		m.A[i] = uint8(i * 7)
	}
	return m
}

// paletted has indices past the end of its palette.
func paletted(w, h int) image.Image {
	pal := color.Palette{color.RGBA{255, 0, 0, 255}, color.NRGBA{0, 200, 50, 128}, color.Gray{90}}
	m := image.NewPaletted(image.Rect(0, 0, w, h), pal)
	for i := range m.Pix {
		m.Pix[i] = uint8((i / 7) % 5)
	}
	return m
}

func cmyk(w, h int) image.Image {
	m := image.NewCMYK(image.Rect(0, 0, w, h))
	smoothPlane(m.Pix, m.Stride, 4*w, h, 21, 30)
	return m
}
