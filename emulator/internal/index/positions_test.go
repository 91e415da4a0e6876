package index

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestPositionsFollowPutsAndDeletes runs random Puts and Deletes over a few hundred keys against a map:
// after every step each key the map holds is found at a position that stores that key, no other key is
// found, and the table counts what the index holds. Deletions move the last image and shift probe runs
// back, including runs that wrap around the end of the table.
func TestPositionsFollowPutsAndDeletes(t *testing.T) {
	d := baseDescriptors(1)[0]
	for seed := range uint64(20) {
		r := rand.New(rand.NewPCG(seed, 1))
		x := New()
		model := map[Key]bool{}
		keys := make([]Key, 300)
		for i := range keys {
			keys[i] = mk(fmt.Sprintf("p%d", r.IntN(100)), fmt.Sprint(i))
		}
		for step := range 3000 {
			k := keys[r.IntN(len(keys))]
			if r.IntN(3) == 0 {
				x.Delete(k)
				delete(model, k)
			} else {
				x.Put(k, d, Attrs{})
				model[k] = true
			}
			if x.pos.n != len(model) || x.n != len(model) {
				t.Fatalf("seed %d step %d: table counts %d, index %d, want %d", seed, step, x.pos.n, x.n, len(model))
			}
			for _, k := range keys {
				pos, ok := x.pos.get(x, &k)
				if ok != model[k] || ok && *x.keyAt(pos) != k {
					t.Fatalf("seed %d step %d: %v found %v at %d, want found %v", seed, step, k, ok, pos, model[k])
				}
			}
		}
	}
}
