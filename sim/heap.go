package sim

// event is an entry of the coupling queue: a disk (or the growth stream)
// whose next event needs the fleet's shared state, at time t. Equal times
// are ordered by seq, the order in which the entries were pushed.
type event struct {
	t   float64
	seq uint64
	id  uint32
}

func (a *event) less(b *event) bool {
	if a.t != b.t {
		return a.t < b.t
	}
	return a.seq < b.seq
}

// quad is a 4-ary min-heap of events: shallower than a binary heap, and its
// four children share a cache line or two.
type quad struct{ e []event }

func (h *quad) len() int { return len(h.e) }

func (h *quad) top() *event { return &h.e[0] }

func (h *quad) push(x event) {
	h.e = append(h.e, x)
	i := len(h.e) - 1
	for i > 0 {
		p := (i - 1) / 4
		if !h.e[i].less(&h.e[p]) {
			break
		}
		h.e[i], h.e[p] = h.e[p], h.e[i]
		i = p
	}
}

func (h *quad) pop() event {
	x := h.e[0]
	n := len(h.e) - 1
	h.e[0] = h.e[n]
	h.e = h.e[:n]
	i := 0
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		m := c
		for j := c + 1; j < c+4 && j < n; j++ {
			if h.e[j].less(&h.e[m]) {
				m = j
			}
		}
		if !h.e[m].less(&h.e[i]) {
			break
		}
		h.e[i], h.e[m] = h.e[m], h.e[i]
		i = m
	}
	return x
}

// fheap is a min-heap of times (the completion times of open tickets).
type fheap []float64

func (h *fheap) push(x float64) {
	*h = append(*h, x)
	s := *h
	i := len(s) - 1
	for i > 0 {
		p := (i - 1) / 2
		if s[p] <= s[i] {
			break
		}
		s[i], s[p] = s[p], s[i]
		i = p
	}
}

func (h *fheap) pop() float64 {
	s := *h
	x := s[0]
	n := len(s) - 1
	s[0] = s[n]
	s = s[:n]
	i := 0
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && s[c+1] < s[c] {
			c++
		}
		if s[i] <= s[c] {
			break
		}
		s[i], s[c] = s[c], s[i]
		i = c
	}
	*h = s
	return x
}
