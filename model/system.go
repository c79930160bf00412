package model

import (
	"errors"
	"fmt"
	"math/bits"
	"strings"
)

const (
	// MaxDisks is the largest number of disks a bounded system may have.
	MaxDisks = 64
	// MaxServers is the largest number of servers a bounded system may have.
	MaxServers = 32
	// NoArg marks an action without an argument.
	NoArg uint8 = 0xFF
)

// Disk is one disk of a bounded system. A disk that is not doing anything
// has Op and Bg set to [NoOp] and Step, Origin and Arg zero, so that equal
// situations are equal values.
type Disk struct {
	Status    StatusID
	Op        OpID     // the operation moving it through transitional statuses
	Step      uint8    // index into the operation's steps
	Origin    StatusID // the status it had when Op started
	Arg       uint8    // Op's argument: a server, or the disk whose snapshot is used
	Bg        OpID     // the background operation (a backup) running, if any
	Snapshots uint8
	Backups   uint8
	Transfer  bool // a transfer is open
	Shared    bool
	System    bool
	Size      uint32 // GiB
	Attached  uint32 // bit i: attached to server i
}

// Attachments returns the number of servers the disk is attached to.
func (d *Disk) Attachments() int { return bits.OnesCount32(d.Attached) }

// Exists reports whether the slot holds a disk (created and not deleted).
func (d *Disk) Exists() bool { return d.Status != NoDisk && d.Status != Gone }

// State is the whole bounded system: its disks and its servers. It is a
// plain value: copying it copies everything, and == compares everything.
type State struct {
	NDisks   uint8
	NServers uint8
	PowerOn  uint32 // bit i: server i is powered on
	Disks    [MaxDisks]Disk
}

// ServerOn reports whether server i is powered on.
func (st *State) ServerOn(i int) bool { return st.PowerOn&(1<<uint(i)) != 0 }

// DiskConfig fixes the attributes of one disk slot.
type DiskConfig struct {
	Shared bool
	System bool
	Size   int // GiB at creation
}

// Bounds keep a bounded system finite. Zero means no bound beyond what a
// [Disk] can hold (255 snapshots or backups, sizes up to 2^32-1 GiB).
type Bounds struct {
	Snapshots int // per disk
	Backups   int // per disk
	SizeSteps int // expansions (or shrinks) away from the size at creation
}

// Config is a bounded system: its disks, servers, bounds and actors.
type Config struct {
	Disks    []DiskConfig
	Servers  int
	Bounds   Bounds
	Operator bool // the operator (customer service) may act
	Power    bool // servers may be powered off and on
}

// DefaultConfig is the 2-disk, 2-server system: a shared data disk of
// 10 GiB and a non-shared system disk one size step below its limit, at
// most one snapshot and one backup each and two size steps, with the operator
// and server power switching. It reaches every status and operation of the
// default spec.
func DefaultConfig() Config {
	return Config{
		Disks: []DiskConfig{
			{Shared: true, Size: 10},
			{System: true, Size: 1023},
		},
		Servers:  2,
		Bounds:   Bounds{Snapshots: 1, Backups: 1, SizeSteps: 2},
		Operator: true,
		Power:    true,
	}
}

// ActionKind is what an action does.
type ActionKind uint8

// The action kinds.
const (
	Start     ActionKind = iota // a customer or the operator starts an operation
	Succeed                     // the running operation completes its current step
	Fail                        // the running operation fails
	BgSucceed                   // the background operation completes
	BgFail                      // the background operation fails
	PowerOff                    // a server is powered off
	PowerOn                     // a server is powered on
)

var actionKindNames = []string{"start", "succeed", "fail", "bg-succeed", "bg-fail", "power-off", "power-on"}

func (k ActionKind) String() string { return actionKindNames[k] }

// Action is one step of a bounded system. For completions, Op is the
// running operation. Disk is [NoArg] for power actions, whose Arg is the
// server.
type Action struct {
	Kind ActionKind
	Op   OpID
	Disk uint8
	Arg  uint8
}

// System is a spec together with a bounded configuration: the initial
// states, the enabled actions and the successor function. It is immutable
// and safe for concurrent use.
type System struct {
	Spec   *Spec
	Config Config

	minSize, maxSize [MaxDisks]uint32
}

// NewSystem checks cfg against the limits of a [State] and returns the
// bounded system.
func NewSystem(spec *Spec, cfg Config) (*System, error) {
	if len(cfg.Disks) < 1 || len(cfg.Disks) > MaxDisks {
		return nil, fmt.Errorf("model: %d disks; want 1 to %d", len(cfg.Disks), MaxDisks)
	}
	if cfg.Servers < 0 || cfg.Servers > MaxServers {
		return nil, fmt.Errorf("model: %d servers; want 0 to %d", cfg.Servers, MaxServers)
	}
	b := cfg.Bounds
	if b.Snapshots < 0 || b.Backups < 0 || b.SizeSteps < 0 {
		return nil, errors.New("model: bounds must not be negative")
	}
	s := &System{Spec: spec, Config: cfg}
	step := uint64(spec.Limits.SizeStep)
	for i, d := range cfg.Disks {
		if d.Size < 1 || d.Size > 1<<31 {
			return nil, fmt.Errorf("model: disk %d: size %d GiB; want 1 to %d", i, d.Size, 1<<31)
		}
		lo, hi := uint64(1), uint64(1<<32-1)
		if b.SizeSteps > 0 {
			span := uint64(b.SizeSteps) * step
			hi = min(hi, uint64(d.Size)+span)
			if uint64(d.Size) > span {
				lo = uint64(d.Size) - span
			}
		}
		s.minSize[i], s.maxSize[i] = uint32(lo), uint32(hi)
	}
	return s, nil
}

// Init returns the initial states: one, with every slot empty ([NoDisk])
// and every server powered on.
func (s *System) Init() []State {
	var st State
	s.initState(&st)
	return []State{st}
}

// initState sets st to the initial state without allocating.
func (s *System) initState(st *State) {
	st.NDisks = uint8(len(s.Config.Disks))
	st.NServers = uint8(s.Config.Servers)
	st.PowerOn = uint32(uint64(1)<<uint(s.Config.Servers) - 1)
	for i := range st.Disks {
		st.Disks[i] = Disk{Status: NoDisk, Op: NoOp, Bg: NoOp}
	}
	for i := range s.Config.Disks {
		st.Disks[i] = s.emptyDisk(i, NoDisk)
	}
}

func (s *System) emptyDisk(i int, status StatusID) Disk {
	c := s.Config.Disks[i]
	return Disk{Status: status, Op: NoOp, Bg: NoOp, Shared: c.Shared, System: c.System, Size: uint32(c.Size)}
}

// cond evaluates one condition for disk d of st with argument arg.
func (s *System) cond(c Cond, st *State, d int, arg uint8) bool {
	k := &st.Disks[d]
	lim := &s.Spec.Limits
	switch c {
	case CondShared:
		return k.Shared
	case CondNotShared:
		return !k.Shared
	case CondSystem:
		return k.System
	case CondNotSystem:
		return !k.System
	case CondAttached:
		return k.Attached != 0
	case CondNotAttached:
		return k.Attached == 0
	case CondAttachRoom:
		max := lim.Attachments
		if k.Shared {
			max = lim.SharedAttachments
		}
		return k.Attachments() < max
	case CondTargetAttached:
		return arg < 32 && k.Attached&(1<<arg) != 0
	case CondTargetNotAttached:
		return arg < 32 && k.Attached&(1<<arg) == 0
	case CondTargetOn:
		return arg < 32 && st.PowerOn&(1<<arg) != 0
	case CondTargetOff:
		return arg < 32 && st.PowerOn&(1<<arg) == 0
	case CondServersOff:
		return k.Attached&st.PowerOn == 0
	case CondOwnSnapshot:
		return int(arg) == d
	case CondHasSnapshots:
		return k.Snapshots > 0
	case CondNoSnapshots:
		return k.Snapshots == 0
	case CondHasBackups:
		return k.Backups > 0
	case CondNoBackups:
		return k.Backups == 0
	case CondBackupInProgress:
		return k.Bg != NoOp
	case CondNoBackupInProgress:
		return k.Bg == NoOp
	case CondSizeRoom:
		max := lim.DataSize
		if k.System {
			max = lim.SystemSize
		}
		return uint64(k.Size)+uint64(lim.SizeStep) <= uint64(max)
	}
	panic(fmt.Sprintf("model: unknown condition %d", c))
}

func (s *System) all(cs []Cond, st *State, d int, arg uint8) bool {
	for _, c := range cs {
		if !s.cond(c, st, d, arg) {
			return false
		}
	}
	return true
}

// withinBounds reports whether the effects of op keep disk d within the
// configuration's bounds and a Disk's capacity.
func (s *System) withinBounds(op *Operation, k *Disk, d int) bool {
	b := &s.Config.Bounds
	step := uint64(s.Spec.Limits.SizeStep)
	for _, e := range op.Effects {
		switch e {
		case EffAddSnapshot:
			if k.Snapshots == 255 || (b.Snapshots > 0 && int(k.Snapshots) >= b.Snapshots) {
				return false
			}
		case EffAddBackup:
			if k.Backups == 255 || (b.Backups > 0 && int(k.Backups) >= b.Backups) {
				return false
			}
		case EffGrow:
			if uint64(k.Size)+step > uint64(s.maxSize[d]) {
				return false
			}
		case EffShrink:
			if uint64(k.Size) < step+uint64(s.minSize[d]) {
				return false
			}
		}
	}
	return true
}

// Via returns the index of the from entry that lets operation op start on
// disk d of st with argument arg: the first whose status and conditions
// hold. It returns -1, true for a creating operation whose conditions hold,
// and false when the operation may not start (bounds and actors included).
func (s *System) Via(st *State, d int, op OpID, arg uint8) (int, bool) {
	o := &s.Spec.Ops[op]
	k := &st.Disks[d]
	if o.Actor == Operator && !s.Config.Operator {
		return 0, false
	}
	if !s.argOK(st, o.Arg, arg) || !s.withinBounds(o, k, d) {
		return 0, false
	}
	if o.Creates {
		if k.Status == NoDisk && s.all(o.When, st, d, arg) {
			return -1, true
		}
		return 0, false
	}
	if !k.Exists() || k.Op != NoOp {
		return 0, false
	}
	if o.Background && k.Bg != NoOp {
		// One background slot per disk: a second one has nowhere to run.
		return 0, false
	}
	for i := range o.From {
		f := &o.From[i]
		if f.Status == k.Status && s.all(f.When, st, d, arg) {
			return i, true
		}
	}
	return 0, false
}

func (s *System) argOK(st *State, kind ArgKind, arg uint8) bool {
	switch kind {
	case ArgNone:
		return arg == NoArg
	case ArgServer:
		return arg < st.NServers
	case ArgSnapshot:
		return arg < st.NDisks && st.Disks[arg].Exists() && st.Disks[arg].Snapshots > 0
	}
	return false
}

// Actions appends to buf every action enabled in st, in a stable order:
// for each disk in turn, the completions of its running operation (succeed,
// fail), then of its background operation, then each operation of the spec
// that may start, in spec order, arguments ascending; then the power
// actions of each server. The order depends on st alone.
func (s *System) Actions(st *State, buf []Action) []Action {
	for d := 0; d < int(st.NDisks); d++ {
		k := &st.Disks[d]
		if k.Op != NoOp {
			buf = append(buf, Action{Succeed, k.Op, uint8(d), NoArg}, Action{Fail, k.Op, uint8(d), NoArg})
		}
		if k.Bg != NoOp {
			buf = append(buf, Action{BgSucceed, k.Bg, uint8(d), NoArg}, Action{BgFail, k.Bg, uint8(d), NoArg})
		}
		if k.Status == Gone || k.Op != NoOp {
			continue
		}
		for oi := range s.Spec.Ops {
			op := OpID(oi)
			switch s.Spec.Ops[oi].Arg {
			case ArgNone:
				if _, ok := s.Via(st, d, op, NoArg); ok {
					buf = append(buf, Action{Start, op, uint8(d), NoArg})
				}
			case ArgServer:
				for a := uint8(0); a < st.NServers; a++ {
					if _, ok := s.Via(st, d, op, a); ok {
						buf = append(buf, Action{Start, op, uint8(d), a})
					}
				}
			case ArgSnapshot:
				for a := uint8(0); a < st.NDisks; a++ {
					if _, ok := s.Via(st, d, op, a); ok {
						buf = append(buf, Action{Start, op, uint8(d), a})
					}
				}
			}
		}
	}
	if s.Config.Power {
		for i := uint8(0); i < st.NServers; i++ {
			if st.ServerOn(int(i)) {
				buf = append(buf, Action{PowerOff, NoOp, NoArg, i})
			} else {
				buf = append(buf, Action{PowerOn, NoOp, NoArg, i})
			}
		}
	}
	return buf
}

// Enabled reports whether a is enabled in st.
func (s *System) Enabled(st *State, a Action) bool {
	switch a.Kind {
	case Start:
		if int(a.Disk) >= int(st.NDisks) || int(a.Op) >= len(s.Spec.Ops) {
			return false
		}
		_, ok := s.Via(st, int(a.Disk), a.Op, a.Arg)
		return ok
	case Succeed, Fail:
		return int(a.Disk) < int(st.NDisks) && st.Disks[a.Disk].Op != NoOp && st.Disks[a.Disk].Op == a.Op
	case BgSucceed, BgFail:
		return int(a.Disk) < int(st.NDisks) && st.Disks[a.Disk].Bg != NoOp && st.Disks[a.Disk].Bg == a.Op
	case PowerOff:
		return s.Config.Power && a.Arg < st.NServers && st.ServerOn(int(a.Arg))
	case PowerOn:
		return s.Config.Power && a.Arg < st.NServers && !st.ServerOn(int(a.Arg))
	}
	return false
}

// Next returns the successor of st under a, and false (with st unchanged)
// when a is not enabled in st. It is pure: the same state and action give
// the same successor.
func (s *System) Next(st State, a Action) (State, bool) {
	if !s.Enabled(&st, a) {
		return st, false
	}
	s.apply(&st, a)
	return st, true
}

// Apply changes st in place by a, which must be enabled in st (see
// [System.Enabled]); it is the allocation-free form of [System.Next] for
// explorers that only apply actions returned by [System.Actions].
func (s *System) Apply(st *State, a Action) { s.apply(st, a) }

func (s *System) apply(st *State, a Action) {
	switch a.Kind {
	case PowerOff:
		st.PowerOn &^= 1 << a.Arg
		return
	case PowerOn:
		st.PowerOn |= 1 << a.Arg
		return
	}
	d := int(a.Disk)
	k := &st.Disks[d]
	switch a.Kind {
	case Start:
		op := &s.Spec.Ops[a.Op]
		switch {
		case op.Background:
			k.Bg = a.Op
		case op.Instant():
			origin := k.Status
			s.effects(op, k, a.Arg)
			s.land(st, d, op.Success, origin, a.Arg)
		default:
			k.Origin = k.Status
			if op.Creates {
				k.Origin = NoDisk
			}
			k.Op, k.Step, k.Arg = a.Op, 0, a.Arg
			k.Status = op.Steps[0].Status
		}
	case Succeed:
		op := &s.Spec.Ops[k.Op]
		if int(k.Step)+1 < len(op.Steps) {
			k.Step++
			k.Status = op.Steps[k.Step].Status
			return
		}
		s.effects(op, k, k.Arg)
		origin, arg := k.Origin, k.Arg
		k.Op, k.Step, k.Origin, k.Arg = NoOp, 0, 0, 0
		s.land(st, d, op.Success, origin, arg)
	case Fail:
		op := &s.Spec.Ops[k.Op]
		targets := op.Steps[k.Step].Failure
		if targets == nil {
			targets = op.Failure
		}
		origin, arg := k.Origin, k.Arg
		k.Op, k.Step, k.Origin, k.Arg = NoOp, 0, 0, 0
		s.land(st, d, targets, origin, arg)
	case BgSucceed:
		op := &s.Spec.Ops[k.Bg]
		k.Bg = NoOp
		s.effects(op, k, NoArg)
	case BgFail:
		k.Bg = NoOp
	}
}

func (s *System) effects(op *Operation, k *Disk, arg uint8) {
	step := uint32(s.Spec.Limits.SizeStep)
	for _, e := range op.Effects {
		switch e {
		case EffAttach:
			k.Attached |= 1 << arg
		case EffDetach:
			k.Attached &^= 1 << arg
		case EffGrow:
			k.Size += step
		case EffShrink:
			k.Size -= step
		case EffAddSnapshot:
			k.Snapshots++
		case EffRemoveSnapshot:
			if k.Snapshots > 0 {
				k.Snapshots--
			}
		case EffAddBackup:
			k.Backups++
		case EffOpenTransfer:
			k.Transfer = true
		case EffCloseTransfer:
			k.Transfer = false
		}
	}
}

// land moves disk d to the first target whose conditions hold.
func (s *System) land(st *State, d int, targets []Target, origin StatusID, arg uint8) {
	k := &st.Disks[d]
	for _, t := range targets {
		if !s.all(t.When, st, d, arg) {
			continue
		}
		switch t.Kind {
		case ToStatus:
			k.Status = t.Status
		case ToOrigin:
			k.Status = origin
		case ToGone:
			*k = s.emptyDisk(d, Gone)
		case ToUnchanged:
		}
		return
	}
}

// FormatAction describes an action in words: "start attach d0 s1",
// "succeed expand d1", "power-off s0".
func (s *System) FormatAction(a Action) string {
	var b strings.Builder
	b.WriteString(a.Kind.String())
	if a.Op != NoOp && int(a.Op) < len(s.Spec.Ops) {
		b.WriteByte(' ')
		b.WriteString(s.Spec.Ops[a.Op].Name)
	}
	if a.Disk != NoArg {
		fmt.Fprintf(&b, " d%d", a.Disk)
	}
	if a.Arg != NoArg {
		kind := ArgServer
		if a.Kind == Start && a.Op != NoOp && int(a.Op) < len(s.Spec.Ops) {
			kind = s.Spec.Ops[a.Op].Arg
		}
		if kind == ArgSnapshot {
			fmt.Fprintf(&b, " snapshot-of-d%d", a.Arg)
		} else {
			fmt.Fprintf(&b, " s%d", a.Arg)
		}
	}
	return b.String()
}

// FormatDisk describes disk d of st: status, attachments, size, counters.
func (s *System) FormatDisk(st *State, d int) string {
	k := &st.Disks[d]
	var b strings.Builder
	b.WriteString(s.Spec.StatusName(k.Status))
	if !k.Exists() && k.Status != NoDisk {
		return b.String()
	}
	if k.Op != NoOp {
		fmt.Fprintf(&b, " (%s", s.Spec.Ops[k.Op].Name)
		if k.Status != NoDisk {
			fmt.Fprintf(&b, " from %s", s.Spec.StatusName(k.Origin))
		}
		b.WriteByte(')')
	}
	if k.Attached != 0 {
		b.WriteString(" on")
		for i := 0; i < 32; i++ {
			if k.Attached&(1<<uint(i)) != 0 {
				fmt.Fprintf(&b, " s%d", i)
			}
		}
	}
	fmt.Fprintf(&b, ", %d GiB", k.Size)
	if k.Snapshots > 0 {
		fmt.Fprintf(&b, ", %d snapshot(s)", k.Snapshots)
	}
	if k.Backups > 0 {
		fmt.Fprintf(&b, ", %d backup(s)", k.Backups)
	}
	if k.Bg != NoOp {
		fmt.Fprintf(&b, ", %s running", s.Spec.Ops[k.Bg].Name)
	}
	if k.Transfer {
		b.WriteString(", transfer open")
	}
	return b.String()
}

// FormatState describes every disk and server of st on one line.
func (s *System) FormatState(st *State) string {
	var parts []string
	for d := 0; d < int(st.NDisks); d++ {
		parts = append(parts, fmt.Sprintf("d%d: %s", d, s.FormatDisk(st, d)))
	}
	for i := 0; i < int(st.NServers); i++ {
		on := "on"
		if !st.ServerOn(i) {
			on = "off"
		}
		parts = append(parts, fmt.Sprintf("s%d: %s", i, on))
	}
	return strings.Join(parts, "; ")
}
