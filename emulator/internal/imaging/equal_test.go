package imaging

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"testing"
)

// The optimised thumbnail and descriptor code must give the very bits of
// the reference code in reference_test.go, on inputs far more varied than
// the golden cases.

func sameThumb(a, b *thumb) int {
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return i
		}
	}
	return -1
}

// randomThumb fills t with values of one of several kinds: any float in
// range, whole numbers, the histogram bin edges, near-gray, or smooth.
func randomThumb(rng *rand.Rand, t *thumb) {
	kind := rng.IntN(5)
	edges := []float32{0, 63, 63.999996, 64, 127.99999, 128, 191.99998, 192, 254.99998, 255}
	for i := range t {
		switch kind {
		case 0:
			t[i] = rng.Float32() * 255
		case 1:
			t[i] = float32(rng.IntN(256))
		case 2:
			t[i] = edges[rng.IntN(len(edges))]
		case 3:
			t[i] = 120 + rng.Float32()*3
		default:
			c := i / 3
			t[i] = float32(math.Mod(float64(c%thumbSide*3+c/thumbSide*5+i%3*40), 256))
		}
	}
}

// sameFloats reports the first index where a and b differ in any bit.
func sameFloats(a, b []float64) int {
	if len(a) != len(b) {
		return 0
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return i
		}
	}
	return -1
}

func TestFromThumbMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var th thumb
	for i := 0; i < 300; i++ {
		randomThumb(rng, &th)
		got, want := measure(&th), measureRef(&th)
		if k := sameFloats(got.shape[:], want.shape[:]); k >= 0 {
			t.Fatalf("thumbnail %d: shape[%d] = %v, reference %v", i, k, got.shape[k], want.shape[k])
		}
		if k := sameFloats(got.layout[:], want.layout[:]); k >= 0 {
			t.Fatalf("thumbnail %d: layout[%d] = %v, reference %v", i, k, got.layout[k], want.layout[k])
		}
		if got.counts != want.counts || got.colour != want.colour {
			t.Fatalf("thumbnail %d: counts or colour differ from the reference", i)
		}
		if got, want := fromThumb(&th), fromThumbRef(&th); got != want {
			t.Fatalf("thumbnail %d: descriptor differs from the reference\n got %+v\nwant %+v", i, got, want)
		}
	}
}

func TestClamp255MatchesReference(t *testing.T) {
	nan := float32(math.NaN())
	vals := []float32{0, float32(math.Copysign(0, -1)), -1e-45, 1e-45, 0.5, 254.99998, 255, 255.00002,
		-1000, 1000, float32(math.Inf(1)), float32(math.Inf(-1)), nan}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 1000 {
		vals = append(vals, rng.Float32()*400-70)
	}
	for _, v := range vals {
		got, want := clamp255(v), clamp255Ref(v)
		if got != got && want != want {
			continue // NaN either way; the thumbnail code never makes one
		}
		if math.Float32bits(got) != math.Float32bits(want) {
			t.Fatalf("clamp255(%v) = %v, reference %v", v, got, want)
		}
	}
}

var allRatios = []image.YCbCrSubsampleRatio{
	image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420,
	image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410,
}

// randomSize favours the sizes that take special paths: multiples of the
// thumbnail side, sides below it, and odd sides.
func randomSize(rng *rand.Rand) int {
	switch rng.IntN(4) {
	case 0:
		return thumbSide * (1 + rng.IntN(4))
	case 1:
		return 1 + rng.IntN(thumbSide)
	default:
		return 1 + rng.IntN(700)
	}
}

// randomImage makes a picture of a random layout and size, with random
// content, possibly a sub-image with an odd origin.
func randomImage(rng *rand.Rand) image.Image {
	w, h := randomSize(rng), randomSize(rng)
	ox, oy := rng.IntN(4), rng.IntN(4)
	full := image.Rect(0, 0, w+ox, h+oy)
	sub := image.Rect(ox, oy, ox+w, oy+h)
	fillRandom := func(p []uint8) {
		smooth := rng.IntN(2) == 0
		for i := range p {
			if smooth {
				p[i] = uint8(i/7 + rng.IntN(3))
			} else {
				p[i] = uint8(rng.UintN(256))
			}
		}
	}
	var m interface {
		image.Image
		SubImage(image.Rectangle) image.Image
	}
	switch rng.IntN(6) {
	case 0, 1, 2:
		y := image.NewYCbCr(full, allRatios[rng.IntN(len(allRatios))])
		fillRandom(y.Y)
		fillRandom(y.Cb)
		fillRandom(y.Cr)
		m = y
	case 3:
		c := image.NewRGBA(full)
		fillRandom(c.Pix)
		m = c
	case 4:
		c := image.NewNRGBA(full)
		fillRandom(c.Pix)
		m = c
	default:
		g := image.NewGray(full)
		fillRandom(g.Pix)
		m = g
	}
	return m.SubImage(sub)
}

func TestMakeThumbMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 150; i++ {
		img := randomImage(rng)
		b := img.Bounds()
		r := b
		if rng.IntN(2) == 0 {
			x0, y0 := b.Min.X+rng.IntN(b.Dx()), b.Min.Y+rng.IntN(b.Dy())
			r = image.Rect(x0, y0, x0+1+rng.IntN(b.Max.X-x0), y0+1+rng.IntN(b.Max.Y-y0))
		}
		got, want := makeThumb(img, r), makeThumbRef(img, r)
		if k := sameThumb(got, want); k >= 0 {
			t.Fatalf("image %d (%T %v, rect %v): thumbnail value %d is %v, reference %v",
				i, img, b, r, k, got[k], want[k])
		}
		if d, dr := fromThumb(got), fromThumbRef(want); d != dr {
			t.Fatalf("image %d: descriptor differs from the reference", i)
		}
		got.release()
		want.release()
	}
}

func TestDescribeMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for i := 0; i < 40; i++ {
		// A plain background with one object, so that crop finds boxes.
		w, h := 100+rng.IntN(400), 100+rng.IntN(400)
		m := image.NewYCbCr(image.Rect(0, 0, w, h), allRatios[rng.IntN(len(allRatios))])
		for j := range m.Y {
			m.Y[j] = uint8(230 + rng.IntN(4))
		}
		for j := range m.Cb {
			m.Cb[j], m.Cr[j] = 128, uint8(127+rng.IntN(3))
		}
		x0, y0 := rng.IntN(w/2), rng.IntN(h/2)
		for y := y0; y < y0+h/3; y++ {
			for x := x0; x < x0+w/3; x++ {
				m.Y[m.YOffset(x, y)] = uint8(x * y)
				m.Cb[m.COffset(x, y)] = uint8(60 + x%7)
			}
		}
		var img image.Image = m
		if i%2 == 1 {
			rgba := image.NewRGBA(m.Rect)
			for y := 0; y < h; y++ {
				for x := 0; x < w; x++ {
					rgba.Set(x, y, color.RGBAModel.Convert(m.At(x, y)))
				}
			}
			img = rgba
		}
		d, r := describe(img, nil, true)
		dr, rr := describeRef(img, nil, true)
		if d != dr || r != rr {
			t.Fatalf("picture %d: describe gives region %s, reference %s, descriptors equal: %v", i, r, rr, d == dr)
		}
	}
}
