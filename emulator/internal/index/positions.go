package index

import "hash/maphash"

// positions maps each key to its storage position. It is an open-addressing
// hash table (linear probing) of positions alone: a probe compares the key
// stored in the block at that position. A map[Key]int would hold a second
// copy of every key's string headers and the map's own overhead, about 50
// bytes per image (50 MB at a million images) that the garbage collector
// also scans; this holds at most 4/0.75 bytes per image, pointer-free.
type positions struct {
	slots []uint32 // position+1, 0 for an empty slot; len is a power of two
	n     int
	seed  maphash.Seed
}

func newPositions() positions { return positions{seed: maphash.MakeSeed()} }

// home is the first slot probed for k.
func (t *positions) home(k *Key) int {
	return int(maphash.Comparable(t.seed, *k) & uint64(len(t.slots)-1))
}

// find returns the slot holding k, or -1.
func (t *positions) find(x *Index, k *Key) int {
	if len(t.slots) == 0 {
		return -1
	}
	mask := len(t.slots) - 1
	for i := t.home(k); t.slots[i] != 0; i = (i + 1) & mask {
		if *x.keyAt(int(t.slots[i] - 1)) == *k {
			return i
		}
	}
	return -1
}

// get returns the position of k.
func (t *positions) get(x *Index, k *Key) (int, bool) {
	i := t.find(x, k)
	if i < 0 {
		return 0, false
	}
	return int(t.slots[i] - 1), true
}

// add records that k, not present yet, is at pos; x must already hold k at
// pos, since growing the table reads every stored key.
func (t *positions) add(x *Index, k *Key, pos int) {
	t.n++
	if 4*t.n > 3*len(t.slots) {
		t.grow(x) // places every stored image, k among them
		return
	}
	t.place(k, pos)
}

// place puts pos in the first empty slot from k's home.
func (t *positions) place(k *Key, pos int) {
	mask := len(t.slots) - 1
	i := t.home(k)
	for t.slots[i] != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = uint32(pos + 1)
}

// grow doubles the table and places every stored image again.
func (t *positions) grow(x *Index) {
	t.slots = make([]uint32, max(64, 2*len(t.slots)))
	for pos := range x.n {
		t.place(x.keyAt(pos), pos)
	}
}

// move records that k, present, is now at pos.
func (t *positions) move(x *Index, k *Key, pos int) {
	t.slots[t.find(x, k)] = uint32(pos + 1)
}

// remove forgets k, present. Later entries of its probe run shift back into
// the gap when their home allows, so that no probe stops early at it.
func (t *positions) remove(x *Index, k *Key) {
	mask := len(t.slots) - 1
	gap := t.find(x, k)
	for j := (gap + 1) & mask; t.slots[j] != 0; j = (j + 1) & mask {
		h := t.home(x.keyAt(int(t.slots[j] - 1)))
		// The entry at j may fill the gap unless its home lies cyclically in (gap, j].
		if (j > gap && (h <= gap || h > j)) || (j < gap && h <= gap && h > j) {
			t.slots[gap] = t.slots[j]
			gap = j
		}
	}
	t.slots[gap] = 0
	t.n--
}
