package index

import (
	"math"
	"slices"

	"github.com/imagesearch-conformance/conformance/emulator/internal/store"
)

// best returns the n best of cands ranked by score, then key, reordering
// cands; equal scores may stay in any order within the result (orderTies
// orders them). Only the images tied at the boundary score need their keys
// compared, so the ranking sorts packed integers instead of strings.
func (x *Index) best(s *scratch, cands []candidate, n int) []candidate {
	p := s.packed[:0] // (MaxInt32-score) << 32 | pos: ascending is score descending, then position
	for _, c := range cands {
		p = append(p, uint64(math.MaxInt32-c.score)<<32|uint64(c.pos))
	}
	s.packed = p
	slices.Sort(p)
	for i, v := range p {
		cands[i] = candidate{score: math.MaxInt32 - int32(v>>32), pos: int(uint32(v))}
	}
	if len(cands) <= n {
		return cands
	}
	if n == 0 {
		return cands[:0]
	}
	lo, hi := equalRun(cands, n-1)
	if hi > n {
		s.ties = x.selectFirst(cands[lo:hi], n-lo, s.ties[:0])
	}
	return cands[:n]
}

// equalRun returns the bounds of the run of equal scores around position i
// of ranked cands.
func equalRun(cands []candidate, i int) (lo, hi int) {
	lo, hi = i, i+1
	for lo > 0 && cands[lo-1].score == cands[i].score {
		lo--
	}
	for hi < len(cands) && cands[hi].score == cands[i].score {
		hi++
	}
	return lo, hi
}

// orderTies sorts each run of equal scores of ranked cands by key.
func (x *Index) orderTies(cands []candidate) {
	for lo := 0; lo < len(cands); {
		_, hi := equalRun(cands, lo)
		if hi-lo > 1 {
			slices.SortFunc(cands[lo:hi], func(a, b candidate) int {
				return store.CompareKeys(*x.keyAt(a.pos), *x.keyAt(b.pos))
			})
		}
		lo = hi
	}
}

// tie is an image tied at the boundary score: pre holds 8 bytes of its
// ProductId, from the start or from where all tied ProductIds start to
// differ.
type tie struct {
	pre uint64
	pos uint32
}

// selectFirst reorders tied so that its first k entries are those with the
// smallest keys (in no particular order): a quickselect, so a large group of
// equal scores costs a few comparisons per entry instead of a sort. Most
// comparisons are of integer prefixes, kept beside the sketches so that
// they cost no visit to the key's string; keys are compared only when
// prefixes are equal. ties is working memory, returned for reuse.
func (x *Index) selectFirst(tied []candidate, k int, ties []tie) []tie {
	same := true
	for _, c := range tied {
		ties = append(ties, tie{pre: x.blocks[c.pos/blockSize].pre[c.pos%blockSize], pos: uint32(c.pos)})
		same = same && ties[len(ties)-1].pre == ties[0].pre
	}
	if same && len(ties) > 1 {
		x.refinePrefixes(ties) // the first 8 bytes decide nothing
	}
	less := func(a, b tie) bool {
		if a.pre != b.pre {
			return a.pre < b.pre
		}
		return store.CompareKeys(*x.keyAt(int(a.pos)), *x.keyAt(int(b.pos))) < 0
	}
	lo, hi := 0, len(ties) // the k-th smallest lies in ties[lo:hi]
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		ties[mid], ties[hi-1] = ties[hi-1], ties[mid] // middle element as pivot: storage order is not adversarial
		pivot, at := ties[hi-1], lo
		for i := lo; i < hi-1; i++ {
			if less(ties[i], pivot) {
				ties[i], ties[at] = ties[at], ties[i]
				at++
			}
		}
		ties[at], ties[hi-1] = ties[hi-1], ties[at]
		if at == k-1 || at == k {
			break
		}
		if at < k {
			lo = at + 1
		} else {
			hi = at
		}
	}
	for i, t := range ties {
		tied[i].pos = int(t.pos)
	}
	return ties
}

// refinePrefixes replaces the prefixes of ties, whose ProductIds share their
// first 8 bytes, by the 8 bytes past all the bytes they share.
func (x *Index) refinePrefixes(ties []tie) {
	first := x.keyAt(int(ties[0].pos)).ProductId
	common := len(first)
	for _, t := range ties[1:] {
		id := x.keyAt(int(t.pos)).ProductId
		common = min(common, len(id))
		for i := range common {
			if id[i] != first[i] {
				common = i
				break
			}
		}
	}
	for i := range ties {
		ties[i].pre = prefix(x.keyAt(int(ties[i].pos)).ProductId, common)
	}
}

// prefix returns the 8 bytes of id from offset from, big-endian and padded
// with zeros. Prefixes that differ order their strings as strings.Compare
// does (a zero pad sorts before any byte, as a shorter string does); equal
// prefixes decide nothing.
func prefix(id string, from int) uint64 {
	var p uint64
	for i := range 8 {
		p <<= 8
		if from+i < len(id) {
			p |= uint64(id[from+i])
		}
	}
	return p
}
