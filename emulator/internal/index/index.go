// Package index is the emulator's in-memory similarity index: one per
// instance, holding a descriptor per (ProductId, PicName) and answering
// "most similar images" queries.
//
// Search runs in two stages. A first stage scans the short sketches of every
// kept image, stored contiguously, and keeps the best rescoreCount; the second
// rescoring stage ranks those with the full imaging.Score. Below rescoreCount
// images every kept image is scored exactly.
package index

import (
	"strings"
	"sync"

	"github.com/imagesearch-conformance/conformance/emulator/internal/imaging"
)

// Key identifies an image: ProductId+PicName is the unique key of the service
// (ref §3).
type Key struct{ ProductId, PicName string }

// compare orders keys by ProductId, then PicName: the deterministic
// tie-break between equal scores.
func (k Key) compare(o Key) int {
	if c := strings.Compare(k.ProductId, o.ProductId); c != 0 {
		return c
	}
	return strings.Compare(k.PicName, o.PicName)
}

// blockSize is the number of images per storage block. Fixed blocks avoid
// the copy and up to 25 % slack of one huge growing slice.
const blockSize = 1024

// block stores images in parallel arrays so that the first stage walks the
// sketches alone, contiguously.
type block struct {
	sketches [blockSize]imaging.Sketch
	keys     [blockSize]Key
	descs    [blockSize]imaging.Descriptor
}

// Index is a goroutine-safe similarity index. The zero value is not usable;
// call New.
type Index struct {
	mu     sync.RWMutex
	slot   map[Key]int // key → position in blocks
	blocks []*block
	n      int
}

// New returns an empty index.
func New() *Index {
	return &Index{slot: make(map[Key]int)}
}

// Len returns the number of images in the index.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.n
}

// Put stores the descriptor of k, replacing any earlier one (AddImage with an
// existing ProductId+PicName replaces the image, ref §3).
func (x *Index) Put(k Key, d imaging.Descriptor) {
	x.mu.Lock()
	defer x.mu.Unlock()
	i, ok := x.slot[k]
	if !ok {
		i = x.n
		if i/blockSize == len(x.blocks) {
			x.blocks = append(x.blocks, new(block))
		}
		x.n++
		x.slot[k] = i
	}
	b, j := x.blocks[i/blockSize], i%blockSize
	b.keys[j], b.descs[j], b.sketches[j] = k, d, d.Sketch()
}

// Delete removes k if present. The last image moves into the freed slot, so
// storage stays dense and an emptied block is released.
func (x *Index) Delete(k Key) {
	x.mu.Lock()
	defer x.mu.Unlock()
	i, ok := x.slot[k]
	if !ok {
		return
	}
	delete(x.slot, k)
	last := x.n - 1
	lb, lj := x.blocks[last/blockSize], last%blockSize
	if i != last {
		b, j := x.blocks[i/blockSize], i%blockSize
		b.keys[j], b.descs[j], b.sketches[j] = lb.keys[lj], lb.descs[lj], lb.sketches[lj]
		x.slot[b.keys[j]] = i
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
	i, ok := x.slot[k]
	if !ok {
		return imaging.Descriptor{}, false
	}
	_, d := x.at(i)
	return *d, true
}

// at returns the key and descriptor at position i.
func (x *Index) at(i int) (*Key, *imaging.Descriptor) {
	b, j := x.blocks[i/blockSize], i%blockSize
	return &b.keys[j], &b.descs[j]
}
