package index

// candidate is a first-stage result: sketch score and storage position.
type candidate struct {
	score int32
	pos   int
}

// topN keeps the n best candidates in a min-heap whose root is the worst
// kept one. Order: higher score first, then smaller key, which makes the kept
// set independent of storage order (deletions reorder storage).
type topN struct {
	n     int
	items []candidate
	keyAt func(pos int) *Key
}

func (h *topN) full() bool { return len(h.items) >= h.n }

// floor is the score of the worst kept candidate; only valid when full.
func (h *topN) floor() int32 { return h.items[0].score }

// worse reports whether a ranks below b.
func (h *topN) worse(a, b candidate) bool {
	if a.score != b.score {
		return a.score < b.score
	}
	return h.keyAt(b.pos).less(*h.keyAt(a.pos))
}

// offer adds c if it ranks above the worst kept candidate.
func (h *topN) offer(c candidate) {
	if h.n <= 0 {
		return
	}
	if !h.full() {
		h.items = append(h.items, c)
		h.up(len(h.items) - 1)
		return
	}
	if !h.worse(h.items[0], c) {
		return
	}
	h.items[0] = c
	h.down(0)
}

func (h *topN) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !h.worse(h.items[i], h.items[p]) {
			return
		}
		h.items[i], h.items[p] = h.items[p], h.items[i]
		i = p
	}
}

func (h *topN) down(i int) {
	for {
		l := 2*i + 1
		if l >= len(h.items) {
			return
		}
		m := l
		if r := l + 1; r < len(h.items) && h.worse(h.items[r], h.items[l]) {
			m = r
		}
		if !h.worse(h.items[m], h.items[i]) {
			return
		}
		h.items[i], h.items[m] = h.items[m], h.items[i]
		i = m
	}
}
