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
// any other becomes %25XX, the "%" of its first encoding encoded again (hex digits are unreserved). Runs
// of unreserved bytes, most of a value, are appended whole.
func appendEncodedTwice(b []byte, s string) []byte {
	run := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			continue
		}
		b = append(b, s[run:i]...)
		b = append(b, '%', '2', '5', upperHex[c>>4], upperHex[c&15])
		run = i + 1
	}
	return append(b, s[run:]...)
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

// parseTimestamp accepts exactly TimestampLayout; anything else is InvalidTimeStamp.Format. It reads the
// fixed layout by position, which is what time.Parse followed by a Format round trip accepts, at a
// fraction of the cost (every request carries one).
func parseTimestamp(s string) (time.Time, error) {
	bad := func() (time.Time, error) {
		return time.Time{}, timeStampFormat("timestamp " + quoteShort(s) + " is not " + TimestampLayout)
	}
	if len(s) != len(TimestampLayout) || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
		s[16] != ':' || s[19] != 'Z' {
		return bad()
	}
	var f [6]int // year, month, day, hour, minute, second
	for i, span := range [6][2]int{{0, 4}, {5, 7}, {8, 10}, {11, 13}, {14, 16}, {17, 19}} {
		for _, c := range []byte(s[span[0]:span[1]]) {
			if c < '0' || c > '9' {
				return bad()
			}
			f[i] = f[i]*10 + int(c-'0')
		}
	}
	t := time.Date(f[0], time.Month(f[1]), f[2], f[3], f[4], f[5], 0, time.UTC)
	// time.Date normalises (Feb 30 is Mar 2, 24:00 the next day): a field out of range shows as a change.
	if t.Year() != f[0] || int(t.Month()) != f[1] || t.Day() != f[2] || t.Hour() != f[3] || t.Minute() != f[4] ||
		t.Second() != f[5] {
		return bad()
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
