package imaging

import (
	"errors"
	"image"
	"strings"
	"testing"
)

// validImages returns one valid encoding of scene per accepted format.
func validImages(t testing.TB, w, h int) map[string][]byte {
	m := testScene(w, h)
	return map[string][]byte{
		"png":      encodePNG(t, m),
		"jpeg":     encodeJPEG(t, m, 90),
		"gif":      encodeGIF(t, m),
		"bmp":      encodeBMP(t, m),
		"tiff":     encodeTIFF(t, m),
		"tiff-raw": rawTIFF(m, 0, true),
		"webp":     encodeWebP(w, h, checker, nil),
		"ppm-p6":   encodePPM(m, false, 255),
		"ppm-p3":   encodePPM(m, true, 255),
	}
}

func TestInspectAcceptsEveryFormat(t *testing.T) {
	want := map[string]string{
		"png": FormatPNG, "jpeg": FormatJPEG, "gif": FormatGIF, "bmp": FormatBMP,
		"tiff": FormatTIFF, "tiff-raw": FormatTIFF, "webp": FormatWEBP,
		"ppm-p6": FormatPPM, "ppm-p3": FormatPPM,
	}
	for name, data := range validImages(t, 160, 120) {
		t.Run(name, func(t *testing.T) {
			p, err := Inspect(b64(data), Options{})
			if err != nil {
				t.Fatalf("Inspect: %v", err)
			}
			if p.Format != want[name] || p.Width != 160 || p.Height != 120 {
				t.Fatalf("got %s %dx%d, want %s 160x120", p.Format, p.Width, p.Height, want[name])
			}
			if p.Region != "0,160,0,120" {
				t.Fatalf("Region = %q, want the whole image", p.Region)
			}
			if s := Score(&p.Descriptor, &p.Descriptor); s != 1 {
				t.Fatalf("self score = %v, want 1", s)
			}
		})
	}
}

// TestInspectFormatsAgree checks that lossless encodings of one picture give
// near-identical descriptors whatever the container.
func TestInspectFormatsAgree(t *testing.T) {
	m := testScene(200, 150)
	ref := Describe(m)
	for name, data := range map[string][]byte{
		"png": encodePNG(t, m), "bmp": encodeBMP(t, m), "tiff": encodeTIFF(t, m),
		"ppm": encodePPM(m, false, 255), "ppm-plain": encodePPM(m, true, 255),
		"tiff-raw": rawTIFF(m, 1, false),
	} {
		p, err := Inspect(b64(data), Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if s := Score(&ref, &p.Descriptor); s != 1 {
			t.Errorf("%s: score against the in-memory image = %v, want 1", name, s)
		}
	}
}

func TestInspectErrors(t *testing.T) {
	scene := testScene(120, 120)
	pngData := encodePNG(t, scene)
	jpg := encodeJPEG(t, scene, 90)
	oversize := append(append([]byte{}, pngData...), make([]byte, MaxPicBytes+1-len(pngData))...)
	cases := []struct {
		name    string
		content string
		opt     Options
		code    string
	}{
		{"empty", "", Options{}, CodeNoSpecifiedPicContent},
		{"only whitespace", " \r\n\t ", Options{}, CodeNoSpecifiedPicContent},
		{"decoded over 4 MiB", b64(oversize), Options{}, CodeInvalidPicContent},
		{"text too long to fit", strings.Repeat("A", maxEncodedLen+1), Options{}, CodeInvalidPicContent},
		{"text too long even if invalid", strings.Repeat("!", maxEncodedLen+4), Options{}, CodeInvalidPicContent},
		{"not base64", "iVBOR$$$", Options{}, CodeUnsupportedPicFormat},
		{"url-safe alphabet", strings.NewReplacer("+", "-", "/", "_").Replace(b64(jpg)), Options{}, CodeUnsupportedPicFormat},
		{"bad length", "QUJDR", Options{}, CodeUnsupportedPicFormat},
		{"three pad chars", "QQ===", Options{}, CodeUnsupportedPicFormat},
		{"text file", b64([]byte("hello, this is not an image at all")), Options{}, CodeUnsupportedPicFormat},
		{"pgm is not accepted", b64([]byte("P5\n120 120\n255\n" + strings.Repeat("x", 14400))), Options{}, CodeUnsupportedPicFormat},
		{"truncated png header", b64(pngData[:20]), Options{}, CodeUnsupportedPicFormat},
		{"truncated png data", b64(pngData[:len(pngData)/2]), Options{}, CodeUnsupportedPicFormat},
		{"truncated jpeg data", b64(jpg[:len(jpg)/2]), Options{}, CodeUnsupportedPicFormat},
		{"99 px wide", b64(encodePNG(t, testScene(99, 200))), Options{}, CodeUnsupportedPicPixels},
		{"99 px high", b64(encodePNG(t, testScene(200, 99))), Options{}, CodeUnsupportedPicPixels},
		{"4097 px header", b64(pngHeaderOnly(4097, 200)), Options{}, CodeUnsupportedPicPixels},
		{"20000 px header, no data", b64(pngHeaderOnly(20000, 20000)), Options{}, CodeUnsupportedPicPixels},
		{"jpeg orientation 6", b64(withJPEGExif(jpg, exifTIFF(6, true))), Options{}, CodeIncorrectOrientation},
		{"jpeg orientation 8 LE", b64(withJPEGExif(jpg, exifTIFF(8, false))), Options{}, CodeIncorrectOrientation},
		{"png eXIf orientation 3", b64(withPNGExif(pngData, exifTIFF(3, true))), Options{}, CodeIncorrectOrientation},
		{"webp EXIF orientation 6", b64(encodeWebP(120, 120, checker, exifTIFF(6, false))), Options{}, CodeIncorrectOrientation},
		{"tiff orientation 8", b64(rawTIFF(scene, 8, false)), Options{}, CodeIncorrectOrientation},
		{"tiff MM orientation 2", b64(rawTIFF(scene, 2, true)), Options{}, CodeIncorrectOrientation},
		{"size wins over orientation", b64(withJPEGExif(encodeJPEG(t, testScene(50, 50), 90), exifTIFF(6, true))), Options{}, CodeUnsupportedPicPixels},
		{"region outside", b64(pngData), Options{Region: "0,121,0,10"}, CodeInvalidRegion},
		{"region malformed", b64(pngData), Options{Region: "1,2,3"}, CodeInvalidRegion},
		{"orientation wins over region", b64(withJPEGExif(jpg, exifTIFF(6, true))), Options{Region: "x"}, CodeIncorrectOrientation},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Inspect(tc.content, tc.opt)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Inspect = %+v, %v; want *Error %s", p, err, tc.code)
			}
			if e.Code != tc.code {
				t.Fatalf("code = %s (%v), want %s", e.Code, err, tc.code)
			}
		})
	}
}

func TestInspectBoundaries(t *testing.T) {
	small := encodePNG(t, testScene(100, 100))
	exactly4MiB := append(append([]byte{}, small...), make([]byte, MaxPicBytes-len(small))...)
	for name, data := range map[string][]byte{
		"100x100":                  small,
		"4096x100":                 encodePNG(t, testScene(4096, 100)),
		"100x4096":                 encodeJPEG(t, testScene(100, 4096), 80),
		"exactly 4 MiB (trailing)": exactly4MiB,
	} {
		p, err := Inspect(b64(data), Options{Crop: true})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if _, err := ParseRegion(p.Region, p.Width, p.Height); err != nil {
			t.Errorf("%s: region %q: %v", name, p.Region, err)
		}
	}
}

func TestInspectAcceptsBase64Variants(t *testing.T) {
	data := encodePNG(t, testScene(101, 100)) // odd size, so padding is likely
	std := b64(data)
	var wrapped strings.Builder
	for i := 0; i < len(std); i += 76 {
		wrapped.WriteString(std[i:min(i+76, len(std))])
		wrapped.WriteString("\r\n")
	}
	for name, content := range map[string]string{
		"padded":    std,
		"unpadded":  strings.TrimRight(std, "="),
		"wrapped":   wrapped.String(),
		"spaced":    " " + strings.Join(strings.SplitAfterN(std, "", 4), " \t") + "\n",
		"minimal 4": b64(encodePNG(t, testScene(100, 100))),
	} {
		if _, err := Inspect(content, Options{}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestInspectOrientationOneIsAccepted(t *testing.T) {
	scene := testScene(120, 120)
	for name, data := range map[string][]byte{
		"jpeg": withJPEGExif(encodeJPEG(t, scene, 90), exifTIFF(1, true)),
		"png":  withPNGExif(encodePNG(t, scene), exifTIFF(1, false)),
		"webp": encodeWebP(120, 120, checker, exifTIFF(1, true)),
		"tiff": rawTIFF(scene, 1, true),
		// Garbage EXIF reads as no orientation rather than failing.
		"jpeg garbage exif": withJPEGExif(encodeJPEG(t, scene, 90), []byte("MM\x00*\xff\xff\xff\xff")),
		"png garbage exif":  withPNGExif(encodePNG(t, scene), []byte{1, 2, 3}),
	} {
		if _, err := Inspect(b64(data), Options{}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestInspectRegionAndCrop(t *testing.T) {
	// A product shot: plain white background, one dark object.
	m := image.NewRGBA(image.Rect(0, 0, 400, 300))
	fill(m, m.Rect, 255, 255, 255)
	fill(m, image.Rect(100, 60, 260, 200), 30, 90, 160)
	data := b64(encodePNG(t, m))

	whole, err := Inspect(data, Options{})
	if err != nil || whole.Region != "0,400,0,300" {
		t.Fatalf("Crop=false: %+v, %v", whole, err)
	}
	given, err := Inspect(data, Options{Region: " 10, 50 ,20,80", Crop: true})
	if err != nil || given.Region != "10,50,20,80" {
		t.Fatalf("explicit region: %+v, %v", given, err)
	}
	cropped, err := Inspect(data, Options{Crop: true})
	if err != nil {
		t.Fatal(err)
	}
	r, err := ParseRegion(cropped.Region, 400, 300)
	if err != nil {
		t.Fatalf("reported region %q: %v", cropped.Region, err)
	}
	// The box must contain the object and add at most a small margin.
	if r.X1 > 100 || r.Y1 > 60 || r.X2 < 260 || r.Y2 < 200 ||
		r.X1 < 80 || r.Y1 < 40 || r.X2 > 280 || r.Y2 > 220 {
		t.Fatalf("subject box %v, want about 100,260,60,200", r)
	}
	// Cropping is what makes an enlarged canvas match the tight product shot.
	tight, err := Inspect(b64(encodePNG(t, m.SubImage(r.Rect()))), Options{Crop: false})
	if err != nil {
		t.Fatal(err)
	}
	if s := Score(&tight.Descriptor, &cropped.Descriptor); s < 0.99 {
		t.Fatalf("crop vs pre-cropped image score %v, want ≥ 0.99", s)
	}
	// A busy image has no uniform border: crop falls back to the whole image.
	busy, err := Inspect(b64(encodePNG(t, testScene(300, 200))), Options{Crop: true})
	if err != nil || busy.Region != "0,300,0,200" {
		t.Fatalf("busy image crop: %+v, %v", busy, err)
	}
}

func fill(m *image.RGBA, r image.Rectangle, cr, cg, cb uint8) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			o := m.PixOffset(x, y)
			m.Pix[o], m.Pix[o+1], m.Pix[o+2], m.Pix[o+3] = cr, cg, cb, 255
		}
	}
}

func TestParseRegion(t *testing.T) {
	cases := []struct {
		in   string
		ok   bool
		want Region
	}{
		{"0,100,0,50", true, Region{0, 100, 0, 50}},
		{"10,11,20,21", true, Region{10, 11, 20, 21}},
		{" 1 , 2 , 3 , 4 ", true, Region{1, 2, 3, 4}},
		{"0,101,0,50", false, Region{}},
		{"0,100,0,51", false, Region{}},
		{"5,5,0,10", false, Region{}},
		{"6,5,0,10", false, Region{}},
		{"0,10,7,7", false, Region{}},
		{"-1,10,0,10", false, Region{}},
		{"0,10,0", false, Region{}},
		{"0,10,0,10,0", false, Region{}},
		{"0,10,0,1.5", false, Region{}},
		{"a,b,c,d", false, Region{}},
		{"", false, Region{}},
		{"0,10,,10", false, Region{}},
		{"0,99999999999999999999999,0,10", false, Region{}},
	}
	for _, tc := range cases {
		r, err := ParseRegion(tc.in, 100, 50)
		if tc.ok {
			if err != nil || r != tc.want {
				t.Errorf("ParseRegion(%q) = %v, %v; want %v", tc.in, r, err, tc.want)
			}
			if r.String() != strings.ReplaceAll(tc.in, " ", "") {
				t.Errorf("String() = %q", r.String())
			}
			continue
		}
		var e *Error
		if !errors.As(err, &e) || e.Code != CodeInvalidRegion {
			t.Errorf("ParseRegion(%q) = %v, %v; want InvalidRegion", tc.in, r, err)
		}
	}
}
