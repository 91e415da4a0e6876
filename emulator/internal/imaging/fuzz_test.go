package imaging

import (
	"errors"
	"testing"
)

// FuzzInspect feeds arbitrary bytes (Base64-encoded, as PicContent) and
// options to Inspect. It must never panic, must fail only with a known *Error
// code, and on success must report a valid picture.
func FuzzInspect(f *testing.F) {
	for _, data := range validImages(f, 100, 100) {
		f.Add(data, "", true)
	}
	f.Add(withJPEGExif(encodeJPEG(f, testScene(100, 100), 50), exifTIFF(6, true)), "0,50,0,50", false)
	f.Add(encodeWebP(100, 100, checker, exifTIFF(1, false)), "", true)
	f.Add(pngHeaderOnly(20000, 20000), "", false)
	f.Add([]byte("P3\n100 100\n255\n0 0 0"), "1,2,3,4", true)
	known := map[string]bool{
		CodeNoSpecifiedPicContent: true, CodeInvalidPicContent: true, CodeUnsupportedPicFormat: true,
		CodeUnsupportedPicPixels: true, CodeIncorrectOrientation: true, CodeInvalidRegion: true,
	}
	f.Fuzz(func(t *testing.T, data []byte, region string, crop bool) {
		p, err := Inspect(b64(data), Options{Region: region, Crop: crop})
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || !known[e.Code] {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if p.Width < MinSide || p.Width > MaxSide || p.Height < MinSide || p.Height > MaxSide {
			t.Fatalf("accepted %dx%d", p.Width, p.Height)
		}
		if _, err := ParseRegion(p.Region, p.Width, p.Height); err != nil {
			t.Fatalf("reported region %q: %v", p.Region, err)
		}
		if s := Score(&p.Descriptor, &p.Descriptor); s != 1 {
			t.Fatalf("self score %v", s)
		}
	})
}

// FuzzExifOrientation checks the EXIF reader alone on arbitrary containers.
func FuzzExifOrientation(f *testing.F) {
	f.Add(FormatJPEG, withJPEGExif([]byte{0xff, 0xd8, 0xff, 0xd9}, exifTIFF(6, true)))
	f.Add(FormatPNG, withPNGExif(pngHeaderOnly(100, 100), exifTIFF(3, false)))
	f.Add(FormatWEBP, encodeWebP(10, 10, checker, exifTIFF(8, true)))
	f.Add(FormatTIFF, exifTIFF(5, false))
	f.Fuzz(func(t *testing.T, format string, data []byte) {
		exifOrientation(format, data)
	})
}

// FuzzPPM checks the PPM decoder alone.
func FuzzPPM(f *testing.F) {
	f.Add([]byte("P6\n2 1\n255\n\x00\x00\x00\x10\x20\x30"))
	f.Add([]byte("P3 # c\n2 1\n15\n0 0 0 15 0 7\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, cfgErr := DecodePPMConfig(bytesReader(data))
		m, err := DecodePPM(bytesReader(data))
		if err == nil && cfgErr != nil {
			t.Fatalf("Decode succeeded where DecodeConfig failed: %v", cfgErr)
		}
		if err == nil && m.Bounds().Empty() {
			t.Fatal("empty image without error")
		}
	})
}
