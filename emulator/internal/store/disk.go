package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sync"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// fileName is the single database file inside the directory given to Open.
const fileName = "catalog.db"

// formatVersion describes the bucket and key layout; the value layout carries its own version byte.
const formatVersion uint64 = 1

// Bucket layout: "meta" holds the format version; "instances" holds one nested bucket per instance, whose
// keys are encodeKey(Key) and values encodeValue(Record).
var (
	bucketMeta      = []byte("meta")
	bucketInstances = []byte("instances")
	metaFormat      = []byte("format")
)

// lockTimeout bounds the wait for the file lock, so a second emulator on the same directory fails fast
// instead of hanging. Tests shorten it.
var lockTimeout = defaultLockTimeout

// disk is the durable copy of the catalog: one bbolt file, one transaction (with fsync) per change. mu
// guards db against remap, which replaces it; every transaction holds it for reading.
type disk struct {
	mu     sync.RWMutex
	db     *bolt.DB
	closed bool // by close: remap must not reopen the file
}

// openDisk opens or creates the file at path and checks its layout version.
func openDisk(path string) (*disk, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: lockTimeout})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("%w: %s is held by another process (no lock within %v)", ErrLocked, path, lockTimeout)
	}
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if err := db.Update(initLayout); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %s: %w", path, err)
	}
	return &disk{db: db}, nil
}

// initLayout creates the buckets of a new file, or checks the format version of an existing one.
func initLayout(tx *bolt.Tx) error {
	meta, err := tx.CreateBucketIfNotExists(bucketMeta)
	if err != nil {
		return err
	}
	if _, err := tx.CreateBucketIfNotExists(bucketInstances); err != nil {
		return err
	}
	if v := meta.Get(metaFormat); v != nil {
		got, w := binary.Uvarint(v)
		if w <= 0 || got != formatVersion {
			return fmt.Errorf("unsupported catalog format %x (want %d)", v, formatVersion)
		}
		return nil
	}
	return meta.Put(metaFormat, binary.AppendUvarint(nil, formatVersion))
}

// load reads every instance into sorted record lists. A record that does not decode is an error naming its
// instance and key.
func (d *disk) load(onLoad LoadFunc) (map[string][]*Record, error) {
	out := make(map[string][]*Record)
	d.mu.RLock()
	defer d.mu.RUnlock()
	err := d.db.View(func(tx *bolt.Tx) error {
		root := tx.Bucket(bucketInstances)
		return root.ForEachBucket(func(name []byte) error {
			recs, err := loadInstance(string(name), root.Bucket(name), onLoad)
			if len(recs) > 0 {
				out[string(name)] = recs
			}
			return err
		})
	})
	if err != nil {
		return nil, fmt.Errorf("store: load %s: %w", d.db.Path(), err)
	}
	return out, nil
}

// loadInstance decodes one instance's bucket and sorts it into Scan order (the length-prefixed keys are not
// stored in that order), showing each record and its stored descriptor to onLoad (if not nil) on the way.
func loadInstance(instance string, b *bolt.Bucket, onLoad LoadFunc) ([]*Record, error) {
	var recs []*Record
	err := b.ForEach(func(k, v []byte) error {
		key, err := decodeKey(k)
		if err != nil {
			return fmt.Errorf("instance %q key %q: %w", instance, k, err)
		}
		if v == nil {
			return fmt.Errorf("instance %q key %q: %w: nested bucket", instance, k, errCorrupt)
		}
		r, desc, err := decodeParts(key, v) // memory holds no descriptors of a persisted catalogue (Catalog.held)
		if err == nil && onLoad != nil {
			err = onLoad(instance, *r, desc)
		}
		if err != nil {
			return fmt.Errorf("instance %q product %q picture %q: %w", instance, key.ProductId, key.PicName, err)
		}
		recs = append(recs, r)
		return nil
	})
	slices.SortFunc(recs, func(a, b *Record) int { return CompareKeys(keyOf(a), keyOf(b)) })
	return recs, err
}

// write stores puts and removes dels in one transaction; bbolt fsyncs on commit, so the change is durable
// when write returns nil.
func (d *disk) write(instance string, puts []*Record, dels []Key, keepDesc bool) error {
	d.mu.RLock()
	defer d.mu.RUnlock()
	err := d.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.Bucket(bucketInstances).CreateBucketIfNotExists([]byte(instance))
		if err != nil {
			return err
		}
		for _, r := range puts {
			k := encodeKey(keyOf(r))
			if keepDesc && r.Desc == nil {
				if r, err = withStoredDesc(r, b.Get(k)); err != nil {
					return err
				}
			}
			if err := b.Put(k, encodeValue(r)); err != nil {
				return err
			}
		}
		for _, k := range dels {
			if err := b.Delete(encodeKey(k)); err != nil {
				return err
			}
		}
		return nil
	})
	return wrapWriteErr(instance, err)
}

// withStoredDesc returns r with the descriptor of stored, its encoded value (if any).
func withStoredDesc(r *Record, stored []byte) (*Record, error) {
	if stored == nil {
		return r, nil
	}
	old, err := decodeValue(keyOf(r), stored)
	if err != nil {
		return nil, err
	}
	cp := *r
	cp.Desc = old.Desc
	return &cp, nil
}

// drop deletes the buckets of the named instances in one transaction.
func (d *disk) drop(instances []string) error {
	d.mu.RLock()
	defer d.mu.RUnlock()
	err := d.db.Update(func(tx *bolt.Tx) error {
		root := tx.Bucket(bucketInstances)
		for _, name := range instances {
			err := root.DeleteBucket([]byte(name))
			if err != nil && !errors.Is(err, berrors.ErrBucketNotFound) {
				return err
			}
		}
		return nil
	})
	return wrapWriteErr(fmt.Sprint(instances), err)
}

// wrapWriteErr maps a write on a closed database to ErrClosed and names the instance otherwise.
func wrapWriteErr(instance string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, berrors.ErrDatabaseNotOpen):
		return ErrClosed
	default:
		return fmt.Errorf("store: write instance %q: %w", instance, err)
	}
}

func (d *disk) close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.closed = true
	return d.db.Close()
}

// remap closes and reopens the file once no transaction runs. Reading a page of the memory-mapped file
// makes it resident, and ps counts it in the process's RSS for as long as the mapping lasts: after reading
// the whole file (load, scan) a fresh mapping holds none. If reopening fails, later transactions fail as on
// a closed database.
func (d *disk) remap() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return ErrClosed
	}
	path := d.db.Path()
	if err := d.db.Close(); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	fresh, err := openDisk(path)
	if err != nil {
		return err
	}
	d.db = fresh.db
	return nil
}
