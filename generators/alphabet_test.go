package generators

import (
	"testing"
	"unicode/utf8"

	"pgregory.net/rapid"
)

func TestStringStaysInItsAlphabet(t *testing.T) {
	for _, a := range Alphabets {
		t.Run(a.String(), rapid.MakeCheck(func(t *rapid.T) {
			lo := rapid.IntRange(0, 20).Draw(t, "lo")
			hi := rapid.IntRange(max(lo, 1), lo+40).Draw(t, "hi")
			s := String(a, lo, hi).Draw(t, "s")
			if err := checkText(a, s); err != nil {
				t.Fatal(err)
			}
			want := lo
			if a == Forbidden {
				want = max(lo, 1)
			}
			if n := utf8.RuneCountInString(s); n < want || n > hi {
				t.Fatalf("%d code points, want %d..%d", n, want, hi)
			}
		}))
	}
}

func TestStringCoversItsAlphabet(t *testing.T) {
	classes := map[string]func(rune) bool{
		"ascii": isASCII, "latin1": isLatin1, "greek": isGreek, "cyrillic": isCyrillic,
		"cjk": isCJK, "emoji": isEmoji, "mark": isMark,
	}
	seen := map[string]bool{}
	forbidden := map[rune]bool{}
	for _, s := range examples(String(Mixed, 30, 30), 200) {
		for _, r := range s {
			for name, in := range classes {
				seen[name] = seen[name] || in(r)
			}
		}
	}
	for _, s := range examples(String(Forbidden, 1, 5), 200) {
		for _, r := range s {
			forbidden[r] = forbidden[r] || isForbidden(r)
		}
	}
	for name := range classes {
		if !seen[name] {
			t.Errorf("Mixed never drew a %s character", name)
		}
	}
	for _, r := range ForbiddenRunes {
		if !forbidden[r] {
			t.Errorf("Forbidden never drew %q", r)
		}
	}
	marks := 0
	for _, s := range examples(String(Combining, 10, 10), 50) {
		for _, r := range s {
			if isMark(r) {
				marks++
			}
		}
	}
	if marks == 0 {
		t.Error("Combining never drew a combining mark")
	}
}

func TestEmojiAreFourBytes(t *testing.T) {
	for _, s := range examples(String(Emoji, 1, 20), 100) {
		if len(s) != 4*utf8.RuneCountInString(s) {
			t.Fatalf("%q: %d bytes for %d code points", s, len(s), utf8.RuneCountInString(s))
		}
	}
}

func TestStringRejectsImpossibleArguments(t *testing.T) {
	tests := []struct {
		name   string
		a      Alphabet
		lo, hi int
	}{
		{"negative min", ASCII, -1, 3},
		{"max below min", CJK, 5, 4},
		{"unknown alphabet", Alphabet(99), 0, 3},
		{"empty forbidden", Forbidden, 0, 0},
	}
	for _, tt := range tests {
		mustPanic(t, tt.name, func() { String(tt.a, tt.lo, tt.hi) })
	}
}

func TestAlphabetNamesAreDistinct(t *testing.T) {
	names := map[string]bool{}
	for _, a := range Alphabets {
		names[a.String()] = true
	}
	if len(names) != len(Alphabets) || Alphabet(99).String() != "Alphabet(99)" {
		t.Errorf("names %v", names)
	}
}
