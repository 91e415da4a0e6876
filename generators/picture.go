package generators

import (
	"fmt"

	"pgregory.net/rapid"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/fixtures"
)

// Pic is one valid picture (ref §1.5): fixtures.Image(Format, Seed, W, H).
type Pic struct {
	Format fixtures.Format
	Seed   int64
	W, H   int
	Bytes  []byte
}

// String renders the picture for test logs, without its bytes.
func (p Pic) String() string {
	return fmt.Sprintf("%s %dx%d seed=%d (%d bytes)", p.Format, p.W, p.H, p.Seed, len(p.Bytes))
}

// PictureMaxSide returns the longest side Picture draws for format f. Sides start at the documented
// minimum (contract.MinPixels); the maxima keep encoding cheap: PNG, GIF, BMP and TIFF of a noisy scene
// are slow to encode or large, so they stay small.
func PictureMaxSide(f fixtures.Format) int {
	switch f {
	case fixtures.JPEG, fixtures.WebP, fixtures.PPM:
		return 400
	case fixtures.PNG:
		return 200
	}
	return 160
}

// Picture returns valid pictures in every accepted format (fixtures.Formats), each side between
// contract.MinPixels and PictureMaxSide of its format.
func Picture() *rapid.Generator[Pic] {
	return rapid.Custom(func(t *rapid.T) Pic {
		return PictureOf(rapid.SampledFrom(fixtures.Formats).Draw(t, "format")).Draw(t, "picture")
	})
}

// PictureOf returns valid pictures in format f, sized as Picture's. It panics on a format outside
// fixtures.Formats.
func PictureOf(f fixtures.Format) *rapid.Generator[Pic] {
	checkFormat(f)
	side := rapid.IntRange(contract.MinPixels, PictureMaxSide(f))
	return rapid.Custom(func(t *rapid.T) Pic {
		p := Pic{Format: f, Seed: rapid.Int64().Draw(t, "seed"), W: side.Draw(t, "w"), H: side.Draw(t, "h")}
		p.Bytes = fixtures.Image(f, p.Seed, p.W, p.H)
		return p
	})
}

// checkFormat panics if f is not an accepted format.
func checkFormat(f fixtures.Format) {
	for _, g := range fixtures.Formats {
		if f == g {
			return
		}
	}
	panic(fmt.Sprintf("generators: unknown format %q", f))
}
