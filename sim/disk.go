package sim

import (
	"errors"
	"fmt"

	"github.com/evsim/evsim/model"
)

// ErrRejected is returned (wrapped) by [DiskEngine] when the model does not
// enable the requested step: the disks are left unchanged.
var ErrRejected = errors.New("rejected by the model")

// DiskEngine runs the simulator's transition core on a small set of disks
// and servers, one step at a time, without time or randomness. It accepts
// exactly the steps [model.System] enables for the same spec and
// configuration and leaves the disks in the same state, which makes it the
// unit to compare against the model step by step.
//
// A DiskEngine is not safe for concurrent use.
type DiskEngine struct {
	c     *core
	cfg   model.Config
	disks []dstate
	power uint32
	envs  []env // per disk: bounds and initial size
}

// NewDiskEngine returns an engine for spec with the disks, servers, bounds
// and actors of cfg, every slot empty and every server powered on (the
// state model.System.Init returns).
func NewDiskEngine(spec *model.Spec, cfg model.Config) (*DiskEngine, error) {
	// The model checks the configuration: the engine accepts what it does.
	if _, err := model.NewSystem(spec, cfg); err != nil {
		return nil, fmt.Errorf("sim: %w", err)
	}
	e := &DiskEngine{c: compile(spec), cfg: cfg}
	e.power = uint32(uint64(1)<<uint(cfg.Servers) - 1)
	step := uint64(spec.Limits.SizeStep)
	for _, d := range cfg.Disks {
		var fl uint8
		if d.Shared {
			fl |= dShared
		}
		if d.System {
			fl |= dSystem
		}
		e.disks = append(e.disks, dstate{status: model.NoDisk, op: model.NoOp, bg: model.NoOp, flags: fl, size: uint32(d.Size)})
		v := env{nServers: uint8(cfg.Servers), operator: cfg.Operator, maxSnaps: 255, maxBacks: 255,
			minSize: 1, maxSize: 1<<32 - 1, initSize: uint32(d.Size)}
		b := cfg.Bounds
		if b.Snapshots > 0 && b.Snapshots < 255 {
			v.maxSnaps = uint8(b.Snapshots)
		}
		if b.Backups > 0 && b.Backups < 255 {
			v.maxBacks = uint8(b.Backups)
		}
		if b.SizeSteps > 0 {
			span := uint64(b.SizeSteps) * step
			v.maxSize = uint32(min(uint64(v.maxSize), uint64(d.Size)+span))
			if uint64(d.Size) > span {
				v.minSize = uint32(uint64(d.Size) - span)
			}
		}
		e.envs = append(e.envs, v)
	}
	return e, nil
}

// Disks returns the number of disk slots.
func (e *DiskEngine) Disks() int { return len(e.disks) }

func (e *DiskEngine) env(d int, arg uint8, kind model.ArgKind) *env {
	v := &e.envs[d]
	v.power = e.power
	v.self = uint8(d)
	v.snapOK = false
	if kind == model.ArgSnapshot && int(arg) < len(e.disks) {
		o := &e.disks[arg]
		v.snapOK = o.exists() && o.snaps > 0
	}
	return v
}

func (e *DiskEngine) check(d int) error {
	if d < 0 || d >= len(e.disks) {
		return fmt.Errorf("sim: disk %d: %w (want 0 to %d)", d, ErrRejected, len(e.disks)-1)
	}
	return nil
}

// Start starts operation op on disk d with argument arg ([model.NoArg] for
// none, a server index, or the index of the disk whose snapshot is used). It
// returns an error wrapping [ErrRejected], and changes nothing, when the
// model does not enable it.
func (e *DiskEngine) Start(d int, op model.OpID, arg uint8) error {
	if err := e.check(d); err != nil {
		return err
	}
	if int(op) >= len(e.c.ops) {
		return fmt.Errorf("sim: start op %d: %w (no such operation)", op, ErrRejected)
	}
	k := &e.disks[d]
	v := e.env(d, arg, e.c.ops[op].argKind)
	if !e.c.enabled(k, v, op, arg) {
		return fmt.Errorf("sim: start %s on disk %d: %w", e.c.spec.Ops[op].Name, d, ErrRejected)
	}
	e.c.start(k, v, op, arg)
	return nil
}

// Succeed completes the current step of the operation running on disk d.
func (e *DiskEngine) Succeed(d int) error {
	if err := e.check(d); err != nil {
		return err
	}
	k := &e.disks[d]
	if k.op == model.NoOp {
		return fmt.Errorf("sim: succeed on disk %d: %w (no operation running)", d, ErrRejected)
	}
	e.c.succeed(k, e.env(d, k.arg, model.ArgNone))
	return nil
}

// Fail ends the operation running on disk d with its failure target.
func (e *DiskEngine) Fail(d int) error {
	if err := e.check(d); err != nil {
		return err
	}
	k := &e.disks[d]
	if k.op == model.NoOp {
		return fmt.Errorf("sim: fail on disk %d: %w (no operation running)", d, ErrRejected)
	}
	e.c.fail(k, e.env(d, k.arg, model.ArgNone))
	return nil
}

// BgDone ends the background operation of disk d, with its effects when ok.
func (e *DiskEngine) BgDone(d int, ok bool) error {
	if err := e.check(d); err != nil {
		return err
	}
	k := &e.disks[d]
	if k.bg == model.NoOp {
		return fmt.Errorf("sim: background completion on disk %d: %w (none running)", d, ErrRejected)
	}
	e.c.bgDone(k, ok)
	return nil
}

// SetPower powers server s on or off. It is rejected when the configuration
// does not switch power or the server is already in that state, as in the
// model.
func (e *DiskEngine) SetPower(s int, on bool) error {
	if !e.cfg.Power || s < 0 || s >= e.cfg.Servers || (e.power&(1<<uint(s)) != 0) == on {
		return fmt.Errorf("sim: power server %d: %w", s, ErrRejected)
	}
	if on {
		e.power |= 1 << uint(s)
	} else {
		e.power &^= 1 << uint(s)
	}
	return nil
}

// Apply performs a model action: the same step as the matching method.
func (e *DiskEngine) Apply(a model.Action) error {
	switch a.Kind {
	case model.Start:
		return e.Start(int(a.Disk), a.Op, a.Arg)
	case model.Succeed, model.Fail:
		if err := e.check(int(a.Disk)); err != nil {
			return err
		}
		if e.disks[a.Disk].op != a.Op {
			return fmt.Errorf("sim: %s on disk %d: %w (another operation runs)", a.Kind, a.Disk, ErrRejected)
		}
		if a.Kind == model.Succeed {
			return e.Succeed(int(a.Disk))
		}
		return e.Fail(int(a.Disk))
	case model.BgSucceed, model.BgFail:
		if err := e.check(int(a.Disk)); err != nil {
			return err
		}
		if e.disks[a.Disk].bg != a.Op {
			return fmt.Errorf("sim: %s on disk %d: %w (another operation runs)", a.Kind, a.Disk, ErrRejected)
		}
		return e.BgDone(int(a.Disk), a.Kind == model.BgSucceed)
	case model.PowerOff, model.PowerOn:
		return e.SetPower(int(a.Arg), a.Kind == model.PowerOn)
	}
	return fmt.Errorf("sim: action kind %d: %w", a.Kind, ErrRejected)
}

// Status returns the status of disk d ([model.NoDisk] before creation,
// [model.Gone] after deletion).
func (e *DiskEngine) Status(d int) model.StatusID { return e.disks[d].status }

// Attached returns the servers disk d is attached to, one bit per server.
func (e *DiskEngine) Attached(d int) uint32 { return e.disks[d].attached }

// Size returns the size of disk d in GiB.
func (e *DiskEngine) Size(d int) int { return int(e.disks[d].size) }

// Disk returns disk d as a [model.Disk], comparable with the model's.
func (e *DiskEngine) Disk(d int) model.Disk { return e.disks[d].toModel() }

// State returns the whole system as a [model.State], equal to the model's
// after the same steps.
func (e *DiskEngine) State() model.State {
	var st model.State
	st.NDisks = uint8(len(e.disks))
	st.NServers = uint8(e.cfg.Servers)
	st.PowerOn = e.power
	for i := range st.Disks {
		st.Disks[i] = model.Disk{Status: model.NoDisk, Op: model.NoOp, Bg: model.NoOp}
	}
	for i := range e.disks {
		st.Disks[i] = e.disks[i].toModel()
	}
	return st
}
