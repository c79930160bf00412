package check

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
)

// Graph is the explored state graph, stored backwards (each state's
// predecessors) for reachability questions such as "from which states can a
// state where every disk is deleted still be reached?". Each edge keeps the
// label its [Visit] gave it. [Check] does not build it: [Result.CanReach]
// answers the same questions in a fraction of the memory. It stays as the
// plain reference the tests compare with.
type Graph struct {
	n   int
	off []uint32 // predecessors of v: src[off[v]:off[v+1]]
	src []uint32
	lab []uint8
}

// Edges returns the number of edges.
func (g *Graph) Edges() int { return len(g.src) }

// GraphBytes bounds the memory [Result.Graph] and the searches on it
// need: 5 bytes per edge, and per state 8 while it is built and then up to
// 4 for the queue of a search and its bit sets.
func (r *Result) GraphBytes() int64 {
	return int64(r.Transitions)*5 + int64(r.States)*13
}

// graphBytesOnePass bounds the memory of building the graph in one pass:
// the edges held forwards (9 bytes each, with the slack of growing lists
// up to 18) and backwards (5).
func (r *Result) graphBytesOnePass() int64 {
	return int64(r.Transitions)*23 + int64(r.States)*13
}

// Graph expands every state again and returns the graph: in one pass that
// keeps the edges forwards and then turns them round when the memory
// budget allows it, or else in two, once to count each state's
// predecessors and once to list them. It needs a
// complete exploration, and fails when [Result.GraphBytes] would exceed the
// memory left by the exploration's budget. The order of each state's
// predecessors depends on the scheduling of the workers; nothing computed
// from the graph does.
func (r *Result) Graph() (*Graph, error) {
	if r.Stop != Complete {
		return nil, fmt.Errorf("check: the graph needs a complete exploration (stopped at %s)", r.Stop)
	}
	if r.opt.MaxMemory > 0 && r.Bytes+r.GraphBytes() > r.opt.MaxMemory {
		return nil, fmt.Errorf("check: the state graph needs %d MiB more than -max-memory allows", (r.Bytes+r.GraphBytes()-r.opt.MaxMemory)>>20+1)
	}
	if r.Transitions >= 1<<32-1 {
		return nil, fmt.Errorf("check: %d transitions are too many for the graph", r.Transitions)
	}
	workers := r.opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	n := r.States
	g := &Graph{n: n, off: make([]uint32, n+1)}
	// each calls f(chunk of u, u, v, label) for every edge, in parallel;
	// the edges of one chunk come from one goroutine, in order.
	each := func(f func(c int, u, v uint32, lab uint8)) {
		nchunks := (n + chunk - 1) / chunk
		var next atomic.Int64
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				wk := r.model.NewWorker()
				var v Visit
				// The indices of the keys looked up last (see Explore).
				var recent [recentSize]uint64
				var recentIdx [recentSize]uint32
				var valid [recentSize]bool
				for {
					c := int(next.Add(1) - 1)
					if c >= nchunks {
						return
					}
					for i := c * chunk; i < min((c+1)*chunk, n); i++ {
						v.reset()
						wk.Visit(r.store.key(uint32(i)), &v)
						for j, k := range v.Succ {
							slot := (k * 0x9E3779B97F4A7C15) >> (64 - recentBits)
							var idx uint32
							if valid[slot] && recent[slot] == k {
								idx = recentIdx[slot]
							} else {
								var ok bool
								if idx, ok = r.store.find(k); !ok {
									panic("check: a successor of a stored state is not stored")
								}
								recent[slot], recentIdx[slot], valid[slot] = k, idx, true
							}
							var l uint8
							if j < len(v.Labels) {
								l = v.Labels[j]
							}
							f(c, uint32(i), idx, l)
						}
					}
				}
			}()
		}
		wg.Wait()
	}
	if r.opt.MaxMemory > 0 && r.Bytes+r.graphBytesOnePass() > r.opt.MaxMemory {
		// Two passes: count each state's predecessors, then list them.
		each(func(_ int, u, v uint32, lab uint8) { atomic.AddUint32(&g.off[v+1], 1) })
		for i := 0; i < n; i++ {
			g.off[i+1] += g.off[i]
		}
		m := g.off[n]
		g.src = make([]uint32, m)
		g.lab = make([]uint8, m)
		pos := make([]uint32, n)
		copy(pos, g.off[:n])
		each(func(_ int, u, v uint32, lab uint8) {
			p := atomic.AddUint32(&pos[v], 1) - 1
			g.src[p] = u
			g.lab[p] = lab
		})
		return g, nil
	}
	// One pass: the edges are kept forwards per chunk, then turned round.
	type fwd struct {
		src, dst []uint32
		lab      []uint8
	}
	outs := make([]fwd, (n+chunk-1)/chunk)
	each(func(c int, u, v uint32, lab uint8) {
		o := &outs[c]
		o.src = append(o.src, u)
		o.dst = append(o.dst, v)
		o.lab = append(o.lab, lab)
	})
	for c := range outs {
		for _, v := range outs[c].dst {
			g.off[v+1]++
		}
	}
	for i := 0; i < n; i++ {
		g.off[i+1] += g.off[i]
	}
	m := g.off[n]
	g.src = make([]uint32, m)
	g.lab = make([]uint8, m)
	pos := make([]uint32, n)
	copy(pos, g.off[:n])
	for c := range outs {
		o := &outs[c]
		for e, v := range o.dst {
			g.src[pos[v]] = o.src[e]
			g.lab[pos[v]] = o.lab[e]
			pos[v]++
		}
		outs[c] = fwd{}
	}
	return g, nil
}

// Bitset is a set of state indices.
type Bitset []uint64

// NewBitset returns an empty set for n states.
func NewBitset(n int) Bitset { return make(Bitset, (n+63)/64) }

// Has reports whether i is in the set.
func (b Bitset) Has(i uint32) bool { return b[i>>6]&(1<<(i&63)) != 0 }

// Add puts i in the set.
func (b Bitset) Add(i uint32) { b[i>>6] |= 1 << (i & 63) }

// CanReach returns the states from which some state of target can be
// reached along edges whose label has no bit of skip.
func (g *Graph) CanReach(target Bitset, skip uint8) Bitset {
	reach := NewBitset(g.n)
	queue := make([]uint32, 0, 1024)
	for i := 0; i < g.n; i++ {
		if target.Has(uint32(i)) {
			reach.Add(uint32(i))
			queue = append(queue, uint32(i))
		}
	}
	for len(queue) > 0 {
		v := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		for e := g.off[v]; e < g.off[v+1]; e++ {
			if g.lab[e]&skip != 0 {
				continue
			}
			u := g.src[e]
			if !reach.Has(u) {
				reach.Add(u)
				queue = append(queue, u)
			}
		}
	}
	return reach
}
