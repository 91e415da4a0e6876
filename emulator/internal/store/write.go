package store

import (
	"slices"
	"time"
)

// Every write follows the same steps under the instance's writeMu: derive the next table from the current
// one, persist the change (one transaction with fsync), and only then publish the table. A failed disk
// write therefore leaves memory as it was, and memory order equals disk order.

// Put stores r, replacing any record with the same (ProductId, PicName): last write wins (ref §3). A zero
// Added is set to the current time. The caller's Desc is copied.
func (c *Catalog) Put(instance string, r Record) (replaced bool, err error) {
	if instance == "" {
		return false, ErrNoInstance
	}
	if r.Added.IsZero() {
		r.Added = time.Now()
	}
	rec := normalized(r)
	in := c.instanceFor(instance)
	in.writeMu.Lock()
	defer in.writeMu.Unlock()
	if c.closed.Load() {
		return false, ErrClosed
	}
	if err := c.persist(instance, []*Record{rec}, nil, false); err != nil {
		return false, err
	}
	next, replaced := in.tab.Load().with(c.held(rec))
	in.tab.Store(next)
	return replaced, nil
}

// Update applies fn to a copy of each selected record and stores the results atomically (all or nothing,
// one transaction). The selection is the record under k, or every record of k.ProductId when byProduct is
// true and k.PicName is "" (ref §2.3, ref §11). It returns the keys of the records fn was applied to, in
// key order, or ErrNotFound when nothing matched. Changes fn makes to ProductId or PicName are ignored:
// they identify the image and cannot be modified (ref §2.3).
func (c *Catalog) Update(instance string, k Key, byProduct bool, fn func(*Record)) ([]Key, error) {
	return c.AppendUpdate(nil, instance, k, byProduct, fn)
}

// AppendUpdate is Update appending the keys to dst, which it returns unchanged on an error: a caller with
// room for one key then updates one image without allocating the result.
func (c *Catalog) AppendUpdate(dst []Key, instance string, k Key, byProduct bool, fn func(*Record)) ([]Key, error) {
	in := c.lookup(instance)
	if in == nil {
		if err := c.closedErr(); err != nil {
			return dst, err
		}
		return dst, ErrNotFound
	}
	in.writeMu.Lock()
	defer in.writeMu.Unlock()
	if c.closed.Load() {
		return dst, ErrClosed
	}
	cur := in.tab.Load()
	var one [1]*Record // the usual single-image selection needs no slice of its own
	targets := selectTargets(cur, k, byProduct, one[:0])
	if len(targets) == 0 {
		return dst, ErrNotFound
	}
	keys := slices.Grow(dst, len(targets))
	for i, old := range targets { // targets is this call's own slice: it takes the updated records in place
		keys = append(keys, keyOf(old))
		targets[i] = applyUpdate(old, fn)
	}
	if err := c.persist(instance, targets, nil, true); err != nil {
		return dst, err
	}
	for _, r := range targets {
		c.held(r)
	}
	in.tab.Store(cur.withReplaced(targets))
	return keys, nil
}

// selectTargets resolves Update's selection against one table, appending a single record to buf.
func selectTargets(t *table, k Key, byProduct bool, buf []*Record) []*Record {
	if byProduct && k.PicName == "" {
		return t.product(k.ProductId)
	}
	if r, ok := t.get(k); ok {
		return append(buf, r)
	}
	return nil
}

// applyUpdate runs fn on a private copy of old (Desc included, so in-place edits cannot reach the stored
// bytes) and returns that copy normalised, with the identity restored. fn must not keep the pointer. The
// copy is the record stored, so an update costs one record allocation, and the descriptor is copied a
// second time only when fn replaced it (the caller's buffer must not alias the store).
func applyUpdate(old *Record, fn func(*Record)) *Record {
	cp := new(Record)
	*cp = *old
	desc := cloneDesc(old.Desc)
	cp.Desc = desc
	fn(cp)
	cp.ProductId, cp.PicName = old.ProductId, old.PicName
	cp.Added = normalTime(cp.Added)
	if !sameBytes(cp.Desc, desc) {
		cp.Desc = cloneDesc(cp.Desc)
	}
	return cp
}

// sameBytes reports whether a and b are the same non-empty slice (same start and length), not equal contents.
func sameBytes(a, b []byte) bool {
	return len(a) > 0 && len(a) == len(b) && &a[0] == &b[0]
}

// Delete removes the given keys and returns those that existed, in argument order without duplicates.
// Deleting a missing key is not an error (ref §4).
func (c *Catalog) Delete(instance string, keys []Key) ([]Key, error) {
	in := c.lookup(instance)
	if in == nil {
		return nil, c.closedErr()
	}
	in.writeMu.Lock()
	defer in.writeMu.Unlock()
	if c.closed.Load() {
		return nil, ErrClosed
	}
	cur := in.tab.Load()
	existing := presentKeys(cur, keys)
	if len(existing) == 0 {
		return nil, nil
	}
	if err := c.persist(instance, nil, existing, false); err != nil {
		return nil, err
	}
	in.tab.Store(cur.withoutAll(existing))
	return existing, nil
}

// presentKeys filters keys to those stored in t, dropping duplicates and keeping the first occurrence.
func presentKeys(t *table, keys []Key) []Key {
	var out []Key
	seen := make(map[Key]bool, len(keys))
	for _, k := range keys {
		if seen[k] {
			continue
		}
		seen[k] = true
		if _, ok := t.get(k); ok {
			out = append(out, k)
		}
	}
	return out
}

// Reset drops one instance's records, or every instance's when instance is "".
func (c *Catalog) Reset(instance string) error {
	names, targets := c.resetTargets(instance)
	for _, in := range targets { // sorted by name: a fixed lock order
		in.writeMu.Lock()
		defer in.writeMu.Unlock()
	}
	if c.closed.Load() {
		return ErrClosed
	}
	if len(names) == 0 {
		return nil
	}
	if c.disk != nil {
		if err := c.disk.drop(names); err != nil {
			return err
		}
	}
	for _, in := range targets {
		in.tab.Store(emptyTable)
	}
	return nil
}

// resetTargets returns the instances Reset acts on, sorted by name.
func (c *Catalog) resetTargets(instance string) ([]string, []*instanceState) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var names []string
	for name := range c.instances {
		if instance == "" || name == instance {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	targets := make([]*instanceState, len(names))
	for i, name := range names {
		targets[i] = c.instances[name]
	}
	return names, targets
}

// persist makes a change durable; a memory-only catalogue has nothing to do. keepDesc says that a put
// without a Desc keeps the one stored (Update: memory holds no descriptors, see held).
func (c *Catalog) persist(instance string, puts []*Record, dels []Key, keepDesc bool) error {
	if c.disk == nil {
		return nil
	}
	return c.disk.write(instance, puts, dels, keepDesc)
}

// held turns a persisted record, private to the write that made it, into the form kept in memory: without
// its descriptor, which only a restart reads (OpenLoading), so memory holds each descriptor once, in the
// search index. A memory-only catalogue keeps the record whole. It edits r in place, as nothing else holds
// it yet, and returns it.
func (c *Catalog) held(r *Record) *Record {
	if c.disk != nil {
		r.Desc = nil
	}
	return r
}

// closedErr reports ErrClosed after Close, for paths that otherwise have nothing to do.
func (c *Catalog) closedErr() error {
	if c.closed.Load() {
		return ErrClosed
	}
	return nil
}
