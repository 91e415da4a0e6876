package imaging

import (
	"bytes"
	"image"
	"image/color"
	"strings"
	"testing"
)

func TestPPMDecoder(t *testing.T) {
	cases := []struct {
		name  string
		data  string
		ok    bool
		pixel color.RGBA // pixel (1, 0)
	}{
		{"p6", "P6\n2 1\n255\n\x00\x00\x00\x10\x20\x30", true, color.RGBA{0x10, 0x20, 0x30, 255}},
		{"p3 comments", "P3 # c1\n# c2\n2 1 # c3\n255\n0 0 0  16 32 48\n", true, color.RGBA{16, 32, 48, 255}},
		{"p3 maxval 15", "P3\n2 1\n15\n0 0 0 15 0 7\n", true, color.RGBA{255, 0, 119, 255}},
		{"p6 maxval 1", "P6 2 1 1\n\x00\x00\x00\x01\x00\x01", true, color.RGBA{255, 0, 255, 255}},
		{"long comment", "P6\n#" + strings.Repeat("c", 10000) + "\n2 1\n255\n\x00\x00\x00\x01\x02\x03", true, color.RGBA{1, 2, 3, 255}},
		{"maxval 256", "P6\n2 1\n256\n\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", false, color.RGBA{}},
		{"maxval 0", "P6\n2 1\n0\n\x00\x00\x00\x00\x00\x00", false, color.RGBA{}},
		{"sample above maxval", "P6\n2 1\n100\n\x00\x00\x00\x65\x00\x00", false, color.RGBA{}},
		{"p3 sample above maxval", "P3\n2 1\n100\n0 0 0 101 0 0", false, color.RGBA{}},
		{"truncated raster", "P6\n2 1\n255\n\x00\x00\x00\x00", false, color.RGBA{}},
		{"p3 truncated", "P3\n2 1\n255\n0 0 0 1", false, color.RGBA{}},
		{"zero width", "P6\n0 1\n255\n", false, color.RGBA{}},
		{"huge number", "P6\n99999999999999999999 1\n255\n", false, color.RGBA{}},
		{"no separator", "P6\n2 1\n255", false, color.RGBA{}},
		{"not a number", "P6\nx 1\n255\n", false, color.RGBA{}},
		{"pgm", "P5\n2 1\n255\n\x00\x00", false, color.RGBA{}},
		{"huge header", "P6\n16000000 16000000\n255\n", false, color.RGBA{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, err := DecodePPM(strings.NewReader(tc.data))
			if !tc.ok {
				if err == nil {
					t.Fatalf("decoded %v, want error", m.Bounds())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := m.At(1, 0); got != tc.pixel {
				t.Fatalf("pixel = %v, want %v", got, tc.pixel)
			}
			if m.Bounds() != image.Rect(0, 0, 2, 1) {
				t.Fatalf("bounds %v", m.Bounds())
			}
		})
	}
}

func TestPPMIsRegistered(t *testing.T) {
	for _, plain := range []bool{false, true} {
		data := encodePPM(testScene(30, 20), plain, 255)
		cfg, name, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil || name != "ppm" || cfg.Width != 30 || cfg.Height != 20 {
			t.Fatalf("DecodeConfig: %v %q %v", cfg, name, err)
		}
		if _, name, err := image.Decode(bytes.NewReader(data)); err != nil || name != "ppm" {
			t.Fatalf("Decode: %q %v", name, err)
		}
	}
}
