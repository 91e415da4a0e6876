package generators

import (
	"testing"
	"unicode"
	"unicode/utf8"

	"pgregory.net/rapid"
)

// checkKey fails t unless s is a valid generated key.
func checkKey(t *rapid.T, s string) {
	if n := utf8.RuneCountInString(s); n < 1 || n > MaxKeyChars || !utf8.ValidString(s) {
		t.Fatalf("key %q: %d code points", s, n)
	}
	for _, r := range s {
		if isControl(r) || unicode.IsSpace(r) || isForbidden(r) || unicode.Is(unicode.Mn, r) {
			t.Fatalf("key %q holds %U", s, r)
		}
	}
}

func TestKeysAreValid(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		checkKey(t, ProductID().Draw(t, "product"))
		checkKey(t, PicName().Draw(t, "pic"))
	})
}

func TestKeysMixScripts(t *testing.T) {
	var ascii, other bool
	for _, s := range examples(ProductID(), 100) {
		for _, r := range s {
			ascii, other = ascii || r < 0x80, other || r >= 0x80
		}
	}
	if !ascii || !other {
		t.Errorf("ascii=%v non-ascii=%v", ascii, other)
	}
}

func TestKeySpaceHasNDistinctKeys(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 8).Draw(t, "n")
		keys := KeySpace(n).Draw(t, "keys")
		if len(keys) != n {
			t.Fatalf("%d keys, want %d", len(keys), n)
		}
		seen := map[Key]bool{}
		for _, k := range keys {
			checkKey(t, k.ProductID)
			checkKey(t, k.PicName)
			if seen[k] {
				t.Fatalf("duplicate key %v", k)
			}
			seen[k] = true
		}
	})
}

func TestKeySpaceForcesCollisions(t *testing.T) {
	var sharedProduct, sharedName bool
	for _, keys := range examples(KeySpace(6), 50) {
		products, names := map[string]bool{}, map[string]map[string]bool{}
		for _, k := range keys {
			sharedProduct = sharedProduct || products[k.ProductID]
			products[k.ProductID] = true
			if names[k.PicName] == nil {
				names[k.PicName] = map[string]bool{}
			}
			names[k.PicName][k.ProductID] = true
			sharedName = sharedName || len(names[k.PicName]) > 1
		}
	}
	if !sharedProduct || !sharedName {
		t.Errorf("product shared by two keys: %v; PicName under two products: %v", sharedProduct, sharedName)
	}
	mustPanic(t, "empty key space", func() { KeySpace(0) })
}

func TestKeyString(t *testing.T) {
	if got := (Key{"p", "a.jpg"}).String(); got != `"p"/"a.jpg"` {
		t.Errorf("String = %s", got)
	}
	if got := (Key{ProductID: "p"}).String(); got != `"p"` {
		t.Errorf("String = %s", got)
	}
}
