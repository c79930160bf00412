package random

import (
	"fmt"
	"reflect"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/commands"
	"github.com/leanovate/gopter/gen"

	"github.com/evsim/evsim/model"
)

// step is one command of a random sequence, in symbolic form: an action
// kind and operation, the rank of its disk among the disks on which an
// action of that kind and operation is enabled, and the rank of its
// argument among the arguments enabled on that disk. Ranks rather than
// disk and server numbers make shrinking carry a whole story along: when
// "attach to the 4th free server" shrinks to "attach to the 1st free
// server", the "detach from the 1st attached server" that follows still
// detaches that same server.
//
// The four fields are generated with gopter.DeriveGen, so that each of them
// shrinks (towards 0: start, the first operation, the first disk, the first
// argument) besides the commands being dropped.
type step struct {
	run  *Runner
	kind uint8 // model.ActionKind
	op   uint8 // model.OpID
	disk uint8 // rank of the disk
	arg  uint8 // rank of the argument
}

func (s *step) String() string {
	k := model.ActionKind(s.kind)
	if int(s.kind) >= 7 {
		return fmt.Sprintf("kind%d", s.kind)
	}
	switch k {
	case model.PowerOff, model.PowerOn:
		return fmt.Sprintf("%s server#%d", k, s.arg)
	}
	op := fmt.Sprintf("op%d", s.op)
	if int(s.op) < len(s.run.sys.Spec.Ops) {
		op = s.run.sys.Spec.Ops[s.op].Name
	}
	if k == model.Start {
		return fmt.Sprintf("%s %s disk#%d arg#%d", k, op, s.disk, s.arg)
	}
	return fmt.Sprintf("%s %s disk#%d", k, op, s.disk)
}

// resolve turns a symbolic step into the action it stands for in st, and
// reports false when it stands for none (a rank beyond the candidates).
func resolve(sys *model.System, st *model.State, s *step) (model.Action, bool) {
	if s.kind > uint8(model.PowerOn) {
		return model.Action{}, false
	}
	kind := model.ActionKind(s.kind)
	switch kind {
	case model.PowerOff, model.PowerOn:
		if s.op != uint8(model.NoOp) || s.disk != 0 {
			return model.Action{}, false
		}
		n := uint8(0)
		for i := uint8(0); i < st.NServers; i++ {
			a := model.Action{Kind: kind, Op: model.NoOp, Disk: model.NoArg, Arg: i}
			if sys.Enabled(st, a) {
				if n == s.arg {
					return a, true
				}
				n++
			}
		}
		return model.Action{}, false
	case model.Start:
		if int(s.op) >= len(sys.Spec.Ops) {
			return model.Action{}, false
		}
		n := uint8(0)
		for d := uint8(0); d < st.NDisks; d++ {
			args := startArgs(sys, st, d, model.OpID(s.op))
			if len(args) == 0 {
				continue
			}
			if n == s.disk {
				if int(s.arg) >= len(args) {
					return model.Action{}, false
				}
				return model.Action{Kind: kind, Op: model.OpID(s.op), Disk: d, Arg: args[s.arg]}, true
			}
			n++
		}
		return model.Action{}, false
	default:
		if s.arg != 0 {
			return model.Action{}, false
		}
		n := uint8(0)
		for d := uint8(0); d < st.NDisks; d++ {
			a := model.Action{Kind: kind, Op: model.OpID(s.op), Disk: d, Arg: model.NoArg}
			if sys.Enabled(st, a) {
				if n == s.disk {
					return a, true
				}
				n++
			}
		}
		return model.Action{}, false
	}
}

// startArgs returns the arguments with which op may start on disk d of st,
// ascending ([model.NoArg] alone for an operation without argument).
func startArgs(sys *model.System, st *model.State, d uint8, op model.OpID) []uint8 {
	var args []uint8
	try := func(a uint8) {
		if _, ok := sys.Via(st, int(d), op, a); ok {
			args = append(args, a)
		}
	}
	switch sys.Spec.Ops[op].Arg {
	case model.ArgNone:
		try(model.NoArg)
	case model.ArgServer:
		for a := uint8(0); a < st.NServers; a++ {
			try(a)
		}
	case model.ArgSnapshot:
		for a := uint8(0); a < st.NDisks; a++ {
			try(a)
		}
	}
	return args
}

// symbolic returns the step that stands for the enabled action a in st.
func symbolic(r *Runner, st *model.State, a model.Action) *step {
	s := &step{run: r, kind: uint8(a.Kind), op: uint8(a.Op)}
	switch a.Kind {
	case model.PowerOff, model.PowerOn:
		for i := uint8(0); i < a.Arg; i++ {
			if r.sys.Enabled(st, model.Action{Kind: a.Kind, Op: model.NoOp, Disk: model.NoArg, Arg: i}) {
				s.arg++
			}
		}
	case model.Start:
		for d := uint8(0); d < a.Disk; d++ {
			if len(startArgs(r.sys, st, d, a.Op)) > 0 {
				s.disk++
			}
		}
		for i, x := range startArgs(r.sys, st, a.Disk, a.Op) {
			if x == a.Arg {
				s.arg = uint8(i)
			}
		}
	default:
		for d := uint8(0); d < a.Disk; d++ {
			if r.sys.Enabled(st, model.Action{Kind: a.Kind, Op: a.Op, Disk: d, Arg: model.NoArg}) {
				s.disk++
			}
		}
	}
	return s
}

// groupKey names the weight group of an action (see [Weights]).
func groupKey(sys *model.System, a model.Action) string {
	if a.Kind == model.Start {
		return "start " + sys.Spec.Ops[a.Op].Name
	}
	return a.Kind.String()
}

// fixed is a generator of one value that shrinks like an unsigned integer.
func fixed(v uint8) gopter.Gen {
	return func(*gopter.GenParameters) *gopter.GenResult {
		return gopter.NewGenResult(v, gen.UInt8Shrinker)
	}
}

var stepType = reflect.TypeOf((*step)(nil))

// genStep draws an enabled action of st (a weighted group, then an action
// of the group uniformly) and returns it as a derived, shrinkable step.
func (r *Runner) genStep(state commands.State) gopter.Gen {
	st := state.(model.State)
	acts := r.sys.Actions(&st, nil)
	if len(acts) == 0 {
		return gen.Fail(stepType)
	}
	var keys []string
	members := map[string][]model.Action{}
	for _, a := range acts {
		k := groupKey(r.sys, a)
		if _, ok := members[k]; !ok {
			keys = append(keys, k)
		}
		members[k] = append(members[k], a)
	}
	total := 0
	for _, k := range keys {
		total += max(r.weights.weight(k), 0)
	}
	down := func(kind, op, disk, arg uint8) *step {
		return &step{run: r, kind: kind, op: op, disk: disk, arg: arg}
	}
	up := func(s *step) (uint8, uint8, uint8, uint8) { return s.kind, s.op, s.disk, s.arg }
	return func(p *gopter.GenParameters) *gopter.GenResult {
		var group []model.Action
		if total == 0 {
			group = acts
		} else {
			x := p.Rng.Intn(total)
			for _, k := range keys {
				w := max(r.weights.weight(k), 0)
				if x < w {
					group = members[k]
					break
				}
				x -= w
			}
		}
		a := group[p.Rng.Intn(len(group))]
		s := symbolic(r, &st, a)
		return gopter.DeriveGen(down, up, fixed(s.kind), fixed(s.op), fixed(s.disk), fixed(s.arg))(p)
	}
}

// The commands.Command methods of a step. The gopter state is the model's
// State; the system under test is an [executor].

// PreCondition reports whether the step stands for an enabled action.
func (s *step) PreCondition(state commands.State) bool {
	st := state.(model.State)
	_, ok := resolve(s.run.sys, &st, s)
	return ok
}

// NextState applies the step to the expected state.
func (s *step) NextState(state commands.State) commands.State {
	st := state.(model.State)
	a, ok := resolve(s.run.sys, &st, s)
	if !ok {
		return st
	}
	next, _ := s.run.sys.Next(st, a)
	return next
}

// Run applies the step to the executor.
func (s *step) Run(sut commands.SystemUnderTest) commands.Result {
	e := sut.(*executor)
	a, ok := resolve(s.run.sys, &e.st, s)
	if !ok {
		return &stepResult{err: fmt.Sprintf("%s stands for no enabled action", s)}
	}
	return e.apply(a)
}

// PostCondition fails when the step broke a property or the executor
// disagrees with the expected state.
func (s *step) PostCondition(state commands.State, result commands.Result) *gopter.PropResult {
	return postCondition(state, result)
}

// concrete is a command for one fixed action, for replays.
type concrete struct {
	run *Runner
	a   model.Action
}

func (c *concrete) String() string { return c.run.sys.FormatAction(c.a) }

// PreCondition reports whether the action is enabled.
func (c *concrete) PreCondition(state commands.State) bool {
	st := state.(model.State)
	return c.run.sys.Enabled(&st, c.a)
}

// NextState applies the action to the expected state.
func (c *concrete) NextState(state commands.State) commands.State {
	next, _ := c.run.sys.Next(state.(model.State), c.a)
	return next
}

// Run applies the action to the executor.
func (c *concrete) Run(sut commands.SystemUnderTest) commands.Result {
	e := sut.(*executor)
	if !c.run.sys.Enabled(&e.st, c.a) {
		return &stepResult{err: c.String() + " is not enabled"}
	}
	return e.apply(c.a)
}

// PostCondition is that of [step.PostCondition].
func (c *concrete) PostCondition(state commands.State, result commands.Result) *gopter.PropResult {
	return postCondition(state, result)
}

func postCondition(state commands.State, result commands.Result) *gopter.PropResult {
	res := result.(*stepResult)
	switch {
	case res.err != "":
		return &gopter.PropResult{Status: gopter.PropFalse, Labels: []string{res.err}}
	case res.violation != nil:
		return &gopter.PropResult{Status: gopter.PropFalse, Labels: []string{res.violation.String()}}
	case res.state != state.(model.State):
		return &gopter.PropResult{Status: gopter.PropFalse, Labels: []string{"executor and model disagree"}}
	}
	return &gopter.PropResult{Status: gopter.PropTrue}
}
