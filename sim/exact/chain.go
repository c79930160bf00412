package exact

import (
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/evsim/evsim/model"
	"github.com/evsim/evsim/sim"
)

// MaxStates is the largest chain Build solves: the solvers are dense and
// the window integral exponentiates a matrix three times the chain's size.
const MaxStates = 400

// NotMarkovianError says why a scenario has no exact answer: each reason
// names the feature of the scenario at fault.
type NotMarkovianError struct {
	Reasons []string
}

func (e *NotMarkovianError) Error() string {
	return "exact: no exact answer: " + strings.Join(e.Reasons, "; ")
}

// The bits of a disk's kind.
const (
	kindSystem uint8 = 1
	kindShared uint8 = 2
)

// key is a chain state: the disk's kind (kindSystem, kindShared), its model
// state (size and power left out), whether it is to be recreated once
// deleted, and whether its remedy found nothing to do.
type key struct {
	kind  uint8
	disk  model.Disk
	rec   bool
	stuck bool
}

// Fleet is the CTMC of a scenario's disks with the fleet's starting
// disks and births. Its zero value is not usable; see [Build].
type Fleet struct {
	cfg    *sim.Config
	keys   []key
	status []model.StatusID // per state
	q      *mat.Dense       // sub-generator over live disks: rows lose what leaves the fleet
	init   []float64        // expected disks per state at time 0
	birth  []float64        // disks per hour entering each state by growth
	newP   []float64        // distribution of a new disk; nil if the fleet creates none
	expm   map[float64]*mat.Dense

	waitChance, waitLoad float64 // see WaitBound
}

type weighted struct {
	k key
	p float64
}

type builder struct {
	cfg   *sim.Config
	spec  *model.Spec
	sys   [4]*model.System
	base  [4]model.State
	size  [4]uint32
	kinds []weighted // kind and its probability (key.disk unused)
	stepQ []float64
	index map[key]int
	keys  []key
	born  []weighted // a new disk's first states; the missing mass is a rejected creation
	edges map[[2]int]float64
	gone  map[int]float64
	err   error
}

// inPlay marks the operations the fleet may run: those with a rate, in
// the creation mix or in a remedy (the rule of sim.Config.Validate).
func inPlay(cfg *sim.Config) []bool {
	used := make([]bool, len(cfg.Spec.Ops))
	for i, r := range cfg.Rates {
		used[i] = r > 0
	}
	for _, m := range cfg.CreationMix {
		used[m.Op] = used[m.Op] || m.Weight > 0
	}
	for _, r := range cfg.Remedies {
		if r.By == sim.NoRemedy {
			continue
		}
		for _, op := range r.Ops {
			used[op] = true
		}
	}
	return used
}

// stepDist is the distribution of step k of op, as the simulator picks it.
func stepDist(cfg *sim.Config, op model.OpID, k int) sim.Dist {
	if d := cfg.OpDuration[op]; d.Kind != sim.None {
		return d
	}
	return cfg.Durations[cfg.Spec.Ops[op].Steps[k].Status]
}

func sizeLimit(spec *model.Spec, system bool) int {
	if system {
		return spec.Limits.SystemSize
	}
	return spec.Limits.DataSize
}

// Reasons lists why cfg has no exact answer, in a stable order; it is
// empty when Build can solve the scenario, up to what only Build finds
// out: the chain's size and, when the operator team may be short, the
// chance that a ticket waits (see [Fleet.WaitBound]).
func Reasons(cfg *sim.Config) []string {
	spec := cfg.Spec
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	used := inPlay(cfg)
	for oi, o := range spec.Ops {
		if !used[oi] {
			continue
		}
		if o.Background {
			if d := cfg.OpDuration[oi]; d.Kind != sim.Exponential {
				add(fmt.Sprintf("duration of %s is %s", o.Name, d.Kind))
			}
			continue
		}
		for k, st := range o.Steps {
			d := stepDist(cfg, model.OpID(oi), k)
			if d.Kind == sim.Exponential {
				continue
			}
			name := spec.StatusName(st.Status)
			if cfg.OpDuration[oi].Kind != sim.None {
				name = o.Name
			}
			add(fmt.Sprintf("duration of %s is %s", name, d.Kind))
		}
	}
	tickets := false
	for s, rm := range cfg.Remedies {
		for _, op := range rm.Ops {
			if rm.By != sim.NoRemedy && cfg.ServersStopped > 0 && usesPower(&spec.Ops[op]) {
				add(fmt.Sprintf("the remedy %s in %s looks at the servers' power, which the simulator keeps from the disk's last request: the chain leaves it out", spec.Ops[op].Name, spec.StatusName(model.StatusID(s))))
			}
		}
		switch rm.By {
		case sim.ByCustomer:
			if rm.After.Kind != sim.Exponential {
				add(fmt.Sprintf("customer reaction time in %s is %s", spec.StatusName(model.StatusID(s)), rm.After.Kind))
			}
		case sim.ByOperator:
			tickets = true
		}
	}
	if tickets {
		if cfg.Service.Kind != sim.Exponential {
			add(fmt.Sprintf("service time of the operator team is %s", cfg.Service.Kind))
		}
	}
	if !math.IsInf(cfg.PoolGiB, 1) {
		add("the pool is finite (pool.capacity_gib): whether a creation or an expansion gets room depends on the other disks")
	}
	used0 := inPlay(cfg)
	for oi, o := range spec.Ops {
		if used0[oi] && o.Arg == model.ArgServer && !o.HasEffect(model.EffAttach) && !o.HasEffect(model.EffDetach) {
			add(fmt.Sprintf("%s takes any server, attached or not: the chain keeps only how many servers a disk is attached to", o.Name))
		}
	}
	var growRate, snapRate, backRate float64
	for oi, o := range spec.Ops {
		if !used[oi] {
			continue
		}
		if o.HasEffect(model.EffRemoveSnapshot) {
			add(fmt.Sprintf("%s removes snapshots, so each disk's count of them (up to 255) matters: too many states for the exact solver", o.Name))
		}
		if o.HasEffect(model.EffAddSnapshot) {
			snapRate += cfg.Rates[oi] / 24
		}
		if o.HasEffect(model.EffAddBackup) {
			backRate += cfg.Rates[oi] / 24
		}
		if o.HasEffect(model.EffShrink) {
			add(fmt.Sprintf("%s shrinks disks: the chain leaves sizes out", o.Name))
		}
		if o.HasEffect(model.EffGrow) {
			if cfg.Size.Kind != sim.Fixed {
				add(fmt.Sprintf("disk sizes are %s (fleet.size_gib) and %s grows disks: whether a disk may grow depends on its size, which the chain leaves out", cfg.Size.Kind, o.Name))
			}
			growRate += cfg.Rates[oi] / 24
		}
	}
	// Snapshots and backups only ever grow here: the chain keeps "none"
	// or "some", which is all a condition looks at, as long as no disk
	// reaches the bound of 255 at which the model stops adding them.
	for _, c := range []struct {
		what string
		rate float64
	}{{"snapshots", snapRate}, {"backups", backRate}} {
		if c.rate == 0 {
			continue
		}
		if tail := 1 - (distuv.Poisson{Lambda: c.rate * cfg.Horizon}).CDF(254); tail > 1e-12 {
			add(fmt.Sprintf("a disk may reach 255 %s within the horizon (probability %.2g): the chain keeps only whether it has any", c.what, tail))
		}
	}
	if growRate > 0 && cfg.Size.Kind == sim.Fixed {
		// Each expansion needs a request, so a disk expands at most as many
		// times as a Poisson process of the grow rate fires in the horizon.
		mu := growRate * cfg.Horizon
		for _, system := range []bool{false, true} {
			if (system && cfg.System == 0) || (!system && cfg.System == 1) {
				continue
			}
			limit := sizeLimit(spec, system)
			size := clampSize(cfg.Size.A, limit)
			room := (limit - size) / max(spec.Limits.SizeStep, 1)
			tail := 1.0
			if room > 0 {
				tail = 1 - distuv.Poisson{Lambda: mu}.CDF(float64(room-1))
			}
			if tail > 1e-12 {
				kind := "data"
				if system {
					kind = "system"
				}
				add(fmt.Sprintf("a %s disk of %d GiB may reach its size limit of %d GiB within the horizon (probability %.2g): the chain leaves sizes out", kind, size, limit, tail))
			}
		}
	}
	if len(out) > 0 && mayWait(cfg) {
		// Build bounds the chance of a wait on the chain, which needs
		// the rest of the scenario Markovian.
		switch {
		case cfg.CreationsPerDay > 0:
			add(fmt.Sprintf("tickets may wait for the %s of operator.agents: the fleet grows (growth.creations_per_day), so more disks than agents may need one at once", plural(cfg.Agents, "agent")))
		default:
			add(fmt.Sprintf("tickets may wait: %s (operator.agents) for %d disks (fleet.disks)", plural(cfg.Agents, "agent"), cfg.Disks))
		}
	}
	return out
}

func clampSize(v float64, limit int) int {
	return int(math.Max(1, math.Min(float64(limit), math.Round(v))))
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// Build returns the chain of cfg's disks, or a [*NotMarkovianError] with
// every reason the scenario has none.
func Build(cfg *sim.Config) (*Fleet, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("exact: %w", err)
	}
	if rs := Reasons(cfg); len(rs) > 0 {
		return nil, &NotMarkovianError{Reasons: rs}
	}
	b := &builder{cfg: cfg, spec: cfg.Spec, index: map[key]int{}, edges: map[[2]int]float64{}, gone: map[int]float64{}}
	// The simulator gives every disk as many servers as a shared disk may
	// attach to; a data disk attaches to one at most, so one server is as
	// good for it (servers are interchangeable: they are all on or all off).
	shared := max(cfg.Spec.Limits.Attachments, cfg.Spec.Limits.SharedAttachments)
	shared = min(shared, model.MaxServers)
	for kind := range uint8(4) {
		limit := sizeLimit(cfg.Spec, kind&kindSystem != 0)
		size := 100
		if cfg.Size.Kind == sim.Fixed {
			size = clampSize(cfg.Size.A, limit)
		}
		servers := min(max(cfg.Spec.Limits.Attachments, 1), shared)
		if kind&kindShared != 0 {
			servers = shared
		}
		sys, err := model.NewSystem(cfg.Spec, model.Config{
			Disks:    []model.DiskConfig{{System: kind&kindSystem != 0, Shared: kind&kindShared != 0, Size: size}},
			Servers:  servers,
			Operator: true,
		})
		if err != nil {
			return nil, fmt.Errorf("exact: %w", err)
		}
		b.sys[kind], b.base[kind], b.size[kind] = sys, sys.Init()[0], uint32(size)
	}
	for kind := range uint8(4) {
		p := 1 - cfg.System
		if kind&kindSystem != 0 {
			p = cfg.System
		}
		if kind&kindShared != 0 {
			p *= cfg.Shared
		} else {
			p *= 1 - cfg.Shared
		}
		if p > 0 {
			b.kinds = append(b.kinds, weighted{key{kind: kind}, p})
		}
	}
	b.stepQ = make([]float64, len(cfg.Spec.Ops))
	for i, o := range cfg.Spec.Ops {
		if n := len(o.Steps); n > 0 {
			b.stepQ[i] = 1 - math.Pow(1-cfg.Failure[i], 1/float64(n))
		} else {
			b.stepQ[i] = cfg.Failure[i]
		}
	}
	init := b.initial()
	b.born = b.births()
	for i := 0; i < len(b.keys); i++ {
		if len(b.keys) > MaxStates {
			return nil, &NotMarkovianError{Reasons: []string{fmt.Sprintf("the chain has more than %d states: too many for the exact solver", MaxStates)}}
		}
		b.explore(i)
		if b.err != nil {
			return nil, b.err
		}
	}
	n := len(b.keys)
	f := &Fleet{cfg: cfg, keys: b.keys, q: mat.NewDense(max(n, 1), max(n, 1), nil), expm: map[float64]*mat.Dense{}}
	f.status = make([]model.StatusID, n)
	for i, k := range b.keys {
		f.status[i] = k.disk.Status
	}
	out := make([]float64, n)
	for e, r := range b.edges {
		f.q.Set(e[0], e[1], f.q.At(e[0], e[1])+r)
		out[e[0]] += r
	}
	for i, r := range b.gone {
		out[i] += r
	}
	for i := range n {
		f.q.Set(i, i, -out[i])
	}
	f.init = make([]float64, n)
	for _, w := range init {
		f.init[b.index[w.k]] += w.p * float64(cfg.Disks)
	}
	lam := cfg.CreationsPerDay / 24
	f.birth = make([]float64, n)
	creates := cfg.CreationsPerDay > 0
	for _, rm := range cfg.Remedies {
		creates = creates || rm.Recreate
	}
	if len(b.born) > 0 && creates {
		f.newP = make([]float64, n)
		for _, w := range b.born {
			j := b.index[w.k]
			f.newP[j] += w.p
			f.birth[j] += lam * w.p
		}
	}
	f.boundWaits()
	if f.waitChance > MaxWaitChance {
		return nil, &NotMarkovianError{Reasons: []string{waitReason(cfg, f.waitChance, f.waitLoad)}}
	}
	return f, nil
}

func (b *builder) state(k key) model.State {
	st := b.base[k.kind]
	st.Disks[0] = k.disk
	return st
}

func (b *builder) id(k key) int {
	if i, ok := b.index[k]; ok {
		return i
	}
	i := len(b.keys)
	b.index[k] = i
	b.keys = append(b.keys, k)
	return i
}

// canon turns a successor into its chain state: sizes and power are left
// out, and snapshot and backup counts kept as none or some (see the
// package comment).
func (b *builder) canon(kind uint8, st *model.State, rec bool) key {
	d := st.Disks[0]
	d.Size = b.size[kind]
	d.Snapshots = min(d.Snapshots, 1)
	d.Backups = min(d.Backups, 1)
	return key{kind: kind, disk: d, rec: rec}
}

// run starts op with arg and completes every step successfully: how the
// simulator makes its starting disks.
func (b *builder) run(kind uint8, st *model.State, op model.OpID, arg uint8) {
	sys := b.sys[kind]
	a := model.Action{Kind: model.Start, Op: op, Arg: arg}
	if !sys.Enabled(st, a) {
		return
	}
	sys.Apply(st, a)
	for st.Disks[0].Op != model.NoOp {
		sys.Apply(st, model.Action{Kind: model.Succeed, Op: st.Disks[0].Op, Arg: model.NoArg})
	}
}

// initial returns the distribution of a starting disk (sim's initial).
func (b *builder) initial() []weighted {
	cfg := b.cfg
	initOp, attachOp := model.NoOp, model.NoOp
	var first model.OpID = model.NoOp
	for _, m := range cfg.CreationMix {
		if m.Weight <= 0 {
			continue
		}
		if first == model.NoOp {
			first = m.Op
		}
		if initOp == model.NoOp && !cfg.Spec.Ops[m.Op].HasEffect(model.EffAttach) {
			initOp = m.Op
		}
	}
	if initOp == model.NoOp {
		initOp = first
	}
	for i, o := range cfg.Spec.Ops {
		if !o.Creates && o.Actor == model.Customer && o.Arg == model.ArgServer && o.HasEffect(model.EffAttach) {
			attachOp = model.OpID(i)
			break
		}
	}
	var out []weighted
	if cfg.Disks == 0 || initOp == model.NoOp {
		return nil
	}
	for _, kw := range b.kinds {
		for _, inUse := range []bool{false, true} {
			p := kw.p * cfg.InUse
			if !inUse {
				p = kw.p * (1 - cfg.InUse)
			}
			if p == 0 {
				continue
			}
			st := b.base[kw.k.kind]
			b.run(kw.k.kind, &st, initOp, b.pickArg(&st, initOp))
			if inUse && st.Disks[0].Attached == 0 && attachOp != model.NoOp {
				b.run(kw.k.kind, &st, attachOp, 0)
			}
			if s := st.Disks[0].Status; s == model.NoDisk || s == model.Gone {
				continue
			}
			k := b.canon(kw.k.kind, &st, false)
			b.id(k)
			out = append(out, weighted{k, p})
		}
	}
	return out
}

// births returns the distribution of a new disk right after the start of
// its creating operation (sim's create): a kind, an operation of the mix,
// and nothing if the model does not enable it.
func (b *builder) births() []weighted {
	cfg := b.cfg
	var total float64
	for _, m := range cfg.CreationMix {
		if m.Weight > 0 {
			total += m.Weight
		}
	}
	if total == 0 {
		return nil
	}
	var out []weighted
	for _, kw := range b.kinds {
		for _, m := range cfg.CreationMix {
			if m.Weight <= 0 {
				continue
			}
			st := b.base[kw.k.kind]
			a := model.Action{Kind: model.Start, Op: m.Op, Arg: b.pickArg(&st, m.Op)}
			if !b.sys[kw.k.kind].Enabled(&st, a) {
				continue
			}
			b.sys[kw.k.kind].Apply(&st, a)
			k := b.canon(kw.k.kind, &st, false)
			b.id(k)
			out = append(out, weighted{k, kw.p * m.Weight / total})
		}
	}
	return out
}

// pickArg draws the argument the simulator would: a server the disk is
// not attached to for an attaching operation, one it is attached to for a
// detaching one (server 0 when there is none), the disk's own snapshot.
// Servers are interchangeable (all on or all off), so any of them gives
// the same chain; the chain keeps a disk's servers as the lowest ones
// (attached to k servers: servers 0 to k-1) and picks server k to attach
// and k-1 to detach, which keeps it so. Reasons rules out operations that
// take any server, attached or not.
func (b *builder) pickArg(st *model.State, op model.OpID) uint8 {
	o := &b.spec.Ops[op]
	switch o.Arg {
	case model.ArgNone:
		return model.NoArg
	case model.ArgSnapshot:
		return 0
	}
	k := uint8(bits.OnesCount32(st.Disks[0].Attached))
	switch {
	case o.HasEffect(model.EffAttach) && k < st.NServers:
		return k
	case o.HasEffect(model.EffDetach) && k > 0:
		return k - 1
	}
	return 0
}

func usesPower(o *model.Operation) bool {
	for _, f := range o.From {
		for _, w := range f.When {
			switch w {
			case model.CondTargetOn, model.CondTargetOff, model.CondServersOff:
				return true
			}
		}
	}
	return false
}

func startsFrom(o *model.Operation, s model.StatusID) bool {
	for _, f := range o.From {
		if f.Status == s {
			return true
		}
	}
	return false
}

// to records a transition of state i at rate r into successor st.
func (b *builder) to(i int, kind uint8, st *model.State, rec bool, r float64) {
	if r == 0 {
		return
	}
	if !(r > 0) || math.IsInf(r, 0) {
		b.err = fmt.Errorf("exact: rate %v out of %s is not a positive finite number", r, b.sys[kind].FormatDisk(st, 0))
		return
	}
	if st.Disks[0].Status == model.Gone {
		if !rec {
			b.gone[i] += r
			return
		}
		var kept float64
		for _, w := range b.born {
			b.edge(i, b.id(w.k), r*w.p)
			kept += w.p
		}
		b.gone[i] += r * (1 - kept)
		return
	}
	if d := &st.Disks[0]; d.Op == model.NoOp && int(d.Status) < len(b.cfg.Remedies) && b.cfg.Remedies[d.Status].By == sim.NoRemedy {
		// The customer's ordinary requests resume: the recreate intent
		// of an earlier remedy is over (sim's settle).
		rec = false
	}
	b.edge(i, b.id(b.canon(kind, st, rec)), r)
}

func (b *builder) edge(i, j int, r float64) {
	if i != j && r > 0 {
		b.edges[[2]int{i, j}] += r
	}
}

// explore adds the transitions out of state i.
func (b *builder) explore(i int) {
	cfg, spec := b.cfg, b.spec
	x := b.keys[i]
	sys := b.sys[x.kind]
	st := b.state(x)
	d := st.Disks[0]
	if d.Op != model.NoOp {
		rate := 1 / stepDist(cfg, d.Op, int(d.Step)).A
		q := b.stepQ[d.Op]
		y := st
		sys.Apply(&y, model.Action{Kind: model.Succeed, Op: d.Op, Arg: model.NoArg})
		b.to(i, x.kind, &y, x.rec, rate*(1-q))
		y = st
		sys.Apply(&y, model.Action{Kind: model.Fail, Op: d.Op, Arg: model.NoArg})
		b.to(i, x.kind, &y, x.rec, rate*q)
	}
	if d.Bg != model.NoOp {
		rate := 1 / cfg.OpDuration[d.Bg].A
		q := b.stepQ[d.Bg]
		y := st
		sys.Apply(&y, model.Action{Kind: model.BgSucceed, Op: d.Bg, Arg: model.NoArg})
		b.toKeep(i, x, &y, rate*(1-q))
		y = st
		sys.Apply(&y, model.Action{Kind: model.BgFail, Op: d.Bg, Arg: model.NoArg})
		b.toKeep(i, x, &y, rate*q)
	}
	if d.Op != model.NoOp || int(d.Status) >= len(spec.Statuses) {
		return
	}
	rm := &cfg.Remedies[d.Status]
	switch rm.By {
	case sim.ByCustomer, sim.ByOperator:
		if x.stuck {
			return
		}
		mean := rm.After.A
		if rm.By == sim.ByOperator {
			mean = cfg.Service.A
		}
		for _, op := range rm.Ops {
			a := model.Action{Kind: model.Start, Op: op, Arg: b.pickArg(&st, op)}
			if y, ok := sys.Next(st, a); ok {
				b.to(i, x.kind, &y, x.rec || rm.Recreate, 1/mean)
				return
			}
		}
		// No remedy the model enables: the disk stays for good.
		s := x
		s.stuck = true
		b.edge(i, b.id(s), 1/mean)
		return
	}
	for oi := range spec.Ops {
		o := &spec.Ops[oi]
		r := cfg.Rates[oi] / 24
		if r <= 0 || o.Actor != model.Customer || o.Creates || !startsFrom(o, d.Status) {
			continue
		}
		a := model.Action{Kind: model.Start, Op: model.OpID(oi), Arg: b.pickArg(&st, model.OpID(oi))}
		if !usesPower(o) {
			if y, ok := sys.Next(st, a); ok {
				b.to(i, x.kind, &y, x.rec, r)
			}
			continue
		}
		off := st
		off.PowerOn = 0
		for _, c := range []struct {
			st model.State
			p  float64
		}{{st, 1 - cfg.ServersStopped}, {off, cfg.ServersStopped}} {
			if c.p == 0 {
				continue
			}
			if y, ok := sys.Next(c.st, a); ok {
				y.PowerOn = st.PowerOn
				b.to(i, x.kind, &y, x.rec, r*c.p)
			}
		}
	}
}

// toKeep records a background completion, which leaves the main part of
// the disk (and whether its remedy is stuck) as it was.
func (b *builder) toKeep(i int, x key, st *model.State, r float64) {
	if r == 0 {
		return
	}
	k := b.canon(x.kind, st, x.rec)
	k.stuck = x.stuck
	b.edge(i, b.id(k), r)
}

// States returns the number of states of the chain.
func (f *Fleet) States() int { return len(f.keys) }
