package store

import (
	"fmt"
	"testing"
)

// TestImportIsReadByOpen checks that imported records, across several transactions, are what Open loads.
func TestImportIsReadByOpen(t *testing.T) {
	dir := t.TempDir()
	n := importBatch + 5
	rec := func(i int) Record {
		return Record{ProductId: fmt.Sprintf("p%06d", i/3), PicName: fmt.Sprintf("n%06d", i), IntAttr: [4]int32{int32(i)},
			StrAttr: [4]string{fmt.Sprint("s", i%8)}, Desc: []byte{byte(i), 1, 2}}
	}
	if err := Import(dir, "i", n, rec); err != nil {
		t.Fatal(err)
	}
	c, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Count("i"); got != n {
		t.Fatalf("Open loaded %d records, want %d", got, n)
	}
	descs := storedDescs(t, c, "i")
	for _, i := range []int{0, importBatch - 1, importBatch, n - 1} {
		want := rec(i)
		got, ok := c.Get("i", want.Key())
		if !ok || got.IntAttr != want.IntAttr || got.StrAttr != want.StrAttr || descs[want.Key()] != string(want.Desc) || got.Added.IsZero() {
			t.Errorf("record %d: got %+v (found %v)", i, got, ok)
		}
	}
	// Open mapped the file afresh after loading: the catalogue still writes through to it.
	if _, err := c.Put("i", rec(n)); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c = openDir(t, dir)
	if got := c.Count("i"); got != n+1 {
		t.Errorf("after a write and a reopen: %d records, want %d", got, n+1)
	}
	if err := Import(dir, "", 1, rec); err != ErrNoInstance {
		t.Errorf("Import without an instance: %v", err)
	}
}
