package index

import (
	"math"
	"slices"

	"github.com/imagesearch-conformance/conformance/emulator/internal/store"
)

// best returns the n best of cands ranked by score, then key; equal scores
// may stay in any order within the result (orderTies orders them). Only the
// images tied at the boundary score need their keys compared, so the
// ranking sorts packed integers instead of strings.
func (x *Index) best(s *scratch, cands []candidate, n int) []candidate {
	p := s.packed[:0] // (MaxInt32-score) << 32 | index in cands: ascending is score descending
	for i, c := range cands {
		p = append(p, uint64(math.MaxInt32-c.score)<<32|uint64(i))
	}
	s.packed = p
	slices.Sort(p)
	ranked := s.ranked[:0]
	for _, v := range p {
		ranked = append(ranked, cands[uint32(v)])
	}
	s.ranked = ranked
	if len(ranked) <= n {
		return ranked
	}
	if n == 0 {
		return ranked[:0]
	}
	lo, hi := equalRun(ranked, n-1)
	if hi > n {
		x.selectFirst(ranked[lo:hi], n-lo)
	}
	return ranked[:n]
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
				return store.CompareKeys(*x.keyAt(int(a.pos)), *x.keyAt(int(b.pos)))
			})
		}
		lo = hi
	}
}

// selectFirst reorders tied so that its first k entries are those with the
// smallest keys (in no particular order): a quickselect, so a large group of
// equal scores costs a few comparisons per entry instead of a sort. Most
// comparisons are of the candidates' ProductId prefixes; keys are compared
// only when prefixes are equal.
func (x *Index) selectFirst(tied []candidate, k int) {
	same := true
	for _, c := range tied {
		same = same && c.pre == tied[0].pre
	}
	if same && len(tied) > 1 {
		x.refinePrefixes(tied) // the first 8 bytes decide nothing
		defer x.restorePrefixes(tied)
	}
	less := func(a, b candidate) bool {
		if a.pre != b.pre {
			return a.pre < b.pre
		}
		return store.CompareKeys(*x.keyAt(int(a.pos)), *x.keyAt(int(b.pos))) < 0
	}
	lo, hi := 0, len(tied) // the k-th smallest lies in tied[lo:hi]
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		tied[mid], tied[hi-1] = tied[hi-1], tied[mid] // middle element as pivot: storage order is not adversarial
		pivot, at := tied[hi-1], lo
		for i := lo; i < hi-1; i++ {
			if less(tied[i], pivot) {
				tied[i], tied[at] = tied[at], tied[i]
				at++
			}
		}
		tied[at], tied[hi-1] = tied[hi-1], tied[at]
		if at == k-1 || at == k {
			break
		}
		if at < k {
			lo = at + 1
		} else {
			hi = at
		}
	}
}

// refinePrefixes replaces the prefixes of tied, whose ProductIds share their
// first 8 bytes, by the 8 bytes past all the bytes they share.
func (x *Index) refinePrefixes(tied []candidate) {
	first := x.keyAt(int(tied[0].pos)).ProductId
	common := len(first)
	for _, c := range tied[1:] {
		id := x.keyAt(int(c.pos)).ProductId
		common = min(common, len(id))
		for i := range common {
			if id[i] != first[i] {
				common = i
				break
			}
		}
	}
	for i := range tied {
		tied[i].pre = prefix(x.keyAt(int(tied[i].pos)).ProductId, common)
	}
}

// restorePrefixes puts back the stored prefixes refinePrefixes replaced, so
// that later comparisons with other candidates stay consistent.
func (x *Index) restorePrefixes(tied []candidate) {
	for i := range tied {
		tied[i].pre = x.preAt(int(tied[i].pos))
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
