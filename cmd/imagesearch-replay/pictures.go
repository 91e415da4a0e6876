package main

import (
	"sync"

	"github.com/imagesearch-conformance/conformance/suites/harness"
)

// pictures finds a recorded picture among the suite's deterministic ones (harness.SuitePicture(1..max)):
// a recording keeps only digests. The suite numbers its pictures upwards from 1, so the digests are
// computed lazily, in order, as far as the recording needs.
type pictures struct {
	mu    sync.Mutex
	max   int64
	next  int64             // the last seed computed
	seeds map[string]int64  // digest → seed, for every seed up to next
	found map[string][]byte // digest → picture, kept: a picture is sent again for every search with it
	miss  map[string]bool   // digests not among the first max pictures
	stand []byte            // the stand-in for a picture not found
}

func newPictures(max int) *pictures {
	return &pictures{max: int64(max), seeds: map[string]int64{}, found: map[string][]byte{}, miss: map[string]bool{},
		stand: harness.SuitePicture(0)} // the suite's seeds start at 1
}

// picture returns the picture with digest d, or the stand-in and false.
func (p *pictures) picture(d harness.PictureDigest) ([]byte, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if d.Text || p.miss[d.SHA256] {
		return p.stand, false
	}
	if b, ok := p.found[d.SHA256]; ok {
		return b, true
	}
	seed, ok := p.seeds[d.SHA256]
	for !ok && p.next < p.max {
		p.next++
		b := harness.SuitePicture(p.next)
		dg := harness.DigestPicture(b).SHA256
		p.seeds[dg] = p.next
		if dg == d.SHA256 {
			p.found[dg] = b
			return b, true
		}
	}
	if !ok {
		p.miss[d.SHA256] = true
		return p.stand, false
	}
	b := harness.SuitePicture(seed) // computed earlier while looking for another digest
	p.found[d.SHA256] = b
	return b, true
}
