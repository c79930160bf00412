package sim

import (
	"context"
	"math"
	"math/bits"
	"math/rand/v2"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/evsim/evsim/model"
)

// disk is one disk of the fleet: its model state, the kind and time of its
// next event, and the completion time of its background operation.
type disk struct {
	dstate
	fl     uint8      // fOff, fFailNext, fBgFail, fHolds, fReserved, fRecreate
	next   uint8      // kind of the event at tMain
	nextOp model.OpID // the operation of a pending request
	_      uint8
	tMain  float64
	tBg    float64
	rng    uint64 // the state of the disk's own random stream (see streams.go)
}

const (
	fOff      uint8 = 1 << iota // the disk's servers are stopped
	fFailNext                   // the current step will fail
	fBgFail                     // the background operation will fail
	fHolds                      // the disk's size is counted in the pool
	fReserved                   // a growing operation reserved its step in the pool
	fRecreate                   // the customer creates a new disk once this one is gone
)

// Kinds of a disk's main event.
const (
	evNone     uint8 = iota
	evRequest        // the customer requests nextOp
	evStep           // the current step of the running operation ends
	evRemedy         // the customer acts on a failed disk
	evTicket         // a ticket for the operator team opens
	evOperator       // an agent acts on the disk
	evGone           // the disk was deleted: release its room
)

const growthID = math.MaxUint32

var inf = math.Inf(1)

// plan is a config compiled for the engine; it is shared, read-only, by
// every replication.
type plan struct {
	cfg      *Config
	c        *core
	nServers uint8
	allOn    uint32
	reqRate  [4][]float64 // per disk kind and status: customer requests per hour
	reqOps   [4][][]reqOp // per disk kind and status
	stepQ    []float64    // per operation: failure probability of each step
	mixCum   []float64
	mixOps   []model.OpID
	initOp   model.OpID
	attachOp model.OpID
	step     int64 // GiB of one size step
}

type reqOp struct {
	op  model.OpID
	cum float64
}

func newPlan(cfg *Config) *plan {
	c := compile(cfg.Spec)
	p := &plan{cfg: cfg, c: c, initOp: model.NoOp, attachOp: model.NoOp, step: int64(cfg.Spec.Limits.SizeStep)}
	n := max(cfg.Spec.Limits.Attachments, cfg.Spec.Limits.SharedAttachments)
	p.nServers = uint8(min(n, model.MaxServers))
	p.allOn = uint32(uint64(1)<<p.nServers - 1)
	for kind := range 4 {
		p.reqRate[kind] = make([]float64, c.nStatus)
		p.reqOps[kind] = make([][]reqOp, c.nStatus)
		for s := range c.nStatus {
			var cum float64
			for _, op := range c.startsAt[s] {
				r := cfg.Rates[op] / 24
				if r <= 0 || c.ops[op].actor != model.Customer || !c.mayStart(op, model.StatusID(s), uint8(kind)) {
					continue
				}
				cum += r
				p.reqOps[kind][s] = append(p.reqOps[kind][s], reqOp{op, cum})
			}
			p.reqRate[kind][s] = cum
		}
	}
	p.stepQ = make([]float64, len(c.ops))
	for i, o := range c.ops {
		if n := len(o.steps); n > 0 {
			p.stepQ[i] = 1 - math.Pow(1-cfg.Failure[i], 1/float64(n))
		} else {
			p.stepQ[i] = cfg.Failure[i]
		}
	}
	var cum float64
	for _, m := range cfg.CreationMix {
		if m.Weight > 0 {
			cum += m.Weight
			p.mixCum = append(p.mixCum, cum)
			p.mixOps = append(p.mixOps, m.Op)
			if p.initOp == model.NoOp && !c.ops[m.Op].hasEffect(model.EffAttach) {
				p.initOp = m.Op
			}
		}
	}
	if p.initOp == model.NoOp && len(p.mixOps) > 0 {
		p.initOp = p.mixOps[0]
	}
	for i, o := range c.ops {
		if !o.creates && o.actor == model.Customer && o.argKind == model.ArgServer && o.hasEffect(model.EffAttach) {
			p.attachOp = model.OpID(i)
			break
		}
	}
	return p
}

func (o *cop) hasEffect(e model.Effect) bool {
	for _, x := range o.effects {
		if x == e {
			return true
		}
	}
	return false
}

// TraceEvent is one transition of one disk of a fleet, reported to
// [Options.Trace]: the action in the terms of a one-disk [model.System]
// (Disk 0, servers local to the disk) and the disk after it. Config holds
// the disk's attributes, with its size now (its size at creation on the
// Start of a creating operation, where a replay begins). A slot whose disk
// was deleted is reused by a later disk, whose trace begins with such a
// Start.
type TraceEvent struct {
	Time   float64
	Disk   int              // index in the fleet
	Config model.DiskConfig // the disk's attributes
	Action model.Action
	After  model.Disk
}

// rep is one replication: the fleet, its random stream and its statistics.
type rep struct {
	p    *plan
	c    *core
	cfg  *Config
	idx  int
	src  diskSrc     // draws from the stream cur points at
	cur  *uint64     // the stream being drawn from: a disk's, or growth
	base uint64      // the start of the frame of the disk event under way
	rng  *rand.Rand  // over src
	dur  [][]sampler // per operation, per step
	bgd  []sampler   // per operation (background)
	rem  []sampler   // per status (customer remedy delay)
	svc  sampler
	size sampler

	disks  store
	growth uint64 // the growth process's stream
	born   uint64 // disks the growth process created so far
	h      quad
	seq    uint64
	env    env

	measuring bool
	warm      float64
	horizon   float64

	used, peak  int64
	capacity    float64
	exhaustedAt float64

	agents   agentPool
	openDone fheap
	busyTime float64 // agent hours within the warm-up's end and the horizon

	res         *Result
	occ         []float64
	delta       []int64   // per sample time and status: changes since the previous sample
	sampleTimes []float64 // every sample interval from 0, and the horizon
	perSample   float64   // 1 / the sample interval
	nextSample  int       // first sample whose pool and tickets are not recorded yet
	free        []uint32  // slots of deleted disks, reused by new ones
	waits       []float64
	resol       float64

	trace func(TraceEvent)
	tt    *transTable // finds the edge a transition counts for

	// global makes the run put every event of every disk in one queue
	// instead of advancing disks on their own: the plain design, kept to
	// measure against (see BenchmarkQueueDesign) and to cross-check.
	global     bool
	globalInit bool
}

func newRep(p *plan, idx int) *rep {
	cfg := p.cfg
	r := &rep{p: p, c: p.c, cfg: cfg, idx: idx}
	r.src = diskSrc{r}
	r.rng = rand.New(r.src)
	r.growth = streamSeed(cfg.Seed, uint64(idx), tagGrowth)
	r.cur = &r.growth
	r.dur = make([][]sampler, len(p.c.ops))
	r.bgd = make([]sampler, len(p.c.ops))
	for i, o := range p.c.ops {
		for _, st := range o.steps {
			d := cfg.OpDuration[i]
			if d.Kind == None {
				d = cfg.Durations[st]
			}
			r.dur[i] = append(r.dur[i], newSampler(d, r.src))
		}
		if o.background {
			r.bgd[i] = newSampler(cfg.OpDuration[i], r.src)
		}
	}
	r.rem = make([]sampler, p.c.nStatus)
	for s, rm := range cfg.Remedies {
		if rm.By == ByCustomer {
			r.rem[s] = newSampler(rm.After, r.src)
		}
	}
	r.svc = newSampler(cfg.Service, r.src)
	r.size = newSampler(cfg.Size, r.src)
	r.env = env{power: p.allOn, nServers: p.nServers, operator: true, maxSnaps: 255, maxBacks: 255, minSize: 1, maxSize: 1<<32 - 1}
	r.capacity = cfg.PoolGiB
	r.exhaustedAt = -1
	r.agents = newAgentPool(cfg.Agents)
	r.horizon = cfg.Horizon
	r.warm = cfg.Warmup
	nOps := len(p.c.ops)
	r.tt = newTransTable(cfg.Spec, p.c.nStatus)
	r.res = &Result{Replication: idx,
		Started: make([]int64, nOps), Failed: make([]int64, nOps), Rejected: make([]int64, nOps)}
	r.res.Transitions = make([]int64, len(r.tt.edges))
	r.occ = make([]float64, p.c.nStatus)
	for k := 0; ; k++ {
		t := float64(k) * cfg.SampleInterval
		if t > cfg.Horizon*(1-1e-12) {
			break
		}
		r.sampleTimes = append(r.sampleTimes, t)
	}
	if last := r.sampleTimes[len(r.sampleTimes)-1]; last < cfg.Horizon*(1-1e-12) {
		r.sampleTimes = append(r.sampleTimes, cfg.Horizon)
	}
	r.perSample = 1 / cfg.SampleInterval
	r.delta = make([]int64, len(r.sampleTimes)*p.c.nStatus)
	return r
}

func (r *rep) emit(i uint32, t float64, a model.Action) {
	d := r.disks.at(i)
	a.Disk = 0
	r.trace(TraceEvent{Time: t, Disk: int(i), Action: a, After: d.toModel(),
		Config: model.DiskConfig{Shared: d.flags&dShared != 0, System: d.flags&dSystem != 0, Size: int(max(d.size, 1))}})
}

// envFor prepares the condition environment of disk d with argument arg.
func (r *rep) envFor(d *disk) *env {
	e := &r.env
	if d.fl&fOff != 0 {
		e.power = 0
	} else {
		e.power = r.p.allOn
	}
	e.snapOK = d.snaps > 0
	e.initSize = d.size
	return e
}

// moved records a status change at t. The time series keeps, per sample
// time, the changes since the previous one (a change at t counts from the
// first sample after t). The time-weighted occupancy, once measuring, has
// a disk entering a status at t subtract t and leaving it add t; the end of
// the run adds the end time for every disk still there.
func (r *rep) moved(old, now model.StatusID, t float64) {
	if old == now {
		return
	}
	n := len(r.occ)
	if k := int(t*r.perSample) + 1; k < len(r.sampleTimes) {
		if int(old) < n {
			r.delta[k*n+int(old)]--
		}
		if int(now) < n {
			r.delta[k*n+int(now)]++
		}
	}
	if !r.measuring {
		return
	}
	if int(old) < n {
		r.occ[old] += t
	}
	if int(now) < n {
		r.occ[now] -= t
	}
}

// pickArg chooses the argument of a request: a server the disk is not
// attached to for an attaching operation, one it is attached to for a
// detaching one, any server otherwise; the disk's own snapshot.
func (r *rep) pickArg(d *disk, op model.OpID) uint8 {
	o := &r.c.ops[op]
	switch o.argKind {
	case model.ArgNone:
		return model.NoArg
	case model.ArgSnapshot:
		return 0
	}
	var set uint32
	switch {
	case o.hasEffect(model.EffAttach):
		set = r.p.allOn &^ d.attached
	case o.hasEffect(model.EffDetach):
		set = d.attached & r.p.allOn
	default:
		set = r.p.allOn
	}
	n := bits.OnesCount32(set)
	if n == 0 {
		return 0
	}
	r.use(slotArg)
	k := r.rng.IntN(n)
	for ; k > 0; k-- {
		set &= set - 1
	}
	return uint8(bits.TrailingZeros32(set))
}

// samplePower decides whether the disk's servers are stopped when a
// request that looks at power arrives.
func (r *rep) samplePower(i uint32, d *disk, t float64) {
	r.use(slotPower)
	off := r.rng.Float64() < r.cfg.ServersStopped
	if off == (d.fl&fOff != 0) {
		return
	}
	kind := model.PowerOn
	if off {
		d.fl |= fOff
		kind = model.PowerOff
	} else {
		d.fl &^= fOff
	}
	if r.trace != nil {
		for s := uint8(0); s < r.p.nServers; s++ {
			r.emit(i, t, model.Action{Kind: kind, Op: model.NoOp, Arg: s})
		}
	}
}

// settle schedules the next main event of a disk that has no step running.
func (r *rep) settle(d *disk, t float64) {
	st := d.status
	if st == model.Gone {
		d.next, d.tMain = evGone, t
		return
	}
	if int(st) < len(r.cfg.Remedies) {
		switch rm := &r.cfg.Remedies[st]; rm.By {
		case ByOperator:
			d.next, d.tMain = evTicket, t
			return
		case ByCustomer:
			r.use(slotRemedy)
			d.next, d.tMain = evRemedy, t+r.rem[st].draw()
			return
		}
	}
	// The customer's ordinary requests resume: a recreate intent of an
	// earlier remedy is over (a later deletion is an ordinary one).
	d.fl &^= fRecreate
	r.request(d, t)
}

// request draws the customer's next request: the time from the total rate
// of the operations that may start from the status for a disk of its kind
// (shared or not, system or data disk), the operation in proportion to its
// rate. Conditions that change over a disk's life (attachments, snapshots,
// a backup in progress, stopped servers) are left to the model: a request
// it does not enable is counted as rejected.
func (r *rep) request(d *disk, t float64) {
	kind := d.flags & (dShared | dSystem)
	lam := r.p.reqRate[kind][d.status]
	if lam == 0 {
		d.next, d.tMain = evNone, inf
		return
	}
	r.use(slotTime)
	dt := distuv.Exponential{Rate: lam, Src: r.src}.Rand()
	ops := r.p.reqOps[kind][d.status]
	op := ops[0].op
	if len(ops) > 1 {
		r.use(slotOp)
		u := r.rng.Float64() * lam
		for _, x := range ops {
			op = x.op
			if u < x.cum {
				break
			}
		}
	}
	d.next, d.nextOp, d.tMain = evRequest, op, t+dt
}

// schedule draws the duration and outcome of the disk's current step.
func (r *rep) schedule(d *disk, t float64, forceFail bool) {
	op := d.op
	r.use(slotDuration)
	d.tMain = t + r.dur[op][d.step].draw()
	d.next = evStep
	r.use(slotFail)
	if forceFail || (r.p.stepQ[op] > 0 && r.rng.Float64() < r.p.stepQ[op]) {
		d.fl |= fFailNext
	} else {
		d.fl &^= fFailNext
	}
}

// coupled reports whether the disk's next main event touches the fleet's
// shared state (the pool, the operator team, the set of disks).
func (r *rep) coupled(d *disk) bool {
	switch d.next {
	case evTicket, evGone:
		return true
	case evRequest:
		o := &r.c.ops[d.nextOp]
		return o.grows || o.creates
	case evStep:
		return d.fl&fReserved != 0 && d.fl&fFailNext != 0
	}
	return false
}

// advance runs disk i's own events before end, stopping at the first one
// that touches shared state, which it queues.
func (r *rep) advance(i uint32, end float64) {
	d := r.disks.at(i)
	r.cur = &d.rng
	for {
		if d.tBg < d.tMain {
			if d.tBg >= end {
				return
			}
			r.bgEvent(i, d)
			continue
		}
		t := d.tMain
		if t >= end {
			return
		}
		if r.coupled(d) {
			r.h.push(event{t: t, seq: uint32(r.seq), id: i})
			r.seq++
			return
		}
		r.mainEvent(i, d, t)
	}
}

func (r *rep) bgEvent(i uint32, d *disk) {
	t := d.tBg
	r.res.Events++
	ok := d.fl&fBgFail == 0
	op := d.bg
	if !ok && r.measuring {
		r.res.Failed[op]++
	}
	r.c.bgDone(&d.dstate, ok)
	d.tBg = inf
	if r.trace != nil {
		k := model.BgSucceed
		if !ok {
			k = model.BgFail
		}
		r.emit(i, t, model.Action{Kind: k, Op: op, Arg: model.NoArg})
	}
}

// startOp starts op on disk i at t; the caller checked that it is enabled.
func (r *rep) startOp(i uint32, d *disk, op model.OpID, arg uint8, t float64, forceFail bool) {
	e := r.envFor(d)
	old := d.status
	if r.measuring {
		r.res.Started[op]++
	}
	stepped := r.c.start(&d.dstate, e, op, arg)
	if r.trace != nil {
		r.emit(i, t, model.Action{Kind: model.Start, Op: op, Arg: arg})
	}
	r.moved(old, d.status, t)
	if r.measuring {
		r.count(op, model.EdgeStart, old, d.status)
	}
	o := &r.c.ops[op]
	switch {
	case stepped:
		r.schedule(d, t, forceFail)
	case o.background:
		r.use(slotBgDuration)
		d.tBg = t + r.bgd[op].draw()
		r.use(slotBgFail)
		if r.p.stepQ[op] > 0 && r.rng.Float64() < r.p.stepQ[op] {
			d.fl |= fBgFail
		} else {
			d.fl &^= fBgFail
		}
		r.settle(d, t)
	default:
		r.settle(d, t)
	}
}

// mainEvent processes the event at tMain of disk i.
func (r *rep) mainEvent(i uint32, d *disk, t float64) {
	r.cur = &d.rng
	if d.next == evGone {
		// The slot may hold a new disk after this event.
		r.mainEventIn(i, d, t)
		return
	}
	// The event draws from its own frame of the disk's stream (see
	// streams.go).
	base := d.rng
	r.base = base
	r.mainEventIn(i, d, t)
	d.rng = base + frameStep
}

func (r *rep) mainEventIn(i uint32, d *disk, t float64) {
	r.res.Events++
	switch d.next {
	case evRequest:
		op := d.nextOp
		o := &r.c.ops[op]
		if o.usesPower {
			r.samplePower(i, d, t)
		}
		arg := r.pickArg(d, op)
		if !r.c.enabled(&d.dstate, r.envFor(d), op, arg) {
			if r.measuring {
				r.res.Rejected[op]++
			}
			r.request(d, t)
			return
		}
		refuse := false
		if o.grows {
			if float64(r.used+r.p.step) > r.capacity {
				refuse = true
				r.refused(t)
			} else {
				r.take(r.p.step)
				d.fl |= fReserved
			}
		}
		r.startOp(i, d, op, arg, t, refuse)
	case evStep:
		old := d.status
		e := r.envFor(d)
		op := d.op
		if d.fl&fFailNext != 0 {
			if r.measuring {
				r.res.Failed[op]++
			}
			if d.fl&fReserved != 0 {
				r.used -= r.p.step
				d.fl &^= fReserved
			}
			r.c.fail(&d.dstate, e)
			if r.trace != nil {
				r.emit(i, t, model.Action{Kind: model.Fail, Op: op, Arg: model.NoArg})
			}
			r.moved(old, d.status, t)
			if r.measuring {
				r.count(op, model.EdgeFailure, old, d.status)
			}
			r.settle(d, t)
			return
		}
		more := r.c.succeed(&d.dstate, e)
		if r.trace != nil {
			r.emit(i, t, model.Action{Kind: model.Succeed, Op: op, Arg: model.NoArg})
		}
		r.moved(old, d.status, t)
		if r.measuring {
			kind := model.EdgeSuccess
			if more {
				kind = model.EdgeAdvance
			}
			r.count(op, kind, old, d.status)
		}
		if more {
			r.schedule(d, t, false)
			return
		}
		d.fl &^= fReserved
		r.settle(d, t)
	case evRemedy, evOperator:
		rm := &r.cfg.Remedies[d.status]
		if d.next == evOperator && r.measuring {
			r.res.TicketsClosed++
		}
		for _, op := range rm.Ops {
			arg := r.pickArg(d, op)
			if r.c.enabled(&d.dstate, r.envFor(d), op, arg) {
				if rm.Recreate {
					d.fl |= fRecreate
				}
				r.startOp(i, d, op, arg, t, false)
				return
			}
		}
		// No remedy the model enables: the disk stays where it is.
		d.next, d.tMain = evNone, inf
	case evTicket:
		r.openTicket(d, t)
	case evGone:
		if d.fl&fHolds != 0 {
			r.used -= int64(d.size)
		}
		if r.measuring {
			r.res.Deleted++
		}
		recreate := d.fl&fRecreate != 0
		var child uint64
		if recreate {
			r.use(slotChild)
			child = streamSeed(r.rng.Uint64(), tagChild)
		}
		d.fl = 0
		d.next, d.tMain, d.tBg = evNone, inf, inf
		r.free = append(r.free, i)
		if recreate {
			r.create(t, child)
		}
	}
}

func (r *rep) take(gib int64) {
	r.used += gib
	if r.used > r.peak {
		r.peak = r.used
	}
}

func (r *rep) refused(t float64) {
	if r.measuring {
		r.res.PoolRefused++
	}
	if r.exhaustedAt < 0 {
		r.exhaustedAt = t
	}
}

// openTicket hands the disk to the first agent free, in FIFO order; the
// service time comes from the disk's stream.
func (r *rep) openTicket(d *disk, t float64) {
	r.use(slotService)
	svc := r.svc.draw()
	start := r.agents.assign(t, svc)
	done := start + svc
	r.busyTime += overlap(start, done, r.warm, r.horizon)
	r.openDone.push(done)
	if r.measuring {
		r.res.TicketsOpened++
		r.waits = append(r.waits, start-t)
		r.resol += done - t
	}
	d.next, d.tMain = evOperator, done
}

// newDisk takes a disk slot (a deleted disk's, or a new one), gives it
// the stream seed and draws its attributes from the fleet mix with it. It
// leaves the new disk's stream the one drawn from.
func (r *rep) newDisk(seed uint64) uint32 {
	var i uint32
	if n := len(r.free); n > 0 {
		i = r.free[n-1]
		r.free = r.free[:n-1]
	} else {
		i = r.disks.add()
	}
	d := r.disks.at(i)
	d.rng = seed
	r.cur, r.base = &d.rng, seed
	var fl uint8
	r.use(slotShared)
	if r.rng.Float64() < r.cfg.Shared {
		fl |= dShared
	}
	r.use(slotSystem)
	if r.rng.Float64() < r.cfg.System {
		fl |= dSystem
	}
	r.use(slotSize)
	size := r.size.draw()
	max := float64(r.cfg.Spec.Limits.DataSize)
	if fl&dSystem != 0 {
		max = float64(r.cfg.Spec.Limits.SystemSize)
	}
	sz := uint32(math.Max(1, math.Min(max, math.Round(size))))
	*d = disk{
		dstate: dstate{status: model.NoDisk, op: model.NoOp, bg: model.NoOp, flags: fl, size: sz},
		tMain:  inf, tBg: inf, rng: d.rng,
	}
	return i
}

func (r *rep) mixOp() model.OpID {
	ops := r.p.mixOps
	if len(ops) == 1 {
		return ops[0]
	}
	r.use(slotMix)
	u := r.rng.Float64() * r.p.mixCum[len(ops)-1]
	for k, c := range r.p.mixCum {
		if u < c {
			return ops[k]
		}
	}
	return ops[len(ops)-1]
}

// create makes a new disk at t, its stream seeded with seed, with an
// operation of the growth mix; the pool must hold its size or the creation
// fails into the operation's failure target.
func (r *rep) create(t float64, seed uint64) uint32 {
	i := r.newDisk(seed)
	d := r.disks.at(i)
	defer func() { d.rng = seed + frameStep }()
	op := r.mixOp()
	arg := r.pickArg(d, op)
	r.res.Events++
	if !r.c.enabled(&d.dstate, r.envFor(d), op, arg) {
		if r.measuring {
			r.res.Rejected[op]++
		}
		d.status = model.Gone
		r.free = append(r.free, i)
		return i
	}
	refuse := false
	if float64(r.used+int64(d.size)) > r.capacity {
		refuse = true
		r.refused(t)
	} else {
		r.take(int64(d.size))
		d.fl |= fHolds
	}
	if r.measuring {
		r.res.Created++
	}
	r.startOp(i, d, op, arg, t, refuse)
	return i
}

// initial creates starting disk k at time 0 through the model's own
// transitions: a creation that succeeds and, for an In-use disk, an attach
// to its first server. None of it is counted.
func (r *rep) initial(k int) {
	seed := streamSeed(r.cfg.Seed, uint64(r.idx), tagStart, uint64(k))
	i := r.newDisk(seed)
	d := r.disks.at(i)
	defer func() { d.rng = seed + frameStep }()
	r.use(slotInUse)
	inUse := r.rng.Float64() < r.cfg.InUse
	if float64(r.used+int64(d.size)) <= r.capacity {
		r.take(int64(d.size))
		d.fl |= fHolds
	}
	run := func(op model.OpID, arg uint8) {
		e := r.envFor(d)
		if !r.c.enabled(&d.dstate, e, op, arg) {
			return
		}
		stepped := r.c.start(&d.dstate, e, op, arg)
		if r.trace != nil {
			r.emit(i, 0, model.Action{Kind: model.Start, Op: op, Arg: arg})
		}
		for stepped {
			stepped = r.c.succeed(&d.dstate, r.envFor(d))
			if r.trace != nil {
				r.emit(i, 0, model.Action{Kind: model.Succeed, Op: op, Arg: model.NoArg})
			}
		}
	}
	run(r.p.initOp, r.pickArg(d, r.p.initOp))
	if inUse && d.attached == 0 && r.p.attachOp != model.NoOp {
		run(r.p.attachOp, 0)
	}
	if int(d.status) < r.c.nStatus {
		r.delta[d.status]++
	}
	r.settle(d, 0)
}

// run simulates the replication up to the horizon or until ctx is done,
// calling tick after each window with the hours simulated in it.
//
// The run is cut into windows (a fiftieth of the horizon, at least a
// sample interval, and a boundary at the end of the warm-up). In each, a
// sweep advances every disk through its own events up to the window's end,
// stopping each at its first event that touches shared state (the pool,
// the operator team, the set of disks); those wait in the coupling queue,
// which then runs them in time order (ties by sequence number), each
// followed by its disk's own events up to the window's end. Disks do not
// read each other's state, so this order gives the same result as one
// global event queue, at the cost of a queue only the coupling events
// enter. A cancelled run stops at a window's end.
func (r *rep) run(ctx context.Context, tick func(hours float64)) *Result {
	cfg := r.cfg
	for k := 0; k < cfg.Disks; k++ {
		r.initial(k)
	}
	r.recordUpTo(0)
	if cfg.CreationsPerDay > 0 {
		r.pushGrowth(0)
	}
	res := r.res
	var T float64
	for bi, end := range windows(cfg) {
		if bi > 0 && ctx.Err() != nil {
			res.Partial = true
			break
		}
		if !r.measuring && T >= r.warm {
			r.startMeasuring(T)
		}
		if r.global {
			r.runGlobal(end)
		} else {
			r.sweep(end)
		}
		for r.h.len() > 0 && r.h.top().t < end {
			ev := r.h.pop()
			r.recordUpTo(ev.t)
			if ev.id == growthID {
				n := r.create(ev.t, r.growthSeed())
				r.pushGrowth(ev.t)
				r.advance(n, end)
				continue
			}
			d := r.disks.at(ev.id)
			r.mainEvent(ev.id, d, ev.t)
			r.advance(ev.id, end)
		}
		r.recordUpTo(end)
		if tick != nil {
			tick(end - T)
		}
		T = end
	}
	if !r.measuring && T >= r.warm && T > 0 {
		r.startMeasuring(T)
	}
	r.finish(T)
	return res
}

// windows returns the ends of the windows the run is cut into.
func windows(cfg *Config) []float64 {
	w := max(cfg.SampleInterval, cfg.Horizon/50)
	var out []float64
	for k := 1; ; k++ {
		t := float64(k) * w
		if t >= cfg.Horizon*(1-1e-12) {
			break
		}
		out = append(out, t)
	}
	out = append(out, cfg.Horizon)
	if cfg.Warmup > 0 {
		out = append(out, cfg.Warmup)
	}
	sort.Float64s(out)
	j := 0
	for _, t := range out {
		if j == 0 || out[j-1] != t {
			out[j] = t
			j++
		}
	}
	return out[:j]
}

// growthSeed returns the stream seed of the next disk the growth process
// creates.
func (r *rep) growthSeed() uint64 {
	r.born++
	return streamSeed(r.cfg.Seed, uint64(r.idx), tagGrowthDisk, r.born-1)
}

// pushGrowth queues the growth process's next creation, drawn from its
// own stream.
func (r *rep) pushGrowth(t float64) {
	prev := r.cur
	r.cur = &r.growth
	dt := distuv.Exponential{Rate: r.cfg.CreationsPerDay / 24, Src: r.src}.Rand()
	r.cur = prev
	r.h.push(event{t: t + dt, seq: uint32(r.seq), id: growthID})
	r.seq++
}

// sweep advances every disk to end or to its first event that touches
// shared state.
func (r *rep) sweep(end float64) {
	for c, ch := range r.disks.chunks {
		base := c * chunkLen
		n := min(chunkLen, r.disks.n-base)
		for j := range n {
			d := &ch[j]
			if d.tMain >= end && d.tBg >= end {
				continue
			}
			r.advance(uint32(base+j), end)
		}
	}
}

// counts returns the number of disks per status now: the sum of every
// status change recorded so far.
func (r *rep) counts() []int64 {
	n := r.c.nStatus
	out := make([]int64, n)
	for k := 0; k < len(r.delta); k += n {
		for s := range n {
			out[s] += r.delta[k+s]
		}
	}
	return out
}

// startMeasuring starts the statistics at T, the end of the warm-up: the
// occupancy integral starts from the disks present at T.
func (r *rep) startMeasuring(T float64) {
	r.measuring = true
	for s, c := range r.counts() {
		r.occ[s] -= float64(c) * T
	}
}

// recordUpTo records the pool and the open tickets at every sample time up
// to t not yet recorded. It is called before each event that changes them,
// which come in time order, so a sample at T holds the state after every
// event before T.
func (r *rep) recordUpTo(t float64) {
	for r.nextSample < len(r.sampleTimes) && r.sampleTimes[r.nextSample] <= t {
		T := r.sampleTimes[r.nextSample]
		for len(r.openDone) > 0 && r.openDone[0] <= T {
			r.openDone.pop()
		}
		r.res.Series.PoolUsed = append(r.res.Series.PoolUsed, r.used)
		r.res.Series.TicketsOpen = append(r.res.Series.TicketsOpen, int64(len(r.openDone)))
		r.nextSample++
	}
}

// finish closes the statistics at T, the time the run reached.
func (r *rep) finish(T float64) {
	res := r.res
	res.End = T
	res.Slots = int64(r.disks.n)
	if T < r.horizon {
		res.Partial = true
	}
	n := r.c.nStatus
	s := &res.Series
	cur := make([]int64, n)
	for k := range r.nextSample {
		row := make([]int64, n)
		var live int64
		for st := range n {
			cur[st] += r.delta[k*n+st]
			row[st] = cur[st]
			live += cur[st]
		}
		s.Time = append(s.Time, r.sampleTimes[k])
		s.Status = append(s.Status, row)
		s.Disks = append(s.Disks, live)
	}
	counts := r.counts()
	var live int64
	for _, c := range counts {
		live += c
	}
	res.Disks = live
	span := T - r.warm
	if !r.measuring || span <= 0 {
		res.Measured = 0
		return
	}
	res.Measured = span
	res.Occupancy = make([]float64, len(r.occ))
	for s := range r.occ {
		res.Occupancy[s] = (r.occ[s] + float64(counts[s])*T) / span
	}
	if r.agents.size > 0 {
		// Tickets added their time up to the horizon; a run stopped
		// earlier takes back what lies past T, of tickets still open.
		busy := r.busyTime
		if T < r.horizon {
			for _, b := range r.agents.busy {
				if b.done > T {
					busy -= overlap(b.start, b.done, r.warm, r.horizon) - overlap(b.start, b.done, r.warm, T)
				}
			}
		}
		res.Utilisation = busy / (float64(r.agents.size) * span)
	}
	res.Waits = r.waits
	if n := len(r.waits); n > 0 {
		res.ResolutionMean = r.resol / float64(n)
	}
	res.PoolUsed = r.used
	res.PoolPeak = r.peak
	res.PoolExhaustedAt = r.exhaustedAt
}

// runGlobal processes every event before end through one queue holding
// each disk's next event, in time order: the textbook design. The queue is
// the coupling heap itself; a disk's entry is replaced after each of its
// events. Disks enter the queue when they are created (the first window
// pushes them all).
func (r *rep) runGlobal(end float64) {
	if !r.globalInit {
		r.globalInit = true
		for i := range r.disks.n {
			r.pushNext(uint32(i))
		}
	}
	for r.h.len() > 0 && r.h.top().t < end {
		ev := r.h.pop()
		r.recordUpTo(ev.t)
		if ev.id == growthID {
			n := r.create(ev.t, r.growthSeed())
			r.pushGrowth(ev.t)
			r.pushNext(n)
			continue
		}
		d := r.disks.at(ev.id)
		if d.tBg < d.tMain {
			r.bgEvent(ev.id, d)
		} else {
			r.mainEvent(ev.id, d, ev.t)
		}
		r.pushNext(ev.id)
	}
}

func (r *rep) pushNext(i uint32) {
	d := r.disks.at(i)
	if t := min(d.tMain, d.tBg); t < inf {
		r.h.push(event{t: t, seq: uint32(r.seq), id: i})
		r.seq++
	}
}
