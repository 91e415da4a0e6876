package index

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/imagesearch-conformance/conformance/emulator/internal/filter"
	"github.com/imagesearch-conformance/conformance/emulator/internal/store"
)

// attrsOf is the test's rule for image i's attributes.
func attrsOf(i, gen int) Attrs {
	return Attrs{Category: int32(i % 3), Attrs: filter.Attrs{
		Int: [4]int32{int32(i), int32(i % 5), int32(gen), 0},
		Str: [4]string{fmt.Sprintf("s%d", (i+gen)%4), "", fmt.Sprint(i % 2), ""}}}
}

// TestSelectionMatchesFilter checks that a search ranks exactly the images whose kept attributes
// satisfy the filter and category, across blocks, after attribute updates and after deletions move
// the last image into a freed slot.
func TestSelectionMatchesFilter(t *testing.T) {
	const n = 2*blockSize + 100
	base := baseDescriptors(4)
	r := rand.New(rand.NewPCG(7, 7))
	x := New()
	want := map[Key]Attrs{}
	for i := range n {
		x.Put(key(i), perturb(base[i%len(base)], r, 8), attrsOf(i, 0))
		want[key(i)] = attrsOf(i, 0)
	}
	for i := 0; i < n; i += 3 {
		x.SetAttrs(key(i), attrsOf(i, 1))
		want[key(i)] = attrsOf(i, 1)
	}
	for i := 0; i < n; i += 7 {
		x.Delete(key(i))
		delete(want, key(i))
	}
	if x.SetAttrs(key(0), attrsOf(0, 2)) {
		t.Error("SetAttrs of a deleted key reported it present")
	}
	for _, src := range []string{`str_attr = "s1"`, `int_attr >= 100 AND str_attr = "s3"`, `int_attr2 IN (1, 4) OR str_attr3 != "1"`,
		`str_attr = "absent"`, `str_attr != "absent" AND int_attr3 = 1`, `str_attr2 = ""`} {
		e, err := filter.Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		for _, sel := range []Selection{{Filter: e}, {Filter: e, Category: 2, ByCategory: true}} {
			expect := 0
			for _, a := range want {
				if e.Match(&a.Attrs) && (!sel.ByCategory || a.Category == sel.Category) {
					expect++
				}
			}
			hits, total := x.Search(base[1], sel, n)
			if total != expect || len(hits) != min(expect, n) {
				t.Fatalf("%s (category %v): total %d, %d hits; want %d", src, sel.ByCategory, total, len(hits), expect)
			}
			for _, h := range hits {
				a, ok := want[h.Key]
				if !ok || !e.Match(&a.Attrs) || (sel.ByCategory && a.Category != sel.Category) {
					t.Fatalf("%s: hit %v (%+v, present %v) is not selected", src, h.Key, a, ok)
				}
			}
		}
	}
}

// TestDictFollowsImages checks that the index's string dictionary holds only the values of the images it
// holds: values replaced or deleted are released.
func TestDictFollowsImages(t *testing.T) {
	base := baseDescriptors(1)
	x := New()
	for i := range 100 {
		x.Put(key(i), base[0], Attrs{Attrs: filter.Attrs{Str: [4]string{fmt.Sprint("v", i)}}})
	}
	for i := range 100 {
		x.SetAttrs(key(i), Attrs{Attrs: filter.Attrs{Str: [4]string{"same"}}})
	}
	if got := x.dict.Len(); got != 2 { // "same" and ""
		t.Errorf("after updates the dictionary holds %d values, want 2", got)
	}
	for i := range 100 {
		x.Delete(key(i))
	}
	if got := x.dict.Len(); got != 0 {
		t.Errorf("after deleting every image the dictionary holds %d values", got)
	}
}

// TestSelectFirstKeepsSmallestKeys checks the quickselect that breaks first-stage ties: for every k, the
// first k candidates are exactly the k with the smallest keys, as a full sort would give. The key shapes
// cover ProductIds told apart by their first 8 bytes, ProductIds that share them (the prefixes are taken
// further on), and images of one product (only PicName differs). Every candidate keeps its stored prefix
// afterwards, since later selections compare it with candidates that were never refined.
func TestSelectFirstKeepsSmallestKeys(t *testing.T) {
	shapes := map[string]func(int) Key{
		"short ids":     key,
		"shared prefix": func(i int) Key { return mk(fmt.Sprintf("catalogue-2026-%06d", i), "a.jpg") },
		"one product":   func(i int) Key { return mk("product", fmt.Sprintf("p%06d.jpg", i)) },
	}
	base := baseDescriptors(1)
	for name, keyOf := range shapes {
		x := New()
		r := rand.New(rand.NewPCG(3, 4))
		const n = 300
		for _, i := range r.Perm(n) { // storage order unrelated to key order
			x.Put(keyOf(i), base[0], Attrs{})
		}
		for _, k := range []int{1, 2, 7, 150, n - 1, n} {
			tied := make([]candidate, n)
			for pos := range tied {
				tied[pos] = x.candidateAt(0, pos)
			}
			r.Shuffle(n, func(i, j int) { tied[i], tied[j] = tied[j], tied[i] })
			x.selectFirst(tied, k)
			got := map[Key]bool{}
			for _, c := range tied[:k] {
				got[*x.keyAt(int(c.pos))] = true
			}
			for _, c := range tied { // later selections compare them with other candidates
				if c != x.candidateAt(c.score, int(c.pos)) {
					t.Fatalf("%s, k=%d: candidate %v left with prefix %x", name, k, *x.keyAt(int(c.pos)), c.pre)
				}
			}
			for i := range k {
				if !got[keyOf(i)] {
					t.Fatalf("%s, k=%d: key %v, among the %d smallest, not selected", name, k, keyOf(i), k)
				}
			}
		}
	}
}

// TestFirstCutIsTheBestByScoreThenKey checks the sort-free cut of the sketch stage against a sort: for
// scores drawn from a few values (so that large groups tie at the boundary) and from a wide range, the
// set it keeps is exactly the first n by score descending, then key.
func TestFirstCutIsTheBestByScoreThenKey(t *testing.T) {
	base := baseDescriptors(1)
	x := New()
	const count = 3000
	for i := range count {
		x.Put(key(i), base[0], Attrs{})
	}
	r := rand.New(rand.NewPCG(5, 6))
	for _, spread := range []int{3, 200, maxSketchDot} {
		for _, n := range []int{1, 10, 512, count - 1, count, count + 5} {
			s := new(scratch)
			var all []candidate
			for pos := range count {
				c := x.candidateAt(int32(r.IntN(spread))-int32(spread/2), pos)
				s.cands[pos%2] = append(s.cands[pos%2], c)
				all = append(all, c)
				s.hist[pos%2][bucket(c.score)]++
			}
			got := x.firstCut(s, 2, cutoff(&s.hist, 2, n), n)
			slices.SortFunc(all, func(a, b candidate) int {
				if a.score != b.score {
					return cmp.Compare(b.score, a.score)
				}
				return store.CompareKeys(*x.keyAt(int(a.pos)), *x.keyAt(int(b.pos)))
			})
			want := map[uint32]bool{}
			for _, c := range all[:min(n, count)] {
				want[c.pos] = true
			}
			if len(got) != len(want) {
				t.Fatalf("spread %d, n %d: kept %d, want %d", spread, n, len(got), len(want))
			}
			for _, c := range got {
				if !want[c.pos] {
					t.Fatalf("spread %d, n %d: kept %v (score %d), not among the best", spread, n, *x.keyAt(int(c.pos)), c.score)
				}
			}
		}
	}
}

// candidateAt is the candidate the sketch stage makes for the image at pos with score.
func (x *Index) candidateAt(score int32, pos int) candidate {
	return candidate{score: score, pos: uint32(pos), pre: x.preAt(pos)}
}
