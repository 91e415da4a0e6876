package generators

import (
	"fmt"
	"strings"
	"sync"
	"unicode"

	"pgregory.net/rapid"

	"github.com/imagesearch-conformance/conformance/contract"
)

// Alphabet names a family of characters that String draws from.
type Alphabet int

// The alphabets. All but Forbidden are guaranteed free of AddImage's forbidden characters `\ ¥ $ & %`
// (ref §3), so a suite can tell the length rule and the character rule apart.
const (
	// ASCII is printable ASCII, U+0020–U+007E (space included), without the forbidden `\ $ & %`.
	ASCII Alphabet = iota
	// CJK is the CJK Unified Ideographs block, U+4E00–U+9FFF: 3 bytes per code point in UTF-8.
	CJK
	// Emoji is assigned symbols of the astral emoji blocks (U+1F300–U+1F64F, U+1F680–U+1F6FF,
	// U+1F900–U+1F9FF): 4 bytes per code point in UTF-8, two UTF-16 units each.
	Emoji
	// Combining is ASCII letters followed by combining diacritical marks (U+0300–U+036F). Each mark is its
	// own code point, so "é" written as "e"+U+0301 counts 2; the first code point is always a letter. A
	// service that normalises to NFC would shorten such strings: that difference is what the alphabet is
	// for.
	Combining
	// Mixed draws each code point from ASCII, Latin-1 letters, Greek, Cyrillic, CJK, Emoji or the
	// combining marks; a mark may follow any of them.
	Mixed
	// Forbidden is Mixed text that contains at least one of AddImage's forbidden characters (ref §3).
	Forbidden
)

// Alphabets lists every alphabet in a stable order, for table-driven tests.
var Alphabets = []Alphabet{ASCII, CJK, Emoji, Combining, Mixed, Forbidden}

// CleanAlphabets lists the alphabets that never produce a forbidden character: the ones valid for
// AddImage's StrAttr* (ref §3).
var CleanAlphabets = []Alphabet{ASCII, CJK, Emoji, Combining, Mixed}

// BMPAlphabets are the clean alphabets without characters outside the Basic Multilingual Plane, where code
// points and UTF-16 code units agree: lengths drawn from them mean the same under every allowed reading of
// the length unit (ref §10 #9).
var BMPAlphabets = []Alphabet{ASCII, CJK, Combining}

// String returns a short stable name, usable in test names.
func (a Alphabet) String() string {
	switch a {
	case ASCII:
		return "ascii"
	case CJK:
		return "cjk"
	case Emoji:
		return "emoji"
	case Combining:
		return "combining"
	case Mixed:
		return "mixed"
	case Forbidden:
		return "forbidden"
	}
	return fmt.Sprintf("Alphabet(%d)", int(a))
}

// ForbiddenRunes are AddImage's forbidden characters as runes (ref §3; contract.AddImageForbidden).
var ForbiddenRunes = []rune(contract.AddImageForbidden)

// String returns strings of a, each between minChars and maxChars code points long, valid UTF-8 and
// free of C0 controls and DEL (see the package documentation). Forbidden strings always contain a
// forbidden character, so their minimum length is raised to 1; the other alphabets never contain one.
// String panics if minChars < 0, maxChars < minChars, a is unknown, or a is Forbidden and maxChars < 1.
func String(a Alphabet, minChars, maxChars int) *rapid.Generator[string] {
	checkAlphabet(a)
	if minChars < 0 || maxChars < minChars {
		panic(fmt.Sprintf("generators: bad length range [%d, %d]", minChars, maxChars))
	}
	if a == Forbidden {
		if maxChars < 1 {
			panic("generators: a Forbidden string needs at least one character")
		}
		minChars = max(minChars, 1)
	}
	return rapid.Custom(func(t *rapid.T) string {
		return text(t, a, rapid.IntRange(minChars, maxChars).Draw(t, "chars"))
	})
}

// checkAlphabet panics on an Alphabet outside the declared constants.
func checkAlphabet(a Alphabet) {
	if a < ASCII || a > Forbidden {
		panic(fmt.Sprintf("generators: unknown alphabet %d", int(a)))
	}
}

// text draws a string of exactly n code points of alphabet a. For Forbidden, n must be at least 1.
func text(t *rapid.T, a Alphabet, n int) string {
	r := runes()
	switch a {
	case Combining:
		if n == 0 {
			return ""
		}
		// A leading mark would combine with whatever precedes the string; start on a letter.
		return string(r.base.Draw(t, "base")) + exactly(t, r.combiningTail, n-1)
	case Forbidden:
		s := []rune(exactly(t, r.mixedOrForbidden, n))
		at := rapid.IntRange(0, n-1).Draw(t, "forbidden at")
		s[at] = rapid.SampledFrom(ForbiddenRunes).Draw(t, "forbidden char")
		return string(s)
	}
	return exactly(t, r.byAlphabet[a], n)
}

// exactly draws a string of exactly n runes from g.
func exactly(t *rapid.T, g *rapid.Generator[rune], n int) string {
	return rapid.StringOfN(g, n, n, -1).Draw(t, "text")
}

// runeGens holds the rune generators behind the alphabets. Building them expands the CJK block into a
// 21k-rune table, so they are built once, on first use.
type runeGens struct {
	byAlphabet       map[Alphabet]*rapid.Generator[rune]
	base             *rapid.Generator[rune] // ASCII letters
	combiningTail    *rapid.Generator[rune] // letters and marks, marks twice as likely
	mixedOrForbidden *rapid.Generator[rune] // Mixed, with a forbidden character one time in four
}

// runes returns the shared rune generators.
var runes = sync.OnceValue(func() *runeGens {
	letters := collect(0x41, 0x7a, func(r rune) bool { return r <= 'Z' || r >= 'a' })
	ascii := rapid.RuneFrom(collect(0x20, 0x7e, notForbidden))
	cjk := rapid.RuneFrom(nil, &unicode.RangeTable{R16: []unicode.Range16{{Lo: 0x4e00, Hi: 0x9fff, Stride: 1}}})
	emoji := rapid.RuneFrom(emojiRunes())
	marks := rapid.RuneFrom(collect(0x300, 0x36f, nil))
	latin := rapid.RuneFrom(collect(0xc0, 0xff, unicode.IsLetter))
	greek := rapid.RuneFrom(collect(0x391, 0x3c9, unicode.IsLetter))
	cyrillic := rapid.RuneFrom(collect(0x410, 0x44f, nil))
	base := rapid.RuneFrom(letters)
	mixed := rapid.OneOf(ascii, latin, greek, cyrillic, cjk, emoji, marks)
	return &runeGens{
		byAlphabet:       map[Alphabet]*rapid.Generator[rune]{ASCII: ascii, CJK: cjk, Emoji: emoji, Mixed: mixed},
		base:             base,
		combiningTail:    rapid.OneOf(base, marks, marks),
		mixedOrForbidden: rapid.OneOf(mixed, mixed, mixed, rapid.SampledFrom(ForbiddenRunes)),
	}
})

// emojiBlocks are the astral-plane blocks Emoji draws from: Miscellaneous Symbols and Pictographs,
// Emoticons, Transport and Map Symbols, Supplemental Symbols and Pictographs.
var emojiBlocks = [][2]rune{{0x1f300, 0x1f64f}, {0x1f680, 0x1f6ff}, {0x1f900, 0x1f9ff}}

// emojiRunes returns the assigned symbols (category So) of emojiBlocks; unassigned code points are left
// out, since a service may reject them.
func emojiRunes() []rune {
	var out []rune
	for _, b := range emojiBlocks {
		out = append(out, collect(b[0], b[1], func(r rune) bool { return unicode.Is(unicode.So, r) })...)
	}
	return out
}

// collect returns the runes in [lo, hi] that keep accepts (all of them when keep is nil).
func collect(lo, hi rune, keep func(rune) bool) []rune {
	var out []rune
	for r := lo; r <= hi; r++ {
		if keep == nil || keep(r) {
			out = append(out, r)
		}
	}
	return out
}

// notForbidden reports whether r is not one of AddImage's forbidden characters.
func notForbidden(r rune) bool { return !strings.ContainsRune(contract.AddImageForbidden, r) }
