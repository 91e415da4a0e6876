package generators

import (
	"fmt"
	"strconv"

	"pgregory.net/rapid"
)

// Key identifies one image: ProductId and PicName together are the unique key (ref §3). An empty
// PicName stands for "the whole product" in the by-product operations (ref §2.3, §4).
type Key struct {
	ProductID string
	PicName   string
}

// String renders the key for test logs.
func (k Key) String() string {
	if k.PicName == "" {
		return strconv.Quote(k.ProductID)
	}
	return strconv.Quote(k.ProductID) + "/" + strconv.Quote(k.PicName)
}

// MaxKeyChars is the longest key the key generators produce: well inside the documented limit
// (contract.MaxKey), since keys are identifiers here, not the subject of a length test.
const MaxKeyChars = 64

// ProductID returns valid ProductId values: 1..MaxKeyChars code points drawn from printable ASCII
// without the space, Latin-1 letters, CJK and Emoji. Keys carry no whitespace (a service might trim it),
// no combining marks (normalisation could merge two distinct keys), no controls and none of AddImage's
// forbidden characters.
func ProductID() *rapid.Generator[string] { return key() }

// PicName returns valid PicName values, drawn like ProductID's.
func PicName() *rapid.Generator[string] { return key() }

// key returns the key strings ProductID and PicName share.
func key() *rapid.Generator[string] {
	return rapid.StringOfN(runes().key, 1, MaxKeyChars, -1)
}

// KeySpace returns sets of exactly n distinct keys built from a random number of product ids and picture
// names, often fewer of each than n: a state-machine test draws the set once and then draws keys from it
// (rapid.SampledFrom), so that operations collide on the same image, the same product, and the same
// PicName under different products. KeySpace panics if n < 1.
func KeySpace(n int) *rapid.Generator[[]Key] {
	if n < 1 {
		panic(fmt.Sprintf("generators: key space of %d keys", n))
	}
	return rapid.Custom(func(t *rapid.T) []Key {
		products := rapid.IntRange(1, n).Draw(t, "products")
		pics := rapid.IntRange((n+products-1)/products, n).Draw(t, "pic names")
		pids := rapid.SliceOfNDistinct(ProductID(), products, products, rapid.ID[string]).Draw(t, "product ids")
		names := rapid.SliceOfNDistinct(PicName(), pics, pics, rapid.ID[string]).Draw(t, "pic names")
		all := make([]Key, 0, products*pics)
		for _, p := range pids {
			for _, m := range names {
				all = append(all, Key{p, m})
			}
		}
		// products·pics ≥ n, so a permutation's prefix picks n distinct pairs without rejection.
		return rapid.Permutation(all).Draw(t, "keys")[:n]
	})
}
