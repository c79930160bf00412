package check

import (
	"fmt"
	"math/bits"
	"runtime"
	"sync"
	"sync/atomic"
)

// Backward reachability without the reverse graph of every state. A
// state's successors are computed again when needed (a successor costs
// less than a lookup of its index), in two passes over the states in
// increasing index order. The first marks a state when one of its
// successors is marked, stopping at the first: a path whose states were
// found in the order it runs is marked in this one pass, and when most
// states can reach the target the pass costs about one expansion per
// state. The second pass keeps the edges between the states still
// unmarked, turns them round, and searches back from the marked states
// along them: only the edges of the states the first pass could not
// settle are stored, often none. The set is the least fixed point,
// whatever the order in which the workers mark states, so the result does
// not depend on their number.

// SuccWorker is an optional capability of a [Worker]: the successors of a
// state alone, in the order of [Worker.Visit], without the properties.
// [Result.CanReach] uses it when no edge label is skipped.
type SuccWorker interface {
	Successors(s uint64, dst []uint64) []uint64
}

// successors appends the successors of s to v.Succ (and their labels when
// labels is set) through w.
func successors(w Worker, s uint64, v *Visit, labels bool) {
	v.reset()
	if sw, ok := w.(SuccWorker); ok && !labels {
		v.Succ = sw.Successors(s, v.Succ)
		return
	}
	w.Visit(s, v)
}

// loadHas reports whether i is in the set, reading its word atomically.
func (b Bitset) loadHas(i uint32) bool {
	return atomic.LoadUint64(&b[i>>6])&(1<<(i&63)) != 0
}

// addAtomic puts i in the set; other goroutines may add to the set meanwhile.
func (b Bitset) addAtomic(i uint32) { atomic.OrUint64(&b[i>>6], 1<<(i&63)) }

// Count returns the number of states in the set.
func (b Bitset) Count() int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

// CanReach returns the states from which some state of target can be
// reached along transitions whose label (see [Visit.Labels]) has no bit of
// skip; target itself is included. It needs a complete exploration. It
// expands the states again, in two passes, and stores only the edges of
// the states the first pass leaves unmarked (8 bytes each, and 4 per
// state while they are turned round), besides one bit per state; when
// those would exceed [Options.MaxMemory], it sweeps over the states until
// a sweep marks nothing instead, which stores nothing but takes longer.
// The result does not depend on the number of workers.
func (r *Result) CanReach(target Bitset, skip uint8) (Bitset, error) {
	if r.Stop != Complete {
		return nil, fmt.Errorf("check: reachability needs a complete exploration (stopped at %s)", r.Stop)
	}
	n := r.States
	reach := append(NewBitset(0), target...)
	if len(reach) < (n+63)/64 {
		reach = append(reach, make(Bitset, (n+63)/64-len(reach))...)
	}
	workers := r.opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ws := make([]Worker, workers)
	for i := range ws {
		ws[i] = r.model.NewWorker()
	}
	nchunks := (n + chunk - 1) / chunk
	// each calls f(w, i) for every unmarked state, from the goroutines
	// of ws, a chunk at a time in increasing order.
	// With down, the chunks and the states within them are taken in
	// decreasing order.
	each := func(down bool, f func(w Worker, c int, i uint32)) {
		var next atomic.Int64
		var wg sync.WaitGroup
		for _, w := range ws {
			wg.Add(1)
			go func(w Worker) {
				defer wg.Done()
				for {
					c := int(next.Add(1) - 1)
					if c >= nchunks {
						return
					}
					if down {
						c = nchunks - 1 - c
					}
					a, b := c*chunk, min((c+1)*chunk, n)
					for j := a; j < b; j++ {
						i := uint32(j)
						if down {
							i = uint32(a + b - 1 - j)
						}
						if !reach.loadHas(i) {
							f(w, c, i)
						}
					}
				}
			}(w)
		}
		wg.Wait()
	}
	recents := make(map[Worker]*recentIndex, len(ws))
	for _, w := range ws {
		recents[w] = new(recentIndex)
	}
	visits := make(map[Worker]*Visit, len(ws))
	for _, w := range ws {
		visits[w] = new(Visit)
	}
	// A sweep: a state is marked at its first marked successor. It
	// reports whether it marked any.
	sweep := func(down bool) bool {
		var changed atomic.Bool
		each(down, func(w Worker, _ int, i uint32) {
			v, rc := visits[w], recents[w]
			successors(w, r.store.key(i), v, skip != 0)
			for s, k := range v.Succ {
				if skip != 0 && s < len(v.Labels) && v.Labels[s]&skip != 0 {
					continue
				}
				if reach.loadHas(rc.index(r.store, k)) {
					reach.addAtomic(i)
					changed.Store(true)
					return
				}
			}
		})
		return changed.Load()
	}
	sweep(false)
	// The edges between the states left, forwards per chunk; a state
	// found with a marked successor now is marked instead. When they would
	// not fit within Options.MaxMemory, sweeps in alternate directions
	// until one marks nothing decide instead, with no memory but the bits.
	type edges struct{ src, dst []uint32 }
	out := make([]edges, nchunks)
	var stored atomic.Int64
	var over atomic.Bool
	room := int64(-1)
	if r.opt.MaxMemory > 0 {
		room = (r.opt.MaxMemory - r.Bytes - int64(n)*4) / 16 // growing lists
	}
	each(false, func(w Worker, c int, i uint32) {
		if over.Load() {
			return
		}
		v, rc := visits[w], recents[w]
		successors(w, r.store.key(i), v, skip != 0)
		o := &out[c]
		mark := len(o.src)
		for s, k := range v.Succ {
			if skip != 0 && s < len(v.Labels) && v.Labels[s]&skip != 0 {
				continue
			}
			j := rc.index(r.store, k)
			if reach.loadHas(j) {
				reach.addAtomic(i)
				o.src, o.dst = o.src[:mark], o.dst[:mark]
				return
			}
			o.src, o.dst = append(o.src, i), append(o.dst, j)
		}
		if room >= 0 && stored.Add(int64(len(o.src)-mark)) > room {
			over.Store(true)
		}
	})
	if over.Load() {
		out = nil
		for down := true; sweep(down); down = !down {
		}
		return reach, nil
	}
	// Turned round, then a search back from the marked states.
	off := make([]uint32, n+1)
	m := 0
	for c := range out {
		for _, j := range out[c].dst {
			off[j+1]++
		}
		m += len(out[c].dst)
	}
	for i := 0; i < n; i++ {
		off[i+1] += off[i]
	}
	pred := make([]uint32, m)
	for c := range out {
		o := &out[c]
		for e, j := range o.dst {
			off[j]++
			pred[off[j]-1] = o.src[e]
		}
		out[c] = edges{}
	}
	// off[j] is now the end of j's predecessors, the start of j+1's.
	var queue []uint32
	for j := 0; j < n; j++ {
		start := uint32(0)
		if j > 0 {
			start = off[j-1]
		}
		if off[j] > start && reach.Has(uint32(j)) {
			queue = append(queue, uint32(j))
		}
	}
	for len(queue) > 0 {
		j := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		start := uint32(0)
		if j > 0 {
			start = off[j-1]
		}
		for _, u := range pred[start:off[j]] {
			if !reach.Has(u) {
				reach.Add(u)
				queue = append(queue, u)
			}
		}
	}
	return reach, nil
}

// recentIndex remembers the indices of the keys looked up last: many
// successors are met again soon in an interleaving model.
type recentIndex struct {
	key   [recentSize]uint64
	idx   [recentSize]uint32
	valid [recentSize]bool
}

// index returns the index of k, which must be stored.
func (rc *recentIndex) index(s *store, k uint64) uint32 {
	slot := (k * 0x9E3779B97F4A7C15) >> (64 - recentBits)
	if rc.valid[slot] && rc.key[slot] == k {
		return rc.idx[slot]
	}
	idx, ok := s.find(k)
	if !ok {
		panic("check: a successor of a stored state is not stored")
	}
	rc.key[slot], rc.idx[slot], rc.valid[slot] = k, idx, true
	return idx
}
