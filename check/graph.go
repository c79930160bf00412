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
// label its [Visit] gave it.
type Graph struct {
	n   int
	off []uint32 // predecessors of v: src[off[v]:off[v+1]]
	src []uint32
	lab []uint8
}

// Edges returns the number of edges.
func (g *Graph) Edges() int { return len(g.src) }

// GraphBytes bounds the memory [Result.Graph] needs: while it is built,
// the edges are held forwards (with the slack of growing lists) and
// backwards.
func (r *Result) GraphBytes() int64 {
	return int64(r.Transitions)*15 + int64(r.States)*10
}

// Graph expands every state again and returns the graph. It needs a
// complete exploration, and fails when [Result.GraphBytes] would exceed the
// memory left by the exploration's budget.
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
	type fwd struct {
		cnt []uint8 // out-degree per state, capped by the 255 actions a visit may have
		dst []uint32
		lab []uint8
	}
	nchunks := (n + chunk - 1) / chunk
	outs := make([]fwd, nchunks)
	var next atomic.Int64
	var wg sync.WaitGroup
	var tooMany atomic.Bool
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wk := r.model.NewWorker()
			var v Visit
			for {
				c := int(next.Add(1) - 1)
				if c >= nchunks {
					return
				}
				a, b := c*chunk, min((c+1)*chunk, n)
				o := &outs[c]
				o.cnt = make([]uint8, b-a)
				for i := a; i < b; i++ {
					v.reset()
					wk.Visit(r.store.key(uint32(i)), &v)
					if len(v.Succ) > 255 {
						tooMany.Store(true)
						return
					}
					o.cnt[i-a] = uint8(len(v.Succ))
					for j, k := range v.Succ {
						idx, ok := r.store.find(k)
						if !ok {
							panic("check: a successor of a stored state is not stored")
						}
						o.dst = append(o.dst, idx)
						var l uint8
						if j < len(v.Labels) {
							l = v.Labels[j]
						}
						o.lab = append(o.lab, l)
					}
				}
			}
		}()
	}
	wg.Wait()
	if tooMany.Load() {
		return nil, fmt.Errorf("check: a state has more than 255 successors")
	}
	g := &Graph{n: n, off: make([]uint32, n+1)}
	for c := range outs {
		for _, d := range outs[c].dst {
			g.off[d+1]++
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
		e := 0
		for j, cnt := range o.cnt {
			u := uint32(c*chunk + j)
			for k := 0; k < int(cnt); k++ {
				d := o.dst[e]
				g.src[pos[d]] = u
				g.lab[pos[d]] = o.lab[e]
				pos[d]++
				e++
			}
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
