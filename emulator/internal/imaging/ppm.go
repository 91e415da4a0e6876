package imaging

import (
	"bufio"
	"errors"
	"image"
	"image/color"
	"io"
)

// PPM ("portable pixmap", P6 binary and P3 plain) is one of the accepted
// formats (ref §1.5) but neither the standard library nor x/image decodes it.
// Only 8-bit samples (maxval ≤ 255) are supported.

// ppmMaxPixels caps allocation for callers that decode without checking the
// header first (Inspect always checks it).
const ppmMaxPixels = 1 << 26

var errPPM = errors.New("ppm: invalid image")

func init() {
	image.RegisterFormat("ppm", "P6", DecodePPM, DecodePPMConfig)
	image.RegisterFormat("ppm", "P3", DecodePPM, DecodePPMConfig)
}

type ppmHeader struct {
	plain         bool
	width, height int
	maxval        int
}

// DecodePPMConfig reads the dimensions of a P6 or P3 image.
func DecodePPMConfig(r io.Reader) (image.Config, error) {
	h, err := readPPMHeader(bufio.NewReader(r))
	if err != nil {
		return image.Config{}, err
	}
	return image.Config{ColorModel: color.RGBAModel, Width: h.width, Height: h.height}, nil
}

// DecodePPM decodes a P6 or P3 image into an *image.RGBA.
func DecodePPM(r io.Reader) (image.Image, error) {
	br := bufio.NewReader(r)
	h, err := readPPMHeader(br)
	if err != nil {
		return nil, err
	}
	if h.width*h.height > ppmMaxPixels {
		return nil, errors.New("ppm: image too large")
	}
	m := image.NewRGBA(image.Rect(0, 0, h.width, h.height))
	if h.plain {
		err = readPPMPlain(br, m, h.maxval)
	} else {
		err = readPPMBinary(br, m, h.maxval)
	}
	if err != nil {
		return nil, err
	}
	return m, nil
}

func readPPMHeader(br *bufio.Reader) (ppmHeader, error) {
	var magic [2]byte
	if _, err := io.ReadFull(br, magic[:]); err != nil {
		return ppmHeader{}, errPPM
	}
	if magic[0] != 'P' || (magic[1] != '6' && magic[1] != '3') {
		return ppmHeader{}, errPPM
	}
	h := ppmHeader{plain: magic[1] == '3'}
	var vals [3]int
	for i := range vals {
		v, err := readPPMInt(br)
		if err != nil {
			return ppmHeader{}, err
		}
		vals[i] = v
	}
	h.width, h.height, h.maxval = vals[0], vals[1], vals[2]
	if h.width < 1 || h.height < 1 || h.maxval < 1 || h.maxval > 255 {
		return ppmHeader{}, errPPM
	}
	// Exactly one whitespace byte separates the header from binary samples.
	c, err := br.ReadByte()
	if err != nil || !isSpace(c) {
		return ppmHeader{}, errPPM
	}
	return h, nil
}

// readPPMInt skips whitespace and '#' comments, then reads a decimal number.
// Numbers are capped so that hostile headers cannot overflow.
func readPPMInt(br *bufio.Reader) (int, error) {
	c, err := skipPPMSpace(br)
	if err != nil {
		return 0, err
	}
	if c < '0' || c > '9' {
		return 0, errPPM
	}
	v := 0
	for c >= '0' && c <= '9' {
		v = v*10 + int(c-'0')
		if v > 1<<24 {
			return 0, errPPM
		}
		if c, err = br.ReadByte(); err != nil {
			return v, nil
		}
	}
	return v, br.UnreadByte()
}

func skipPPMSpace(br *bufio.Reader) (byte, error) {
	for {
		c, err := br.ReadByte()
		if err != nil {
			return 0, errPPM
		}
		switch {
		case c == '#':
			if err := skipPPMComment(br); err != nil {
				return 0, err
			}
		case isSpace(c):
		default:
			return c, nil
		}
	}
}

func skipPPMComment(br *bufio.Reader) error {
	for {
		_, err := br.ReadSlice('\n')
		if err == nil {
			return nil
		}
		if err != bufio.ErrBufferFull {
			return errPPM
		}
	}
}

// scalePPM maps a sample in [0, maxval] to [0, 255].
func scalePPM(v, maxval int) uint8 {
	if maxval == 255 {
		return uint8(v)
	}
	return uint8((v*255 + maxval/2) / maxval)
}

func readPPMBinary(br *bufio.Reader, m *image.RGBA, maxval int) error {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	row := make([]byte, 3*w)
	for y := 0; y < h; y++ {
		if _, err := io.ReadFull(br, row); err != nil {
			return errPPM
		}
		dst := m.Pix[y*m.Stride : y*m.Stride+4*w]
		for x := 0; x < w; x++ {
			for c := 0; c < 3; c++ {
				v := int(row[3*x+c])
				if v > maxval {
					return errPPM
				}
				dst[4*x+c] = scalePPM(v, maxval)
			}
			dst[4*x+3] = 0xff
		}
	}
	return nil
}

func readPPMPlain(br *bufio.Reader, m *image.RGBA, maxval int) error {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	for y := 0; y < h; y++ {
		dst := m.Pix[y*m.Stride : y*m.Stride+4*w]
		for x := 0; x < w; x++ {
			for c := 0; c < 3; c++ {
				v, err := readPPMInt(br)
				if err != nil || v > maxval {
					return errPPM
				}
				dst[4*x+c] = scalePPM(v, maxval)
			}
			dst[4*x+3] = 0xff
		}
	}
	return nil
}
