package check

import (
	"math/bits"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/evsim/evsim/model"
)

// Reachability of a target by a ranking function. The graph rules ask
// whether a target made of one condition per disk (no disk transitional;
// no disk exists) can be reached from every state. Each disk's
// distance to its condition is computed on a small graph of its own
// situations: its fields and the power switches, with the actions that
// touch it and the power actions, the other disks left out. The sum of
// the disks' distances, the rank, is a guess of a state's distance to the
// target; when every state outside the target has a successor of smaller
// rank, the target can be reached from every state, as the rank cannot
// decrease for ever. This takes one expansion per state and no lookup in
// the state store. The states that have no such successor are then taken
// in increasing rank: each one is shown to reach a state of smaller rank
// by a small search forward from it, and the argument holds again, by
// induction on the rank. When a search fails or grows too large, the
// exact sweeps of [Result.CanReach] decide.

// rankTarget is a per-disk condition: the target holds in a state when
// it holds for every disk.
type rankTarget func(l *layout, local uint64) bool

// maxRankTargets is the most targets one set of tables serves.
const maxRankTargets = 4

// rankInf is the rank of a state with a disk whose distance is not known.
const rankInf = 1 << 30

// rankTables holds each disk situation's distance to each target's
// condition: an open-addressing table keyed by the situation.
type rankTables struct {
	nt      int
	wLocal  uint
	keys    []uint64 // situation + 1; 0 marks an empty slot
	dist    []uint8  // nt per slot; 255: unknown or unreachable
	mask    uint64
	powMask uint64
}

// maxRankNodes bounds the situations of the disk graphs.
const maxRankNodes = 1 << 20

func (t *rankTables) node(d int, local, power uint64) uint64 {
	return local | power<<t.wLocal | uint64(d)<<(t.wLocal+uint(bits.Len64(t.powMask)))
}

func (t *rankTables) slotOf(k uint64) (int, bool) {
	for i := fmix(k+1) & t.mask; ; i = (i + 1) & t.mask {
		switch t.keys[i] {
		case k + 1:
			return int(i), true
		case 0:
			return int(i), false
		}
	}
}

// rank returns the rank of key for target ti.
func (t *rankTables) rank(l *layout, key uint64, ti int) int {
	power := key & t.powMask
	r := 0
	for d := 0; d < l.nd; d++ {
		r += t.diskDist(d, (key>>l.base[d])&l.mask[d], power, ti)
	}
	return min(r, rankInf)
}

func (t *rankTables) diskDist(d int, local, power uint64, ti int) int {
	return distOf(t.dists(d, local, power), ti)
}

// dists returns the distances of a disk situation to each target; nil
// when the situation is not known.
func (t *rankTables) dists(d int, local, power uint64) []uint8 {
	i, ok := t.slotOf(t.node(d, local, power))
	if !ok {
		return nil
	}
	return t.dist[i*t.nt : (i+1)*t.nt]
}

// distOf is a distance of dists, rankInf when unknown.
func distOf(dists []uint8, ti int) int {
	if dists == nil || dists[ti] == 255 {
		return rankInf
	}
	return int(dists[ti])
}

// rankState computes the ranks of key into rk and returns the set of
// targets outside which the state is and for which, without symmetry, no
// successor was found of smaller rank. Without symmetry the successors are
// read from the successor cache as they are, a disk's situation at a
// time: a disk's action changes the rank by the change of that disk's
// distance alone, and a power action by the sum of the changes.
func (w *sysWorker) rankState(t *rankTables, key uint64, rk *[maxRankTargets]int) uint32 {
	l := w.l
	power := key & t.powMask
	var old [model.MaxDisks][]uint8
	for ti := 0; ti < t.nt; ti++ {
		rk[ti] = 0
	}
	for d := 0; d < l.nd; d++ {
		old[d] = t.dists(d, (key>>l.base[d])&l.mask[d], power)
		for ti := 0; ti < t.nt; ti++ {
			rk[ti] = min(rk[ti]+distOf(old[d], ti), rankInf)
		}
	}
	var need uint32
	for ti := 0; ti < t.nt; ti++ {
		if rk[ti] > 0 {
			need |= 1 << ti
		}
	}
	if need == 0 || w.m.symmetry {
		return need
	}
	var snaps uint64
	for d := 0; d < l.nd; d++ {
		if l.hasSnapshot(d, (key>>l.base[d])&l.mask[d]) {
			snaps |= 1 << d
		}
	}
	ctx := power | snaps<<32
	var spans [model.MaxDisks]uint64
	var missing uint32
	for d := 0; d < l.nd; d++ {
		mk := memoKey{(key >> l.base[d]) & l.diskMask(d), ctx | uint64(d)<<40}
		if sp, ok := w.memo.get(mk); ok {
			spans[d] = sp
		} else {
			missing |= 1 << d
		}
	}
	if missing != 0 {
		l.unpack(key, &w.st)
		w.fill(key, ctx, missing, &spans)
	}
	for d := 0; d < l.nd && need != 0; d++ {
		// A disk already at its target on every needed one cannot lower
		// the rank.
		some := false
		for ti := 0; ti < t.nt; ti++ {
			if need&(1<<ti) != 0 && distOf(old[d], ti) > 0 {
				some = true
			}
		}
		if !some {
			continue
		}
		sp := spans[d]
		for _, s := range w.hot[sp>>16 : sp>>16+sp&0xffff] {
			nd := t.dists(d, s.local, power)
			for ti := 0; ti < t.nt; ti++ {
				if need&(1<<ti) != 0 && distOf(nd, ti) < distOf(old[d], ti) {
					need &^= 1 << ti
				}
			}
			if need == 0 {
				break
			}
		}
	}
	if len(w.arena) > w.arenaKept {
		w.arena, w.hot = w.arena[:w.arenaKept], w.hot[:w.arenaKept]
		w.rinfo = w.rinfo[:min(len(w.rinfo), w.arenaKept)]
	}
	if need != 0 && w.m.sys.Config.Power {
		for j := 0; j < l.ns && need != 0; j++ {
			for ti := 0; ti < t.nt; ti++ {
				if need&(1<<ti) != 0 && t.rank(l, key^1<<uint(j), ti) < rk[ti] {
					need &^= 1 << ti
				}
			}
		}
	}
	return need
}

// newRankTables builds the disk graphs, from the situations of the initial
// states, and the distances to each target. It returns nil when the graphs
// are too large. The graph of a disk is built on states where the other
// disks do not exist: a situation that only another disk's presence makes
// reachable is missing, and a state with it has an unknown rank, which
// only sends it to the slower ways.
func newRankTables(m *SystemModel, targets []rankTarget) *rankTables {
	l := &m.l
	if len(targets) > maxRankTargets {
		return nil
	}
	t := &rankTables{nt: len(targets), powMask: 1<<uint(l.ns) - 1}
	for d := 0; d < l.nd; d++ {
		t.wLocal = max(t.wLocal, uint(bits.Len64(l.mask[d])))
	}
	if t.wLocal+uint(l.ns)+uint(bits.Len(uint(l.nd)))+1 > 63 {
		return nil
	}
	ids := map[uint64]int32{}
	type sit struct {
		d            int
		local, power uint64
	}
	var nodes []sit
	add := func(d int, local, power uint64) int32 {
		k := t.node(d, local, power)
		if id, ok := ids[k]; ok {
			return id
		}
		id := int32(len(nodes))
		ids[k] = id
		nodes = append(nodes, sit{d, local, power})
		return id
	}
	for _, k := range m.Init(nil) {
		for d := 0; d < l.nd; d++ {
			add(d, (k>>l.base[d])&l.mask[d], k&t.powMask)
		}
	}
	// The situations reachable from those, and their edges.
	sys := m.sys
	tmpl := l.pack(&l.tmpl)
	var st, next model.State
	var acts []model.Action
	var from, to []int32
	for i := 0; i < len(nodes); i++ {
		if len(nodes) > maxRankNodes {
			return nil
		}
		n := nodes[i]
		d := n.d
		key := tmpl&^t.powMask&^(l.mask[d]<<l.base[d]) | n.power | n.local<<l.base[d]
		l.unpack(key, &st)
		acts = sys.Actions(&st, acts[:0])
		for _, a := range acts {
			if a.Disk != uint8(d) {
				continue
			}
			next = st
			sys.Apply(&next, a)
			j := add(d, l.packDisk(d, &next.Disks[d]), n.power)
			from, to = append(from, int32(i)), append(to, j)
		}
		if sys.Config.Power {
			for s := 0; s < l.ns; s++ {
				j := add(d, n.local, n.power^1<<uint(s))
				from, to = append(from, int32(i)), append(to, j)
			}
		}
	}
	// Predecessor lists, then a breadth-first search back from each
	// target's situations.
	nn := len(nodes)
	off := make([]int32, nn+1)
	for _, j := range to {
		off[j+1]++
	}
	for i := 0; i < nn; i++ {
		off[i+1] += off[i]
	}
	pred := make([]int32, len(to))
	pos := append([]int32(nil), off[:nn]...)
	for e, j := range to {
		pred[pos[j]] = from[e]
		pos[j]++
	}
	dist := make([]uint8, nn*t.nt)
	for i := range dist {
		dist[i] = 255
	}
	queue := make([]int32, 0, nn)
	for ti, target := range targets {
		queue = queue[:0]
		for i, n := range nodes {
			if target(l, n.local) {
				dist[i*t.nt+ti] = 0
				queue = append(queue, int32(i))
			}
		}
		for q := 0; q < len(queue); q++ {
			v := queue[q]
			dv := dist[int(v)*t.nt+ti]
			if dv >= 254 {
				continue
			}
			for _, u := range pred[off[v]:off[v+1]] {
				if dist[int(u)*t.nt+ti] == 255 {
					dist[int(u)*t.nt+ti] = dv + 1
					queue = append(queue, u)
				}
			}
		}
	}
	size := 1024
	for size < 2*nn {
		size <<= 1
	}
	t.keys, t.dist, t.mask = make([]uint64, size), make([]uint8, size*t.nt), uint64(size-1)
	for i, n := range nodes {
		k := t.node(n.d, n.local, n.power)
		s, _ := t.slotOf(k)
		t.keys[s] = k + 1
		copy(t.dist[s*t.nt:(s+1)*t.nt], dist[i*t.nt:(i+1)*t.nt])
	}
	return t
}

// rankCheck reports, for each target, whether it can be reached from
// every stored state, as shown by the ranks; false means that the ranks
// could not show it, not that it does not hold.
func rankCheck(m *SystemModel, r *Result, t *rankTables) []bool {
	ok := make([]bool, t.nt)
	l := &m.l
	n := r.States
	workers := r.opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	nt := t.nt
	nchunks := (n + chunk - 1) / chunk
	// Per chunk and target, the states without a successor of smaller rank.
	stuck := make([][][]uint32, nchunks)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wk := m.NewWorker().(*sysWorker)
			var succ []uint64
			var rk [maxRankTargets]int
			for {
				c := int(next.Add(1) - 1)
				if c >= nchunks {
					return
				}
				out := make([][]uint32, nt)
				for i := c * chunk; i < min((c+1)*chunk, n); i++ {
					key := r.store.key(uint32(i))
					need := wk.rankState(t, key, &rk)
					if need != 0 && m.symmetry {
						// The stored successors, canonical.
						succ = wk.Successors(key, succ[:0])
						for _, k := range succ {
							for ti := 0; ti < nt; ti++ {
								if need&(1<<ti) != 0 && t.rank(l, k, ti) < rk[ti] {
									need &^= 1 << ti
								}
							}
							if need == 0 {
								break
							}
						}
					}
					for ; need != 0; need &= need - 1 {
						ti := bits.TrailingZeros32(need)
						out[ti] = append(out[ti], uint32(i))
					}
				}
				stuck[c] = out
			}
		}()
	}
	wg.Wait()
	budget := max(1<<16, n/8)
	for ti := 0; ti < nt; ti++ {
		var f []uint32
		for c := range stuck {
			f = append(f, stuck[c][ti]...)
		}
		ok[ti] = rankEscape(m, r, t, ti, f, &budget)
	}
	return ok
}

// rankEscape shows, for each state of f (states outside target ti without
// a successor of smaller rank), that a state of smaller rank can be
// reached, by a breadth-first search from it; the states are taken in
// increasing rank, so that the states of smaller rank reach the target by
// induction. It reports false when a search fails or the searches visit
// more than budget states in all.
func rankEscape(m *SystemModel, r *Result, t *rankTables, ti int, f []uint32, budget *int) bool {
	if len(f) == 0 {
		return true
	}
	l := &m.l
	type item struct {
		rank int
		idx  uint32
	}
	items := make([]item, len(f))
	for i, s := range f {
		items[i] = item{t.rank(l, r.store.key(s), ti), s}
	}
	sort.Slice(items, func(a, b int) bool {
		if items[a].rank != items[b].rank {
			return items[a].rank < items[b].rank
		}
		return items[a].idx < items[b].idx
	})
	w := m.NewWorker().(*sysWorker)
	var succ []uint64
	for _, it := range items {
		start := r.store.key(it.idx)
		seen := map[uint64]bool{start: true}
		queue := []uint64{start}
		found := false
		for q := 0; q < len(queue) && !found; q++ {
			if *budget--; *budget < 0 {
				return false
			}
			succ = w.Successors(queue[q], succ[:0])
			for _, k := range succ {
				if seen[k] {
					continue
				}
				if t.rank(l, k, ti) < it.rank {
					found = true
					break
				}
				seen[k] = true
				queue = append(queue, k)
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// rankInfo is what the search keeps about a disk's cached list of
// actions: the disk's distance to each target in that situation, and for
// each target whether one of the actions lowers it.
type rankInfo struct {
	dist [maxRankTargets]uint8
	dec  uint8
}

// rankStuck is a state the search met without a successor of smaller rank
// for the targets of need (power actions not tried).
type rankStuck struct {
	key  uint64
	need uint8
}

// maxStuck bounds the states each worker notes as stuck.
const maxStuck = 1 << 16

// rankList notes the rank information of the list of disk d (of local
// bits local, in context ctx) that fill has just put at start in the
// arena.
func (w *sysWorker) rankList(d int, local, ctx uint64, start int) {
	t := w.m.rank
	for len(w.rinfo) < start {
		w.rinfo = append(w.rinfo, rankInfo{})
	}
	w.rinfo = w.rinfo[:start]
	if start == len(w.arena) {
		return
	}
	power := ctx & t.powMask
	hd := t.dists(d, local, power)
	var ri rankInfo
	for ti := 0; ti < t.nt; ti++ {
		ri.dist[ti] = 255
		if hd != nil {
			ri.dist[ti] = hd[ti]
		}
	}
	for e := start; e < len(w.arena); e++ {
		nd := t.dists(d, w.arena[e].local, power)
		for ti := 0; ti < t.nt; ti++ {
			if distOf(nd, ti) < distOf(hd, ti) {
				ri.dec |= 1 << ti
			}
		}
	}
	w.rinfo = append(w.rinfo, ri)
	for e := start + 1; e < len(w.arena); e++ {
		w.rinfo = append(w.rinfo, rankInfo{})
	}
}

// rankVisit notes key as stuck when, for some target it is outside of, no
// action of a disk lowers that disk's distance, so that no successor but
// perhaps a power action's has a smaller rank. spans are key's lists.
func (w *sysWorker) rankVisit(key uint64, spans *[model.MaxDisks]uint64) {
	t := w.m.rank
	l := w.l
	var rk [maxRankTargets]int
	var dec uint8
	power := key & t.powMask
	for d := 0; d < l.nd; d++ {
		sp := spans[d]
		if sp&0xffff != 0 {
			ri := &w.rinfo[sp>>16]
			for ti := 0; ti < t.nt; ti++ {
				rk[ti] = min(rk[ti]+distOf(ri.dist[:], ti), rankInf)
			}
			dec |= ri.dec
			continue
		}
		ds := t.dists(d, (key>>l.base[d])&l.mask[d], power)
		for ti := 0; ti < t.nt; ti++ {
			rk[ti] = min(rk[ti]+distOf(ds, ti), rankInf)
		}
	}
	var need uint8
	for ti := 0; ti < t.nt; ti++ {
		if rk[ti] > 0 && (rk[ti] >= rankInf || dec&(1<<ti) == 0) {
			need |= 1 << ti
		}
	}
	if need == 0 {
		return
	}
	if len(w.stuck) >= maxStuck {
		w.stuckLost |= need
		return
	}
	w.stuck = append(w.stuck, rankStuck{key, need})
}

// rankShown reports, for each target of m.rank, whether the ranks show
// that it can be reached from every state of r: from what the search
// noted when it could, else by a pass over the states.
func rankShown(m *SystemModel, r *Result) []bool {
	t := m.rank
	if t == nil {
		return make([]bool, maxRankTargets)
	}
	m.mu.Lock()
	workers := append([]*sysWorker(nil), m.workers...)
	m.mu.Unlock()
	if m.direct {
		return rankCheck(m, r, t)
	}
	// The targets for which some stuck states were not noted: many states
	// without a successor of smaller rank tell that the ranks will not
	// show the target reachable, and the exact way decides.
	var lost uint8
	for _, w := range workers {
		lost |= w.stuckLost
	}
	l := &m.l
	f := make([][]uint32, t.nt)
	for _, w := range workers {
		for _, s := range w.stuck {
			for ti := 0; ti < t.nt; ti++ {
				if s.need&(1<<ti) == 0 || lost&(1<<ti) != 0 {
					continue
				}
				rk := t.rank(l, s.key, ti)
				lower := false
				if m.sys.Config.Power && rk < rankInf {
					for j := 0; j < l.ns && !lower; j++ {
						// The power action's successor, canonical or not,
						// has the same rank: see rankTables.
						lower = t.rank(l, s.key^1<<uint(j), ti) < rk
					}
				}
				if !lower {
					idx, ok := r.store.find(s.key)
					if !ok {
						panic("check: a state the search noted is not stored")
					}
					f[ti] = append(f[ti], idx)
				}
			}
		}
	}
	ok := make([]bool, t.nt)
	budget := max(1<<16, r.States/8)
	for ti := range ok {
		ok[ti] = lost&(1<<ti) == 0 && rankEscape(m, r, t, ti, f[ti], &budget)
	}
	return ok
}
