package generators

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	_ "image/gif"
	_ "image/jpeg"
	_ "image/png"
	"slices"
	"testing"

	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/tiff"
	_ "golang.org/x/image/webp"
	"pgregory.net/rapid"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/fixtures"
)

// configOf decodes the header of b, which must be in format f.
func configOf(f fixtures.Format, b []byte) (w, h int, err error) {
	if f == fixtures.PPM {
		w, h, _, err = ppmHeader(b)
		return w, h, err
	}
	c, name, err := image.DecodeConfig(bytes.NewReader(b))
	if err == nil && name != string(f) {
		err = fmt.Errorf("decoded as %q, want %q", name, f)
	}
	return c.Width, c.Height, err
}

// ppmHeader parses a binary PPM header as the fixtures write it ("P6\n<w> <h>\n255\n") and returns the
// offset of the pixel data.
func ppmHeader(b []byte) (w, h, at int, err error) {
	var maxval int
	n, err := fmt.Sscanf(string(b[:min(len(b), 32)]), "P6\n%d %d\n%d\n", &w, &h, &maxval)
	if err != nil || n != 3 || maxval != 255 {
		return 0, 0, 0, errors.New("no P6 header")
	}
	return w, h, len(fmt.Sprintf("P6\n%d %d\n255\n", w, h)), nil
}

// decodes reports whether b, in format f, decodes completely.
func decodes(f fixtures.Format, b []byte) bool {
	if f == fixtures.PPM {
		w, h, at, err := ppmHeader(b)
		return err == nil && len(b) >= at+3*w*h
	}
	_, _, err := image.Decode(bytes.NewReader(b))
	return err == nil
}

// orientationTag reports whether b holds an EXIF/TIFF Orientation entry (tag 0x0112, SHORT, count 1)
// with a value in 2..8, in either byte order.
func orientationTag(b []byte) bool {
	for o := uint16(2); o <= 8; o++ {
		for _, order := range []binary.AppendByteOrder{binary.BigEndian, binary.LittleEndian} {
			e := order.AppendUint16(nil, 0x0112)
			e = order.AppendUint16(e, 3)
			e = order.AppendUint32(e, 1)
			e = order.AppendUint16(e, o)
			if bytes.Contains(b, e) {
				return true
			}
		}
	}
	return false
}

func TestPictureDecodesAtItsStatedSize(t *testing.T) {
	seen := map[fixtures.Format]bool{}
	largest := 0
	rapid.Check(t, func(t *rapid.T) {
		p := Picture().Draw(t, "picture")
		seen[p.Format] = true
		largest = max(largest, p.W, p.H)
		w, h, err := configOf(p.Format, p.Bytes)
		if err != nil || w != p.W || h != p.H {
			t.Fatalf("%v: config %dx%d, %v", p, w, h, err)
		}
		if hi := PictureMaxSide(p.Format); w < contract.MinPixels || h < contract.MinPixels || w > hi || h > hi {
			t.Fatalf("%v: outside %d..%d", p, contract.MinPixels, hi)
		}
	})
	for _, f := range fixtures.Formats {
		if !seen[f] {
			t.Errorf("format %s never drawn", f)
		}
	}
	if largest <= 2*contract.MinPixels {
		t.Errorf("no side beyond %d pixels", largest)
	}
}

func TestPictureIsDeterministic(t *testing.T) {
	a, b := Picture().Example(3), Picture().Example(3)
	if !bytes.Equal(a.Bytes, b.Bytes) || !bytes.Equal(a.Bytes, fixtures.Image(a.Format, a.Seed, a.W, a.H)) {
		t.Errorf("%v differs between draws", a)
	}
}

func TestPictureOfRejectsUnknownFormat(t *testing.T) {
	mustPanic(t, "svg", func() { PictureOf("svg") })
}

// checkDefect reports why p does not have the defect it claims, or nil.
func checkDefect(p InvalidPic) error {
	if p.Want != p.Defect.Want() || p.Speculative != (p.Defect == Truncated) {
		return fmt.Errorf("want %v speculative %v", p.Want, p.Speculative)
	}
	if p.Defect == WrongFormat {
		if _, _, err := image.DecodeConfig(bytes.NewReader(p.Bytes)); err == nil || p.Format != "" ||
			bytes.HasPrefix(p.Bytes, []byte("P6")) {
			return errors.New("decodes as a picture")
		}
		return nil
	}
	w, h, err := configOf(p.Format, p.Bytes)
	if err != nil {
		return err
	}
	fits := min(w, h) >= contract.MinPixels && max(w, h) <= contract.MaxPixels
	switch p.Defect {
	case TooSmall:
		if min(w, h) >= contract.MinPixels || !decodes(p.Format, p.Bytes) {
			return fmt.Errorf("%dx%d is not too small, or does not decode", w, h)
		}
	case TooLarge:
		if max(w, h) <= contract.MaxPixels || min(w, h) < contract.MinPixels {
			return fmt.Errorf("%dx%d is not just too large", w, h)
		}
	case Rotated:
		if !fits || !orientationTag(p.Bytes) || !slices.Contains(fixtures.RotatableFormats, p.Format) {
			return fmt.Errorf("%dx%d: no orientation 2..8", w, h)
		}
	case Truncated:
		if !fits || decodes(p.Format, p.Bytes) {
			return errors.New("decodes completely")
		}
	case OverSize:
		if !fits || len(p.Bytes) <= contract.MaxPicBytes {
			return fmt.Errorf("%dx%d, %d bytes", w, h, len(p.Bytes))
		}
	}
	return nil
}

func TestInvalidPictureIsWhatItClaims(t *testing.T) {
	seen := map[Defect]bool{}
	rapid.Check(t, func(t *rapid.T) {
		p := InvalidPicture().Draw(t, "picture")
		seen[p.Defect] = true
		if err := checkDefect(p); err != nil {
			t.Fatalf("%v: %v", p, err)
		}
	})
	for _, d := range CheapDefects {
		if !seen[d] {
			t.Errorf("defect %v never drawn", d)
		}
	}
	if seen[OverSize] {
		t.Error("OverSize drawn without asking")
	}
}

func TestInvalidPictureKeepsToTheAskedDefects(t *testing.T) {
	for _, p := range examples(InvalidPicture(Rotated, WrongFormat), 30) {
		if p.Defect != Rotated && p.Defect != WrongFormat {
			t.Fatalf("%v drawn", p)
		}
	}
	p := InvalidPicture(OverSize).Example(0)
	if err := checkDefect(p); err != nil || p.Defect != OverSize {
		t.Errorf("%v: %v", p, err)
	}
	mustPanic(t, "unknown defect", func() { InvalidPicture(Defect(42)) })
}

func TestInvalidPictureBytesAreCopies(t *testing.T) {
	a := InvalidPicture(TooLarge).Example(1)
	a.Bytes[0] ^= 0xff
	if b := InvalidPicture(TooLarge).Example(1); b.Bytes[0] == a.Bytes[0] {
		t.Error("modifying drawn bytes changed the cached fixture")
	}
}
