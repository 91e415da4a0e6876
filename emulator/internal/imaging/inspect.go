// Package imaging validates and decodes the images the service receives
// (PicContent) and computes the visual descriptor the emulator's similarity
// search ranks by.
//
// Validation follows the image constraints of the contract (ref §1.5): size,
// format, pixel dimensions and rotation flags, each mapped to the service's
// own error code. The descriptor is a small deterministic stand-in for the
// service's learned embeddings; see Descriptor and Score.
package imaging

import (
	"strconv"
	"strings"
)

// Options selects the part of the image that is described (ref §3, §5.1).
type Options struct {
	// Region is "x1,x2,y1,y2" in pixels; when set it wins over Crop.
	Region string
	// Crop asks for the main subject to be detected and described; without
	// it the whole image is described.
	Crop bool
}

// Picture is the outcome of a successful Inspect. The decoded pixels are not
// kept: only what the emulator stores or reports.
type Picture struct {
	// Format is one of the Format* constants.
	Format string
	// Width and Height are the image's dimensions in pixels.
	Width, Height int
	// Region is the box actually described, "x1,x2,y1,y2" (PicInfo.Region).
	Region string
	// Descriptor is the visual signature of Region.
	Descriptor Descriptor
}

// Inspect decodes PicContent (standard Base64, padding optional, whitespace
// ignored), validates it and describes it. Checks run in this order, each
// failure an *Error with the code given:
//
//  1. empty: CodeNoSpecifiedPicContent; larger than 4 MiB: CodeInvalidPicContent;
//     not Base64: CodeUnsupportedPicFormat;
//  2. not PNG, JPEG, GIF, BMP, TIFF, WEBP or PPM: CodeUnsupportedPicFormat;
//  3. a side outside [100, 4096] px, read from the header before any pixel is
//     decoded: CodeUnsupportedPicPixels;
//  4. an EXIF orientation other than 1: CodeIncorrectOrientation;
//  5. a malformed or out-of-bounds opt.Region: CodeInvalidRegion;
//  6. corrupt image data: CodeUnsupportedPicFormat.
func Inspect(picContent string, opt Options) (*Picture, error) {
	data, e := decodeContent(picContent)
	if e != nil {
		return nil, e
	}
	c, ok := sniff(data)
	if !ok {
		return nil, newError(CodeUnsupportedPicFormat, "unrecognised image format")
	}
	cfg, err := decodeConfig(c, data)
	if err != nil {
		return nil, newError(CodeUnsupportedPicFormat, c.name+" header: "+err.Error())
	}
	w, h := cfg.Width, cfg.Height
	if w < MinSide || w > MaxSide || h < MinSide || h > MaxSide {
		return nil, newError(CodeUnsupportedPicPixels,
			"image is "+strconv.Itoa(w)+"x"+strconv.Itoa(h)+" px")
	}
	if o, ok := exifOrientation(c.name, data); ok && o != 1 {
		return nil, newError(CodeIncorrectOrientation, "EXIF orientation "+strconv.Itoa(o))
	}
	var region *Region
	if strings.TrimSpace(opt.Region) != "" {
		r, err := ParseRegion(opt.Region, w, h)
		if err != nil {
			return nil, err
		}
		region = &r
	}
	img, err := decodeImage(c, data)
	if err != nil {
		return nil, newError(CodeUnsupportedPicFormat, c.name+" data: "+err.Error())
	}
	b := img.Bounds()
	if b.Dx() != w || b.Dy() != h {
		return nil, newError(CodeUnsupportedPicFormat, "decoded size differs from header")
	}
	p := &Picture{Format: c.name, Width: w, Height: h}
	p.Descriptor, p.Region = describe(img, region, opt.Crop)
	return p, nil
}
