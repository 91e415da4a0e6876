package store

import (
	"slices"
	"sort"
)

// Chunk sizes of the two-level table: a write copies one chunk (at most maxChunk pointers) plus the
// top-level list (about n/fillChunk pointers), not the whole index.
const (
	maxChunk  = 256
	fillChunk = 192 // leaves room for inserts after a bulk build
)

// table is an immutable, ordered set of records of one instance. Writers derive a new table and publish it
// with an atomic store, so readers (searches) never take a lock and never wait for a disk write. Records
// reachable from a published table are never modified.
type table struct {
	chunks []*chunk
	n      int
}

// chunk is a non-empty run of records in key order; chunks are themselves in key order.
type chunk struct{ recs []*Record }

// emptyTable is shared by every empty instance.
var emptyTable = &table{}

// newTable builds a table from records already sorted by key without duplicates.
func newTable(sorted []*Record) *table {
	t := &table{n: len(sorted)}
	for len(sorted) > 0 {
		n := min(fillChunk, len(sorted))
		t.chunks = append(t.chunks, &chunk{recs: slices.Clip(sorted[:n:n])})
		sorted = sorted[n:]
	}
	return t
}

// locate returns the position of k, or where it would be inserted: chunk index ci and index i in that chunk.
// For an empty table it returns (0, 0, false).
func (t *table) locate(k Key) (ci, i int, found bool) {
	if len(t.chunks) == 0 {
		return 0, 0, false
	}
	ci = sort.Search(len(t.chunks), func(j int) bool {
		recs := t.chunks[j].recs
		return CompareKeys(keyOf(recs[len(recs)-1]), k) >= 0
	})
	if ci == len(t.chunks) {
		ci--
		return ci, len(t.chunks[ci].recs), false
	}
	recs := t.chunks[ci].recs
	i = sort.Search(len(recs), func(j int) bool { return CompareKeys(keyOf(recs[j]), k) >= 0 })
	return ci, i, i < len(recs) && keyOf(recs[i]) == k
}

// get returns the record stored under k.
func (t *table) get(k Key) (*Record, bool) {
	ci, i, found := t.locate(k)
	if !found {
		return nil, false
	}
	return t.chunks[ci].recs[i], true
}

// ascend calls fn for each record with key >= from, in order, until fn returns false.
func (t *table) ascend(from Key, fn func(*Record) bool) {
	ci, i, _ := t.locate(from)
	for ; ci < len(t.chunks); ci, i = ci+1, 0 {
		for _, r := range t.chunks[ci].recs[i:] {
			if !fn(r) {
				return
			}
		}
	}
}

// product returns the records of one product, in PicName order.
func (t *table) product(productID string) []*Record {
	var out []*Record
	t.ascend(Key{ProductId: productID}, func(r *Record) bool {
		if r.ProductId != productID {
			return false
		}
		out = append(out, r)
		return true
	})
	return out
}

// with returns a table holding r, replacing any record with the same key.
func (t *table) with(r *Record) (next *table, replaced bool) {
	if len(t.chunks) == 0 {
		return &table{chunks: []*chunk{{recs: []*Record{r}}}, n: 1}, false
	}
	ci, i, found := t.locate(keyOf(r))
	old := t.chunks[ci].recs
	var recs []*Record
	if found {
		recs = slices.Clone(old)
		recs[i] = r
	} else {
		recs = make([]*Record, 0, len(old)+1)
		recs = append(append(append(recs, old[:i]...), r), old[i:]...)
	}
	next = &table{n: t.n}
	if !found {
		next.n++
	}
	if len(recs) <= maxChunk {
		next.chunks = slices.Clone(t.chunks)
		next.chunks[ci] = &chunk{recs: recs}
		return next, found
	}
	half := len(recs) / 2
	split := []*chunk{{recs: slices.Clip(recs[:half])}, {recs: recs[half:]}}
	next.chunks = slices.Concat(t.chunks[:ci], split, t.chunks[ci+1:])
	return next, found
}

// without returns a table lacking k, and whether k was present.
func (t *table) without(k Key) (*table, bool) {
	ci, i, found := t.locate(k)
	if !found {
		return t, false
	}
	next := &table{n: t.n - 1}
	old := t.chunks[ci].recs
	if len(old) == 1 {
		next.chunks = slices.Concat(t.chunks[:ci], t.chunks[ci+1:])
		return next, true
	}
	recs := slices.Concat(old[:i], old[i+1:])
	next.chunks = slices.Clone(t.chunks)
	next.chunks[ci] = &chunk{recs: recs}
	return next, true
}

// withReplaced returns a table in which each record of rs replaces the stored record with the same key.
// Every key must already be present, so the chunk structure is unchanged and each touched chunk is copied
// once: a chunk of next that is still t's own has not been copied yet.
func (t *table) withReplaced(rs []*Record) *table {
	next := &table{chunks: slices.Clone(t.chunks), n: t.n}
	for _, r := range rs {
		ci, i, found := t.locate(keyOf(r))
		if !found {
			panic("store: withReplaced on a missing key") // callers select rs from t itself
		}
		if next.chunks[ci] == t.chunks[ci] {
			next.chunks[ci] = &chunk{recs: slices.Clone(t.chunks[ci].recs)}
		}
		next.chunks[ci].recs[i] = r
	}
	return next
}

// withoutAll returns a table lacking every key in drop. Small batches edit chunks; large ones rebuild,
// which is linear in the table size instead of linear per key.
func (t *table) withoutAll(drop []Key) *table {
	if len(drop) <= 16 {
		next := t
		for _, k := range drop {
			next, _ = next.without(k)
		}
		return next
	}
	set := make(map[Key]bool, len(drop))
	for _, k := range drop {
		set[k] = true
	}
	kept := make([]*Record, 0, t.n)
	t.ascend(Key{}, func(r *Record) bool {
		if !set[keyOf(r)] {
			kept = append(kept, r)
		}
		return true
	})
	return newTable(kept)
}
