package imaging

import (
	"encoding/binary"
	"testing"
)

func TestExifOrientation(t *testing.T) {
	scene := testScene(120, 100)
	jpg, pngData := encodeJPEG(t, scene, 80), encodePNG(t, scene)
	long := exifTIFF(0, false) // rewrite the entry as a LONG holding 5
	binary.LittleEndian.PutUint16(long[12:], 4)
	binary.LittleEndian.PutUint32(long[18:], 5)
	ascii := exifTIFF(6, true)
	binary.BigEndian.PutUint16(ascii[12:], 2)
	badOffset := exifTIFF(6, false)
	binary.LittleEndian.PutUint32(badOffset[4:], 0xfffffff0)
	hugeCount := exifTIFF(6, true)
	binary.BigEndian.PutUint16(hugeCount[8:], 0xffff)
	cases := []struct {
		name   string
		format string
		data   []byte
		want   int
		found  bool
	}{
		{"jpeg none", FormatJPEG, jpg, 0, false},
		{"jpeg 6 MM", FormatJPEG, withJPEGExif(jpg, exifTIFF(6, true)), 6, true},
		{"jpeg 3 II", FormatJPEG, withJPEGExif(jpg, exifTIFF(3, false)), 3, true},
		{"jpeg LONG type", FormatJPEG, withJPEGExif(jpg, long), 5, true},
		{"jpeg wrong type", FormatJPEG, withJPEGExif(jpg, ascii), 0, false},
		{"jpeg IFD offset outside", FormatJPEG, withJPEGExif(jpg, badOffset), 0, false},
		{"jpeg entry count past the end", FormatJPEG, withJPEGExif(jpg, hugeCount), 6, true},
		{"jpeg not exif", FormatJPEG, withJPEGExif(jpg, []byte("XMP")), 0, false},
		{"png none", FormatPNG, pngData, 0, false},
		{"png 8", FormatPNG, withPNGExif(pngData, exifTIFF(8, true)), 8, true},
		{"webp none", FormatWEBP, encodeWebP(100, 100, checker, nil), 0, false},
		{"webp 7", FormatWEBP, encodeWebP(100, 100, checker, exifTIFF(7, false)), 7, true},
		{"webp exif prefix", FormatWEBP, encodeWebP(100, 100, checker, append([]byte("Exif\x00\x00"), exifTIFF(2, true)...)), 2, true},
		{"tiff 4", FormatTIFF, rawTIFF(scene, 4, false), 4, true},
		{"tiff none", FormatTIFF, rawTIFF(scene, 0, true), 0, false},
		{"gif has no exif", FormatGIF, encodeGIF(t, scene), 0, false},
		{"garbage tiff", FormatTIFF, []byte("II*\x00garbage"), 0, false},
		{"jpeg bad marker", FormatJPEG, []byte{0xff, 0xd8, 0x00, 0x00, 0x00, 0x00}, 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, found := exifOrientation(tc.format, tc.data)
			if got != tc.want || found != tc.found {
				t.Fatalf("= %d, %v; want %d, %v", got, found, tc.want, tc.found)
			}
		})
	}
}

// TestExifTruncated cuts each container at every length: the reader must
// never panic and may only report the true value or nothing.
func TestExifTruncated(t *testing.T) {
	scene := testScene(100, 100)
	inputs := map[string][]byte{
		FormatJPEG: withJPEGExif(encodeJPEG(t, scene, 50), exifTIFF(6, true)),
		FormatPNG:  withPNGExif(encodePNG(t, scene), exifTIFF(6, false)),
		FormatWEBP: encodeWebP(100, 100, checker, exifTIFF(6, true)),
		FormatTIFF: rawTIFF(scene, 6, false)[:400],
	}
	for format, data := range inputs {
		n := min(len(data), 600)
		for i := 0; i <= n; i++ {
			if o, found := exifOrientation(format, data[:i]); found && o != 6 {
				t.Fatalf("%s cut at %d: orientation %d", format, i, o)
			}
		}
	}
}
