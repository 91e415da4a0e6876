package imaging

import (
	"bytes"
	"encoding/binary"
)

// The service rejects images that carry rotation information (ref §1.5,
// IncorrectOrientation). This is a minimal reader for the EXIF Orientation tag
// (0x0112 in IFD0) in the four containers that can hold EXIF: JPEG APP1,
// PNG eXIf, WebP EXIF and TIFF itself. Every read is bounds-checked; truncated
// or garbage EXIF reads as "no orientation".

const tagOrientation = 0x0112

// exifOrientation returns the orientation value and whether the tag is present.
func exifOrientation(format string, b []byte) (int, bool) {
	switch format {
	case FormatJPEG:
		return jpegOrientation(b)
	case FormatPNG:
		return pngOrientation(b)
	case FormatWEBP:
		return webpOrientation(b)
	case FormatTIFF:
		return tiffOrientation(b)
	}
	return 0, false
}

// jpegOrientation walks the marker segments before the scan data and reads the
// first APP1 segment that holds EXIF.
func jpegOrientation(b []byte) (int, bool) {
	i := 2 // after SOI
	for i+4 <= len(b) {
		if b[i] != 0xff {
			return 0, false
		}
		marker := b[i+1]
		switch {
		case marker == 0xff: // fill byte
			i++
			continue
		case marker == 0x01 || (marker >= 0xd0 && marker <= 0xd8):
			i += 2 // markers without a length
			continue
		case marker == 0xda || marker == 0xd9:
			return 0, false // scan data or end of image: no EXIF before it
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			return 0, false
		}
		seg := b[i+4 : i+2+n]
		if marker == 0xe1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
			return tiffOrientation(seg[6:])
		}
		i += 2 + n
	}
	return 0, false
}

// pngOrientation reads the eXIf chunk, wherever it is placed.
func pngOrientation(b []byte) (int, bool) {
	i := 8 // after the signature
	for i+12 <= len(b) {
		n := binary.BigEndian.Uint32(b[i:])
		typ := string(b[i+4 : i+8])
		if uint64(n) > uint64(len(b)-i-12) {
			return 0, false
		}
		data := b[i+8 : i+8+int(n)]
		if typ == "eXIf" {
			return tiffOrientation(data)
		}
		if typ == "IEND" {
			return 0, false
		}
		i += 12 + int(n)
	}
	return 0, false
}

// webpOrientation reads the EXIF chunk of a RIFF/WEBP container. Some writers
// keep the JPEG-style "Exif\0\0" prefix inside the chunk, so it is skipped.
func webpOrientation(b []byte) (int, bool) {
	i := 12 // after "RIFF", size, "WEBP"
	for i+8 <= len(b) {
		typ := string(b[i : i+4])
		n := binary.LittleEndian.Uint32(b[i+4:])
		if uint64(n) > uint64(len(b)-i-8) {
			return 0, false
		}
		data := b[i+8 : i+8+int(n)]
		if typ == "EXIF" {
			return tiffOrientation(bytes.TrimPrefix(data, []byte("Exif\x00\x00")))
		}
		i += 8 + int(n) + int(n&1) // chunks are padded to an even size
	}
	return 0, false
}

// tiffOrientation reads tag 0x0112 from IFD0 of a TIFF structure (the body of
// any EXIF block, or a whole TIFF file).
func tiffOrientation(t []byte) (int, bool) {
	if len(t) < 8 {
		return 0, false
	}
	var bo binary.ByteOrder
	switch string(t[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return 0, false
	}
	off := uint64(bo.Uint32(t[4:]))
	if off+2 > uint64(len(t)) {
		return 0, false
	}
	count := uint64(bo.Uint16(t[off:]))
	entries := t[off+2:]
	if count*12 > uint64(len(entries)) {
		count = uint64(len(entries)) / 12 // truncated IFD: read what is there
	}
	for k := uint64(0); k < count; k++ {
		e := entries[k*12 : k*12+12]
		if bo.Uint16(e) != tagOrientation {
			continue
		}
		switch bo.Uint16(e[2:]) { // field type
		case 3: // SHORT, stored left-justified in the value field
			return int(bo.Uint16(e[8:])), true
		case 4: // LONG, tolerated although the spec says SHORT
			v := bo.Uint32(e[8:])
			if v > 1<<16 {
				v = 1 << 16
			}
			return int(v), true
		}
		return 0, false
	}
	return 0, false
}
