package store

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// tableModel checks the chunked table against a plain map through random operation sequences, with enough
// keys that chunks split and empty out.
type tableModel struct {
	tab     *table
	model   map[Key]*Record
	version int
}

func drawKey(t *rapid.T, label string) Key {
	return Key{
		ProductId: fmt.Sprintf("p%02d", rapid.IntRange(0, 49).Draw(t, label+"-product")),
		PicName:   fmt.Sprintf("%02d", rapid.IntRange(0, 39).Draw(t, label+"-pic")),
	}
}

func (m *tableModel) rec(k Key) *Record {
	m.version++
	return &Record{ProductId: k.ProductId, PicName: k.PicName, IntAttr: [4]int32{int32(m.version)}}
}

func (m *tableModel) put(t *rapid.T) {
	k := drawKey(t, "put")
	_, existed := m.model[k]
	r := m.rec(k)
	next, replaced := m.tab.with(r)
	if replaced != existed {
		t.Fatalf("with(%v) replaced=%v, model says %v", k, replaced, existed)
	}
	m.tab, m.model[k] = next, r
}

func (m *tableModel) putMany(t *rapid.T) {
	for range rapid.IntRange(1, 400).Draw(t, "n") {
		k := Key{fmt.Sprintf("p%02d", rapid.IntRange(0, 49).Draw(t, "product")), fmt.Sprintf("%02d", len(m.model)%40)}
		r := m.rec(k)
		m.tab, _ = m.tab.with(r)
		m.model[k] = r
	}
}

func (m *tableModel) remove(t *rapid.T) {
	k := drawKey(t, "remove")
	_, existed := m.model[k]
	next, removed := m.tab.without(k)
	if removed != existed {
		t.Fatalf("without(%v) removed=%v, model says %v", k, removed, existed)
	}
	m.tab = next
	delete(m.model, k)
}

func (m *tableModel) removeMany(t *rapid.T) {
	keys := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) Key { return drawKey(t, "k") }), 0, 300).Draw(t, "keys")
	m.tab = m.tab.withoutAll(keys)
	for _, k := range keys {
		delete(m.model, k)
	}
}

func (m *tableModel) replaceProduct(t *rapid.T) {
	product := drawKey(t, "replace").ProductId
	var rs []*Record
	for _, old := range m.tab.product(product) {
		r := m.rec(keyOf(old))
		rs = append(rs, r)
		m.model[keyOf(r)] = r
	}
	m.tab = m.tab.withReplaced(rs)
}

func (m *tableModel) check(t *rapid.T) {
	var flat []*Record
	for _, c := range m.tab.chunks {
		if len(c.recs) == 0 || len(c.recs) > maxChunk {
			t.Fatalf("chunk of %d records", len(c.recs))
		}
		flat = append(flat, c.recs...)
	}
	keys := slices.SortedFunc(maps.Keys(m.model), CompareKeys)
	if len(flat) != len(keys) || m.tab.n != len(keys) {
		t.Fatalf("table holds %d records (n=%d), model %d", len(flat), m.tab.n, len(keys))
	}
	for i, k := range keys {
		if flat[i] != m.model[k] {
			t.Fatalf("position %d: %v, want %v", i, keyOf(flat[i]), k)
		}
		if got, ok := m.tab.get(k); !ok || got != m.model[k] {
			t.Fatalf("get(%v) = %v, %v", k, got, ok)
		}
	}
	probe := drawKey(t, "probe")
	if _, ok := m.tab.get(probe); ok != (m.model[probe] != nil) {
		t.Fatalf("get(%v) found=%v, model disagrees", probe, ok)
	}
	for _, r := range m.tab.product(probe.ProductId) {
		if r.ProductId != probe.ProductId || m.model[keyOf(r)] != r {
			t.Fatalf("product(%q) returned %v", probe.ProductId, keyOf(r))
		}
	}
}

func TestTableMatchesModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := &tableModel{tab: emptyTable, model: map[Key]*Record{}}
		t.Repeat(map[string]func(*rapid.T){
			"put":            m.put,
			"putMany":        m.putMany,
			"remove":         m.remove,
			"removeMany":     m.removeMany,
			"replaceProduct": m.replaceProduct,
			"":               m.check,
		})
	})
}

func TestTableWritesDoNotDisturbOldSnapshots(t *testing.T) {
	var recs []*Record
	for i := range 1000 {
		recs = append(recs, &Record{ProductId: fmt.Sprintf("p%04d", i)})
	}
	old := newTable(slices.Clone(recs)) // a private backing array, so in-place edits would show
	next, _ := old.with(&Record{ProductId: "p0500", PicName: "new"})
	next, _ = next.without(Key{ProductId: "p0001"})
	next = next.withReplaced([]*Record{{ProductId: "p0002", CustomContent: "changed"}})
	var drop []Key
	for i := range 100 {
		drop = append(drop, Key{ProductId: fmt.Sprintf("p%04d", i)})
	}
	_ = next.withoutAll(drop)
	i := 0
	old.ascend(Key{}, func(r *Record) bool {
		if r != recs[i] {
			t.Fatalf("old snapshot changed at %d: %v", i, keyOf(r))
		}
		i++
		return true
	})
	if i != 1000 || old.n != 1000 {
		t.Fatalf("old snapshot has %d records (n=%d), want 1000", i, old.n)
	}
}

// TestWithReplacedLeavesTheOldTable checks that replacing records, one or several in one chunk, yields a new
// table and leaves the old one exactly as it was: readers of the old table never see a write.
func TestWithReplacedLeavesTheOldTable(t *testing.T) {
	var recs []*Record
	for pic := range 3 * fillChunk {
		r := numbered(1, pic, 1)
		recs = append(recs, &r)
	}
	slices.SortFunc(recs, func(a, b *Record) int { return CompareKeys(keyOf(a), keyOf(b)) })
	old, stored := newTable(slices.Clone(recs)), slices.Clone(recs)
	for _, picks := range [][]int{{5}, {5, 6, 7}, {0, fillChunk, 2*fillChunk - 1}} {
		var rs []*Record
		for _, i := range picks {
			r := *recs[i]
			r.CustomContent = "replaced"
			rs = append(rs, &r)
		}
		next := old.withReplaced(rs)
		for i, want := range stored {
			if got, _ := old.get(keyOf(want)); got != want {
				t.Fatalf("picks %v: old table's record %d changed", picks, i)
			}
		}
		for _, r := range rs {
			if got, _ := next.get(keyOf(r)); got != r {
				t.Fatalf("picks %v: new table lacks the replacement of %v", picks, keyOf(r))
			}
		}
	}
}
