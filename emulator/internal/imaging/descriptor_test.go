package imaging

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"slices"
	"testing"
)

func inspect(t *testing.T, data []byte) *Picture {
	t.Helper()
	p, err := Inspect(b64(data), Options{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestScoreIdenticalIsExactlyOne(t *testing.T) {
	for name, data := range validImages(t, 150, 130) {
		a, b := inspect(t, data), inspect(t, data)
		if a.Descriptor != b.Descriptor {
			t.Errorf("%s: descriptor not deterministic", name)
		}
		if s := Score(&a.Descriptor, &b.Descriptor); s != 1 {
			t.Errorf("%s: score %v, want exactly 1", name, s)
		}
	}
}

func TestWebPMatchesLosslessPNG(t *testing.T) {
	m := image.NewRGBA(image.Rect(0, 0, 130, 110))
	for y := 0; y < 110; y++ {
		for x := 0; x < 130; x++ {
			g := uint8(40)
			if checker(x, y) {
				g = 210
			}
			m.Set(x, y, color.RGBA{90, g, 160, 255})
		}
	}
	w := inspect(t, encodeWebP(130, 110, checker, nil))
	p := inspect(t, encodePNG(t, m))
	if s := Score(&w.Descriptor, &p.Descriptor); s != 1 {
		t.Fatalf("webp vs png of the same pixels: %v, want 1", s)
	}
}

func TestScoreRanksReencodesAboveOtherImages(t *testing.T) {
	a, b := testScene(320, 240), rotatedScene(320, 240)
	da := inspect(t, encodeJPEG(t, a, 90)).Descriptor
	db := inspect(t, encodeJPEG(t, b, 90)).Descriptor
	for name, q := range map[string][]byte{
		"jpeg q50": encodeJPEG(t, a, 50),
		"gif":      encodeGIF(t, a),
		"ppm":      encodePPM(a, false, 255),
		"ppm 4bit": encodePPM(a, true, 15),
	} {
		dq := inspect(t, q).Descriptor
		same, other := Score(&dq, &da), Score(&dq, &db)
		if same < 0.85 || same <= other {
			t.Errorf("%s: same %.4f, other %.4f", name, same, other)
		}
	}
}

// rotatedScene is testScene turned by 90°, so it shares colours but not layout.
func rotatedScene(w, h int) *image.RGBA {
	s := testScene(h, w)
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			m.Set(x, y, s.At(y, w-1-x))
		}
	}
	return m
}

func TestGrayAwareness(t *testing.T) {
	colour := testScene(200, 200)
	gray := image.NewGray(colour.Rect)
	draw.Draw(gray, gray.Rect, colour, image.Point{}, draw.Src)
	dc := inspect(t, encodePNG(t, colour)).Descriptor
	dg := inspect(t, encodeJPEG(t, gray, 90)).Descriptor
	if dc.Gray || !dg.Gray {
		t.Fatalf("Gray flags: colour %v, gray %v", dc.Gray, dg.Gray)
	}
	// A gray query compares shape only, so it finds its colour original.
	if s := Score(&dg, &dc); s < 0.95 {
		t.Fatalf("gray query vs colour original: %v", s)
	}
	if Score(&dc, &dg) >= Score(&dg, &dc) {
		t.Fatalf("a colour query should not ignore the missing chroma")
	}
}

func TestFlatImages(t *testing.T) {
	solid := func(c color.RGBA) Descriptor {
		m := image.NewRGBA(image.Rect(0, 0, 120, 120))
		draw.Draw(m, m.Rect, image.NewUniform(c), image.Point{}, draw.Src)
		return inspect(t, encodeJPEG(t, m, 75)).Descriptor
	}
	red, red2, blue := solid(color.RGBA{200, 0, 0, 255}), solid(color.RGBA{200, 0, 0, 255}), solid(color.RGBA{0, 0, 200, 255})
	if s := Score(&red, &red2); s != 1 {
		t.Fatalf("same solid colour: %v", s)
	}
	if s := Score(&red, &blue); s > 0.6 {
		t.Fatalf("different solid colours score %v", s)
	}
	var zero [ShapeLen]int8
	if red.Shape != zero {
		t.Fatalf("flat image has shape %v, want all zero", red.Shape[:8])
	}
}

func TestTransparencyIsCompositedOverWhite(t *testing.T) {
	clear := image.NewNRGBA(image.Rect(0, 0, 120, 120)) // fully transparent
	white := image.NewRGBA(clear.Rect)
	draw.Draw(white, white.Rect, image.White, image.Point{}, draw.Src)
	dc, dw := inspect(t, encodePNG(t, clear)).Descriptor, inspect(t, encodePNG(t, white)).Descriptor
	if dc != dw {
		t.Fatalf("transparent image differs from white")
	}
}

func TestDescriptorBinaryRoundTrip(t *testing.T) {
	for _, d := range []Descriptor{
		Describe(testScene(128, 128)), {Gray: true}, {},
	} {
		b, err := d.MarshalBinary()
		if err != nil || len(b) != binaryLen {
			t.Fatalf("MarshalBinary: %d bytes, %v", len(b), err)
		}
		var back Descriptor
		if err := back.UnmarshalBinary(b); err != nil || back != d {
			t.Fatalf("round trip: %v", err)
		}
	}
	good, _ := (&Descriptor{}).MarshalBinary()
	for _, bad := range [][]byte{nil, good[:len(good)-1], append(slices.Clone(good), 0),
		append([]byte{9}, good[1:]...), append(slices.Clone(good[:len(good)-1]), 2)} {
		var d Descriptor
		if d.UnmarshalBinary(bad) == nil {
			t.Errorf("UnmarshalBinary accepted %d bytes", len(bad))
		}
	}
}

func TestHistogramSumsTo255(t *testing.T) {
	for _, m := range []image.Image{testScene(100, 300), rotatedScene(333, 111), image.NewGray(image.Rect(0, 0, 100, 100))} {
		d := Describe(m)
		sum := 0
		for _, v := range d.Hist {
			sum += int(v)
		}
		if sum != 255 {
			t.Fatalf("histogram sums to %d", sum)
		}
	}
}

func TestSketch(t *testing.T) {
	a, b := Describe(testScene(200, 100)), Describe(rotatedScene(200, 100))
	sa, sb := a.Sketch(), b.Sketch()
	dot := func(x, y Sketch) int {
		s := 0
		for i := range x {
			s += int(x[i]) * int(y[i])
		}
		return s
	}
	// A sketch against itself approximates 0.8 (shape + layout weight) of the
	// full scale; against another image it is lower.
	full := sketchScale * sketchScale
	if self := float64(dot(sa, sa)) / full; math.Abs(self-0.8) > 0.02 {
		t.Fatalf("self sketch similarity %.3f, want about 0.8", self)
	}
	if dot(sa, sb) >= dot(sa, sa) {
		t.Fatal("another image's sketch scores as high as the image itself")
	}
	a.Gray = true
	if q := a.QuerySketch(); q[SketchLen-1] != 0 || q[0] != sa[0] {
		t.Fatal("a gray query sketch must keep shape and drop colour")
	}
	var zero Descriptor
	if zero.Sketch() != (Sketch{}) {
		t.Fatal("zero descriptor must give a zero sketch")
	}
}

func TestPredictCategory(t *testing.T) {
	seen := map[int32]bool{}
	for i := 0; i < 40; i++ {
		m := image.NewRGBA(image.Rect(0, 0, 100, 100))
		draw.Draw(m, m.Rect, image.NewUniform(color.RGBA{uint8(i * 37), uint8(i * 91), uint8(i * 13), 255}), image.Point{}, draw.Src)
		d := Describe(m)
		c := PredictCategory(d)
		if !slices.Contains(Categories, c) {
			t.Fatalf("category %d not in the enum", c)
		}
		if PredictCategory(d) != c {
			t.Fatal("not deterministic")
		}
		seen[c] = true
	}
	if len(seen) < 4 {
		t.Fatalf("only %d distinct categories over 40 colours", len(seen))
	}
	scene := testScene(300, 300)
	a := inspect(t, encodePNG(t, scene)).Descriptor
	b := inspect(t, encodeJPEG(t, scene, 60)).Descriptor
	if PredictCategory(a) != PredictCategory(b) {
		t.Fatal("category changed under re-encoding")
	}
}
