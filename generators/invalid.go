package generators

import (
	"bytes"
	"fmt"
	"slices"
	"sync"

	"pgregory.net/rapid"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/fixtures"
)

// Defect names what makes a picture unacceptable (ref §1.5).
type Defect int

// The defects.
const (
	// TooSmall: a side shorter than contract.MinPixels.
	TooSmall Defect = iota
	// TooLarge: a side longer than contract.MaxPixels (fixtures.TooLarge, 4097×120).
	TooLarge
	// Rotated: an EXIF Orientation tag of 2..8 (fixtures.Rotated).
	Rotated
	// WrongFormat: plain text or an SVG document, neither an accepted format.
	WrongFormat
	// Truncated: a picture cut in half after a complete header (fixtures.Truncated).
	Truncated
	// OverSize: a valid picture of more than contract.MaxPicBytes (fixtures.OverSize, about 4 MB). Opt-in,
	// since it is costly to send many times.
	OverSize
)

// Defects lists every defect in a stable order.
var Defects = []Defect{TooSmall, TooLarge, Rotated, WrongFormat, Truncated, OverSize}

// CheapDefects are the defects InvalidPicture draws from by default: all but OverSize.
var CheapDefects = []Defect{TooSmall, TooLarge, Rotated, WrongFormat, Truncated}

// String returns a short stable name, usable in test names.
func (d Defect) String() string {
	switch d {
	case TooSmall:
		return "too-small"
	case TooLarge:
		return "too-large"
	case Rotated:
		return "rotated"
	case WrongFormat:
		return "wrong-format"
	case Truncated:
		return "truncated"
	case OverSize:
		return "over-size"
	}
	return fmt.Sprintf("Defect(%d)", int(d))
}

// Want returns the error the reference associates with the defect (ref §1.5; the mapping is marked
// inferred there). Truncated has no documented error: UnsupportedPicFormat is the closest.
func (d Defect) Want() contract.Error {
	switch d {
	case TooSmall, TooLarge:
		return contract.UnsupportedPicPixels
	case Rotated:
		return contract.IncorrectOrientation
	case WrongFormat, Truncated:
		return contract.UnsupportedPicFormat
	case OverSize:
		return contract.InvalidPicContent
	}
	panic(fmt.Sprintf("generators: unknown defect %d", int(d)))
}

// Speculative reports whether the reference names no error for the defect, so that Want is a best guess
// and a mismatch is a finding to report rather than a contract failure.
func (d Defect) Speculative() bool { return d == Truncated }

// InvalidPic is one unacceptable picture and the error the reference associates with it.
type InvalidPic struct {
	Defect Defect
	// Name describes the case, e.g. "too-small/png 37x150" or "rotated/jpeg orientation=6".
	Name string
	// Format is the encoding of Bytes, or "" for bytes in no accepted format.
	Format fixtures.Format
	Bytes  []byte
	// Want is Defect.Want(); Speculative is Defect.Speculative().
	Want        contract.Error
	Speculative bool
}

// String renders the case for test logs, without its bytes.
func (p InvalidPic) String() string { return fmt.Sprintf("%s (%d bytes)", p.Name, len(p.Bytes)) }

// InvalidPicture returns unacceptable pictures with one of the given defects, CheapDefects when none is
// given. Fixed fixtures (TooLarge, Rotated, Truncated) are built once per format and copied out, so
// drawing them is cheap and callers may modify the bytes. It panics on an unknown defect.
func InvalidPicture(defects ...Defect) *rapid.Generator[InvalidPic] {
	if len(defects) == 0 {
		defects = CheapDefects
	}
	defects = slices.Clone(defects) // the caller may reuse its slice
	for _, d := range defects {
		d.Want() // panics on an unknown defect
	}
	return rapid.Custom(func(t *rapid.T) InvalidPic {
		d := rapid.SampledFrom(defects).Draw(t, "defect")
		p := defective(t, d)
		p.Defect, p.Want, p.Speculative = d, d.Want(), d.Speculative()
		return p
	})
}

// defective draws the name, format and bytes of a picture with defect d.
func defective(t *rapid.T, d Defect) InvalidPic {
	switch d {
	case TooSmall:
		return tooSmall(t)
	case TooLarge:
		f := rapid.SampledFrom(fixtures.Formats).Draw(t, "format")
		return fixed("too-large/"+string(f), f, func() []byte { return fixtures.TooLarge(f) })
	case Rotated:
		f := rapid.SampledFrom(fixtures.RotatableFormats).Draw(t, "format")
		o := rapid.IntRange(2, 8).Draw(t, "orientation")
		return fixed(fmt.Sprintf("rotated/%s orientation=%d", f, o), f, func() []byte { return fixtures.Rotated(f, o) })
	case WrongFormat:
		return wrongFormat(t)
	case Truncated:
		f := rapid.SampledFrom(fixtures.Formats).Draw(t, "format")
		return fixed("truncated/"+string(f), f, func() []byte { return fixtures.Truncated(f) })
	}
	return InvalidPic{Name: "over-size/bmp", Format: fixtures.BMP, Bytes: fixtures.OverSize()}
}

// tooSmall draws a picture with one side in 1..99 pixels, often exactly 99 (one pixel short), and the
// other in 1..200, in any format.
func tooSmall(t *rapid.T) InvalidPic {
	f := rapid.SampledFrom(fixtures.Formats).Draw(t, "format")
	short := rapid.OneOf(rapid.Just(contract.MinPixels-1), rapid.IntRange(1, contract.MinPixels-1)).Draw(t, "short side")
	other := rapid.IntRange(1, 2*contract.MinPixels).Draw(t, "other side")
	w, h := short, other
	if rapid.Bool().Draw(t, "short is height") {
		w, h = other, short
	}
	seed := rapid.Int64().Draw(t, "seed")
	return InvalidPic{Name: fmt.Sprintf("too-small/%s %dx%d", f, w, h), Format: f, Bytes: fixtures.Image(f, seed, w, h)}
}

// wrongFormat draws fixtures.NotAnImage or an SVG document of an acceptable pixel size, so that only the
// format is wrong.
func wrongFormat(t *rapid.T) InvalidPic {
	if !rapid.Bool().Draw(t, "svg") {
		return InvalidPic{Name: "wrong-format/text", Bytes: fixtures.NotAnImage()}
	}
	side := rapid.IntRange(contract.MinPixels, 400)
	w, h := side.Draw(t, "w"), side.Draw(t, "h")
	fill := rapid.IntRange(0, 0xffffff).Draw(t, "fill")
	svg := fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d">`+
		`<rect width="100%%" height="100%%" fill="#%06x"/></svg>`+"\n", w, h, fill)
	return InvalidPic{Name: fmt.Sprintf("wrong-format/svg %dx%d", w, h), Bytes: []byte(svg)}
}

// fixtureCache holds fixed fixtures by name; each is built once, on first use.
var fixtureCache = struct {
	sync.Mutex
	m map[string]func() []byte
}{m: map[string]func() []byte{}}

// fixed returns the fixture called name, in format f, building it with build the first time.
func fixed(name string, f fixtures.Format, build func() []byte) InvalidPic {
	return InvalidPic{Name: name, Format: f, Bytes: cached(name, build)}
}

// cached returns a copy of the fixture called name, building it with build the first time.
func cached(name string, build func() []byte) []byte {
	fixtureCache.Lock()
	get, ok := fixtureCache.m[name]
	if !ok {
		get = sync.OnceValue(build)
		fixtureCache.m[name] = get
	}
	fixtureCache.Unlock()
	return bytes.Clone(get())
}
