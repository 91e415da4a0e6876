package index

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"testing"

	"golang.org/x/image/draw"
)

// A query transform turns a pristine scene into the bytes a client uploads.
type transform struct {
	name   string
	encode func(t testing.TB, m *image.RGBA) []byte
}

var queryTransforms = []transform{
	{"jpeg_q50", func(t testing.TB, m *image.RGBA) []byte { return encJPEG(t, m, 50) }},
	{"png", func(t testing.TB, m *image.RGBA) []byte { return encPNG(t, m) }},
	{"gif", func(t testing.TB, m *image.RGBA) []byte { return encGIF(t, m) }},
	{"resize_50", func(t testing.TB, m *image.RGBA) []byte { return encPNG(t, resize(m, 0.5, draw.BiLinear)) }},
	{"resize_200", func(t testing.TB, m *image.RGBA) []byte { return encJPEG(t, double(m), 90) }},
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func encJPEG(t testing.TB, m image.Image, q int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: q}); err != nil {
		t.Error(err)
	}
	return buf.Bytes()
}

func encPNG(t testing.TB, m image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	// No compression: the test needs lossless bytes, not small ones, and
	// the encoder then skips its costly filter search.
	if err := (&png.Encoder{CompressionLevel: png.NoCompression}).Encode(&buf, m); err != nil {
		t.Error(err)
	}
	return buf.Bytes()
}

// cubePalette is a 6×7×6 colour cube (252 colours): quantising to it is a
// table lookup, far cheaper than the encoder's default palette search.
var cubePalette = func() color.Palette {
	var p color.Palette
	for r := 0; r < 6; r++ {
		for g := 0; g < 7; g++ {
			for b := 0; b < 6; b++ {
				p = append(p, color.RGBA{uint8(r * 51), uint8(g * 255 / 6), uint8(b * 51), 255})
			}
		}
	}
	return p
}()

// encGIF quantises to the colour cube with Floyd–Steinberg error diffusion
// (as a GIF encoder with a fixed palette would) and encodes the result.
func encGIF(t testing.TB, m *image.RGBA) []byte {
	t.Helper()
	w, h := m.Rect.Dx(), m.Rect.Dy()
	p := image.NewPaletted(image.Rect(0, 0, w, h), cubePalette)
	cur, next := make([][3]float32, w+2), make([][3]float32, w+2)
	steps := [3]float32{51, 255.0 / 6, 51}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			o := m.PixOffset(m.Rect.Min.X+x, m.Rect.Min.Y+y)
			var lv [3]int
			for c := 0; c < 3; c++ {
				v := float32(m.Pix[o+c]) + cur[x+1][c]
				lv[c] = int(min(max(v/steps[c]+0.5, 0), 255/steps[c]))
				e := v - float32(lv[c])*steps[c]
				cur[x+2][c] += e * 7 / 16
				next[x][c] += e * 3 / 16
				next[x+1][c] += e * 5 / 16
				next[x+2][c] += e / 16
			}
			p.Pix[y*p.Stride+x] = uint8((lv[0]*7+lv[1])*6 + lv[2])
		}
		cur, next = next, cur
		clear(next)
	}
	var buf bytes.Buffer
	if err := gif.Encode(&buf, p, nil); err != nil {
		t.Error(err)
	}
	return buf.Bytes()
}

func resize(m *image.RGBA, f float64, s draw.Scaler) *image.RGBA {
	dst := image.NewRGBA(image.Rect(0, 0, int(float64(m.Rect.Dx())*f), int(float64(m.Rect.Dy())*f)))
	s.Scale(dst, dst.Rect, m, m.Rect, draw.Src, nil)
	return dst
}

// double enlarges to 200 % by pixel replication: what an upscaler yields on
// the 64×64 thumbnail once area-averaged, at a fraction of the cost.
func double(m *image.RGBA) *image.RGBA {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	dst := image.NewRGBA(image.Rect(0, 0, 2*w, 2*h))
	for y := 0; y < 2*h; y++ {
		src := m.Pix[m.PixOffset(m.Rect.Min.X, m.Rect.Min.Y+y/2):]
		row := dst.Pix[y*dst.Stride:]
		for x := 0; x < 2*w; x++ {
			copy(row[4*x:4*x+4], src[4*(x/2):4*(x/2)+4])
		}
	}
	return dst
}
