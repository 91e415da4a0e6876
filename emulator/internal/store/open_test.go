package store

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unsafe"

	bolt "go.etcd.io/bbolt"
)

func TestSecondOpenFailsFast(t *testing.T) {
	defer func(d time.Duration) { lockTimeout = d }(lockTimeout)
	lockTimeout = 50 * time.Millisecond // the lock is per open file, so one process shows the contention
	dir := t.TempDir()
	openDir(t, dir)
	c, err := Open(dir)
	if err == nil {
		c.Close()
		t.Fatal("second Open of the same directory succeeded")
	}
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), filepath.Join(dir, fileName)) {
		t.Fatalf("second Open error = %v, want ErrLocked naming the file", err)
	}
}

func TestOpenCreatesDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	openDir(t, dir)
	if _, err := os.Stat(filepath.Join(dir, fileName)); err != nil {
		t.Fatalf("database file not created: %v", err)
	}
}

func TestOpenReportsCorruptRecord(t *testing.T) {
	tests := []struct {
		name     string
		key, val []byte
		mention  string
	}{
		{"bad value", encodeKey(Key{"prod-7", "pic.jpg"}), []byte{valueVersion, 0x80}, `"prod-7"`},
		{"unknown version", encodeKey(Key{"prod-8", "pic.jpg"}), []byte{42}, `"pic.jpg"`},
		{"bad key", []byte{9, 'x'}, encodeValue(normalized(Record{})), `"\tx"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			c := openDir(t, dir)
			mustPut(t, c, "inst-9", numbered(1, 1, 1))
			c.Close()
			corrupt(t, filepath.Join(dir, fileName), "inst-9", tt.key, tt.val)
			c, err := Open(dir)
			if err == nil {
				c.Close()
				t.Fatal("Open of a corrupt catalogue succeeded")
			}
			msg := fmt.Sprint(err)
			if !errors.Is(err, errCorrupt) || !strings.Contains(msg, `"inst-9"`) || !strings.Contains(msg, tt.mention) {
				t.Fatalf("Open error = %v, want a corrupt-record error naming inst-9 and %s", err, tt.mention)
			}
			// The failed Open must have released the file.
			db, err := bolt.Open(filepath.Join(dir, fileName), 0o600, &bolt.Options{Timeout: 50 * time.Millisecond})
			if err != nil {
				t.Fatalf("file still locked after failed Open: %v", err)
			}
			db.Close()
		})
	}
}

// corrupt writes a raw key/value into an instance bucket, bypassing the codec.
func corrupt(t *testing.T, path, instance string, key, val []byte) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketInstances).Bucket([]byte(instance)).Put(key, val)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestOpenRejectsUnknownFormat(t *testing.T) {
	dir := t.TempDir()
	openDir(t, dir).Close()
	db, err := bolt.Open(filepath.Join(dir, fileName), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(metaFormat, []byte{7}) })
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	if c, err := Open(dir); err == nil || !strings.Contains(err.Error(), "unsupported catalog format") {
		if c != nil {
			c.Close()
		}
		t.Fatalf("Open of a future format = %v, want an unsupported-format error", err)
	}
}

// TestOpenLoadingShowsEveryRecordOnce checks the one-pass load a restart uses to rebuild the search index:
// each stored record reaches onLoad once, with its stored descriptor and with the very strings the catalogue
// holds (an index keeping a second copy of every key would cost tens of MiB at a million images), and an
// error from onLoad fails the open.
func TestOpenLoadingShowsEveryRecordOnce(t *testing.T) {
	dir := t.TempDir()
	c := openDir(t, dir)
	want := map[Key]string{}
	for i := range 50 {
		r := numbered(i/5, i, 1)
		r.Desc = descFor(i, 16)
		mustPut(t, c, fmt.Sprint("inst", i%2), r)
		want[r.Key()] = string(r.Desc)
	}
	c.Close()
	seen := map[Key]string{}
	var shown []Record
	var instances []string
	c, err := OpenLoading(dir, func(instance string, r Record, desc []byte) error {
		if _, dup := seen[r.Key()]; dup || r.Desc != nil {
			t.Errorf("%s %v: shown twice, or with Desc set", instance, r.Key())
		}
		seen[r.Key()] = string(desc)
		shown, instances = append(shown, r), append(instances, instance)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if !maps.Equal(seen, want) {
		t.Fatalf("onLoad saw %d records, want %d, or other descriptors", len(seen), len(want))
	}
	for i, r := range shown {
		held, ok := c.Get(instances[i], r.Key())
		if !ok || unsafe.StringData(held.ProductId) != unsafe.StringData(r.ProductId) ||
			unsafe.StringData(held.PicName) != unsafe.StringData(r.PicName) {
			t.Fatalf("%v: the strings shown are not the ones the catalogue holds", r.Key())
		}
	}
	c.Close()
	boom := errors.New("boom")
	if _, err := OpenLoading(dir, func(string, Record, []byte) error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("OpenLoading with a failing onLoad: %v, want the error", err)
	}
}
