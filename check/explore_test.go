package check

import (
	"math/rand/v2"
	"reflect"
	"testing"
)

// graphModel is a hand-built transition system: states are small numbers,
// edges listed per state in action order. Property 0 (Always) is violated
// in the states of bad, property 1 (Step) on the edges of badStep, and
// property 2 (Sometimes) is witnessed by the edges of witness.
type graphModel struct {
	init    []uint64
	succ    map[uint64][]uint64
	bad     map[uint64]bool
	badStep map[[2]uint64]bool
	witness map[[2]uint64]bool
}

func (g *graphModel) Init(dst []uint64) []uint64 { return append(dst, g.init...) }
func (g *graphModel) Properties() []Property {
	return []Property{{"never-bad", Always}, {"no-bad-step", Step}, {"sometimes", Sometimes}}
}
func (g *graphModel) NewWorker() Worker { return g }
func (g *graphModel) Visit(s uint64, v *Visit) {
	if g.bad[s] {
		v.Bad |= 1
	}
	for i, t := range g.succ[s] {
		v.Succ = append(v.Succ, t)
		if g.badStep[[2]uint64{s, t}] {
			v.Steps = append(v.Steps, StepFail{Action: i, Props: 2})
		}
		if g.witness[[2]uint64{s, t}] {
			v.Witness |= 4
		}
	}
}

func explore(t *testing.T, m Model, opt Options) *Result {
	t.Helper()
	r, err := Explore(m, opt)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func pathKeys(p []PathStep) (keys []uint64, acts []int) {
	for _, s := range p {
		keys = append(keys, s.Key)
		acts = append(acts, s.Action)
	}
	return
}

func TestTinyModels(t *testing.T) {
	tests := []struct {
		name                 string
		m                    *graphModel
		states, trans, depth int
		violations           []Violation
		witnessed            bool
		pathTo               uint64 // key of a state whose path is checked
		path                 []uint64
		actions              []int
	}{
		{
			name: "diamond",
			m: &graphModel{init: []uint64{10}, succ: map[uint64][]uint64{
				10: {11, 12}, 11: {13}, 12: {13}, 13: {14},
			}, bad: map[uint64]bool{14: true}},
			states: 5, trans: 5, depth: 3,
			violations: []Violation{{Prop: 0, State: 4, Action: -1}},
			pathTo:     14, path: []uint64{10, 11, 13, 14}, actions: []int{-1, 0, 0, 0},
		},
		{
			// 13 is reached from 11 (action 1) and from 12 (action 0): the
			// parent with the smaller index wins, whatever the action.
			name: "smallest parent wins",
			m: &graphModel{init: []uint64{10}, succ: map[uint64][]uint64{
				10: {11, 12}, 11: {15, 13}, 12: {13},
			}},
			states: 5, trans: 5, depth: 2,
			pathTo: 13, path: []uint64{10, 11, 13}, actions: []int{-1, 0, 1},
		},
		{
			name: "cycle and self-loop",
			m: &graphModel{init: []uint64{1}, succ: map[uint64][]uint64{
				1: {1, 2}, 2: {1, 3}, 3: {3},
			}, witness: map[[2]uint64]bool{{3, 3}: true}},
			states: 3, trans: 5, depth: 2, witnessed: true,
			pathTo: 3, path: []uint64{1, 2, 3}, actions: []int{-1, 1, 1},
		},
		{
			// The first step violation in (state, action) order is kept:
			// state 1 action 1, not state 1 action 2 nor state 2.
			name: "first step violation",
			m: &graphModel{init: []uint64{0}, succ: map[uint64][]uint64{
				0: {5, 6}, 5: {7, 8, 9}, 6: {9},
			}, badStep: map[[2]uint64]bool{{5, 8}: true, {5, 9}: true, {6, 9}: true}},
			states: 6, trans: 6, depth: 2,
			violations: []Violation{{Prop: 1, State: 1, Action: 1}},
			pathTo:     9, path: []uint64{0, 5, 9}, actions: []int{-1, 0, 2},
		},
		{
			name: "two initial states, one repeated",
			m: &graphModel{init: []uint64{4, 3, 4}, succ: map[uint64][]uint64{
				4: {5}, 3: {5, 6}, 6: {4},
			}, bad: map[uint64]bool{6: true, 4: true}},
			states: 4, trans: 4, depth: 1,
			violations: []Violation{{Prop: 0, State: 0, Action: -1}},
			pathTo:     6, path: []uint64{3, 6}, actions: []int{-1, 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, workers := range []int{1, 2, 3} {
				r := explore(t, tt.m, Options{Workers: workers})
				if r.States != tt.states || int(r.Transitions) != tt.trans || r.Depth != tt.depth {
					t.Errorf("workers %d: got %d states, %d transitions, depth %d; want %d, %d, %d",
						workers, r.States, r.Transitions, r.Depth, tt.states, tt.trans, tt.depth)
				}
				if !reflect.DeepEqual(r.Violations, tt.violations) {
					t.Errorf("workers %d: violations %+v, want %+v", workers, r.Violations, tt.violations)
				}
				if got := r.Witnessed&4 != 0; got != tt.witnessed {
					t.Errorf("workers %d: witnessed %v, want %v", workers, got, tt.witnessed)
				}
				idx, ok := r.Index(tt.pathTo)
				if !ok {
					t.Fatalf("state %d not stored", tt.pathTo)
				}
				keys, acts := pathKeys(r.Path(idx))
				if !reflect.DeepEqual(keys, tt.path) || !reflect.DeepEqual(acts, tt.actions) {
					t.Errorf("workers %d: path %v actions %v, want %v %v", workers, keys, acts, tt.path, tt.actions)
				}
			}
		})
	}
}

func TestMaxStates(t *testing.T) {
	line := &graphModel{init: []uint64{0}, succ: map[uint64][]uint64{}}
	for i := uint64(0); i < 100; i++ {
		line.succ[i] = []uint64{i + 1}
	}
	r := explore(t, line, Options{MaxStates: 10})
	if r.Stop != MaxStates || r.States != 10 {
		t.Errorf("got %s with %d states, want max-states with 10", r.Stop, r.States)
	}
	r = explore(t, line, Options{})
	if r.Stop != Complete || r.States != 101 || r.Depth != 100 {
		t.Errorf("got %s with %d states, depth %d; want complete, 101, 100", r.Stop, r.States, r.Depth)
	}
	// The first block of the store alone is larger than this budget.
	r = explore(t, line, Options{MaxMemory: 1000})
	if r.Stop != MaxMemory || r.States != 0 {
		t.Errorf("got %s with %d states, want max-memory with 0", r.Stop, r.States)
	}
}

// A level whose successors alone exceed the memory left is given up whole.
func TestMaxMemoryInALevel(t *testing.T) {
	star := &graphModel{init: []uint64{0}, succ: map[uint64][]uint64{}}
	for i := uint64(1); i <= 100000; i++ {
		star.succ[0] = append(star.succ[0], i)
	}
	for _, w := range []int{1, 2} {
		r := explore(t, star, Options{Workers: w, MaxMemory: 600 << 10})
		if r.Stop != MaxMemory || r.States != 1 || r.Expanded != 0 || r.Transitions != 0 {
			t.Errorf("workers %d: got %s with %d states, %d expanded, %d transitions; want max-memory, 1, 0, 0",
				w, r.Stop, r.States, r.Expanded, r.Transitions)
		}
	}
	if r := explore(t, star, Options{MaxMemory: 8 << 20}); r.Stop != Complete || r.States != 100001 {
		t.Errorf("got %s with %d states, want complete with 100001", r.Stop, r.States)
	}
}

// randomModel is a random graph of n states whose keys are spread over
// the uint64 range.
func randomModel(seed uint64, n int) *graphModel {
	rng := rand.New(rand.NewPCG(seed, 1))
	key := func(i int) uint64 { return uint64(i)*0x9E3779B97F4A7C15 + seed }
	g := &graphModel{succ: map[uint64][]uint64{}, bad: map[uint64]bool{}, badStep: map[[2]uint64]bool{}}
	g.init = []uint64{key(0), key(rng.IntN(n))}
	for i := 0; i < n; i++ {
		k := rng.IntN(4)
		for j := 0; j < k; j++ {
			t := key(rng.IntN(n))
			g.succ[key(i)] = append(g.succ[key(i)], t)
			if rng.IntN(50) == 0 {
				g.badStep[[2]uint64{key(i), t}] = true
			}
		}
		if rng.IntN(40) == 0 {
			g.bad[key(i)] = true
		}
	}
	return g
}

// naiveBFS is the reference: a plain map from state to depth.
func naiveBFS(g *graphModel) (depth map[uint64]int, maxDepth int) {
	depth = map[uint64]int{}
	var queue []uint64
	for _, s := range g.init {
		if _, ok := depth[s]; !ok {
			depth[s] = 0
			queue = append(queue, s)
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for _, t := range g.succ[s] {
			if _, ok := depth[t]; !ok {
				depth[t] = depth[s] + 1
				maxDepth = max(maxDepth, depth[t])
				queue = append(queue, t)
			}
		}
	}
	return depth, maxDepth
}

func TestRandomGraphsAgainstNaiveBFS(t *testing.T) {
	// Store every level in parallel with 2 workers, however small.
	defer func(n int) { parallelInsert = n }(parallelInsert)
	parallelInsert = 1
	for seed := uint64(1); seed <= 30; seed++ {
		g := randomModel(seed, 3000)
		want, wantDepth := naiveBFS(g)
		r1 := explore(t, g, Options{Workers: 1})
		r2 := explore(t, g, Options{Workers: 2})
		r3 := explore(t, g, Options{Workers: 3})
		if r3.States != r1.States || !reflect.DeepEqual(r1.Violations, r3.Violations) {
			t.Fatalf("seed %d: 1 and 3 workers differ", seed)
		}
		if r1.States != len(want) || r1.Depth != wantDepth {
			t.Fatalf("seed %d: got %d states depth %d, want %d depth %d", seed, r1.States, r1.Depth, len(want), wantDepth)
		}
		if r1.States != r2.States || r1.Transitions != r2.Transitions || !reflect.DeepEqual(r1.Violations, r2.Violations) {
			t.Fatalf("seed %d: 1 and 2 workers differ", seed)
		}
		for i := 0; i < r1.States; i++ {
			k := r1.Key(uint32(i))
			if r2.Key(uint32(i)) != k {
				t.Fatalf("seed %d: state %d differs between 1 and 2 workers", seed, i)
			}
			if r1.Level(uint32(i)) != want[k] {
				t.Fatalf("seed %d: state %x at level %d, naive depth %d", seed, k, r1.Level(uint32(i)), want[k])
			}
		}
		// The shortest violation of each kind is at the naive depth.
		minBad, minStep := -1, -1
		for s, d := range want {
			if g.bad[s] && (minBad < 0 || d < minBad) {
				minBad = d
			}
			for _, u := range g.succ[s] {
				if g.badStep[[2]uint64{s, u}] && (minStep < 0 || d < minStep) {
					minStep = d
				}
			}
		}
		for _, v := range r1.Violations {
			p := r1.Path(v.State)
			keys, acts := pathKeys(p)
			for j := 1; j < len(keys); j++ {
				if g.succ[keys[j-1]][acts[j]] != keys[j] {
					t.Fatalf("seed %d: path step %d is not an edge", seed, j)
				}
			}
			wantLen := minBad
			if v.Prop == 1 {
				wantLen = minStep
			}
			if len(p)-1 != wantLen {
				t.Errorf("seed %d: property %d trace of %d steps, shortest is %d", seed, v.Prop, len(p)-1, wantLen)
			}
		}
		if (minBad >= 0) != hasProp(r1.Violations, 0) || (minStep >= 0) != hasProp(r1.Violations, 1) {
			t.Errorf("seed %d: violations %v, naive bad %d step %d", seed, r1.Violations, minBad, minStep)
		}
	}
}

func hasProp(vs []Violation, p int) bool {
	for _, v := range vs {
		if v.Prop == p {
			return true
		}
	}
	return false
}

func TestStoreAgainstMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	s := newStore()
	ref := map[uint64]uint32{}
	for i := 0; i < 200000; i++ {
		k := rng.Uint64() >> rng.IntN(64) // many small keys, some repeated
		idx, ok := s.find(k)
		want, wantOK := ref[k]
		if ok != wantOK || (ok && idx != want) {
			t.Fatalf("find(%x) = %d, %v; want %d, %v", k, idx, ok, want, wantOK)
		}
		if !ok {
			ref[k] = s.add(k)
		}
	}
	if s.n != len(ref) {
		t.Fatalf("%d stored, want %d", s.n, len(ref))
	}
	if load := float64(s.n) / float64(len(s.tab)); load < 0.5 || load > 0.75 {
		t.Errorf("table load %.2f, want between 0.5 and 0.75", load)
	}
}

// TestInsertLevelAgainstOneByOne stores levels of candidates, with repeats
// (once more than a bucket's table holds) and the key 0, in parallel and
// one by one: the same states at the same
// indices, each found again, whatever the number of workers.
func TestInsertLevelAgainstOneByOne(t *testing.T) {
	for _, workers := range []int{1, 2, 3, 4} {
		rng := rand.New(rand.NewPCG(3, uint64(workers)))
		par, seq := newStore(), newStore()
		for level := 0; level < 12; level++ {
			var outs []chunkOut
			for c := rng.IntN(6); c >= 0; c-- {
				var o chunkOut
				for j := rng.IntN(3000); j > 0; j-- {
					k := rng.Uint64N(uint64(20000 * (level + 1)))
					if _, ok := par.find(k); !ok {
						o.cands = append(o.cands, k)
					}
				}
				outs = append(outs, o)
			}
			if level == 5 {
				// One key repeated into a bucket too large for a table.
				k := uint64(1<<40 + 7)
				for j := 0; j <= bigBucket; j++ {
					for _, k := range []uint64{k, uint64(j) << 41} {
						if _, ok := par.find(k); !ok {
							outs[len(outs)/2].cands = append(outs[len(outs)/2].cands, k)
						}
					}
				}
			}
			n := par.insertLevel(outs, workers)
			added := 0
			for _, o := range outs {
				for _, k := range o.cands {
					if _, ok := seq.find(k); !ok {
						seq.add(k)
						added++
					}
				}
			}
			if n != added || par.n != seq.n || len(par.tab) != len(seq.tab) {
				t.Fatalf("workers %d level %d: %d new of %d, table %d; one by one %d of %d, table %d",
					workers, level, n, par.n, len(par.tab), added, seq.n, len(seq.tab))
			}
			for i := 0; i < seq.n; i++ {
				k := seq.key(uint32(i))
				if par.key(uint32(i)) != k {
					t.Fatalf("workers %d level %d: state %d is %x, one by one %x", workers, level, i, par.key(uint32(i)), k)
				}
				if idx, ok := par.find(k); !ok || idx != uint32(i) {
					t.Fatalf("workers %d level %d: find(%x) = %d, %v; want %d", workers, level, k, idx, ok, i)
				}
			}
			probe := []uint64{0}
			for len(probe) < lookupBatch {
				probe = append(probe, rng.Uint64N(uint64(20000*(level+2))))
			}
			var want []uint64
			for _, k := range probe {
				if _, ok := seq.find(k); !ok {
					want = append(want, k)
				}
			}
			if got := par.appendMissing(nil, probe); !reflect.DeepEqual(got, want) {
				t.Fatalf("workers %d level %d: missing %v, want %v", workers, level, got, want)
			}
		}
	}
}

// TestFingerprintFits checks that the largest index a table of each size
// holds fits beside its fingerprint.
func TestFingerprintFits(t *testing.T) {
	for size := 1024; size < 1<<34; size += size / 2 {
		f := fingerprintFor(size)
		most := uint64(min(size*3/4, maxStates+1))
		if f.shift < fpBits || most<<f.shift>>f.shift != most || most<<f.shift > 1<<32-1 {
			t.Fatalf("size %d: %d states with %d bits of fingerprint do not fit in 32 bits", size, most, f.shift)
		}
	}
	if fingerprintFor(4<<20).shift < 10 {
		t.Errorf("a table for 3 million states keeps %d bits of fingerprint, want at least 10", fingerprintFor(4<<20).shift)
	}
}
