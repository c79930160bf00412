package sim

// event is an entry of the coupling queue: a disk (or the growth stream)
// whose next event needs the fleet's shared state, at time t. Equal times
// are ordered by seq, the order in which the entries were pushed (it wraps
// after 2^32 pushes, which only matters for two entries of the very same
// time pushed that far apart). 16 bytes.
type event struct {
	t   float64
	seq uint32
	id  uint32
}

func (a *event) less(b *event) bool {
	if a.t != b.t {
		return a.t < b.t
	}
	return a.seq < b.seq
}

// quadChunkBits sets the entries a chunk of the queue holds: 4,096, 64
// KiB.
const quadChunkBits = 12

const quadChunk = 1 << quadChunkBits

// quad is a 4-ary min-heap of events: shallower than a binary heap, and its
// four children share a cache line. Its entries live in chunks that are
// never copied: a queue that grows leaves no old array behind, and the
// chunks are kept for the next window.
type quad struct {
	c [][]event
	n int
}

func (h *quad) len() int { return h.n }

func (h *quad) at(i int) *event { return &h.c[i>>quadChunkBits][i&(quadChunk-1)] }

func (h *quad) top() *event { return h.at(0) }

func (h *quad) push(x event) {
	if h.n == len(h.c)*quadChunk {
		h.c = append(h.c, make([]event, quadChunk))
	}
	i := h.n
	h.n++
	for i > 0 {
		p := (i - 1) / 4
		pe := h.at(p)
		if !x.less(pe) {
			break
		}
		*h.at(i) = *pe
		i = p
	}
	*h.at(i) = x
}

func (h *quad) pop() event {
	top := *h.at(0)
	h.n--
	n := h.n
	if n == 0 {
		return top
	}
	x := *h.at(n)
	i := 0
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		m := c
		me := h.at(c)
		for j := c + 1; j < c+4 && j < n; j++ {
			if je := h.at(j); je.less(me) {
				m, me = j, je
			}
		}
		if !me.less(&x) {
			break
		}
		*h.at(i) = *me
		i = m
	}
	*h.at(i) = x
	return top
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
