package generators

import (
	"fmt"
	"slices"

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
// minimum (contract.MinPixels); the maxima keep encoding cheap: a noisy scene is slow to compress as PNG
// or TIFF and large as GIF or BMP, so those stay small.
func PictureMaxSide(f fixtures.Format) int {
	switch f {
	case fixtures.JPEG, fixtures.WebP, fixtures.PPM:
		return 400
	case fixtures.TIFF:
		return 128
	}
	return 160
}

// Picture returns valid pictures in every accepted format (fixtures.Formats), each side between
// contract.MinPixels and PictureMaxSide of its format, often close to the minimum.
func Picture() *rapid.Generator[Pic] {
	return rapid.Custom(func(t *rapid.T) Pic {
		return PictureOf(rapid.SampledFrom(fixtures.Formats).Draw(t, "format")).Draw(t, "picture")
	})
}

// PictureOf returns valid pictures in format f, sized as Picture's. It panics on a format outside
// fixtures.Formats.
func PictureOf(f fixtures.Format) *rapid.Generator[Pic] {
	checkFormat(f)
	// Half of the sides stay near the minimum: most properties need a picture, not a big one.
	side := rapid.OneOf(rapid.IntRange(contract.MinPixels, contract.MinPixels+28),
		rapid.IntRange(contract.MinPixels, PictureMaxSide(f)))
	return rapid.Custom(func(t *rapid.T) Pic {
		p := Pic{Format: f, Seed: rapid.Int64().Draw(t, "seed"), W: side.Draw(t, "w"), H: side.Draw(t, "h")}
		p.Bytes = fixtures.Image(f, p.Seed, p.W, p.H)
		return p
	})
}

// checkFormat panics if f is not an accepted format.
func checkFormat(f fixtures.Format) {
	if !slices.Contains(fixtures.Formats, f) {
		panic(fmt.Sprintf("generators: unknown format %q", f))
	}
}
