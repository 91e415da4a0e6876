package store

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// backends runs a test against a memory-only and a durable catalogue.
func backends(t *testing.T, fn func(t *testing.T, c *Catalog)) {
	t.Run("memory", func(t *testing.T) { fn(t, OpenMemory()) })
	t.Run("durable", func(t *testing.T) { fn(t, openDir(t, t.TempDir())) })
}

func TestRoundTripThroughReopen(t *testing.T) {
	dir := t.TempDir()
	c := openDir(t, dir)
	recs := []Record{fullRecord(), {ProductId: "", PicName: "", Added: time.Unix(0, 1)}, numbered(1, 2, 3)}
	recs[2].IntAttr = [4]int32{2147483647, -2147483648, 2147483647, -2147483648}
	for _, r := range recs {
		mustPut(t, c, "inst-1", r)
	}
	mustPut(t, c, "实例", numbered(9, 9, 9))
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c = openDir(t, dir)
	descs := storedDescs(t, c, "inst-1")
	for _, r := range recs {
		got, ok := c.Get("inst-1", r.Key())
		if !ok {
			t.Fatalf("%v missing after reopen", r.Key())
		}
		assertRecord(t, got, inMemory(c, r))
		if descs[r.Key()] != string(normalized(r).Desc) {
			t.Errorf("%v: stored Desc %x, want %x", r.Key(), descs[r.Key()], r.Desc)
		}
	}
	if got := c.Instances(); !reflect.DeepEqual(got, []string{"inst-1", "实例"}) {
		t.Fatalf("Instances = %q", got)
	}
	if n := c.Count("inst-1"); n != len(recs) {
		t.Fatalf("Count = %d, want %d", n, len(recs))
	}
}

func TestPutLastWriteWins(t *testing.T) {
	backends(t, func(t *testing.T, c *Catalog) {
		if mustPut(t, c, "i", numbered(1, 1, 1)) {
			t.Fatal("first Put reported a replacement")
		}
		if !mustPut(t, c, "i", numbered(1, 1, 2)) {
			t.Fatal("second Put did not report a replacement")
		}
		got, _ := c.Get("i", numbered(1, 1, 0).Key())
		assertRecord(t, got, inMemory(c, numbered(1, 1, 2)))
		if d := storedDescs(t, c, "i")[got.Key()]; d != string(numbered(1, 1, 2).Desc) {
			t.Errorf("stored Desc %x, want the last write's", d)
		}
		if c.Count("i") != 1 {
			t.Fatalf("Count = %d, want 1", c.Count("i"))
		}
	})
}

func TestPutDefaultsAddedAndRejectsEmptyInstance(t *testing.T) {
	c := OpenMemory()
	before := time.Now().UTC()
	mustPut(t, c, "i", Record{ProductId: "p", PicName: "x"})
	if got, _ := c.Get("i", Key{"p", "x"}); got.Added.Before(before) || got.Added.Location() != time.UTC {
		t.Fatalf("Added = %v, want a UTC time after %v", got.Added, before)
	}
	if _, err := c.Put("", numbered(1, 1, 1)); !errors.Is(err, ErrNoInstance) {
		t.Fatalf("Put on empty instance: %v", err)
	}
}

func TestUpdate(t *testing.T) {
	tests := []struct {
		name      string
		key       Key
		byProduct bool
		want      []Key
		wantErr   error
	}{
		{"one key", Key{"p00001", "2.jpg"}, false, []Key{{"p00001", "2.jpg"}}, nil},
		{"one key with byProduct", Key{"p00001", "2.jpg"}, true, []Key{{"p00001", "2.jpg"}}, nil},
		{"whole product", Key{"p00001", ""}, true, []Key{{"p00001", "1.jpg"}, {"p00001", "2.jpg"}, {"p00001", "3.jpg"}}, nil},
		{"empty PicName without byProduct", Key{"p00001", ""}, false, nil, ErrNotFound},
		{"missing key", Key{"p00001", "9.jpg"}, false, nil, ErrNotFound},
		{"missing product", Key{"p00009", ""}, true, nil, ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			backends(t, func(t *testing.T, c *Catalog) {
				for pic := 1; pic <= 3; pic++ {
					mustPut(t, c, "i", numbered(1, pic, 0))
				}
				mustPut(t, c, "i", numbered(2, 1, 0))
				shared, _ := c.Get("i", Key{"p00001", "2.jpg"}) // Desc shared with the stored record
				got, err := c.Update("i", tt.key, tt.byProduct, func(r *Record) {
					r.CustomContent, r.StrAttr[3] = "updated", "s4"
					r.ProductId, r.PicName = "hijack", "hijack" // must be ignored
					if r.Desc != nil {
						r.Desc[0] ^= 0xff // edits a private copy of Desc
					}
				})
				if !errors.Is(err, tt.wantErr) || !reflect.DeepEqual(got, tt.want) {
					t.Fatalf("Update = %v, %v; want %v, %v", got, err, tt.want, tt.wantErr)
				}
				assertUpdated(t, c, tt.want)
				assertRecord(t, shared, inMemory(c, numbered(1, 2, 0))) // the old version was not edited in place
				if c.disk != nil {                                      // the file keeps each descriptor through the update
					for k, d := range storedDescs(t, c, "i") {
						if want := numbered(int(k.ProductId[len(k.ProductId)-1]-'0'), int(k.PicName[0]-'0'), 0).Desc; d != string(want) {
							t.Errorf("%v: stored Desc %x after Update, want %x", k, d, want)
						}
					}
				}
			})
		})
	}
}

// assertUpdated checks that exactly the keys in changed carry the update and nothing was renamed.
func assertUpdated(t *testing.T, c *Catalog, changed []Key) {
	t.Helper()
	if _, ok := c.Get("i", Key{"hijack", "hijack"}); ok || c.Count("i") != 4 {
		t.Fatalf("Update renamed a record (Count=%d)", c.Count("i"))
	}
	c.Scan("i", func(r Record) bool {
		orig := numbered(int(r.IntAttr[1]), int(r.IntAttr[2]), 0)
		orig = inMemory(c, orig)
		if slices.Contains(changed, r.Key()) {
			orig.CustomContent, orig.StrAttr[3] = "updated", "s4"
			if orig.Desc != nil {
				orig.Desc[0] ^= 0xff
			}
		}
		assertRecord(t, r, orig)
		return true
	})
}

func TestDelete(t *testing.T) {
	backends(t, func(t *testing.T, c *Catalog) {
		for pic := 1; pic <= 3; pic++ {
			mustPut(t, c, "i", numbered(1, pic, 0))
		}
		k := func(pic string) Key { return Key{"p00001", pic} }
		got, err := c.Delete("i", []Key{k("2.jpg"), k("missing"), k("2.jpg"), k("1.jpg")})
		if err != nil || !reflect.DeepEqual(got, []Key{k("2.jpg"), k("1.jpg")}) {
			t.Fatalf("Delete = %v, %v", got, err)
		}
		if keys := c.Keys("i", "p00001"); !reflect.DeepEqual(keys, []Key{k("3.jpg")}) {
			t.Fatalf("Keys after Delete = %v", keys)
		}
		if got, err := c.Delete("unknown-instance", []Key{k("3.jpg")}); got != nil || err != nil {
			t.Fatalf("Delete on unknown instance = %v, %v", got, err)
		}
	})
}

func TestDeleteManyAndReopen(t *testing.T) {
	dir := t.TempDir()
	c := openDir(t, dir)
	var drop []Key
	for i := range 100 {
		mustPut(t, c, "i", numbered(i, 0, i))
		if i%3 == 0 {
			drop = append(drop, numbered(i, 0, 0).Key())
		}
	}
	if got, err := c.Delete("i", drop); err != nil || len(got) != len(drop) {
		t.Fatalf("Delete = %d keys, %v; want %d", len(got), err, len(drop))
	}
	c.Close()
	c = openDir(t, dir)
	if c.Count("i") != 100-len(drop) {
		t.Fatalf("Count after reopen = %d, want %d", c.Count("i"), 100-len(drop))
	}
	for _, k := range drop {
		if _, ok := c.Get("i", k); ok {
			t.Fatalf("deleted %v came back", k)
		}
	}
}

func TestReset(t *testing.T) {
	tests := []struct {
		name, reset string
		left        []string
	}{
		{"one instance", "a", []string{"b"}},
		{"all instances", "", nil},
		{"unknown instance", "zzz", []string{"a", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			c := openDir(t, dir)
			mustPut(t, c, "a", numbered(1, 1, 1))
			mustPut(t, c, "b", numbered(1, 1, 1))
			if err := c.Reset(tt.reset); err != nil {
				t.Fatal(err)
			}
			if got := c.Instances(); !slices.Equal(got, tt.left) {
				t.Fatalf("Instances after Reset = %q, want %q", got, tt.left)
			}
			c.Close()
			if got := openDir(t, dir).Instances(); !slices.Equal(got, tt.left) {
				t.Fatalf("Instances after reopen = %q, want %q", got, tt.left)
			}
		})
	}
}

func TestReturnedRecordsAreCopies(t *testing.T) {
	c := OpenMemory()
	in := numbered(1, 1, 1)
	mustPut(t, c, "i", in)
	in.Desc[0] ^= 0xff // the caller's buffer was copied by Put
	got, _ := c.Get("i", in.Key())
	got.StrAttr[0], got.CustomContent = "mutated", "mutated"
	c.Scan("i", func(r Record) bool { r.IntAttr[0] = 99; return true })
	again, _ := c.Get("i", in.Key())
	assertRecord(t, again, numbered(1, 1, 1))
}

func TestScanAndKeysOrder(t *testing.T) {
	c := OpenMemory()
	for _, k := range []Key{{"b", "2"}, {"a", "z"}, {"b", "1"}, {"ab", ""}, {"a", "a"}} {
		mustPut(t, c, "i", Record{ProductId: k.ProductId, PicName: k.PicName})
	}
	var got []Key
	c.Scan("i", func(r Record) bool { got = append(got, r.Key()); return len(got) < 4 })
	want := []Key{{"a", "a"}, {"a", "z"}, {"ab", ""}, {"b", "1"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Scan order = %v, want %v", got, want)
	}
	if keys := c.Keys("i", "b"); !reflect.DeepEqual(keys, []Key{{"b", "1"}, {"b", "2"}}) {
		t.Fatalf("Keys(b) = %v", keys)
	}
}

func TestFailedDiskWriteLeavesMemoryUnchanged(t *testing.T) {
	c := openDir(t, t.TempDir())
	mustPut(t, c, "i", numbered(1, 1, 1))
	huge := numbered(1, 1, 2)
	huge.PicName = strings.Repeat("x", 40000) // beyond bbolt's key size limit
	if _, err := c.Put("i", huge); err == nil {
		t.Fatal("Put of an oversized key succeeded")
	}
	if c.Count("i") != 1 || len(c.Keys("i", huge.ProductId)) != 1 {
		t.Fatalf("memory changed after failed write: Count=%d", c.Count("i"))
	}
}

func TestWritesAfterClose(t *testing.T) {
	backends(t, func(t *testing.T, c *Catalog) {
		mustPut(t, c, "i", numbered(1, 1, 1))
		c.Close()
		if err := c.Close(); err != nil {
			t.Fatalf("second Close: %v", err)
		}
		k := numbered(1, 1, 1).Key()
		_, putErr := c.Put("i", numbered(1, 1, 2))
		_, updErr := c.Update("i", k, false, func(*Record) {})
		_, delErr := c.Delete("i", []Key{k})
		for name, err := range map[string]error{"Put": putErr, "Update": updErr, "Delete": delErr, "Reset": c.Reset("")} {
			if !errors.Is(err, ErrClosed) {
				t.Errorf("%s after Close: %v, want ErrClosed", name, err)
			}
		}
		if got, ok := c.Get("i", k); !ok || got.CustomContent != "v1" {
			t.Fatalf("reads after Close: %+v, %v", got, ok)
		}
	})
}

// TestUpdateCopiesAReplacedDesc checks that a descriptor fn puts in place of the stored one is copied, so
// the caller's buffer cannot reach the store, and that an empty one is stored as nil.
func TestUpdateCopiesAReplacedDesc(t *testing.T) {
	backends(t, func(t *testing.T, c *Catalog) {
		mustPut(t, c, "i", numbered(1, 1, 0))
		k := Key{"p00001", "1.jpg"}
		buf := descFor(9, 16)
		if _, err := c.Update("i", k, false, func(r *Record) { r.Desc = buf }); err != nil {
			t.Fatal(err)
		}
		want := string(buf)
		buf[0] ^= 0xff // after the update: must not reach the stored copy
		if c.disk != nil {
			if got := storedDescs(t, c, "i")[k]; got != want {
				t.Fatalf("stored Desc %x, want %x", got, want)
			}
		} else if got, _ := c.Get("i", k); string(got.Desc) != want {
			t.Fatalf("Desc %x after the caller's edit, want %x", got.Desc, want)
		}
		if _, err := c.Update("i", k, false, func(r *Record) { r.Desc = r.Desc[:0] }); err != nil {
			t.Fatal(err)
		}
		if got, _ := c.Get("i", k); got.Desc != nil {
			t.Fatalf("Desc %v after an empty one, want nil", got.Desc)
		}
	})
}

// TestUpdateOneImageAllocations pins the allocations of the UpdateImage path's store write in memory: the
// returned keys, the new record, the table header, the one chunk it replaces, the top-level list and
// the chunk's records. The records hold no descriptor, as the emulator's in-memory ones do not (its index
// holds them).
func TestUpdateOneImageAllocations(t *testing.T) {
	c := OpenMemory()
	for pic := range 1000 {
		r := numbered(1, pic, 0)
		r.Desc = nil
		mustPut(t, c, "i", r)
	}
	k := Key{"p00001", "500.jpg"}
	n := testing.AllocsPerRun(200, func() {
		if _, err := c.Update("i", k, false, func(r *Record) { r.IntAttr[0]++ }); err != nil {
			t.Fatal(err)
		}
	})
	if n > 6 {
		t.Errorf("Update of one image: %v allocations, want at most 6", n)
	}
	var room [1]Key
	n = testing.AllocsPerRun(200, func() {
		if _, err := c.AppendUpdate(room[:0], "i", k, false, func(r *Record) { r.IntAttr[0]++ }); err != nil {
			t.Fatal(err)
		}
	})
	if n > 5 {
		t.Errorf("AppendUpdate of one image with room for its key: %v allocations, want at most 5", n)
	}
}

// TestAppendUpdate checks that AppendUpdate appends to what dst holds and leaves it as it was on an error.
func TestAppendUpdate(t *testing.T) {
	c := OpenMemory()
	for pic := 1; pic <= 2; pic++ {
		mustPut(t, c, "i", numbered(1, pic, 0))
	}
	first := Key{"x", "y"}
	got, err := c.AppendUpdate([]Key{first}, "i", Key{"p00001", ""}, true, func(r *Record) { r.CustomContent = "u" })
	if want := []Key{first, {"p00001", "1.jpg"}, {"p00001", "2.jpg"}}; err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("AppendUpdate = %v, %v; want %v", got, err, want)
	}
	got, err = c.AppendUpdate([]Key{first}, "i", Key{"p00001", "9.jpg"}, false, func(*Record) {})
	if !errors.Is(err, ErrNotFound) || !reflect.DeepEqual(got, []Key{first}) {
		t.Fatalf("AppendUpdate of a missing key = %v, %v; want [%v], ErrNotFound", got, err, first)
	}
}

// TestHeldEditsInPlace checks that dropping a persisted record's descriptor for memory costs no copy: the
// record is the write's own until it is published.
func TestHeldEditsInPlace(t *testing.T) {
	c := openDir(t, t.TempDir())
	r := numbered(1, 1, 0)
	if got := c.held(&r); got != &r || r.Desc != nil {
		t.Fatalf("held returned %p (Desc %v), want the record itself, %p, without Desc", got, r.Desc, &r)
	}
}
