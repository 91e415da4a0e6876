package signature

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// TimestampLayout is the only timestamp format the gateway documents for Timestamp (V1) and
// x-acs-date (V3): ISO 8601 UTC at one-second resolution (sdk-go-v1.md §2 step 7).
const TimestampLayout = "2006-01-02T15:04:05Z"

const upperHex = "0123456789ABCDEF"

// percentEncode is the RFC 3986 encoding both schemes use (sdk-go-v1.md §2 step 4):
// A-Z a-z 0-9 - _ . ~ are kept, every other UTF-8 byte becomes %XX with upper-case hex, so a
// space is %20 (never +), * is %2A and ~ is never %7E. The SDKs reach the same result with
// url.QueryEscape followed by three replacements; a test checks the two agree.
func percentEncode(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(upperHex[c>>4])
		b.WriteByte(upperHex[c&15])
	}
	return b.String()
}

// appendEncodedTwice appends percentEncode(percentEncode(s)) in one pass: an unreserved byte stays,
// any other becomes %25XX, the "%" of its first encoding encoded again (hex digits are unreserved).
func appendEncodedTwice(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			b = append(b, c)
			continue
		}
		b = append(b, '%', '2', '5', upperHex[c>>4], upperHex[c&15])
	}
	return b
}

func unreserved(c byte) bool { return unreservedTable[c] }

// unreservedTable holds the RFC 3986 unreserved bytes; a table lookup is the cheapest test in the loops
// above, which run over every byte of every signed parameter.
var unreservedTable = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '~'
	}
	return t
}()

func hexSHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// parseTimestamp accepts exactly TimestampLayout; anything else is InvalidTimeStamp.Format.
func parseTimestamp(s string) (time.Time, error) {
	t, err := time.Parse(TimestampLayout, s)
	if err != nil || t.Format(TimestampLayout) != s {
		return time.Time{}, timeStampFormat("timestamp " + quoteShort(s) + " is not " + TimestampLayout)
	}
	return t, nil
}

// quoteShort quotes a client-supplied value for an error detail, capped so that a huge header
// cannot blow up log lines.
func quoteShort(s string) string {
	const max = 64
	if len(s) > max {
		s = s[:max] + "..."
	}
	return strconv.Quote(s)
}
