package generators

import (
	"fmt"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"pgregory.net/rapid"

	"github.com/imagesearch-conformance/conformance/contract"
)

// Test-only character classes, written from the documentation of each alphabet rather than from the
// tables the package builds.

func isForbidden(r rune) bool { return strings.ContainsRune(`\¥$&%`, r) }
func isASCII(r rune) bool     { return r >= ' ' && r <= '~' && !isForbidden(r) }
func isCJK(r rune) bool       { return r >= 0x4e00 && r <= 0x9fff }
func isMark(r rune) bool      { return r >= 0x300 && r <= 0x36f }
func isLetter(r rune) bool    { return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' }
func isLatin1(r rune) bool    { return r >= 0xc0 && r <= 0xff && r != 0xd7 && r != 0xf7 }
func isGreek(r rune) bool     { return r >= 0x391 && r <= 0x3c9 && unicode.Is(unicode.Greek, r) }
func isCyrillic(r rune) bool  { return r >= 0x410 && r <= 0x44f }

func isEmoji(r rune) bool {
	inBlock := r >= 0x1f300 && r <= 0x1f64f || r >= 0x1f680 && r <= 0x1f6ff || r >= 0x1f900 && r <= 0x1f9ff
	return inBlock && utf8.RuneLen(r) == 4 && unicode.Is(unicode.So, r)
}

func isMixed(r rune) bool {
	return isASCII(r) || isLatin1(r) || isGreek(r) || isCyrillic(r) || isCJK(r) || isEmoji(r) || isMark(r)
}

// isControl reports the characters no generated text may hold: C0, DEL and C1 controls.
func isControl(r rune) bool { return r < 0x20 || r >= 0x7f && r <= 0x9f }

// checkText reports why s is not valid generated text of alphabet a, or nil.
func checkText(a Alphabet, s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("invalid UTF-8 %q", s)
	}
	for i, r := range []rune(s) {
		if isControl(r) {
			return fmt.Errorf("control %U at %d in %q", r, i, s)
		}
		if !inAlphabet(a, r, i) {
			return fmt.Errorf("%U at %d is not in %v: %q", r, i, a, s)
		}
	}
	if has := strings.ContainsAny(s, contract.AddImageForbidden); has != (a == Forbidden) {
		return fmt.Errorf("%v: contains a forbidden character = %v in %q", a, has, s)
	}
	return nil
}

// inAlphabet reports whether r may stand at position i of a string of alphabet a.
func inAlphabet(a Alphabet, r rune, i int) bool {
	switch a {
	case ASCII:
		return isASCII(r)
	case CJK:
		return isCJK(r)
	case Emoji:
		return isEmoji(r)
	case Combining:
		return isLetter(r) || i > 0 && isMark(r)
	case Mixed:
		return isMixed(r)
	case Forbidden:
		return isMixed(r) || isForbidden(r)
	}
	return false
}

// examples draws n values of g from the fixed seeds 0..n-1, for coverage checks that must not depend on
// the run.
func examples[V any](g *rapid.Generator[V], n int) []V {
	out := make([]V, n)
	for i := range out {
		out[i] = g.Example(i)
	}
	return out
}

// mustPanic fails t unless f panics.
func mustPanic(t *testing.T, name string, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Errorf("%s: did not panic", name)
		}
	}()
	f()
}
