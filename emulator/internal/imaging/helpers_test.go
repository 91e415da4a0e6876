package imaging

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/color/palette"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"
	"testing"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"
)

// testScene draws a small deterministic scene: a diagonal gradient with two
// coloured boxes, enough structure for every descriptor part.
func testScene(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			m.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 128, 255})
		}
	}
	draw.Draw(m, image.Rect(w/5, h/5, w/2, h/2), image.NewUniform(color.RGBA{220, 30, 30, 255}), image.Point{}, draw.Src)
	draw.Draw(m, image.Rect(w/2, h/2, 4*w/5, 9*h/10), image.NewUniform(color.RGBA{20, 40, 200, 255}), image.Point{}, draw.Src)
	return m
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func encodePNG(t testing.TB, m image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodeJPEG(t testing.TB, m image.Image, q int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodeGIF(t testing.TB, m image.Image) []byte {
	t.Helper()
	p := image.NewPaletted(m.Bounds(), palette.Plan9)
	draw.Draw(p, p.Rect, m, m.Bounds().Min, draw.Src)
	var buf bytes.Buffer
	if err := gif.Encode(&buf, p, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodeBMP(t testing.TB, m image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := bmp.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodeTIFF(t testing.TB, m image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := tiff.Encode(&buf, m, &tiff.Options{Compression: tiff.Deflate}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// encodePPM writes P6 (binary) or P3 (plain) with the given maxval.
func encodePPM(m image.Image, plain bool, maxval int) []byte {
	var buf bytes.Buffer
	b := m.Bounds()
	magic := "P6"
	if plain {
		magic = "P3"
	}
	fmt.Fprintf(&buf, "%s\n# test image\n%d %d\n%d\n", magic, b.Dx(), b.Dy(), maxval)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.NRGBAModel.Convert(m.At(x, y)).(color.NRGBA)
			for _, v := range []uint8{c.R, c.G, c.B} {
				s := int(v) * maxval / 255
				if plain {
					fmt.Fprintf(&buf, "%d ", s)
				} else {
					buf.WriteByte(byte(s))
				}
			}
		}
		if plain {
			buf.WriteByte('\n')
		}
	}
	return buf.Bytes()
}

// bitWriter packs bits LSB first, as VP8L reads them.
type bitWriter struct {
	out   []byte
	acc   uint64
	nbits uint
}

func (b *bitWriter) put(v uint64, n uint) {
	b.acc |= v << b.nbits
	b.nbits += n
	for b.nbits >= 8 {
		b.out = append(b.out, byte(b.acc))
		b.acc >>= 8
		b.nbits -= 8
	}
}

func (b *bitWriter) bytes() []byte {
	if b.nbits > 0 {
		b.out = append(b.out, byte(b.acc))
	}
	return b.out
}

// encodeWebP writes a lossless (VP8L) WebP of w×h pixels whose green channel
// follows pattern(x, y) between two values, using 2-symbol Huffman codes, so
// no real encoder is needed. exif, when non-nil, goes into a VP8X container.
func encodeWebP(w, h int, pattern func(x, y int) bool, exif []byte) []byte {
	var bw bitWriter
	bw.put(0x2f, 8)
	bw.put(uint64(w-1), 14)
	bw.put(uint64(h-1), 14)
	bw.put(0, 1) // alpha hint
	bw.put(0, 3) // version
	bw.put(0, 1) // no transform
	bw.put(0, 1) // no colour cache
	bw.put(0, 1) // no meta prefix codes
	simple := func(symbols ...uint64) {
		bw.put(1, 1) // simple code
		bw.put(uint64(len(symbols)-1), 1)
		bw.put(1, 1) // 8-bit first symbol
		bw.put(symbols[0], 8)
		if len(symbols) == 2 {
			bw.put(symbols[1], 8)
		}
	}
	simple(40, 210) // green: one bit per pixel
	simple(90)      // red
	simple(160)     // blue
	simple(255)     // alpha
	simple(0)       // distance
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if pattern(x, y) {
				bw.put(1, 1)
			} else {
				bw.put(0, 1)
			}
		}
	}
	var body bytes.Buffer
	body.WriteString("WEBP")
	if exif != nil {
		vp8x := make([]byte, 10)
		vp8x[0] = 1 << 3 // EXIF present
		putUint24(vp8x[4:], w-1)
		putUint24(vp8x[7:], h-1)
		riffChunk(&body, "VP8X", vp8x)
	}
	riffChunk(&body, "VP8L", bw.bytes())
	if exif != nil {
		riffChunk(&body, "EXIF", exif)
	}
	var out bytes.Buffer
	out.WriteString("RIFF")
	binary.Write(&out, binary.LittleEndian, uint32(body.Len()))
	out.Write(body.Bytes())
	return out.Bytes()
}

func putUint24(b []byte, v int) { b[0], b[1], b[2] = byte(v), byte(v>>8), byte(v>>16) }

func riffChunk(w *bytes.Buffer, fourcc string, data []byte) {
	w.WriteString(fourcc)
	binary.Write(w, binary.LittleEndian, uint32(len(data)))
	w.Write(data)
	if len(data)%2 == 1 {
		w.WriteByte(0)
	}
}

func checker(x, y int) bool { return (x/10+y/10)%2 == 0 }

// exifTIFF is a minimal EXIF body (a TIFF header and an IFD0 holding only the
// orientation tag) in either byte order.
func exifTIFF(orientation uint16, bigEndian bool) []byte {
	var bo binary.ByteOrder = binary.LittleEndian
	var buf bytes.Buffer
	buf.WriteString("II*\x00")
	if bigEndian {
		bo = binary.BigEndian
		buf.Reset()
		buf.WriteString("MM\x00*")
	}
	binary.Write(&buf, bo, uint32(8)) // IFD0 offset
	binary.Write(&buf, bo, uint16(1)) // one entry
	binary.Write(&buf, bo, uint16(tagOrientation))
	binary.Write(&buf, bo, uint16(3)) // SHORT
	binary.Write(&buf, bo, uint32(1))
	binary.Write(&buf, bo, orientation)
	binary.Write(&buf, bo, uint16(0))
	binary.Write(&buf, bo, uint32(0)) // no next IFD
	return buf.Bytes()
}

// withJPEGExif inserts an APP1 EXIF segment right after SOI.
func withJPEGExif(jpg, exif []byte) []byte {
	seg := append([]byte("Exif\x00\x00"), exif...)
	out := append([]byte{}, jpg[:2]...)
	out = append(out, 0xff, 0xe1, byte((len(seg)+2)>>8), byte(len(seg)+2))
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// withPNGExif inserts an eXIf chunk right after IHDR.
func withPNGExif(p, exif []byte) []byte {
	const ihdrEnd = 8 + 12 + 13
	out := append([]byte{}, p[:ihdrEnd]...)
	out = append(out, pngChunk("eXIf", exif)...)
	return append(out, p[ihdrEnd:]...)
}

func pngChunk(typ string, data []byte) []byte {
	var buf bytes.Buffer
	binary.Write(&buf, binary.BigEndian, uint32(len(data)))
	buf.WriteString(typ)
	buf.Write(data)
	binary.Write(&buf, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	return buf.Bytes()
}

// pngHeaderOnly is a PNG signature and IHDR claiming w×h, with no pixel data.
func pngHeaderOnly(w, h int) []byte {
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	return append([]byte("\x89PNG\r\n\x1a\n"), pngChunk("IHDR", ihdr)...)
}

// rawTIFF writes an uncompressed RGB TIFF by hand so an orientation tag can be
// added (the x/image encoder has no option for it).
func rawTIFF(m image.Image, orientation uint16, bigEndian bool) []byte {
	var bo binary.ByteOrder = binary.LittleEndian
	magic := "II*\x00"
	if bigEndian {
		bo, magic = binary.BigEndian, "MM\x00*"
	}
	b := m.Bounds()
	w, h := b.Dx(), b.Dy()
	type entry struct{ tag, typ, count, value uint32 }
	entries := []entry{
		{256, 4, 1, uint32(w)}, {257, 4, 1, uint32(h)},
		{258, 3, 3, 0}, // bits per sample: 3 SHORTs stored after the IFD
		{259, 3, 1, 1}, {262, 3, 1, 2},
		{273, 4, 1, 0}, // strip offset, patched below
		{274, 3, 1, uint32(orientation)},
		{277, 3, 1, 3}, {278, 4, 1, uint32(h)}, {279, 4, 1, uint32(3 * w * h)},
	}
	if orientation == 0 {
		entries = append(entries[:6], entries[7:]...)
	}
	ifdLen := 2 + 12*len(entries) + 4
	entries[2].value = uint32(8 + ifdLen)
	entries[5].value = uint32(8 + ifdLen + 6)
	var buf bytes.Buffer
	buf.WriteString(magic)
	binary.Write(&buf, bo, uint32(8))
	binary.Write(&buf, bo, uint16(len(entries)))
	for _, e := range entries {
		binary.Write(&buf, bo, uint16(e.tag))
		binary.Write(&buf, bo, uint16(e.typ))
		binary.Write(&buf, bo, e.count)
		if e.typ == 3 && e.count == 1 {
			binary.Write(&buf, bo, uint16(e.value))
			binary.Write(&buf, bo, uint16(0))
		} else {
			binary.Write(&buf, bo, e.value)
		}
	}
	binary.Write(&buf, bo, uint32(0))
	binary.Write(&buf, bo, [3]uint16{8, 8, 8})
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.RGBAModel.Convert(m.At(x, y)).(color.RGBA)
			buf.Write([]byte{c.R, c.G, c.B})
		}
	}
	return buf.Bytes()
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
