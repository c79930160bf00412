package sim

import (
	"fmt"
	"math/bits"

	"github.com/evsim/evsim/model"
)

// dstate is the model-relevant state of one disk: the fields of a
// [model.Disk], packed. The fleet engine and [DiskEngine] both keep their
// disks in this form and change them only through a [core].
type dstate struct {
	status   model.StatusID
	op       model.OpID
	step     uint8
	origin   model.StatusID
	arg      uint8
	bg       model.OpID
	snaps    uint8
	backups  uint8
	flags    uint8 // dShared, dSystem, dTransfer
	attached uint32
	size     uint32
}

const (
	dShared uint8 = 1 << iota
	dSystem
	dTransfer
)

func (k *dstate) exists() bool { return k.status != model.NoDisk && k.status != model.Gone }

// env is what a condition may look at beyond the disk itself: the servers'
// power, the validity of a snapshot argument, the bounds of the system and
// whether the operator takes part.
type env struct {
	power    uint32 // bit i: server i powered on
	nServers uint8
	self     uint8 // the disk's own index, for own_snapshot
	snapOK   bool  // a snapshot argument names a disk that exists and has a snapshot
	operator bool
	maxSnaps uint8
	maxBacks uint8
	minSize  uint32
	maxSize  uint32
	initSize uint32 // the size a deleted disk's slot returns to
}

// fromEntry is one way an operation may start from a status, with the
// index of the spec's from entry it came from.
type fromEntry struct {
	idx  int
	when []model.Cond
}

// cop is an operation of the spec compiled for fast lookup: its from
// entries grouped by status, its steps, targets and effects.
type cop struct {
	actor      model.Actor
	argKind    model.ArgKind
	creates    bool
	background bool
	instant    bool
	when       []model.Cond
	fromBy     [][]fromEntry // indexed by status
	steps      []model.StatusID
	stepFail   [][]model.Target // failure targets per step (the step's or the operation's)
	success    []model.Target
	effects    []model.Effect
	grows      bool // has the grow effect: takes room in the storage pool
	usesPower  bool // a from entry looks at the servers' power
}

// core is a spec compiled into per-status transition tables. It holds no
// state of its own; every method changes only the disk it is handed, the
// same way [model.System] changes a [model.Disk]. Conformance tests replay
// its transitions through the model.
type core struct {
	spec     *model.Spec
	nStatus  int
	ops      []cop
	limits   model.Limits
	startsAt [][]model.OpID // per status: operations with a from entry there, spec order
}

func compile(spec *model.Spec) *core {
	c := &core{spec: spec, nStatus: len(spec.Statuses), limits: spec.Limits}
	c.startsAt = make([][]model.OpID, c.nStatus)
	for oi := range spec.Ops {
		o := &spec.Ops[oi]
		x := cop{
			actor:      o.Actor,
			argKind:    o.Arg,
			creates:    o.Creates,
			background: o.Background,
			instant:    o.Instant(),
			when:       o.When,
			fromBy:     make([][]fromEntry, c.nStatus),
			success:    o.Success,
			effects:    o.Effects,
			grows:      o.HasEffect(model.EffGrow),
		}
		for i, f := range o.From {
			if len(x.fromBy[f.Status]) == 0 {
				c.startsAt[f.Status] = append(c.startsAt[f.Status], model.OpID(oi))
			}
			x.fromBy[f.Status] = append(x.fromBy[f.Status], fromEntry{idx: i, when: f.When})
			for _, w := range f.When {
				switch w {
				case model.CondTargetOn, model.CondTargetOff, model.CondServersOff:
					x.usesPower = true
				}
			}
		}
		for _, st := range o.Steps {
			x.steps = append(x.steps, st.Status)
			f := st.Failure
			if f == nil {
				f = o.Failure
			}
			x.stepFail = append(x.stepFail, f)
		}
		c.ops = append(c.ops, x)
	}
	return c
}

// cond evaluates one condition of the model's vocabulary, with the meaning
// model.System gives it.
func (c *core) cond(cd model.Cond, k *dstate, e *env, arg uint8) bool {
	switch cd {
	case model.CondShared:
		return k.flags&dShared != 0
	case model.CondNotShared:
		return k.flags&dShared == 0
	case model.CondSystem:
		return k.flags&dSystem != 0
	case model.CondNotSystem:
		return k.flags&dSystem == 0
	case model.CondAttached:
		return k.attached != 0
	case model.CondNotAttached:
		return k.attached == 0
	case model.CondAttachRoom:
		max := c.limits.Attachments
		if k.flags&dShared != 0 {
			max = c.limits.SharedAttachments
		}
		return bits.OnesCount32(k.attached) < max
	case model.CondTargetAttached:
		return arg < 32 && k.attached&(1<<arg) != 0
	case model.CondTargetNotAttached:
		return arg < 32 && k.attached&(1<<arg) == 0
	case model.CondTargetOn:
		return arg < 32 && e.power&(1<<arg) != 0
	case model.CondTargetOff:
		return arg < 32 && e.power&(1<<arg) == 0
	case model.CondServersOff:
		return k.attached&e.power == 0
	case model.CondOwnSnapshot:
		return arg == e.self
	case model.CondHasSnapshots:
		return k.snaps > 0
	case model.CondNoSnapshots:
		return k.snaps == 0
	case model.CondHasBackups:
		return k.backups > 0
	case model.CondNoBackups:
		return k.backups == 0
	case model.CondBackupInProgress:
		return k.bg != model.NoOp
	case model.CondNoBackupInProgress:
		return k.bg == model.NoOp
	case model.CondSizeRoom:
		max := c.limits.DataSize
		if k.flags&dSystem != 0 {
			max = c.limits.SystemSize
		}
		return uint64(k.size)+uint64(c.limits.SizeStep) <= uint64(max)
	}
	panic(fmt.Sprintf("sim: unknown condition %d", cd))
}

func (c *core) all(cs []model.Cond, k *dstate, e *env, arg uint8) bool {
	for _, cd := range cs {
		if !c.cond(cd, k, e, arg) {
			return false
		}
	}
	return true
}

func (c *core) withinBounds(o *cop, k *dstate, e *env) bool {
	step := uint64(c.limits.SizeStep)
	for _, ef := range o.effects {
		switch ef {
		case model.EffAddSnapshot:
			if k.snaps >= e.maxSnaps {
				return false
			}
		case model.EffAddBackup:
			if k.backups >= e.maxBacks {
				return false
			}
		case model.EffGrow:
			if uint64(k.size)+step > uint64(e.maxSize) {
				return false
			}
		case model.EffShrink:
			if uint64(k.size) < step+uint64(e.minSize) {
				return false
			}
		}
	}
	return true
}

func (c *core) argOK(kind model.ArgKind, arg uint8, e *env) bool {
	switch kind {
	case model.ArgNone:
		return arg == model.NoArg
	case model.ArgServer:
		return arg < e.nServers
	case model.ArgSnapshot:
		return e.snapOK
	}
	return false
}

// enabled reports whether op may start on k with arg: the rule of
// model.System.Via, read from the compiled tables.
func (c *core) enabled(k *dstate, e *env, op model.OpID, arg uint8) bool {
	o := &c.ops[op]
	if o.actor == model.Operator && !e.operator {
		return false
	}
	if !c.argOK(o.argKind, arg, e) || !c.withinBounds(o, k, e) {
		return false
	}
	if o.creates {
		return k.status == model.NoDisk && c.all(o.when, k, e, arg)
	}
	if !k.exists() || k.op != model.NoOp {
		return false
	}
	if o.background && k.bg != model.NoOp {
		return false
	}
	if int(k.status) >= c.nStatus {
		return false
	}
	for i := range o.fromBy[k.status] {
		if c.all(o.fromBy[k.status][i].when, k, e, arg) {
			return true
		}
	}
	return false
}

// start applies the start of op, which must be enabled. It returns true when
// the operation now runs through steps (the disk is in a transitional
// status), false when it took effect at once or runs in the background.
func (c *core) start(k *dstate, e *env, op model.OpID, arg uint8) bool {
	o := &c.ops[op]
	switch {
	case o.background:
		k.bg = op
		return false
	case o.instant:
		origin := k.status
		c.effects(o, k, arg)
		c.land(k, e, o.success, origin, arg)
		return false
	}
	k.origin = k.status
	if o.creates {
		k.origin = model.NoDisk
	}
	k.op, k.step, k.arg = op, 0, arg
	k.status = o.steps[0]
	return true
}

// succeed completes the current step of the running operation. It returns
// true when the operation has another step to go through.
func (c *core) succeed(k *dstate, e *env) bool {
	o := &c.ops[k.op]
	if int(k.step)+1 < len(o.steps) {
		k.step++
		k.status = o.steps[k.step]
		return true
	}
	c.effects(o, k, k.arg)
	origin, arg := k.origin, k.arg
	k.op, k.step, k.origin, k.arg = model.NoOp, 0, 0, 0
	c.land(k, e, o.success, origin, arg)
	return false
}

// fail ends the running operation with its failure target.
func (c *core) fail(k *dstate, e *env) {
	o := &c.ops[k.op]
	targets := o.stepFail[k.step]
	origin, arg := k.origin, k.arg
	k.op, k.step, k.origin, k.arg = model.NoOp, 0, 0, 0
	c.land(k, e, targets, origin, arg)
}

// bgDone ends the background operation, with its effects if it succeeded.
func (c *core) bgDone(k *dstate, ok bool) {
	o := &c.ops[k.bg]
	k.bg = model.NoOp
	if ok {
		c.effects(o, k, model.NoArg)
	}
}

func (c *core) effects(o *cop, k *dstate, arg uint8) {
	step := uint32(c.limits.SizeStep)
	for _, ef := range o.effects {
		switch ef {
		case model.EffAttach:
			k.attached |= 1 << arg
		case model.EffDetach:
			k.attached &^= 1 << arg
		case model.EffGrow:
			k.size += step
		case model.EffShrink:
			k.size -= step
		case model.EffAddSnapshot:
			k.snaps++
		case model.EffRemoveSnapshot:
			if k.snaps > 0 {
				k.snaps--
			}
		case model.EffAddBackup:
			k.backups++
		case model.EffOpenTransfer:
			k.flags |= dTransfer
		case model.EffCloseTransfer:
			k.flags &^= dTransfer
		}
	}
}

// land moves k to the first target whose conditions hold.
func (c *core) land(k *dstate, e *env, targets []model.Target, origin model.StatusID, arg uint8) {
	for _, t := range targets {
		if !c.all(t.When, k, e, arg) {
			continue
		}
		switch t.Kind {
		case model.ToStatus:
			k.status = t.Status
		case model.ToOrigin:
			k.status = origin
		case model.ToGone:
			*k = dstate{status: model.Gone, op: model.NoOp, bg: model.NoOp,
				flags: k.flags &^ dTransfer, size: e.initSize}
		case model.ToUnchanged:
		}
		return
	}
}

// toModel returns k as a [model.Disk].
func (k *dstate) toModel() model.Disk {
	return model.Disk{
		Status: k.status, Op: k.op, Step: k.step, Origin: k.origin, Arg: k.arg, Bg: k.bg,
		Snapshots: k.snaps, Backups: k.backups, Transfer: k.flags&dTransfer != 0,
		Shared: k.flags&dShared != 0, System: k.flags&dSystem != 0,
		Size: k.size, Attached: k.attached,
	}
}

// mayStart reports whether op has a from entry at status whose conditions
// on the disk's kind (shared, not_shared, system, not_system) hold for a
// disk of the given kind (dShared|dSystem bits); other conditions are not
// looked at.
func (c *core) mayStart(op model.OpID, status model.StatusID, kind uint8) bool {
	for _, f := range c.ops[op].fromBy[status] {
		ok := true
		for _, w := range f.when {
			switch w {
			case model.CondShared:
				ok = ok && kind&dShared != 0
			case model.CondNotShared:
				ok = ok && kind&dShared == 0
			case model.CondSystem:
				ok = ok && kind&dSystem != 0
			case model.CondNotSystem:
				ok = ok && kind&dSystem == 0
			}
		}
		if ok {
			return true
		}
	}
	return false
}
