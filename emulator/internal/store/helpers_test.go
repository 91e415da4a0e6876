package store

import (
	"bytes"
	"fmt"
	"math"
	"reflect"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// fullRecord exercises every field, including Unicode, empty strings and int32 extremes.
func fullRecord() Record {
	return Record{
		ProductId:     "商品-ß-🙂",
		PicName:       "图片 1.jpg",
		CategoryId:    math.MinInt32,
		Region:        "94,691,206,650",
		CustomContent: "自定义内容 with \"quotes\", \x00 NUL and emoji 🚀",
		IntAttr:       [4]int32{math.MinInt32, math.MaxInt32, 0, -1},
		StrAttr:       [4]string{"", "颜色=红", "Ünïcödé", ""},
		Desc:          descFor(7, 400),
		Added:         time.Date(2026, 3, 14, 15, 9, 26, 535897932, time.FixedZone("CST", 8*3600)),
	}
}

// descFor is a deterministic descriptor of n bytes derived from seed.
func descFor(seed, n int) []byte {
	d := make([]byte, n)
	for i := range d {
		d[i] = byte(seed*31 + i*7)
	}
	return d
}

// numbered is a small record whose fields all derive from (product, pic, version), so a reader can tell
// whether it is consistent and which write produced it.
func numbered(product, pic, version int) Record {
	return Record{
		ProductId:     fmt.Sprintf("p%05d", product),
		PicName:       fmt.Sprintf("%d.jpg", pic),
		CategoryId:    int32(product % 20),
		CustomContent: fmt.Sprintf("v%d", version),
		IntAttr:       [4]int32{int32(version), int32(product), int32(pic), int32(-version)},
		StrAttr:       [4]string{fmt.Sprint(version)},
		Desc:          descFor(version, 16),
		Added:         time.Unix(1_700_000_000+int64(version), 0),
	}
}

// consistent reports whether r, read from c, could have been produced by numbered.
func consistent(c *Catalog, r Record) bool {
	v := int(r.IntAttr[0])
	want := inMemory(c, numbered(int(r.IntAttr[1]), int(r.IntAttr[2]), v))
	return r.Key() == want.Key() && r.CustomContent == want.CustomContent && r.IntAttr[3] == int32(-v) &&
		r.StrAttr == want.StrAttr && bytes.Equal(r.Desc, want.Desc)
}

// assertRecord compares a stored record with the normalised form of what was written.
func assertRecord(t *testing.T, got Record, want Record) {
	t.Helper()
	if w := *normalized(want); !reflect.DeepEqual(got, w) {
		t.Fatalf("record mismatch\n got: %+v\nwant: %+v", got, w)
	}
}

// openDir opens a durable catalogue and closes it at test end.
func openDir(t testing.TB, dir string) *Catalog {
	t.Helper()
	c, err := Open(dir)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// mustPut stores r and fails the test on error.
func mustPut(t testing.TB, c *Catalog, instance string, r Record) bool {
	t.Helper()
	replaced, err := c.Put(instance, r)
	if err != nil {
		t.Fatalf("Put %v: %v", r.Key(), err)
	}
	return replaced
}

// inMemory is the form of r a catalogue hands out: without Desc when c keeps descriptors in its file.
func inMemory(c *Catalog, r Record) Record {
	if c.disk != nil {
		r.Desc = nil
	}
	return r
}

// storedDescs reads every descriptor of instance as stored, by key: from the file, which is the only place a
// catalogue with a directory keeps them.
func storedDescs(t *testing.T, c *Catalog, instance string) map[Key]string {
	t.Helper()
	out := map[Key]string{}
	if c.disk == nil {
		c.Scan(instance, func(r Record) bool { out[r.Key()] = string(r.Desc); return true })
		return out
	}
	err := c.disk.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketInstances).Bucket([]byte(instance))
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			key, err := decodeKey(k)
			if err != nil {
				return err
			}
			r, err := decodeValue(key, v)
			if err == nil {
				out[key] = string(r.Desc)
			}
			return err
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
