package check

import (
	"fmt"
	"math/bits"
	"sort"
	"sync"

	"github.com/evsim/evsim/model"
)

// LabelOperator marks an edge whose action the operator (customer service)
// takes; the customer takes every other action, power switching included.
const LabelOperator uint8 = 1

// SystemModel is the [Model] of a bounded [model.System]: states packed into
// one uint64 with each field given the bits its range needs, optionally
// reduced by symmetry, and the system's properties.
//
// # Symmetry
//
// Disks with the same attributes (shared, system, size at creation) are
// interchangeable, and so are servers. With symmetry on, a state is stored
// as the smallest key among its images: for each permutation of the disks
// within their classes, the servers are sorted by a signature (power, and
// for each disk whether it is attached to the server and whether its
// running operation targets it), which relabels them canonically. The
// properties of the system are themselves symmetric, so their verdicts do
// not change; the explorer visits one state per orbit.
type SystemModel struct {
	sys      *model.System
	l        layout
	symmetry bool
	perms    [][]int // permutations of the disks within their classes; perms[0] is the identity

	props   []Property
	mprops  []model.Property // the model property behind each of props, zero for no-deadlock
	inv     []int            // indices into props
	steps   []int
	poss    []int
	deadlck int

	mu      sync.Mutex
	workers []*sysWorker

	// direct turns the successor cache off (see [sysWorker.Visit]).
	direct bool
	// fast canonicalises keys directly when only servers are symmetric.
	fast *fastSym
	// rank, if set before the search, holds the disks' distances to the
	// graph rules' targets: see rank.go.
	rank *rankTables
}

// NewSystemModel returns the model of sys. It fails when a state of sys does
// not fit into 64 bits.
func NewSystemModel(sys *model.System, symmetry bool) (*SystemModel, error) {
	m := &SystemModel{sys: sys, symmetry: symmetry}
	if err := m.l.init(sys); err != nil {
		return nil, err
	}
	m.perms = [][]int{identity(len(sys.Config.Disks))}
	if symmetry {
		m.perms = diskPerms(sys.Config.Disks)
		if len(m.perms) == 1 && sys.Config.Servers >= 2 && sys.Config.Servers <= fastServers {
			m.fast = newFastSym(&m.l)
		}
		// With one server and no interchangeable disks, every class has
		// one state: the keys are canonical as they are.
		if len(m.perms) == 1 && sys.Config.Servers < 2 {
			m.symmetry = false
		}
	}
	for _, p := range sys.Properties() {
		var k Kind
		switch p.Kind {
		case model.Invariant:
			k = Always
			m.inv = append(m.inv, len(m.props))
		case model.StepRule:
			k = Step
			m.steps = append(m.steps, len(m.props))
		case model.Possible:
			k = Sometimes
			m.poss = append(m.poss, len(m.props))
		case model.GraphRule:
			if p.Name != model.PropNoDeadlock {
				continue
			}
			k = Always
			m.deadlck = len(m.props)
		}
		m.props = append(m.props, Property{Name: p.Name, Kind: k})
		m.mprops = append(m.mprops, p)
	}
	return m, nil
}

// System returns the bounded system the model explores.
func (m *SystemModel) System() *model.System { return m.sys }

// Bits returns the number of bits a packed state takes.
func (m *SystemModel) Bits() int { return m.l.total }

// Init implements [Model].
func (m *SystemModel) Init(dst []uint64) []uint64 {
	for _, st := range m.sys.Init() {
		dst = append(dst, m.canon(&st))
	}
	return dst
}

// Properties implements [Model]: the invariants, step rules and possible
// properties of the system, and no-deadlock, which is evaluated per state.
func (m *SystemModel) Properties() []Property { return m.props }

// NewWorker implements [Model].
func (m *SystemModel) NewWorker() Worker {
	w := &sysWorker{m: m, l: &m.l}
	w.memo.init(&m.l)
	w.statusStates = make([]uint64, len(m.sys.Spec.Statuses)+1)
	n := len(m.sys.Spec.Ops)
	// One array, so that the successor loop counts an action with one
	// increment at a place computed once per cached list: see counter.
	w.counts = make([]uint64, 3*n+1)
	w.started, w.succeeded, w.failed = w.counts[:n:n], w.counts[n:2*n:2*n], w.counts[2*n:3*n:3*n]
	m.mu.Lock()
	m.workers = append(m.workers, w)
	m.mu.Unlock()
	return w
}

// Key packs a concrete state into its stored (canonical) key.
func (m *SystemModel) Key(st *model.State) uint64 { return m.canon(st) }

// State unpacks a stored key.
func (m *SystemModel) State(k uint64) model.State {
	var st model.State
	m.l.unpack(k, &st)
	return st
}

type sysWorker struct {
	m         *SystemModel
	st, next  model.State
	acts      []model.Action
	witnessed uint64
	// statistics of first visits
	statusStates               []uint64 // last entry: deleted
	started, succeeded, failed []uint64
	counts                     []uint64 // the three above, then one place for the others
	powerOff, powerOn          uint64
	orbits                     uint64
	orbitsOverflow             bool

	memo      memoTable // span in arena: start<<16 | count
	arena     []memoSucc
	hot       []memoHot // beside arena
	arenaKept int       // the arena's length covered by memo
	// rank information beside arena, and the states noted as stuck
	// (see rankVisit).
	rinfo     []rankInfo
	stuck     []rankStuck
	stuckLost uint8 // targets of stuck states not noted, beyond maxStuck
	l         *layout
}

// visitDirect is Visit without the successor cache: every action is
// computed and every step rule evaluated on the full state.
func (w *sysWorker) visitDirect(key uint64, v *Visit) {
	m := w.m
	sys := m.sys
	st := &w.st
	m.l.unpack(key, st)
	w.acts = sys.Actions(st, w.acts[:0])
	for _, pi := range m.inv {
		if m.mprops[pi].State(sys, st) != "" {
			v.Bad |= 1 << pi
		}
	}
	var touched uint32
	for _, a := range w.acts {
		if a.Disk != model.NoArg {
			touched |= 1 << a.Disk
		}
	}
	for d := 0; d < int(st.NDisks); d++ {
		if st.Disks[d].Exists() && touched&(1<<d) == 0 {
			v.Bad |= 1 << m.deadlck
		}
	}
	ops := sys.Spec.Ops
	for ai, a := range w.acts {
		w.next = *st
		sys.Apply(&w.next, a)
		var bad uint64
		for _, pi := range m.steps {
			if m.mprops[pi].Step(sys, st, a, &w.next) != "" {
				bad |= 1 << pi
			}
		}
		if bad != 0 {
			v.Steps = append(v.Steps, StepFail{Action: ai, Props: bad})
		}
		for _, pi := range m.poss {
			if w.witnessed&(1<<pi) == 0 && m.mprops[pi].Witness(sys, st, a, &w.next) {
				w.witnessed |= 1 << pi
				v.Witness |= 1 << pi
			}
		}
		v.Succ = append(v.Succ, m.canon(&w.next))
		var lab uint8
		if a.Kind == model.Start && ops[a.Op].Actor == model.Operator {
			lab = LabelOperator
		}
		v.Labels = append(v.Labels, lab)
	}
	if v.First {
		w.count(st)
	}
}

func (w *sysWorker) count(st *model.State) {
	for _, a := range w.acts {
		if a.Kind == model.PowerOff {
			w.powerOff++
		} else if a.Kind == model.PowerOn {
			w.powerOn++
		} else {
			w.countAction(a)
		}
	}
	w.countState(st)
}

// counter is the place in counts where action a is counted.
func (w *sysWorker) counter(a model.Action) uint32 {
	n := uint32(len(w.started))
	switch a.Kind {
	case model.Start:
		return uint32(a.Op)
	case model.Succeed, model.BgSucceed:
		return n + uint32(a.Op)
	case model.Fail, model.BgFail:
		return 2*n + uint32(a.Op)
	}
	return 3 * n
}

func (w *sysWorker) countAction(a model.Action) {
	switch a.Kind {
	case model.Start:
		w.started[a.Op]++
	case model.Succeed, model.BgSucceed:
		w.succeeded[a.Op]++
	case model.Fail, model.BgFail:
		w.failed[a.Op]++
	}
}

// countState counts the statuses of st and its orbit.
func (w *sysWorker) countState(st *model.State) {
	w.countStatuses(st)
	o, ok := w.m.orbit(st)
	w.addOrbit(o, ok)
}

// countStatuses counts the statuses of st.
func (w *sysWorker) countStatuses(st *model.State) {
	var seen uint64
	for d := 0; d < int(st.NDisks); d++ {
		s := st.Disks[d].Status
		i := int(s)
		if s == model.Gone {
			i = len(w.statusStates) - 1
		} else if s == model.NoDisk {
			continue
		}
		if seen&(1<<i) == 0 {
			seen |= 1 << i
			w.statusStates[i]++
		}
	}
}

// addOrbit adds the size of an orbit, noting an overflow.
func (w *sysWorker) addOrbit(o uint64, ok bool) {
	var carry uint64
	w.orbits, carry = bits.Add64(w.orbits, o, 0)
	if !ok || carry != 0 {
		w.orbitsOverflow = true
	}
}

// layout places the fields of a state in a uint64: the power switches in
// the lowest bits, then each disk's fields. A disk's status, running
// operation, step, origin and argument go together into one "work" code:
// at rest (no operation) the status alone; during an operation, the
// operation, its step (which fixes the status), one of the statuses it may
// start from and one of its arguments. The codes are numbered from the
// spec, so that only the combinations that can occur take a value.
type layout struct {
	nd, ns, nStatus, nOps    int
	wWork, wBg, wSnap, wBack int
	bgCode                   [256]uint8
	bgOps                    []model.OpID
	minSize                  [model.MaxDisks]uint32
	wSize                    [model.MaxDisks]int
	base                     [model.MaxDisks]uint
	mask                     [model.MaxDisks]uint64
	total                    int
	tmpl                     model.State
	argKind                  []model.ArgKind

	// work codes: opBase[op] + (step*len(origins)+origin index)*nargs + arg
	work     []work
	opBase   []int
	nArgs    []int
	nOrigins []int
	nSteps   []int
	origin   [][256]int16 // per operation: index of an origin status, -1 if none
}

// work is what a work code stands for.
type work struct {
	status, origin model.StatusID
	op             model.OpID
	step, arg      uint8
}

func width(values uint64) int {
	if values <= 1 {
		return 0
	}
	return bits.Len64(values - 1)
}

func (l *layout) init(sys *model.System) error {
	cfg := sys.Config
	spec := sys.Spec
	l.nd, l.ns = len(cfg.Disks), cfg.Servers
	l.nStatus, l.nOps = len(spec.Statuses), len(spec.Ops)
	for i := 0; i < l.nStatus+2; i++ {
		l.work = append(l.work, work{status: l.statusOf(uint64(i)), op: model.NoOp})
	}
	l.opBase = make([]int, l.nOps)
	l.nArgs = make([]int, l.nOps)
	l.nOrigins = make([]int, l.nOps)
	l.origin = make([][256]int16, l.nOps)
	for i := range spec.Ops {
		op := &spec.Ops[i]
		l.argKind = append(l.argKind, op.Arg)
		if op.Background {
			l.bgOps = append(l.bgOps, model.OpID(i))
			l.bgCode[i] = uint8(len(l.bgOps))
		}
		for j := range l.origin[i] {
			l.origin[i][j] = -1
		}
		var origins []model.StatusID
		if op.Creates {
			origins = append(origins, model.NoDisk)
		} else {
			for _, f := range op.From {
				if l.origin[i][f.Status] < 0 {
					l.origin[i][f.Status] = int16(len(origins))
					origins = append(origins, f.Status)
				}
			}
		}
		if op.Creates {
			l.origin[i][model.NoDisk] = 0
		}
		args := []uint8{model.NoArg}
		switch op.Arg {
		case model.ArgServer:
			args = nil
			for a := 0; a < l.ns; a++ {
				args = append(args, uint8(a))
			}
		case model.ArgSnapshot:
			args = nil
			for a := 0; a < l.nd; a++ {
				args = append(args, uint8(a))
			}
		}
		l.opBase[i], l.nArgs[i], l.nOrigins[i] = len(l.work), len(args), len(origins)
		l.nSteps = append(l.nSteps, len(op.Steps))
		for step, st := range op.Steps {
			for _, o := range origins {
				for _, a := range args {
					l.work = append(l.work, work{status: st.Status, origin: o, op: model.OpID(i), step: uint8(step), arg: a})
				}
			}
		}
	}
	l.wWork = width(uint64(len(l.work)))
	l.wBg = width(uint64(len(l.bgOps) + 1))
	l.wSnap, l.wBack = 8, 8
	if b := cfg.Bounds.Snapshots; b > 0 {
		l.wSnap = width(uint64(b + 1))
	}
	if b := cfg.Bounds.Backups; b > 0 {
		l.wBack = width(uint64(b + 1))
	}
	step := uint64(spec.Limits.SizeStep)
	off := l.ns
	for d, dc := range cfg.Disks {
		lo, hi := uint64(1), uint64(1<<32-1)
		if n := cfg.Bounds.SizeSteps; n > 0 {
			span := uint64(n) * step
			hi = min(hi, uint64(dc.Size)+span)
			if uint64(dc.Size) > span {
				lo = uint64(dc.Size) - span
			}
		}
		l.minSize[d] = uint32(lo)
		l.wSize[d] = width(hi - lo + 1)
		l.base[d] = uint(off)
		w := l.wWork + l.wBg + l.wSnap + l.wBack + 1 + l.ns + l.wSize[d]
		l.mask[d] = 1<<uint(w) - 1
		off += w
	}
	l.total = off
	if off > 64 {
		return fmt.Errorf("check: a state of this configuration takes %d bits; at most 64 are supported (use fewer servers or disks, or bound snapshots, backups and size steps)", off)
	}
	l.tmpl = sys.Init()[0]
	return nil
}

func (l *layout) statusCode(s model.StatusID) uint64 {
	switch s {
	case model.NoDisk:
		return uint64(l.nStatus)
	case model.Gone:
		return uint64(l.nStatus + 1)
	}
	return uint64(s)
}

func (l *layout) statusOf(v uint64) model.StatusID {
	switch v {
	case uint64(l.nStatus):
		return model.NoDisk
	case uint64(l.nStatus + 1):
		return model.Gone
	}
	return model.StatusID(v)
}

func (l *layout) pack(st *model.State) uint64 {
	k := uint64(st.PowerOn)
	for d := 0; d < l.nd; d++ {
		k |= l.packDisk(d, &st.Disks[d]) << l.base[d]
	}
	return k
}

func (l *layout) packDisk(d int, k *model.Disk) uint64 {
	var v uint64
	if k.Op == model.NoOp {
		v = l.statusCode(k.Status)
	} else {
		arg := 0
		if k.Arg != model.NoArg {
			arg = int(k.Arg)
		}
		o := l.origin[k.Op][k.Origin]
		if o < 0 || arg >= l.nArgs[k.Op] || int(k.Step) >= l.nSteps[k.Op] {
			panic(fmt.Sprintf("check: disk %d is in an operation the layout does not foresee: op %d step %d origin %d arg %d", d, k.Op, k.Step, k.Origin, k.Arg))
		}
		v = uint64(l.opBase[k.Op] + (int(k.Step)*l.nOrigins[k.Op]+int(o))*l.nArgs[k.Op] + arg)
	}
	sh := l.wWork
	if k.Bg != model.NoOp {
		v |= uint64(l.bgCode[k.Bg]) << sh
	}
	sh += l.wBg
	v |= uint64(k.Snapshots) << sh
	sh += l.wSnap
	v |= uint64(k.Backups) << sh
	sh += l.wBack
	if k.Transfer {
		v |= 1 << sh
	}
	sh++
	v |= uint64(k.Attached) << sh
	sh += l.ns
	v |= uint64(k.Size-l.minSize[d]) << sh
	return v
}

func field(v uint64, sh *int, w int) uint64 {
	x := (v >> uint(*sh)) & (1<<uint(w) - 1)
	*sh += w
	return x
}

func (l *layout) unpack(key uint64, st *model.State) {
	*st = l.tmpl
	st.PowerOn = uint32(key & (1<<uint(l.ns) - 1))
	for d := 0; d < l.nd; d++ {
		v := key >> l.base[d]
		k := &st.Disks[d]
		sh := 0
		wk := &l.work[field(v, &sh, l.wWork)]
		k.Status, k.Op, k.Step = wk.status, wk.op, wk.step
		if wk.op != model.NoOp {
			k.Origin, k.Arg = wk.origin, wk.arg
		}
		if b := field(v, &sh, l.wBg); b == 0 {
			k.Bg = model.NoOp
		} else {
			k.Bg = l.bgOps[b-1]
		}
		k.Snapshots = uint8(field(v, &sh, l.wSnap))
		k.Backups = uint8(field(v, &sh, l.wBack))
		k.Transfer = field(v, &sh, 1) == 1
		k.Attached = uint32(field(v, &sh, l.ns))
		k.Size = uint32(field(v, &sh, l.wSize[d])) + l.minSize[d]
	}
}

func identity(n int) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	return p
}

// diskPerms lists the permutations of disks that keep every disk within its
// class of equal attributes, the identity first.
func diskPerms(disks []model.DiskConfig) [][]int {
	out := [][]int{identity(len(disks))}
	var rec func(p []int, i int)
	used := make([]bool, len(disks))
	cur := make([]int, len(disks))
	rec = func(p []int, i int) {
		if i == len(disks) {
			same := true
			for j := range cur {
				if cur[j] != j {
					same = false
				}
			}
			if !same {
				out = append(out, append([]int(nil), cur...))
			}
			return
		}
		for j := range disks {
			if !used[j] && disks[j] == disks[i] {
				used[j] = true
				cur[i] = j
				rec(p, i+1)
				used[j] = false
			}
		}
	}
	rec(nil, 0)
	return out
}

// serverArg reports whether disk k's running operation targets a server.
func (l *layout) serverArg(k *model.Disk) bool {
	return k.Op != model.NoOp && k.Arg != model.NoArg && l.argKind[k.Op] == model.ArgServer
}

func (l *layout) snapshotArg(k *model.Disk) bool {
	return k.Op != model.NoOp && k.Arg != model.NoArg && l.argKind[k.Op] == model.ArgSnapshot
}

// signatures computes each server's signature in st.
func (l *layout) signatures(st *model.State, sig *[model.MaxServers]uint64) {
	for j := 0; j < l.ns; j++ {
		var s uint64
		if st.PowerOn&(1<<uint(j)) != 0 {
			s = 1
		}
		for d := 0; d < l.nd; d++ {
			k := &st.Disks[d]
			s <<= 2
			if k.Attached&(1<<uint(j)) != 0 {
				s |= 2
			}
			if l.serverArg(k) && int(k.Arg) == j {
				s |= 1
			}
		}
		sig[j] = s
	}
}

// serverCanon relabels the servers of st in place in the order of their
// signatures (descending; equal signatures are interchangeable servers).
func (l *layout) serverCanon(st *model.State) {
	if l.ns < 2 {
		return
	}
	var sig [model.MaxServers]uint64
	l.signatures(st, &sig)
	var order [model.MaxServers]uint8 // order[new] = old
	for j := 0; j < l.ns; j++ {
		order[j] = uint8(j)
	}
	for i := 1; i < l.ns; i++ {
		x := order[i]
		j := i
		for j > 0 && sig[order[j-1]] < sig[x] {
			order[j] = order[j-1]
			j--
		}
		order[j] = x
	}
	var pos [model.MaxServers]uint8 // pos[old] = new
	sorted := true
	for n := 0; n < l.ns; n++ {
		pos[order[n]] = uint8(n)
		if order[n] != uint8(n) {
			sorted = false
		}
	}
	if sorted {
		return
	}
	remap := func(set uint32) uint32 {
		var out uint32
		for ; set != 0; set &= set - 1 {
			out |= 1 << pos[bits.TrailingZeros32(set)]
		}
		return out
	}
	st.PowerOn = remap(st.PowerOn)
	for d := 0; d < l.nd; d++ {
		k := &st.Disks[d]
		k.Attached = remap(k.Attached)
		if l.serverArg(k) {
			k.Arg = pos[k.Arg]
		}
	}
}

// permuteDisks returns st with disk i moved to slot p[i].
func (l *layout) permuteDisks(st *model.State, p []int) model.State {
	t := *st
	for i := 0; i < l.nd; i++ {
		k := st.Disks[i]
		if l.snapshotArg(&k) && int(k.Arg) < l.nd {
			k.Arg = uint8(p[k.Arg])
		}
		t.Disks[p[i]] = k
	}
	return t
}

// canon returns the key of st's class: the smallest over the disk
// permutations of the server-sorted state.
func (m *SystemModel) canon(st *model.State) uint64 {
	if !m.symmetry {
		return m.l.pack(st)
	}
	if m.fast != nil {
		return m.fast.canon(&m.l, m.l.pack(st))
	}
	t := *st
	m.l.serverCanon(&t)
	best := m.l.pack(&t)
	for _, p := range m.perms[1:] {
		t := m.l.permuteDisks(st, p)
		m.l.serverCanon(&t)
		if k := m.l.pack(&t); k < best {
			best = k
		}
	}
	return best
}

// orbit returns the number of concrete states st (a canonical one) stands
// for: |G| / |stabiliser|, where G is the group of disk permutations within
// classes times the server permutations. It reports false on overflow.
func (m *SystemModel) orbit(st *model.State) (uint64, bool) {
	if !m.symmetry {
		return 1, true
	}
	if m.fast != nil {
		return m.fast.orbit(&m.l, m.l.pack(st)), true
	}
	key := m.l.pack(st)
	fix := 0
	for _, p := range m.perms {
		t := m.l.permuteDisks(st, p)
		m.l.serverCanon(&t)
		if m.l.pack(&t) == key {
			fix++
		}
	}
	// Servers: ns! / prod(m_i!) labellings, m_i the multiplicities of
	// equal signatures; built as a product of binomials.
	var sig [model.MaxServers]uint64
	m.l.signatures(st, &sig)
	s := append([]uint64(nil), sig[:m.l.ns]...)
	sort.Slice(s, func(a, b int) bool { return s[a] < s[b] })
	res, n := uint64(1), uint64(0)
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && s[j] == s[i] {
			j++
		}
		for k := uint64(1); k <= uint64(j-i); k++ {
			n++
			hi, lo := bits.Mul64(res, n)
			if hi != 0 {
				return 0, false
			}
			res = lo / k
		}
		i = j
	}
	mult := uint64(len(m.perms) / fix)
	hi, lo := bits.Mul64(res, mult)
	return lo, hi == 0
}
