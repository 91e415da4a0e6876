package imaging

import (
	"encoding/base64"

	"github.com/imagesearch-conformance/conformance/contract"
)

// Image limits from the product "Limits" page (ref §1.5), defined once in contract.
const (
	// MaxPicBytes is the largest accepted image, in decoded bytes.
	MaxPicBytes = contract.MaxPicBytes
	// MinSide and MaxSide bound the width and the height, in pixels.
	MinSide = contract.MinPixels
	MaxSide = contract.MaxPixels
)

// maxEncodedLen is the longest padded Base64 text whose decoded size can still
// be within MaxPicBytes; anything longer is rejected without decoding.
var maxEncodedLen = base64.StdEncoding.EncodedLen(MaxPicBytes)

// isSpace reports the characters ignored inside PicContent (line-wrapped
// Base64 is common in hand-made requests).
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// decodeContent turns PicContent into image bytes: standard alphabet, padding
// optional, embedded whitespace ignored. Checks run in the order of ref §1.5's
// error list: empty, too large, not Base64.
func decodeContent(s string) ([]byte, *Error) {
	n := 0
	for i := 0; i < len(s); i++ {
		if !isSpace(s[i]) {
			n++
		}
	}
	if n == 0 {
		return nil, newError(CodeNoSpecifiedPicContent, "PicContent is empty")
	}
	if n > maxEncodedLen {
		return nil, newError(CodeInvalidPicContent, "image larger than 4 MiB")
	}
	compact := make([]byte, 0, n)
	for i := 0; i < len(s); i++ {
		if !isSpace(s[i]) {
			compact = append(compact, s[i])
		}
	}
	for k := 0; k < 2 && len(compact) > 0 && compact[len(compact)-1] == '='; k++ {
		compact = compact[:len(compact)-1]
	}
	enc := base64.RawStdEncoding
	out := make([]byte, enc.DecodedLen(len(compact)))
	m, err := enc.Decode(out, compact)
	if err != nil {
		return nil, newError(CodeUnsupportedPicFormat, "PicContent is not Base64: "+err.Error())
	}
	if m > MaxPicBytes {
		return nil, newError(CodeInvalidPicContent, "image larger than 4 MiB")
	}
	return out[:m], nil
}
