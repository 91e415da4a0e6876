package imaging

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"
	"golang.org/x/image/webp"
)

// Format names reported in Picture.Format.
const (
	FormatPNG  = "png"
	FormatJPEG = "jpeg"
	FormatGIF  = "gif"
	FormatBMP  = "bmp"
	FormatTIFF = "tiff"
	FormatWEBP = "webp"
	FormatPPM  = "ppm"
)

// codec is one accepted image format (ref §1.5: PNG, JPG/JPEG, BMP, GIF, WEBP,
// TIFF, PPM). Decoders are called directly rather than through image.Decode
// so that the format is the one sniffed here, whatever else is registered.
type codec struct {
	name   string
	config func(io.Reader) (image.Config, error)
	decode func(io.Reader) (image.Image, error)
}

var (
	codecPNG  = codec{FormatPNG, png.DecodeConfig, png.Decode}
	codecJPEG = codec{FormatJPEG, jpeg.DecodeConfig, jpeg.Decode}
	codecGIF  = codec{FormatGIF, gif.DecodeConfig, gif.Decode} // first frame only
	codecBMP  = codec{FormatBMP, bmp.DecodeConfig, bmp.Decode}
	codecTIFF = codec{FormatTIFF, tiff.DecodeConfig, tiff.Decode}
	codecWEBP = codec{FormatWEBP, webp.DecodeConfig, webp.Decode}
	codecPPM  = codec{FormatPPM, DecodePPMConfig, DecodePPM}
)

// sniff identifies the format from its magic bytes.
func sniff(b []byte) (codec, bool) {
	has := func(prefix string) bool { return bytes.HasPrefix(b, []byte(prefix)) }
	switch {
	case has("\x89PNG\r\n\x1a\n"):
		return codecPNG, true
	case has("\xff\xd8\xff"):
		return codecJPEG, true
	case has("GIF87a"), has("GIF89a"):
		return codecGIF, true
	case has("BM"):
		return codecBMP, true
	case has("II*\x00"), has("MM\x00*"):
		return codecTIFF, true
	case len(b) >= 12 && has("RIFF") && string(b[8:12]) == "WEBP":
		return codecWEBP, true
	case len(b) >= 3 && (has("P6") || has("P3")) && isSpace(b[2]):
		return codecPPM, true
	}
	return codec{}, false
}

// errPanic reports a decoder that panicked on hostile input; it is turned into
// UnsupportedPicFormat like any other decode failure.
var errPanic = errors.New("decoder panicked")

// decodeConfig runs the codec's header reader, converting panics to errors as
// a last line of defence against decoder bugs.
func decodeConfig(c codec, b []byte) (cfg image.Config, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", errPanic, r)
		}
	}()
	return c.config(bytes.NewReader(b))
}

// decodeImage runs the codec's full decoder, converting panics to errors.
func decodeImage(c codec, b []byte) (m image.Image, err error) {
	defer func() {
		if r := recover(); r != nil {
			m, err = nil, fmt.Errorf("%w: %v", errPanic, r)
		}
	}()
	return c.decode(bytes.NewReader(b))
}
