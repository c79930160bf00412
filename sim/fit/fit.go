package fit

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/evsim/evsim/model"
	mh "github.com/evsim/evsim/model/history"
)

// Options control a [Fitter].
type Options struct {
	// Poll is the interval of the polls the history was taken with; 0
	// means every row is a change at its exact time (a change log or
	// notifications).
	Poll time.Duration
	// Reservoir is the most duration samples kept per status (a uniform
	// sample of them, drawn with a fixed seed); 0 means 20,000.
	Reservoir int
}

// hidden are the conditions a status history cannot show: a start whose
// every way needs one of them is counted, but its rate is the rate of
// requests that met it (an effective rate).
var hidden = map[model.Cond]bool{
	model.CondTargetOff: true, model.CondTargetOn: true, model.CondServersOff: true,
	model.CondOwnSnapshot: true, model.CondHasSnapshots: true, model.CondNoSnapshots: true,
	model.CondHasBackups: true, model.CondNoBackups: true, model.CondBackupInProgress: true,
}

// Kinds of disk: bit 0 shared, bit 1 system; kindUnknown when not observed.
const (
	nKinds      = 5
	kindUnknown = 4
)

type dstate struct {
	seen    bool
	status  model.StatusID
	enterLo int64 // the status was entered in (enterLo, enterHi]
	enterHi int64
	last    int64 // last observation
	cands   uint64
	pending bool  // created, by an operation not yet told apart
	att     int16 // attachments at the last observation; -1 unknown
	size    int32 // GiB at the last observation; 0 unknown
	kind    uint8
	shared  mh.Tri
	system  mh.Tri
}

// stepKey is a duration sample's status and the operation that put the
// disk there.
type stepKey struct {
	op     model.OpID
	status model.StatusID
}

type reservoir struct {
	n       int // samples offered
	samples []Sample
	cens    int
}

// Fitter estimates a scenario's figures from a history, one observation
// at a time, keeping per disk only its current status. Build it with
// [New].
type Fitter struct {
	spec *model.Spec
	opt  Options
	rng  *rand.Rand

	disks      []dstate
	t0, tEnd   int64
	started    bool
	rows       int
	exposure   [nKinds][]float64 // hours per kind and status
	starts     [nKinds][][]int   // per kind, status, operation
	creations  []int             // per creating operation, after the start
	success    []int             // per operation
	failure    []int
	durations  map[stepKey]*reservoir
	reactions  map[model.StatusID]*reservoir
	leftBy     map[model.StatusID][]int // per failed status, per operation that took the disk out
	initial    int
	initialUse int
	kindSeen   [4]int
	sizes      []float64 // log sizes at first sight, a reservoir
	sizeN      int
	paths      map[[3]int][]pathStep
	repeats    int   // rows that repeat their disk's previous status
	unknownOut []int // per operation: outcomes no status change tells
	eventOps   map[string]uint64
}

type pathStep struct {
	from, to model.StatusID
	ops      uint64 // candidate operations of the step
	kind     model.EdgeKind
	// failOps are the operations for which the same step, chosen as a
	// success, could also be a failure: what changed on the disk tells.
	failOps uint64
}

// New returns a fitter for histories of spec.
func New(spec *model.Spec, opt Options) *Fitter {
	if opt.Reservoir <= 0 {
		opt.Reservoir = 20000
	}
	f := &Fitter{spec: spec, opt: opt, rng: rand.New(rand.NewPCG(1, 2)),
		creations: make([]int, len(spec.Ops)), unknownOut: make([]int, len(spec.Ops)), success: make([]int, len(spec.Ops)), failure: make([]int, len(spec.Ops)),
		durations: map[stepKey]*reservoir{}, reactions: map[model.StatusID]*reservoir{}, leftBy: map[model.StatusID][]int{},
		paths: map[[3]int][]pathStep{}, eventOps: map[string]uint64{}}
	for k := range f.exposure {
		f.exposure[k] = make([]float64, len(spec.Statuses))
		f.starts[k] = make([][]int, len(spec.Statuses))
		for s := range f.starts[k] {
			f.starts[k][s] = make([]int, len(spec.Ops))
		}
	}
	return f
}

// Fit reads every observation of r and returns the estimates.
func Fit(r *mh.Reader, spec *model.Spec, opt Options) (*Result, error) {
	f := New(spec, opt)
	for {
		o, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		f.Observe(o)
	}
	if f.rows == 0 {
		return nil, fmt.Errorf("%s: no observation to fit", r.Name())
	}
	res := f.Result()
	res.File = r.Name()
	return res, nil
}

func hoursBetween(a, b int64) float64 { return float64(b-a) / float64(time.Hour) }

func (f *Fitter) offer(r *reservoir, s Sample) {
	r.n++
	if s.Right {
		r.cens++
	}
	if len(r.samples) < f.opt.Reservoir {
		r.samples = append(r.samples, s)
		return
	}
	if j := f.rng.IntN(r.n); j < f.opt.Reservoir {
		r.samples[j] = s
	}
}

func kindOf(shared, system mh.Tri) uint8 {
	if shared == mh.Unknown || system == mh.Unknown {
		return kindUnknown
	}
	var k uint8
	if shared == mh.Yes {
		k |= 1
	}
	if system == mh.Yes {
		k |= 2
	}
	return k
}

// Observe takes the next observation (of any disk; each disk's in time
// order, as [mh.Reader] guarantees).
func (f *Fitter) Observe(o mh.Observation) {
	t := o.Time.UnixNano()
	f.rows++
	if !f.started || t < f.t0 {
		if !f.started {
			f.t0 = t
		}
		f.started = true
		f.t0 = min(f.t0, t)
	}
	f.tEnd = max(f.tEnd, t)
	for o.Disk >= len(f.disks) {
		f.disks = append(f.disks, dstate{})
	}
	d := &f.disks[o.Disk]
	if o.Shared != mh.Unknown {
		d.shared = o.Shared
	}
	if o.System != mh.Unknown {
		d.system = o.System
	}
	d.kind = kindOf(d.shared, d.system)
	if !d.seen {
		d.att, d.size = int16(min(o.Attachments, 1<<14)), int32(min(o.Size, 1<<30))
		if o.Size > 0 {
			// The size of every disk at first sight.
			f.sizeN++
			if len(f.sizes) < f.opt.Reservoir {
				f.sizes = append(f.sizes, math.Log(float64(o.Size)))
			} else if j := f.rng.IntN(f.sizeN); j < f.opt.Reservoir {
				f.sizes[j] = math.Log(float64(o.Size))
			}
		}
		d.seen = true
		d.status, d.enterLo, d.enterHi, d.last = o.Status, t, t, t
		if f.opt.Poll > 0 {
			d.enterLo = t - int64(f.opt.Poll)
		}
		if t == f.t0 && !f.creating(o.Status) {
			f.initial++
			if id, ok := f.spec.StatusByCode("in-use"); ok && o.Status == id {
				f.initialUse++
			}
			if d.kind != kindUnknown {
				f.kindSeen[d.kind]++
			}
		} else {
			// A disk that appears after the start was created: its path from
			// no disk tells how.
			f.move(d, o.Disk, model.NoDisk, o.Status, t, &o)
		}
		return
	}
	defer func() {
		d.att = int16(min(o.Attachments, 1<<14))
		d.size = int32(min(o.Size, 1<<30))
	}()
	if o.Status == d.status && !(d.size > 0 && o.Size > int(d.size) && d.cands == 0) {
		f.repeats++
		f.expose(d, d.status, hoursBetween(d.last, t))
		d.last = t
		return
	}
	f.move(d, o.Disk, d.status, o.Status, t, &o)
}

// creating reports whether s is where a creating operation takes a disk
// first.
func (f *Fitter) creating(s model.StatusID) bool {
	for i := range f.spec.Ops {
		o := &f.spec.Ops[i]
		if o.Creates && len(o.Steps) > 0 && o.Steps[0].Status == s {
			return true
		}
	}
	return false
}

func (f *Fitter) expose(d *dstate, s model.StatusID, h float64) {
	if int(s) < len(f.spec.Statuses) && h > 0 {
		f.exposure[d.kind][s] += h
	}
}

// move takes a disk from status a (last seen at d.last) to b seen at t,
// through the shortest path of the spec between them.
func (f *Fitter) move(d *dstate, disk int, a, b model.StatusID, t int64, o *mh.Observation) {
	poll := f.opt.Poll > 0
	// Exposure: a change log stays in a until t; polls split the gap.
	if a != model.NoDisk {
		if poll {
			f.expose(d, a, hoursBetween(d.last, t)/2)
			f.expose(d, b, hoursBetween(d.last, t)/2)
		} else {
			f.expose(d, a, hoursBetween(d.last, t))
		}
	}
	var steps []pathStep
	if a == b {
		steps = f.growLoop(a, d.kind) // the size grew: an expansion no observation showed
	} else {
		steps = f.path(a, b, d.kind)
	}
	if steps == nil {
		// No path (a history the model does not explain): start afresh.
		d.status, d.enterLo, d.enterHi, d.last, d.cands = b, d.last, t, t, 0
		return
	}
	if o.Event != "" {
		if ops, ok := f.eventOps[eventBase(o.Event)]; ok {
			// The notification names the operation: keep the candidates it allows.
			for i := range steps {
				if steps[i].ops&ops != 0 && (i == len(steps)-1 || steps[i].kind != model.EdgeStart) {
					steps[i].ops &= ops
				}
			}
		}
	}
	lo := d.last
	if a == model.NoDisk {
		lo = t
		if poll {
			lo = t - int64(f.opt.Poll)
		}
	}
	cands := d.cands
	for i, st := range steps {
		ops := st.ops
		if st.kind != model.EdgeStart && cands&ops != 0 {
			ops &= cands
		}
		// Resolve ahead: keep operations that can also make the next steps.
		for j := i + 1; j < len(steps) && steps[j].kind != model.EdgeStart; j++ {
			if ops&steps[j].ops != 0 {
				ops &= steps[j].ops
			}
		}
		op := firstOp(ops)
		// The status left: its duration (or reaction time in a failed status).
		left := st.from
		var s Sample
		switch {
		case i == 0 && !poll:
			s = Sample{Lo: hoursBetween(d.enterHi, t), Hi: hoursBetween(d.enterHi, t)}
		case i == 0:
			s = Sample{Lo: math.Max(0, hoursBetween(d.enterHi, lo)), Hi: hoursBetween(d.enterLo, t)}
		default:
			s = Sample{Lo: 0, Hi: hoursBetween(lo, t)}
		}
		if left != model.NoDisk && int(left) < len(f.spec.Statuses) {
			switch f.spec.Statuses[left].Class {
			case model.Transitional:
				key := stepKey{op, left}
				if st.kind == model.EdgeStart || op == model.NoOp {
					key.op = firstOp(cands)
				}
				r := f.durations[key]
				if r == nil {
					r = &reservoir{}
					f.durations[key] = r
				}
				f.offer(r, s)
			case model.Failed:
				if st.kind == model.EdgeStart {
					r := f.reactions[left]
					if r == nil {
						r = &reservoir{}
						f.reactions[left] = r
					}
					f.offer(r, s)
					if f.leftBy[left] == nil {
						f.leftBy[left] = make([]int, len(f.spec.Ops))
					}
					if op != model.NoOp {
						f.leftBy[left][op]++
					}
				}
			}
		}
		kind := st.kind
		if kind == model.EdgeSuccess && st.failOps&(1<<op) != 0 && op != model.NoOp {
			kind = f.outcome(op, d, o)
		}
		switch kind {
		case model.EdgeStart:
			if op != model.NoOp {
				switch {
				case st.from == model.NoDisk:
					d.pending = true
				case f.spec.Statuses[st.from].Class != model.Failed:
					f.starts[d.kind][st.from][op]++
				}
			}
			cands = ops
			if op != model.NoOp && f.spec.Ops[op].Instant() {
				cands = 0
			}
		case model.EdgeAdvance:
			cands = ops
		case model.EdgeSuccess:
			if op != model.NoOp {
				f.success[op]++
			}
			cands = 0
		case model.EdgeFailure:
			if op != model.NoOp {
				f.failure[op]++
			}
			cands = 0
		default: // the outcome does not show
			if op != model.NoOp {
				f.unknownOut[op]++
			}
			cands = 0
		}
		if d.pending && op != model.NoOp && (kind != model.EdgeStart && kind != model.EdgeAdvance || ops&(ops-1) == 0) {
			// The creating operation is known now.
			f.creations[op]++
			d.pending = false
		}
	}
	d.cands = cands
	d.status, d.last = b, t
	if poll {
		d.enterLo, d.enterHi = lo, t
	} else {
		d.enterLo, d.enterHi = t, t
	}
	if b == model.Gone {
		d.cands = 0
	}
}

func eventBase(ev string) string {
	if i := strings.LastIndexByte(ev, '.'); i > 0 {
		return ev[:i]
	}
	return ev
}

// SetEventOps tells the fitter which operations each notification event
// base (such as volume.resize) may stand for; an event that names one
// operation resolves what the statuses alone leave open (accepting or
// cancelling a transfer).
func (f *Fitter) SetEventOps(m map[string][]model.OpID) {
	for ev, ops := range m {
		var set uint64
		for _, op := range ops {
			set |= 1 << op
		}
		f.eventOps[ev] = set
	}
}

func firstOp(set uint64) model.OpID {
	if set == 0 {
		return model.NoOp
	}
	for i := 0; i < 64; i++ {
		if set&(1<<i) != 0 {
			return model.OpID(i)
		}
	}
	return model.NoOp
}

// mayStart reports whether some way of op from status s suits a disk of
// the kind (Spec.Edges keeps the conditions of one way only).
func (f *Fitter) mayStart(op model.OpID, s model.StatusID, kind uint8) bool {
	for _, fr := range f.spec.Ops[op].From {
		if fr.Status == s && kindConds(fr.When, kind) {
			return true
		}
	}
	return false
}

// growLoop is the path of an operation that grows a disk from status a
// back to a: an expansion between two observations of the same status.
func (f *Fitter) growLoop(a model.StatusID, kind uint8) []pathStep {
	for oi := range f.spec.Ops {
		op := &f.spec.Ops[oi]
		if !op.HasEffect(model.EffGrow) || len(op.Steps) == 0 {
			continue
		}
		for _, fr := range op.From {
			if fr.Status != a || !kindConds(fr.When, kind) {
				continue
			}
			first := op.Steps[0].Status
			in, back := f.path(a, first, kind), f.path(first, a, kind)
			if len(in) == 1 && back != nil {
				return append(in, back...)
			}
		}
	}
	return nil
}

// outcomeUnknown marks a completion whose success and failure look alike.
const outcomeUnknown model.EdgeKind = 0xFF

// outcome tells a success from a failure that lead to the same status by
// what the operation's effects would have changed: the attachments, the
// size.
func (f *Fitter) outcome(op model.OpID, d *dstate, o *mh.Observation) model.EdgeKind {
	ops := &f.spec.Ops[op]
	switch {
	case (ops.HasEffect(model.EffAttach) || ops.HasEffect(model.EffDetach)) && d.att >= 0 && o.Attachments >= 0:
		if int(d.att) != o.Attachments {
			return model.EdgeSuccess
		}
		return model.EdgeFailure
	case (ops.HasEffect(model.EffGrow) || ops.HasEffect(model.EffShrink)) && d.size > 0 && o.Size > 0:
		if int(d.size) != o.Size {
			return model.EdgeSuccess
		}
		return model.EdgeFailure
	}
	return outcomeUnknown
}

// path returns the steps of the likeliest short path of the spec's edges
// from a to b for a disk of the given kind, each with the operations that
// make it; nil when there is none. Each step costs 2 and a failure 1 more,
// so that of two paths of one length the one without a failure wins; a
// start needs conditions on the kind of disk that hold.
func (f *Fitter) path(a, b model.StatusID, kind uint8) []pathStep {
	key := [3]int{int(a), int(b), int(kind)}
	if p, ok := f.paths[key]; ok {
		return append([]pathStep(nil), p...)
	}
	type arc struct {
		to   model.StatusID
		ops  uint64
		kind model.EdgeKind
	}
	out := map[model.StatusID][]arc{}
	for _, e := range f.spec.Edges() {
		if e.Kind == model.EdgeStart && e.From != model.NoDisk && !f.mayStart(e.Op, e.From, kind) {
			continue
		}
		as := out[e.From]
		found := false
		for i := range as {
			if as[i].to == e.To && as[i].kind == e.Kind {
				as[i].ops |= 1 << e.Op
				found = true
			}
		}
		if !found {
			as = append(as, arc{e.To, 1 << e.Op, e.Kind})
		}
		out[e.From] = as
	}
	dist := map[model.StatusID]int{a: 0}
	prev := map[model.StatusID]pathStep{}
	done := map[model.StatusID]bool{}
	for {
		// The nearest status not done yet (ties by status, for a stable order).
		var s model.StatusID
		best := -1
		for x, d := range dist {
			if !done[x] && (best < 0 || d < best || d == best && x < s) {
				s, best = x, d
			}
		}
		if best < 0 || s == b {
			break
		}
		done[s] = true
		for _, e := range out[s] {
			cost := 2
			if e.kind == model.EdgeFailure {
				cost = 3
			}
			if d, ok := dist[e.to]; ok && d <= best+cost {
				continue
			}
			dist[e.to] = best + cost
			ps := pathStep{from: s, to: e.to, ops: e.ops, kind: e.kind}
			if e.kind == model.EdgeSuccess {
				for _, g := range out[s] {
					if g.to == e.to && g.kind == model.EdgeFailure {
						ps.failOps |= g.ops
					}
				}
			}
			prev[e.to] = ps
		}
	}
	var p []pathStep
	if _, ok := dist[b]; ok && b != a {
		for x := b; x != a; x = prev[x].from {
			p = append(p, prev[x])
		}
		for i, j := 0, len(p)-1; i < j; i, j = i+1, j-1 {
			p[i], p[j] = p[j], p[i]
		}
	}
	f.paths[key] = p
	return append([]pathStep(nil), p...)
}

// Result is what a history says of the figures of a scenario.
type Result struct {
	File        string
	Rows        int
	Disks       int
	Start, End  time.Time
	Days        float64
	Poll        time.Duration
	Repeats     int // rows that repeat their disk's previous status
	Initial     int // disks present at the first observation
	InUse       float64
	Shared      float64
	System      float64
	KindsKnown  int
	SizeMedian  float64 // GiB; 0 when sizes were not observed
	SizeSigma   float64
	SizeN       int
	Stopped     Estimate // share of requests that find the servers stopped; NaN when nothing tells
	Creations   int
	PerDay      Estimate
	Mix         []Count // creating operations
	Rates       []Rate
	Durations   []Duration
	OpDurations []Duration // operations whose steps last differently from the status's others
	Failures    []Failure
	Unknown     []Count // operations with outcomes no status change tells (success and failure look alike)
	Remedies    []Remedy
}

// Estimate is a figure with its 95% interval and the number of
// observations behind it.
type Estimate struct {
	Value, Lo, Hi float64
	N             int
}

// Count is an operation with a count.
type Count struct {
	Op string
	N  int
}

// Rate is an operation's requests per disk per day.
type Rate struct {
	Op        string
	Estimate  // per disk per day
	Exposure  float64
	Effective string // the hidden conditions when the rate is one of requests that met them
}

// Duration is the fitted distribution of a status (or of an operation's
// steps), every family with its AIC, the best first.
type Duration struct {
	Name     string
	N, Cens  int
	Fits     []Fitted
	Uncapped int // samples offered before the reservoir
}

// Failure is an operation's failure probability with its Wilson interval.
type Failure struct {
	Op       string
	Failed   int
	Finished int
	P        float64
	Lo, Hi   float64
}

// Remedy is how disks left a failed status: by whom, with which
// operations, after how long.
type Remedy struct {
	Status string
	By     string // customer, operator or none
	Ops    []Count
	After  *Duration
	Stayed int // disks still there at the end
}
