package sim

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/evsim/evsim/model"
)

func (e *DiskEngine) clone() *DiskEngine {
	c := *e
	c.disks = append([]dstate(nil), e.disks...)
	c.envs = append([]env(nil), e.envs...)
	return &c
}

// candidates lists every action worth trying in st: every start of every
// operation on every disk with every argument (enabled or not), every
// completion whatever runs, and every power switch.
func candidates(sys *model.System, st *model.State) []model.Action {
	var out []model.Action
	args := []uint8{model.NoArg}
	for a := uint8(0); a < 4; a++ {
		args = append(args, a)
	}
	for d := uint8(0); d < st.NDisks; d++ {
		for op := range sys.Spec.Ops {
			for _, a := range args {
				out = append(out, model.Action{Kind: model.Start, Op: model.OpID(op), Disk: d, Arg: a})
			}
			for _, k := range []model.ActionKind{model.Succeed, model.Fail, model.BgSucceed, model.BgFail} {
				out = append(out, model.Action{Kind: k, Op: model.OpID(op), Disk: d, Arg: model.NoArg})
			}
		}
	}
	for s := uint8(0); s < st.NServers; s++ {
		out = append(out, model.Action{Kind: model.PowerOff, Op: model.NoOp, Disk: model.NoArg, Arg: s},
			model.Action{Kind: model.PowerOn, Op: model.NoOp, Disk: model.NoArg, Arg: s})
	}
	return out
}

// TestDiskEngineMatchesModel walks the default system at random and, in
// every state on the way, tries every candidate action on the engine and
// on the model: the engine must accept exactly the actions the model
// enables and reach the same state.
func TestDiskEngineMatchesModel(t *testing.T) {
	spec := model.Default()
	configs := map[string]model.Config{
		"default": model.DefaultConfig(),
		"three disks, no bounds": {
			Disks:    []model.DiskConfig{{Size: 5}, {Shared: true, Size: 32767}, {System: true, Size: 40}},
			Servers:  3,
			Operator: true, Power: true,
		},
		"no operator, no power": {
			Disks:   []model.DiskConfig{{Size: 10}, {Shared: true, Size: 10}},
			Servers: 2,
			Bounds:  model.Bounds{Snapshots: 2, Backups: 1, SizeSteps: 1},
		},
	}
	steps := 3000
	if testing.Short() {
		steps = 500
	}
	for name, cfg := range configs {
		t.Run(name, func(t *testing.T) {
			sys, err := model.NewSystem(spec, cfg)
			if err != nil {
				t.Fatal(err)
			}
			eng, err := NewDiskEngine(spec, cfg)
			if err != nil {
				t.Fatal(err)
			}
			st := sys.Init()[0]
			rng := rand.New(rand.NewPCG(7, 1))
			var buf []model.Action
			for i := 0; i < steps; i++ {
				if got := eng.State(); got != st {
					t.Fatalf("step %d: engine %s, model %s", i, sys.FormatState(&got), sys.FormatState(&st))
				}
				for _, a := range candidates(sys, &st) {
					want, ok := sys.Next(st, a)
					e := eng.clone()
					err := e.Apply(a)
					if ok != (err == nil) {
						t.Fatalf("step %d: %s in %s: model enabled %v, engine error %v", i, sys.FormatAction(a), sys.FormatState(&st), ok, err)
					}
					if err != nil && !errors.Is(err, ErrRejected) {
						t.Fatalf("step %d: %s: error %v does not wrap ErrRejected", i, sys.FormatAction(a), err)
					}
					if got := e.State(); ok && got != want {
						t.Fatalf("step %d: %s: engine reached %s, model %s", i, sys.FormatAction(a), sys.FormatState(&got), sys.FormatState(&want))
					}
					if got := e.State(); !ok && got != st {
						t.Fatalf("step %d: rejected %s changed the engine", i, sys.FormatAction(a))
					}
				}
				buf = sys.Actions(&st, buf[:0])
				if len(buf) == 0 {
					st = sys.Init()[0]
					eng, _ = NewDiskEngine(spec, cfg)
					continue
				}
				a := buf[rng.IntN(len(buf))]
				st, _ = sys.Next(st, a)
				if err := eng.Apply(a); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// TestFleetConformance replays every transition a small fleet makes in a
// busy scenario (every operation, failures, the operator, a small pool)
// through a one-disk model.System per disk: each must be enabled there and
// lead to the same disk.
func TestFleetConformance(t *testing.T) {
	spec := model.Default()
	cfg := busyConfig(spec)
	cfg.Disks = 8
	cfg.CreationsPerDay = 4
	cfg.Horizon = 24 * 60
	cfg.Replications = 2
	cfg.PoolGiB = 2500
	type track struct {
		sys *model.System
		st  model.State
	}
	tracks := map[[2]int]*track{}
	var n int
	kinds := map[model.ActionKind]int{}
	ops := map[string]int{}
	var failure error
	_, err := Run(context.Background(), cfg, Options{Workers: 1, Trace: func(r int, ev TraceEvent) {
		if failure != nil {
			return
		}
		key := [2]int{r, ev.Disk}
		tr := tracks[key]
		if a := ev.Action; a.Kind == model.Start && spec.Ops[a.Op].Creates {
			// A new disk, possibly in the slot of a deleted one.
			tr = nil
		}
		if tr == nil {
			c := model.Config{Disks: []model.DiskConfig{ev.Config}, Servers: max(spec.Limits.Attachments, spec.Limits.SharedAttachments), Operator: true, Power: true}
			sys, err := model.NewSystem(spec, c)
			if err != nil {
				failure = err
				return
			}
			tr = &track{sys: sys, st: sys.Init()[0]}
			tracks[key] = tr
		}
		next, ok := tr.sys.Next(tr.st, ev.Action)
		if !ok {
			failure = fmt.Errorf("replication %d disk %d at %.3f h: %s not enabled in %s", r, ev.Disk, ev.Time, tr.sys.FormatAction(ev.Action), tr.sys.FormatState(&tr.st))
			return
		}
		want := next.Disks[0]
		if want.Status == model.Gone {
			// A deleted slot returns to its size at creation in the model;
			// the fleet keeps the last size to release it from the pool.
			want.Size = ev.After.Size
		}
		if want != ev.After {
			failure = fmt.Errorf("disk %d: after %s the model has %s", ev.Disk, tr.sys.FormatAction(ev.Action), tr.sys.FormatDisk(&next, 0))
			return
		}
		tr.st = next
		n++
		kinds[ev.Action.Kind]++
		if ev.Action.Kind == model.Start {
			ops[spec.Ops[ev.Action.Op].Name]++
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if failure != nil {
		t.Fatal(failure)
	}
	t.Logf("%d transitions of %d slots replayed; kinds %v; starts %v", n, len(tracks), kinds, ops)
	for _, k := range []model.ActionKind{model.Start, model.Succeed, model.Fail, model.BgSucceed, model.BgFail, model.PowerOff, model.PowerOn} {
		if kinds[k] == 0 {
			t.Errorf("no %s transition in the trace: the scenario does not exercise it", k)
		}
	}
	for _, op := range spec.Ops {
		if ops[op.Name] == 0 {
			t.Errorf("operation %s never started: the scenario does not exercise it", op.Name)
		}
	}
}
