package filter

// NoID is never assigned to a string: a literal missing from a Dict binds to it.
const NoID = ^uint32(0)

// Dict assigns small integer ids to string attribute values. Each id counts its holders, and an id
// nobody holds is freed for reuse, so the Dict stays as large as the set of values in use. It is not
// safe for concurrent writes; concurrent Lookups without a writer are safe.
type Dict struct {
	ids  map[string]uint32
	strs []string
	uses []int
	free []uint32
}

// Acquire returns the id of s, assigning one if needed, and counts one more holder.
func (d *Dict) Acquire(s string) uint32 {
	if id, ok := d.ids[s]; ok {
		d.uses[id]++
		return id
	}
	if d.ids == nil {
		d.ids = make(map[string]uint32)
	}
	var id uint32
	if n := len(d.free); n > 0 {
		id, d.free = d.free[n-1], d.free[:n-1]
		d.strs[id], d.uses[id] = s, 1
	} else {
		id = uint32(len(d.strs))
		d.strs, d.uses = append(d.strs, s), append(d.uses, 1)
	}
	d.ids[s] = id
	return id
}

// AcquireAll acquires each of the four values.
func (d *Dict) AcquireAll(s [4]string) [4]uint32 {
	return [4]uint32{d.Acquire(s[0]), d.Acquire(s[1]), d.Acquire(s[2]), d.Acquire(s[3])}
}

// Release drops one holder of id; the last one frees it.
func (d *Dict) Release(id uint32) {
	if d.uses[id]--; d.uses[id] == 0 {
		delete(d.ids, d.strs[id])
		d.strs[id] = ""
		d.free = append(d.free, id)
	}
}

// ReleaseAll releases each of the four ids.
func (d *Dict) ReleaseAll(ids [4]uint32) {
	for _, id := range ids {
		d.Release(id)
	}
}

// Lookup returns the id of s if some holder has it.
func (d *Dict) Lookup(s string) (uint32, bool) {
	id, ok := d.ids[s]
	return id, ok
}

// Len returns the number of distinct values held.
func (d *Dict) Len() int { return len(d.ids) }
