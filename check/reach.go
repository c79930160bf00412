package check

import (
	"fmt"
	"math/bits"
	"runtime"
	"sync"
	"sync/atomic"
)

// Backward reachability without the reverse graph. The explored graph is
// not stored: a state's successors are computed again when needed (a
// successor costs less than a lookup of its index), so that the question
// "from which states can the target be reached?" is answered by sweeps over
// the states, each marking a state when one of its successors is marked,
// until a sweep marks nothing. The sweeps alternate between increasing and
// decreasing index order: a path whose states were found in the order it
// runs (forwards in the search) is marked in one increasing sweep, and one
// that runs back towards the initial states in one decreasing sweep. Marked
// states are not expanded again, and a state stops looking at its
// successors at the first marked one, so that when most states can reach
// the target the work is about one expansion per state and sweep. The set
// is the least fixed point, whatever the order in which the workers mark
// states, so the result does not depend on their number.

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
// skip; target itself is included. It needs a complete exploration and
// stores no edges: it sweeps over the states, expanding each unmarked one
// again, until a sweep marks nothing (see the package documentation). Its
// memory is one bit per state, plus the target's copy. The result does not
// depend on the number of workers.
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
	for up := true; ; up = !up {
		var changed atomic.Bool
		var next atomic.Int64
		var wg sync.WaitGroup
		for _, w := range ws {
			wg.Add(1)
			go func(w Worker) {
				defer wg.Done()
				var v Visit
				var rc recentIndex
				for {
					c := int(next.Add(1) - 1)
					if c >= nchunks {
						return
					}
					if !up {
						c = nchunks - 1 - c
					}
					a, b := c*chunk, min((c+1)*chunk, n)
					for j := a; j < b; j++ {
						i := uint32(j)
						if !up {
							i = uint32(a + b - 1 - j)
						}
						if reach.loadHas(i) {
							continue
						}
						successors(w, r.store.key(i), &v, skip != 0)
						for s, k := range v.Succ {
							if skip != 0 && s < len(v.Labels) && v.Labels[s]&skip != 0 {
								continue
							}
							if reach.loadHas(rc.index(r.store, k)) {
								reach.addAtomic(i)
								changed.Store(true)
								break
							}
						}
					}
				}
			}(w)
		}
		wg.Wait()
		if !changed.Load() {
			return reach, nil
		}
	}
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
