// Package store is the emulator's image catalogue: every instance's image records (ref §3) held in memory as
// the primary copy and, optionally, written through to a bbolt file so that an acknowledged write survives
// a crash.
//
// Reads never lock: each instance publishes an immutable ordered table, and a write builds the next table,
// makes it durable, then publishes it. Writers of one instance are serialised, so the in-memory order of
// changes equals their order on disk, and a failed disk write leaves memory unchanged.
package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// defaultLockTimeout is how long Open waits for another process to release the file.
const defaultLockTimeout = time.Second

var (
	// ErrNotFound is returned by Update when the selection matches no record.
	ErrNotFound = errors.New("store: no matching record")
	// ErrClosed is returned by writes after Close.
	ErrClosed = errors.New("store: catalog is closed")
	// ErrLocked is returned by Open when another process holds the directory's database.
	ErrLocked = errors.New("store: catalog file is locked")
	// ErrNoInstance is returned by Put for an empty instance name.
	ErrNoInstance = errors.New("store: empty instance name")
)

// Catalog holds every instance's records in memory (the primary copy) and, when opened with a directory,
// writes each change through to a bbolt file before the call returns, so an acknowledged write survives
// kill -9. It is safe for concurrent use. After Close, reads keep serving the in-memory copy and writes fail
// with ErrClosed.
type Catalog struct {
	disk   *disk // nil for a memory-only catalog
	closed atomic.Bool

	mu        sync.RWMutex // guards the map, not the instances' contents
	instances map[string]*instanceState
}

// instanceState is one instance's records. Entries are never removed from Catalog.instances, so a writer holding
// a pointer can never update an orphan.
type instanceState struct {
	writeMu sync.Mutex // serialises writers: disk order equals publish order
	tab     atomic.Pointer[table]
}

// OpenMemory returns a catalogue without persistence.
func OpenMemory() *Catalog {
	return &Catalog{instances: make(map[string]*instanceState)}
}

// Open creates dir if needed and opens (or creates) its single database file, loading every record into
// memory. If another process has the directory open, Open fails within about a second with ErrLocked.
func Open(dir string) (*Catalog, error) { return OpenLoading(dir, nil) }

// LoadFunc sees one record as OpenLoading loads it: r as the catalogue will hold it (its strings are the
// catalogue's own, so a caller that keeps them holds no second copy) and desc, its stored descriptor, valid
// only during the call. A non-nil error stops the open.
type LoadFunc func(instance string, r Record, desc []byte) error

// OpenLoading is Open, calling onLoad for each record in the same pass over the file: a caller that needs
// the descriptors (the search index) reads them without a second pass.
func OpenLoading(dir string, onLoad LoadFunc) (*Catalog, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	d, err := openDisk(filepath.Join(dir, fileName))
	if err != nil {
		return nil, err
	}
	loaded, err := d.load(onLoad)
	if err != nil {
		d.close()
		return nil, err
	}
	if err := d.remap(); err != nil { // loading made every page resident
		d.close()
		return nil, err
	}
	c := OpenMemory()
	c.disk = d
	for name, recs := range loaded {
		c.instanceFor(name).tab.Store(newTable(recs))
	}
	return c, nil
}

// Close releases the database file. It is idempotent.
func (c *Catalog) Close() error {
	if c.closed.Swap(true) || c.disk == nil {
		return nil
	}
	return c.disk.close()
}

// lookup returns the named instance, or nil if it has never been written.
func (c *Catalog) lookup(name string) *instanceState {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.instances[name]
}

// instanceFor returns the named instance, creating it empty.
func (c *Catalog) instanceFor(name string) *instanceState {
	if in := c.lookup(name); in != nil {
		return in
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	in := c.instances[name]
	if in == nil {
		in = &instanceState{}
		in.tab.Store(emptyTable)
		c.instances[name] = in
	}
	return in
}

// snapshot returns the current table of an instance (empty if unknown).
func (c *Catalog) snapshot(name string) *table {
	if in := c.lookup(name); in != nil {
		return in.tab.Load()
	}
	return emptyTable
}

// Get returns a copy of the record stored under k (Desc is shared read-only).
func (c *Catalog) Get(instance string, k Key) (Record, bool) {
	r, ok := c.snapshot(instance).get(k)
	if !ok {
		return Record{}, false
	}
	return *r, true
}

// Keys returns the keys of one product's records, sorted by PicName.
func (c *Catalog) Keys(instance string, productID string) []Key {
	recs := c.snapshot(instance).product(productID)
	keys := make([]Key, len(recs))
	for i, r := range recs {
		keys[i] = keyOf(r)
	}
	return keys
}

// Scan calls fn with a copy of each record (Desc shared read-only) in (ProductId, PicName) order until fn
// returns false. It iterates one consistent snapshot: writes made meanwhile are not seen, and fn may call
// any Catalog method.
func (c *Catalog) Scan(instance string, fn func(Record) bool) {
	c.snapshot(instance).ascend(Key{}, func(r *Record) bool { return fn(*r) })
}

// Count returns the number of records of an instance.
func (c *Catalog) Count(instance string) int { return c.snapshot(instance).n }

// Instances returns the sorted names of the instances that hold at least one record.
func (c *Catalog) Instances() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	names := make([]string, 0, len(c.instances))
	for name, in := range c.instances {
		if in.tab.Load().n > 0 {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}
