// Package index is the emulator's in-memory similarity index: one per
// instance, holding a descriptor per (ProductId, PicName) and answering
// "most similar images" queries.
//
// Search runs in three stages. A prefilter estimates every selected image's
// similarity from two popcounts of a 128-bit code and keeps the best
// prefilterCount (prefilter.go); a sketch stage scores those by the dot
// product of short sketches, stored contiguously, and keeps the best
// rescoreCount; the last stage ranks those with the full imaging.Score.
// Below those counts every selected image goes on to the next stage, so a
// small index is scored exactly.
//
// Each image's CategoryId and filter attributes are kept beside its sketch in
// columns (string values as dictionary ids), so a search evaluates its Filter
// over whole columns of a block without looking anything up per image.
package index

import (
	"sync"

	"github.com/imagesearch-conformance/conformance/emulator/internal/filter"
	"github.com/imagesearch-conformance/conformance/emulator/internal/imaging"
	"github.com/imagesearch-conformance/conformance/emulator/internal/store"
)

// Key identifies an image: the catalogue's key (ProductId+PicName, ref §3),
// ordered by store.CompareKeys.
type Key = store.Key

// Attrs are what a search selects images by: CategoryId (ref §1.8) and the
// filter attributes (ref §1.7).
type Attrs struct {
	Category int32
	filter.Attrs
}

// blockSize is the number of images per storage block. Fixed blocks avoid
// the copy and up to 25 % slack of one huge growing slice.
const blockSize = filter.BlockLen

// block stores images in parallel arrays so that the first stage walks the
// sketches and attribute columns alone, contiguously. The keys, the only
// pointers, live in their own array: the rest of a block is pointer-free, so
// the garbage collector never scans it.
type block struct {
	codes    [blockSize]code
	sketches [blockSize]imaging.Sketch
	pre      [blockSize]uint64 // the first 8 bytes of each ProductId, to break score ties without the key
	cats     [blockSize]int32
	attrs    filter.Columns
	keys     *[blockSize]Key
	descs    [blockSize]imaging.Descriptor
}

func newBlock() *block { return &block{keys: new([blockSize]Key)} }

// Index is a goroutine-safe similarity index. The zero value is not usable;
// call New.
type Index struct {
	mu     sync.RWMutex
	pos    positions // key → position in blocks
	blocks []*block
	n      int
	dict   filter.Dict // ids of the string attribute values in the columns
}

// New returns an empty index.
func New() *Index {
	return &Index{pos: newPositions()}
}

// Len returns the number of images in the index.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.n
}

// Put stores the descriptor and attributes of k, replacing any earlier ones
// (AddImage with an existing ProductId+PicName replaces the image, ref §3).
// The sketch and code are computed before the lock is taken, so callers may
// Put from several goroutines at once to fill an index faster.
func (x *Index) Put(k Key, d imaging.Descriptor, a Attrs) {
	sk := d.Sketch()
	c := codeOf(&sk)
	x.mu.Lock()
	defer x.mu.Unlock()
	i, ok := x.pos.get(x, &k)
	if !ok {
		i = x.n
		if i/blockSize == len(x.blocks) {
			x.blocks = append(x.blocks, newBlock())
		}
		x.n++
	}
	b, j := x.blocks[i/blockSize], i%blockSize
	b.keys[j], b.descs[j], b.sketches[j], b.codes[j], b.pre[j] = k, d, sk, c, prefix(k.ProductId, 0)
	if !ok {
		x.pos.add(x, &k, i) // after the key is stored: growing the table reads it
	}
	x.setAttrs(b, j, a, ok)
}

// SetAttrs replaces the attributes of k (UpdateImage, ref §2.3) and reports
// whether k is present.
func (x *Index) SetAttrs(k Key, a Attrs) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	i, ok := x.pos.get(x, &k)
	if ok {
		x.setAttrs(x.blocks[i/blockSize], i%blockSize, a, true)
	}
	return ok
}

// setAttrs writes a into slot j of b; held says the slot holds ids to release.
func (x *Index) setAttrs(b *block, j int, a Attrs, held bool) {
	ids := x.dict.AcquireAll(a.Str) // before releasing, so an unchanged value keeps its id
	if held {
		x.dict.ReleaseAll(b.attrs.IDs(j))
	}
	b.cats[j] = a.Category
	b.attrs.Set(j, a.Int, ids)
}

// Delete removes k if present. The last image moves into the freed slot, so
// storage stays dense and an emptied block is released.
func (x *Index) Delete(k Key) {
	x.mu.Lock()
	defer x.mu.Unlock()
	i, ok := x.pos.get(x, &k)
	if !ok {
		return
	}
	x.pos.remove(x, &k)
	b, j := x.blocks[i/blockSize], i%blockSize
	x.dict.ReleaseAll(b.attrs.IDs(j))
	last := x.n - 1
	lb, lj := x.blocks[last/blockSize], last%blockSize
	if i != last {
		x.pos.move(x, &lb.keys[lj], i) // while the key is still at last too
		b.keys[j], b.descs[j], b.sketches[j], b.codes[j], b.pre[j] = lb.keys[lj], lb.descs[lj], lb.sketches[lj], lb.codes[lj], lb.pre[lj]
		b.cats[j] = lb.cats[lj]
		b.attrs.Move(j, &lb.attrs, lj)
	}
	lb.keys[lj] = Key{} // drop the string references
	x.n = last
	if x.n%blockSize == 0 {
		x.blocks[len(x.blocks)-1] = nil
		x.blocks = x.blocks[:len(x.blocks)-1]
	}
}

// Get returns the descriptor stored for k: the emulator's only copy when it runs without a data directory.
func (x *Index) Get(k Key) (imaging.Descriptor, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	i, ok := x.pos.get(x, &k)
	if !ok {
		return imaging.Descriptor{}, false
	}
	return x.blocks[i/blockSize].descs[i%blockSize], true
}

// keyAt returns the key at position pos.
func (x *Index) keyAt(pos int) *Key {
	return &x.blocks[pos/blockSize].keys[pos%blockSize]
}
