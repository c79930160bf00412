package check

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Model is a finite transition system the explorer can search. Its states
// are packed into one uint64 each (equal states, equal keys); a model with
// symmetry returns one canonical key per class of interchangeable states.
type Model interface {
	// Init appends the initial states to dst.
	Init(dst []uint64) []uint64
	// Properties names the properties Visit reports on, at most 64; a
	// property's position is its bit in the masks of a [Visit].
	Properties() []Property
	// NewWorker returns the part of the model one goroutine uses: it holds
	// scratch buffers and need not be safe for concurrent use.
	NewWorker() Worker
}

// Worker expands states of a [Model].
type Worker interface {
	// Visit expands state s: it appends to v.Succ the successor of every
	// enabled action, in an order that depends on s alone (the position in
	// v.Succ is the action's index), and reports the properties that s and
	// its transitions violate or witness. The explorer clears v first.
	Visit(s uint64, v *Visit)
}

// Kind is what a property is evaluated on.
type Kind uint8

// The kinds of property.
const (
	Always    Kind = iota // every reachable state satisfies it (Visit.Bad)
	Step                  // every transition satisfies it (Visit.Steps)
	Sometimes             // some transition witnesses it (Visit.Witness)
)

var kindNames = []string{"always", "step", "sometimes"}

func (k Kind) String() string { return kindNames[k] }

// Property is a named property a [Model] evaluates.
type Property struct {
	Name string
	Kind Kind
}

// Visit is what a [Worker] reports about one state.
type Visit struct {
	Succ    []uint64   // successors, in the stable order of the actions
	Labels  []uint8    // optional, one per successor: model-defined edge labels; not read while exploring (First set)
	Bad     uint64     // bit p: Always property p is violated in the state
	Steps   []StepFail // Step properties violated on transitions out of the state
	Witness uint64     // bit p: Sometimes property p is witnessed by a transition out of the state
	// First is set while exploring (each state is visited exactly once
	// then) and clear when states are visited again to draw the graph or
	// rebuild a trace: a model may gather statistics when it is set.
	First bool
}

// StepFail names the Step properties violated by one transition.
type StepFail struct {
	Action int
	Props  uint64
}

func (v *Visit) reset() {
	v.Succ, v.Labels, v.Steps = v.Succ[:0], v.Labels[:0], v.Steps[:0]
	v.Bad, v.Witness = 0, 0
}

// Options bound and shape an exploration. The zero value uses every core and
// sets no bound beyond the store's capacity (about 268 million states).
type Options struct {
	Workers   int // goroutines; 0 means GOMAXPROCS
	MaxStates int // stop after this many states; 0 means no bound
	// MaxMemory bounds the bytes the checker's own structures (state
	// store, pending successors, graph) may hold; 0 means no bound. A
	// caller with a budget for the whole process gives [AccountedBytes]
	// of it, and OverBudget.
	MaxMemory int64
	// OverBudget, if set, is closed by the caller when the process nears
	// MaxMemory (as measured by the runtime): the search then stops at
	// its next chunk of states as if MaxMemory were reached, and reports
	// what it found so far.
	OverBudget <-chan struct{}
	// Progress, if set, is called about every ProgressEvery (default one
	// second) from a goroutine of its own while the search runs.
	Progress      func(Progress)
	ProgressEvery time.Duration
	// Cancel, if set, stops the search when it is closed (an interrupt):
	// the level being expanded is given up and the search ends with
	// Interrupted, its figures those of the levels done.
	Cancel <-chan struct{}
}

// Progress is a snapshot of a running search.
type Progress struct {
	States  int // stored so far
	Queue   int // stored but not yet expanded
	Depth   int // current level
	Elapsed time.Duration
}

// Stop says why a search ended.
type Stop uint8

// The ways a search ends.
const (
	Complete    Stop = iota // every reachable state was explored
	MaxStates               // Options.MaxStates was reached
	MaxMemory               // Options.MaxMemory would have been exceeded
	Capacity                // the store's index space is full
	Interrupted             // Options.Cancel was closed
)

var stopNames = []string{"complete", "max-states", "max-memory", "capacity", "interrupted"}

func (s Stop) String() string { return stopNames[s] }

// Violation is the first violation of a property in breadth-first order:
// the violating state with the smallest index, or for a Step property the
// transition with the smallest (state, action) pair. Its trace is a
// shortest one.
type Violation struct {
	Prop   int
	State  uint32
	Action int // -1 for an Always property
}

// Result is the outcome of [Explore].
type Result struct {
	Stop        Stop
	States      int
	Transitions uint64 // transitions out of expanded states, including those to known states
	Expanded    int    // states expanded (all of them when Stop is Complete)
	Depth       int    // the deepest level reached
	Violations  []Violation
	Witnessed   uint64 // bit p: Sometimes property p was witnessed
	Elapsed     time.Duration
	Bytes       int64 // memory the state store holds, with the model's per-state memory (wide states)
	PeakBytes   int64 // store plus the largest level's pending successors

	model  Model
	store  *store
	levels []uint32 // start index of each level, plus the end
	opt    Options
}

// Key returns the packed state with index i.
func (r *Result) Key(i uint32) uint64 { return r.store.key(i) }

// Index returns the index of a packed state, if it was stored.
func (r *Result) Index(k uint64) (uint32, bool) { return r.store.find(k) }

// Level returns the depth of the state with index i.
func (r *Result) Level(i uint32) int {
	lo, hi := 0, len(r.levels)-1
	for lo+1 < hi {
		m := (lo + hi) / 2
		if r.levels[m] <= i {
			lo = m
		} else {
			hi = m
		}
	}
	return lo
}

type chunkOut struct {
	cands       []uint64 // successors not stored before the level, in (parent, action) order
	viol        []Violation
	witness     uint64
	transitions uint64
}

// chunk is the number of states one worker expands at a time. It does not
// depend on the number of workers, so neither does the order of discovery.
const chunk = 256

// recentBits sizes the cache of keys each goroutine looked up last.
const (
	recentBits = 15
	recentSize = 1 << recentBits
)

// Explore searches m breadth-first from its initial states and returns the
// states found, the first violation of each property and the properties
// witnessed. Level by level, the workers expand disjoint ranges of the
// current level against a table that does not change meanwhile, and the new
// states are then stored in the order (parent index, action index): the
// result, indices included, does not depend on the number of workers.
func Explore(m Model, opt Options) (*Result, error) {
	props := m.Properties()
	if len(props) > 64 {
		return nil, fmt.Errorf("check: %d properties; at most 64", len(props))
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	start := time.Now()
	r := &Result{model: m, store: newStore(), opt: opt}
	s := r.store
	first := make([]Violation, len(props))
	for i := range first {
		first[i] = Violation{Prop: -1}
	}
	record := func(v Violation) {
		f := &first[v.Prop]
		if f.Prop < 0 || v.State < f.State || (v.State == f.State && v.Action < f.Action) {
			*f = v
		}
	}
	// A model that holds memory per state (the intern table of wide
	// states) counts against the budget too.
	modelBytes := func() int64 { return 0 }
	if mb, ok := m.(interface{ Bytes() int64 }); ok {
		modelBytes = mb.Bytes
	}
	limit := func() (Stop, bool) {
		if s.n >= maxStates {
			return Capacity, true
		}
		if opt.MaxStates > 0 && s.n >= opt.MaxStates {
			return MaxStates, true
		}
		if opt.MaxMemory > 0 && s.bytesAfterAdd()+modelBytes() > opt.MaxMemory || closed(opt.OverBudget) {
			return MaxMemory, true
		}
		return Complete, false
	}

	var expanded, stored atomic.Int64
	var level atomic.Int64
	done := make(chan struct{})
	var progWG sync.WaitGroup
	if opt.Progress != nil {
		every := opt.ProgressEvery
		if every <= 0 {
			every = time.Second
		}
		progWG.Add(1)
		go func() {
			defer progWG.Done()
			t := time.NewTicker(every)
			defer t.Stop()
			for {
				select {
				case <-done:
					return
				case <-t.C:
					n, e := stored.Load(), expanded.Load()
					opt.Progress(Progress{States: int(n), Queue: int(n - e), Depth: int(level.Load()), Elapsed: time.Since(start)})
				}
			}
		}()
	}
	defer func() {
		close(done)
		progWG.Wait()
	}()

	r.levels = []uint32{0}
	for _, k := range m.Init(nil) {
		if _, ok := s.find(k); ok {
			continue
		}
		if stop, ok := limit(); ok {
			r.Stop = stop
			break
		}
		s.add(k)
	}
	stored.Store(int64(s.n))
	r.levels = append(r.levels, uint32(s.n))

	ws := make([]Worker, workers)
	for i := range ws {
		ws[i] = m.NewWorker()
	}
	var outs []chunkOut
	cancelled := func() bool {
		select {
		case <-opt.Cancel:
			return true
		default:
			return false
		}
	}
	for r.Stop == Complete {
		lo, hi := r.levels[len(r.levels)-2], r.levels[len(r.levels)-1]
		if lo == hi {
			break
		}
		if cancelled() {
			r.Stop = Interrupted
			break
		}
		level.Store(int64(len(r.levels) - 2))
		nchunks := int((hi - lo + chunk - 1) / chunk)
		if cap(outs) < nchunks {
			outs = make([]chunkOut, nchunks)
		}
		outs = outs[:nchunks]
		var next atomic.Int64
		var wg sync.WaitGroup
		// The successors waiting to be stored must fit in the memory the
		// store leaves; if they do not, the level is given up whole.
		var pendingBytes atomic.Int64
		var overflow, interrupted atomic.Bool
		levelModel := modelBytes()
		room := opt.MaxMemory - s.bytes() - levelModel
		for w := range ws {
			wg.Add(1)
			go func(w Worker) {
				defer wg.Done()
				var v Visit
				// Keys this goroutine looked up on this level: a key met
				// again is either stored or already a candidate with a
				// smaller (parent, action), as each goroutine takes the
				// chunks in increasing order. Interleavings make many such
				// repeats (a then b, b then a), and this spares their
				// lookups in the large table.
				var recent [recentSize]uint64
				var valid [recentSize]bool
				batch := make([]uint64, 0, lookupBatch)
				for !overflow.Load() {
					c := int(next.Add(1) - 1)
					if c >= nchunks {
						return
					}
					if opt.Cancel != nil && cancelled() {
						interrupted.Store(true)
						overflow.Store(true)
						return
					}
					if closed(opt.OverBudget) {
						overflow.Store(true)
						return
					}
					out := &outs[c]
					out.cands, out.viol = out.cands[:0], out.viol[:0]
					out.witness, out.transitions = 0, 0
					a := lo + uint32(c)*chunk
					b := min(a+chunk, hi)
					for i := a; i < b; i++ {
						v.reset()
						v.First = true
						w.Visit(s.key(i), &v)
						out.transitions += uint64(len(v.Succ))
						out.witness |= v.Witness
						for bad := v.Bad; bad != 0; bad &= bad - 1 {
							out.viol = append(out.viol, Violation{Prop: trailing(bad), State: i, Action: -1})
						}
						for _, f := range v.Steps {
							for bad := f.Props; bad != 0; bad &= bad - 1 {
								out.viol = append(out.viol, Violation{Prop: trailing(bad), State: i, Action: f.Action})
							}
						}
						for _, k := range v.Succ {
							slot := (k * 0x9E3779B97F4A7C15) >> (64 - recentBits)
							if valid[slot] && recent[slot] == k {
								continue
							}
							recent[slot], valid[slot] = k, true
							batch = append(batch, k)
							if len(batch) == lookupBatch {
								out.cands = s.appendMissing(out.cands, batch)
								batch = batch[:0]
							}
						}
					}
					out.cands = s.appendMissing(out.cands, batch)
					batch = batch[:0]
					expanded.Add(int64(b - a))
					if opt.MaxMemory > 0 && pendingBytes.Add(int64(cap(out.cands))*8)+modelBytes()-levelModel > room {
						overflow.Store(true)
						return
					}
				}
			}(ws[w])
		}
		wg.Wait()
		if interrupted.Load() {
			r.Stop = Interrupted
			break
		}
		if overflow.Load() {
			r.Stop = MaxMemory
			break
		}
		r.Expanded = int(hi)
		var pending int64
		for c := range outs {
			o := &outs[c]
			r.Transitions += o.transitions
			r.Witnessed |= o.witness
			for _, v := range o.viol {
				record(v)
			}
			pending += int64(cap(o.cands)) * 8
		}
		r.PeakBytes = max(r.PeakBytes, s.bytes()+pending+modelBytes())
		// In parallel when every candidate would fit within the limits.
		m := 0
		for c := range outs {
			m += len(outs[c].cands)
		}
		if m >= parallelInsert && fits(s, opt, m, pending+modelBytes(), workers) {
			r.PeakBytes = max(r.PeakBytes, s.bytes()+pending+modelBytes()+levelBytes(s, m, workers)+grownBytes(s, m))
			s.insertLevel(outs, workers)
			stored.Store(int64(s.n))
			r.levels = append(r.levels, uint32(s.n))
			continue
		}
	insert:
		for c := range outs {
			for _, k := range outs[c].cands {
				if _, ok := s.find(k); ok {
					continue
				}
				if stop, ok := limit(); ok {
					r.Stop = stop
					break insert
				}
				s.add(k)
			}
			stored.Store(int64(s.n))
		}
		r.levels = append(r.levels, uint32(s.n))
	}
	// Drop empty trailing levels.
	for len(r.levels) > 2 && r.levels[len(r.levels)-1] == r.levels[len(r.levels)-2] {
		r.levels = r.levels[:len(r.levels)-1]
	}
	r.Depth = len(r.levels) - 2
	r.States = s.n
	r.Bytes = s.bytes() + modelBytes()
	r.PeakBytes = max(r.PeakBytes, r.Bytes)
	for _, f := range first {
		if f.Prop >= 0 {
			r.Violations = append(r.Violations, f)
		}
	}
	r.Elapsed = time.Since(start)
	return r, nil
}

// parallelInsert is the number of candidates from which a level's new
// states are stored in parallel.
var parallelInsert = 1 << 12

// grownBytes bounds the memory the store adds for m more states.
func grownBytes(s *store, m int) int64 {
	size := len(s.tab)
	for (s.n+m)*4 > size*3 {
		size += size / 2
	}
	var b int64
	if size != len(s.tab) {
		b = int64(size) * 4
	}
	return b + int64(m+blockSize)*8
}

// fits reports whether m more states, and the memory to store them in
// parallel, stay within the limits.
func fits(s *store, opt Options, m int, pending int64, workers int) bool {
	if s.n+m >= maxStates || (opt.MaxStates > 0 && s.n+m > opt.MaxStates) {
		return false
	}
	return opt.MaxMemory <= 0 || s.bytes()+pending+levelBytes(s, m, workers)+grownBytes(s, m) <= opt.MaxMemory
}

func trailing(x uint64) int {
	n := 0
	for x&1 == 0 {
		x >>= 1
		n++
	}
	return n
}

// PathStep is one step of a path through the explored states: the state
// reached and the index of the action that reached it (-1 for the initial
// state).
type PathStep struct {
	State  uint32
	Key    uint64
	Action int
}

// Path returns a shortest path from an initial state to the state with
// index i. Each state's predecessor is the one with the smallest (index,
// action) pair among the states of the level above, the same whatever the
// number of workers; it is found by expanding that level again, so no
// parent links are stored.
func (r *Result) Path(i uint32) []PathStep {
	var rev []PathStep
	w := r.model.NewWorker()
	var v Visit
	cur := i
	for {
		lvl := r.Level(cur)
		rev = append(rev, PathStep{State: cur, Key: r.store.key(cur), Action: -1})
		if lvl == 0 {
			break
		}
		want := r.store.key(cur)
		found := false
		for p := r.levels[lvl-1]; p < r.levels[lvl] && !found; p++ {
			v.reset()
			w.Visit(r.store.key(p), &v)
			for ai, k := range v.Succ {
				if k == want {
					rev[len(rev)-1].Action = ai
					cur, found = p, true
					break
				}
			}
		}
		if !found {
			panic("check: a stored state has no predecessor on the level above")
		}
	}
	for a, b := 0, len(rev)-1; a < b; a, b = a+1, b-1 {
		rev[a], rev[b] = rev[b], rev[a]
	}
	return rev
}
