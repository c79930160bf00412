package random

import (
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/commands"
	"github.com/leanovate/gopter/gen"

	"github.com/evsim/evsim/model"
)

// Options say how many random sequences to run and what to check.
type Options struct {
	// Seed fixes every random choice: the same seed, setup and spec give
	// the same sequences, the same failure and the same shrunk sequence.
	Seed int64
	// Sequences is the number of sequences to run (default 200).
	Sequences int
	// Steps is the length of every sequence (default 200).
	Steps int
	// Only names the properties to check (default: every invariant and
	// step rule of the system, and no-deadlock). The name
	// transitional-statuses-are-left stands for no-deadlock: a random
	// sequence sees a disk stuck in a transitional status as a disk with
	// no way out.
	Only []string
	// MaxShrinks bounds the number of successful shrinking steps
	// (default 1000).
	MaxShrinks int
	// Target, if set, returns a fresh implementation to compare with the
	// model: every sequence is applied to a new one as well, and after
	// every step it must be in the model's state, have accepted the
	// step, and have refused every probe the model refuses (see
	// [Probes]). A disagreement breaks the property [PropMatchesModel].
	Target func() (Target, error)
}

// Target is an implementation of the status graph driven step by step
// beside the model, such as the simulator's per-disk engine.
type Target interface {
	// Apply performs an action, or returns an error and changes nothing
	// when it is not enabled.
	Apply(a model.Action) error
	// State returns the whole system as the model would hold it.
	State() model.State
}

// PropMatchesModel is the property a [Target] breaks when it disagrees
// with the model.
const PropMatchesModel = "target-matches-model"

// Violation is a property broken at some step of a sequence.
type Violation struct {
	Property string
	Message  string
}

func (v *Violation) String() string { return v.Property + ": " + v.Message }

// Failure is a sequence that broke a property: the first one found and the
// one it shrank to.
type Failure struct {
	Violation
	// Sequence is the number of the failing sequence (1 for the first).
	Sequence int
	// Found is the failing sequence as first found, up to and including
	// the step that broke the property, as [model.System.FormatAction]
	// strings.
	Found []string
	// Shrunk is the shortest sequence the shrinking reached that breaks
	// the same property, in the same form.
	Shrunk []string
	// ShrunkViolation is the violation the shrunk sequence shows.
	ShrunkViolation Violation
	// GopterShrunk is the length gopter's own shrinking reached (dropping
	// aligned chunks of commands and shrinking each command's fields);
	// Shrunk is shorter when [Runner.Minimize] shortened it further.
	GopterShrunk int
	// Tries is the number of sequences run while shrinking.
	Tries int
}

// Coverage is what the sequences reached, to show that they go deep.
type Coverage struct {
	Steps          int                 // steps applied before the first failure
	Statuses       []string            // statuses some disk had, in spec order
	Started        []string            // operations started, in spec order
	MaxAttachments [model.MaxDisks]int // most attachments of each disk
	MaxSize        [model.MaxDisks]uint32
	MaxSnapshots   [model.MaxDisks]int
	MaxBackups     [model.MaxDisks]int

	// Counts, for reports: StatusSteps[i] is the number of steps after
	// which some disk had status i of the spec (the last entry: some disk
	// was deleted); OpStarted, OpSucceeded and OpFailed count the steps
	// that started, completed or failed each operation of the spec
	// (background ones included); PowerOff and PowerOn the power switches.
	StatusSteps                      []uint64
	OpStarted, OpSucceeded, OpFailed []uint64
	PowerOff, PowerOn                uint64
	// Witnessed names the possible properties some step witnessed, in
	// the order of [model.System.Properties].
	Witnessed []string
}

// Result is the outcome of a run of random sequences.
type Result struct {
	Setup string
	Seed  int64
	// Sequences is the number of sequences run, up to and including the
	// first failing one.
	Sequences int
	// Failure is nil when every sequence kept every property.
	Failure  *Failure
	Coverage Coverage
	// Passed is gopter's verdict; it is false exactly when Failure is
	// set, unless gopter gave up (too many sequences it could not draw).
	Passed bool
}

// propCheck is one property a runner checks after every step.
type propCheck struct {
	name  string
	state func(s *model.System, st *model.State) string
	step  func(s *model.System, from *model.State, a model.Action, to *model.State) string
}

// Runner runs random sequences of one setup against one spec. It is not
// safe for concurrent use; each run is deterministic for its seed.
type Runner struct {
	sys     *model.System
	setup   Setup
	weights Weights
	opt     Options
	checks  []propCheck
	// possible are the possible properties, witnessed (or not) by the
	// steps: recorded in [Coverage].Witnessed.
	possible []model.Property

	// Bookkeeping of one run of the gopter property.
	sequences  int
	found      *Failure
	cov        coverage
	minimizing bool
}

// coverage accumulates [Coverage].
type coverage struct {
	steps    int
	statuses map[model.StatusID]bool
	started  map[model.OpID]bool
	maxAtt   [model.MaxDisks]int
	maxSize  [model.MaxDisks]uint32
	maxSnap  [model.MaxDisks]int
	maxBack  [model.MaxDisks]int

	statusSteps                 []uint64
	started2, succeeded, failed []uint64
	powerOff, powerOn           uint64
	witnessed                   map[string]bool
}

// New returns a runner of setup with spec. It fails on a configuration the
// model rejects and on an unknown property name in opt.Only.
func New(spec *model.Spec, setup Setup, opt Options) (*Runner, error) {
	sys, err := model.NewSystem(spec, setup.Config)
	if err != nil {
		return nil, fmt.Errorf("random: setup %s: %w", setup.Name, err)
	}
	if opt.Sequences == 0 {
		opt.Sequences = 200
	}
	if opt.Steps == 0 {
		opt.Steps = 200
	}
	if opt.MaxShrinks == 0 {
		opt.MaxShrinks = 1000
	}
	if opt.Sequences < 0 || opt.Steps < 0 || opt.MaxShrinks < 0 {
		return nil, errors.New("random: sequences, steps and shrinks must not be negative")
	}
	w := setup.Weights
	if w == nil {
		w = baseWeights()
	}
	r := &Runner{sys: sys, setup: setup, weights: w, opt: opt}
	var known []string
	want := map[string]bool{}
	for _, n := range opt.Only {
		if n == model.PropTransitionalLeft {
			n = model.PropNoDeadlock
		}
		want[n] = true
	}
	for _, p := range sys.Properties() {
		if p.Kind == model.Possible && p.Witness != nil {
			r.possible = append(r.possible, p)
		}
		if p.Kind != model.Invariant && p.Kind != model.StepRule {
			continue
		}
		known = append(known, p.Name)
		if len(want) == 0 || want[p.Name] {
			r.checks = append(r.checks, propCheck{name: p.Name, state: p.State, step: p.Step})
			delete(want, p.Name)
		}
	}
	known = append(known, model.PropNoDeadlock, model.PropTransitionalLeft)
	if len(want) == 0 || want[model.PropNoDeadlock] {
		r.checks = append(r.checks, propCheck{name: model.PropNoDeadlock, state: stuck})
		delete(want, model.PropNoDeadlock)
	}
	known = append(known, PropMatchesModel)
	delete(want, PropMatchesModel) // checked whenever there is a target
	for _, n := range opt.Only {
		if want[n] {
			return nil, fmt.Errorf("random: unknown property %q; want one of %v", n, known)
		}
	}
	return r, nil
}

// System returns the bounded system the runner drives.
func (r *Runner) System() *model.System { return r.sys }

// stuck reports a disk that exists but has no way out: no enabled action
// touches it, and none would even with every server powered off (a system
// disk is detached only from a stopped server). It needs the operator,
// whose actions are the only way out of the failed statuses, and server
// power switching; without them it reports nothing.
func stuck(sys *model.System, st *model.State) string {
	if !sys.Config.Operator || !sys.Config.Power {
		return ""
	}
	acts := sys.Actions(st, nil)
	var off *model.State
	for d := 0; d < int(st.NDisks); d++ {
		k := &st.Disks[d]
		if !k.Exists() {
			continue
		}
		if touches(acts, d) {
			continue
		}
		if off == nil {
			s := *st
			s.PowerOn = 0
			off = &s
		}
		if touches(sys.Actions(off, nil), d) {
			continue
		}
		return fmt.Sprintf("d%d is stuck in %s: no action can move it", d, sys.FormatDisk(st, d))
	}
	return ""
}

func touches(acts []model.Action, d int) bool {
	for _, a := range acts {
		if int(a.Disk) == d {
			return true
		}
	}
	return false
}

// executor is the system under test of a sequence: the model itself,
// stepped by [model.System.Next], with every property checked after every
// step. It records the actions applied and the first violation.
type executor struct {
	r         *Runner
	target    Target
	st        model.State
	trace     []model.Action
	violation *Violation
}

// stepResult is what one step of an executor reports.
type stepResult struct {
	state     model.State
	violation *Violation // the first violation of the sequence, at this step
	err       string
}

func (r *Runner) newExecutor() *executor {
	e := r.freshExecutor()
	r.sequences++
	return e
}

// freshExecutor returns an executor in the initial state, with a new
// target when the options have one (a target that cannot be made is a
// disagreement at the first step).
func (r *Runner) freshExecutor() *executor {
	e := &executor{r: r, st: r.sys.Init()[0]}
	if r.opt.Target != nil {
		t, err := r.opt.Target()
		if err != nil {
			t = brokenTarget{err}
		}
		e.target = t
	}
	return e
}

// brokenTarget stands for a target that could not be made.
type brokenTarget struct{ err error }

func (b brokenTarget) Apply(model.Action) error { return b.err }
func (b brokenTarget) State() model.State       { return model.State{} }

// Probes returns the actions tried on a [Target] in st besides the one
// applied: every start of every operation on every disk with no
// argument, the first and the last server and the first and the last
// disk's snapshot; the completions (succeed, fail, bg-succeed, bg-fail)
// on every disk of the operation it runs, of its background operation,
// and of the first and the last operation of the spec; and both power
// switches of every server. Most of them the model refuses.
func Probes(sys *model.System, st *model.State) []model.Action {
	var out []model.Action
	args := []uint8{model.NoArg, 0}
	if st.NServers > 1 {
		args = append(args, st.NServers-1)
	}
	if st.NDisks > 1 && st.NDisks != st.NServers {
		args = append(args, st.NDisks-1)
	}
	for d := uint8(0); d < st.NDisks; d++ {
		for op := range sys.Spec.Ops {
			for _, a := range args {
				out = append(out, model.Action{Kind: model.Start, Op: model.OpID(op), Disk: d, Arg: a})
			}
		}
		last := model.OpID(len(sys.Spec.Ops) - 1)
		ops := []model.OpID{0, last}
		for _, op := range []model.OpID{st.Disks[d].Op, st.Disks[d].Bg} {
			if op != model.NoOp && op != 0 && op != last {
				ops = append(ops, op)
			}
		}
		for _, op := range ops {
			for _, k := range []model.ActionKind{model.Succeed, model.Fail, model.BgSucceed, model.BgFail} {
				out = append(out, model.Action{Kind: k, Op: op, Disk: d, Arg: model.NoArg})
			}
		}
	}
	for i := uint8(0); i < st.NServers; i++ {
		out = append(out, model.Action{Kind: model.PowerOff, Op: model.NoOp, Disk: model.NoArg, Arg: i},
			model.Action{Kind: model.PowerOn, Op: model.NoOp, Disk: model.NoArg, Arg: i})
	}
	return out
}

// compare applies a to the target and says what disagrees ("" when
// nothing): the target must accept a, reach the model's state, and then
// refuse, without changing, every probe the model refuses there. The
// initial state is probed before the first step.
func (e *executor) compare(from *model.State, a model.Action, to *model.State, first bool) string {
	sys := e.r.sys
	if first {
		if msg := e.probe(from, "in the initial state"); msg != "" {
			return msg
		}
	}
	if err := e.target.Apply(a); err != nil {
		return fmt.Sprintf("the target refused %s, which the model enables: %v", sys.FormatAction(a), err)
	}
	if got := e.target.State(); got != *to {
		for d := 0; d < int(to.NDisks); d++ {
			if got.Disks[d] != to.Disks[d] {
				return fmt.Sprintf("after %s, the target has d%d %s, the model %s", sys.FormatAction(a), d, sys.FormatDisk(&got, d), sys.FormatDisk(to, d))
			}
		}
		return fmt.Sprintf("after %s, the target has %s, the model %s", sys.FormatAction(a), sys.FormatState(&got), sys.FormatState(to))
	}
	return e.probe(to, "after "+sys.FormatAction(a))
}

// probe tries every probe the model refuses in st on the target.
func (e *executor) probe(st *model.State, when string) string {
	sys := e.r.sys
	for _, p := range Probes(sys, st) {
		if sys.Enabled(st, p) {
			continue
		}
		if err := e.target.Apply(p); err == nil {
			return fmt.Sprintf("the target accepted %s, which the model refuses %s (%s)", sys.FormatAction(p), when, sys.FormatState(st))
		}
	}
	if got := e.target.State(); got != *st {
		return fmt.Sprintf("refused probes changed the target %s: %s, want %s", when, sys.FormatState(&got), sys.FormatState(st))
	}
	return ""
}

func (e *executor) checkState(st *model.State) *Violation {
	for _, c := range e.r.checks {
		if c.state != nil {
			if msg := c.state(e.r.sys, st); msg != "" {
				return &Violation{Property: c.name, Message: msg}
			}
		}
	}
	return nil
}

// apply steps the executor by a, which is enabled.
func (e *executor) apply(a model.Action) *stepResult {
	from := e.st
	next, ok := e.r.sys.Next(from, a)
	if !ok {
		return &stepResult{state: from, err: e.r.sys.FormatAction(a) + " is not enabled"}
	}
	e.st = next
	res := &stepResult{state: next}
	if e.violation != nil {
		// The sequence already failed: the rest of it does not matter.
		return res
	}
	first := len(e.trace) == 0
	e.trace = append(e.trace, a)
	if e.r.found == nil {
		e.r.cov.add(e.r.sys, a, &next)
		for _, p := range e.r.possible {
			if !e.r.cov.witnessed[p.Name] && p.Witness(e.r.sys, &from, a, &next) {
				e.r.cov.witnessed[p.Name] = true
			}
		}
	}
	var v *Violation
	if e.target != nil {
		if msg := e.compare(&from, a, &next, first); msg != "" {
			v = &Violation{Property: PropMatchesModel, Message: msg}
		}
	}
	for _, c := range e.r.checks {
		if v != nil {
			break
		}
		if c.step != nil {
			if msg := c.step(e.r.sys, &from, a, &next); msg != "" {
				v = &Violation{Property: c.name, Message: msg}
				break
			}
		}
	}
	if v == nil {
		v = e.checkState(&next)
	}
	if v != nil {
		e.violation = v
		res.violation = v
		if !e.r.minimizing {
			e.r.failed(e)
		}
	}
	return res
}

// failed records a failing executor: the first one is what was found, the
// last one is what shrinking ends with.
func (r *Runner) failed(e *executor) {
	if r.found == nil {
		r.found = &Failure{Violation: *e.violation, Sequence: r.sequences, Found: r.format(e.trace)}
		r.found.Shrunk = r.found.Found
		r.found.ShrunkViolation = *e.violation
		r.found.GopterShrunk = len(e.trace)
		return
	}
	r.found.Shrunk = r.format(e.trace)
	r.found.ShrunkViolation = *e.violation
	r.found.GopterShrunk = len(e.trace)
}

func (r *Runner) format(trace []model.Action) []string {
	out := make([]string, len(trace))
	for i, a := range trace {
		out[i] = r.sys.FormatAction(a)
	}
	return out
}

func (c *coverage) add(sys *model.System, a model.Action, st *model.State) {
	if c.statuses == nil {
		c.statuses = map[model.StatusID]bool{}
		c.started = map[model.OpID]bool{}
		c.witnessed = map[string]bool{}
		n := len(sys.Spec.Ops)
		c.statusSteps = make([]uint64, len(sys.Spec.Statuses)+1)
		c.started2, c.succeeded, c.failed = make([]uint64, n), make([]uint64, n), make([]uint64, n)
	}
	c.steps++
	switch a.Kind {
	case model.Start:
		c.started[a.Op] = true
		c.started2[a.Op]++
	case model.Succeed, model.BgSucceed:
		c.succeeded[a.Op]++
	case model.Fail, model.BgFail:
		c.failed[a.Op]++
	case model.PowerOff:
		c.powerOff++
	case model.PowerOn:
		c.powerOn++
	}
	var seen [4]uint64 // statuses met in this step: at most 256
	nst := len(sys.Spec.Statuses)
	for d := 0; d < int(st.NDisks); d++ {
		k := &st.Disks[d]
		i := int(k.Status)
		if k.Status == model.Gone {
			i = nst
		}
		if k.Status != model.NoDisk && i <= nst && seen[i>>6]&(1<<(i&63)) == 0 {
			seen[i>>6] |= 1 << (i & 63)
			c.statusSteps[i]++
		}
		if !k.Exists() {
			continue
		}
		c.statuses[k.Status] = true
		c.maxAtt[d] = max(c.maxAtt[d], k.Attachments())
		c.maxSize[d] = max(c.maxSize[d], k.Size)
		c.maxSnap[d] = max(c.maxSnap[d], int(k.Snapshots))
		c.maxBack[d] = max(c.maxBack[d], int(k.Backups))
	}
}

func (c *coverage) result(sys *model.System) Coverage {
	out := Coverage{
		Steps: c.steps, MaxAttachments: c.maxAtt, MaxSize: c.maxSize,
		MaxSnapshots: c.maxSnap, MaxBackups: c.maxBack,
		StatusSteps: c.statusSteps, OpStarted: c.started2, OpSucceeded: c.succeeded, OpFailed: c.failed,
		PowerOff: c.powerOff, PowerOn: c.powerOn,
	}
	if out.StatusSteps == nil {
		n := len(sys.Spec.Ops)
		out.StatusSteps = make([]uint64, len(sys.Spec.Statuses)+1)
		out.OpStarted, out.OpSucceeded, out.OpFailed = make([]uint64, n), make([]uint64, n), make([]uint64, n)
	}
	for _, p := range sys.Properties() {
		if c.witnessed[p.Name] {
			out.Witnessed = append(out.Witnessed, p.Name)
		}
	}
	for i, s := range sys.Spec.Statuses {
		if c.statuses[model.StatusID(i)] {
			out.Statuses = append(out.Statuses, s.Name)
		}
	}
	for i, o := range sys.Spec.Ops {
		if c.started[model.OpID(i)] {
			out.Started = append(out.Started, o.Name)
		}
	}
	return out
}

// Commands returns the gopter commands of the runner: the initial state of
// the system, a generator of enabled steps, and an executor per sequence.
func (r *Runner) Commands() commands.Commands {
	init := r.sys.Init()[0]
	return &commands.ProtoCommands{
		NewSystemUnderTestFunc: func(commands.State) commands.SystemUnderTest {
			return r.newExecutor()
		},
		InitialStateGen: gen.Const(init),
		GenCommandFunc:  r.genStep,
	}
}

// Parameters returns the gopter test parameters of the runner's options:
// the seed, one sequence length, one worker (for determinism).
func (r *Runner) Parameters() *gopter.TestParameters {
	p := gopter.DefaultTestParametersWithSeed(r.opt.Seed)
	p.MinSuccessfulTests = r.opt.Sequences
	p.MinSize = r.opt.Steps
	p.MaxSize = r.opt.Steps
	p.MaxShrinkCount = r.opt.MaxShrinks
	p.Workers = 1
	return p
}

// Properties returns a gopter property set that runs the random sequences
// and fails, with the shrunk sequence, when one breaks a property. In a Go
// test, run it with TestingRun(t) and read [Runner.Result] afterwards.
func (r *Runner) Properties() *gopter.Properties {
	r.reset()
	props := gopter.NewProperties(r.Parameters())
	props.Property(fmt.Sprintf("%s keeps every property (%s)", r.sys.Spec.Name, r.setup.Name), commands.Prop(r.Commands()))
	return props
}

func (r *Runner) reset() {
	r.sequences, r.found, r.cov = 0, nil, coverage{}
}

// Result returns the outcome of the last run of [Runner.Properties].
func (r *Runner) Result() *Result {
	res := &Result{Setup: r.setup.Name, Seed: r.opt.Seed, Sequences: r.sequences, Coverage: r.cov.result(r.sys)}
	if r.found != nil {
		f := *r.found
		f.Found = slices.Clone(f.Found)
		f.Shrunk = slices.Clone(f.Shrunk)
		f.Tries = r.sequences - f.Sequence
		res.Failure = &f
		res.Sequences = f.Sequence
	}
	return res
}

// Run runs the random sequences and returns the result; gopter's report is
// written to report (nil discards it).
func (r *Runner) Run(report io.Writer) *Result {
	if report == nil {
		report = io.Discard
	}
	ok := r.Properties().Run(gopter.NewFormatedReporter(true, 100, report))
	r.Minimize()
	res := r.Result()
	res.Passed = ok
	return res
}

// Minimize shortens the failure of the last run, if any, beyond what
// gopter's shrinking reaches: gopter drops aligned chunks of commands and
// one command at a time, so a story with two unrelated steps far apart
// (start an image, ..., its completion) stays in. Minimize drops every
// action on one disk, any one or two actions (both as concrete actions and
// as ranks, which follow the story when a disk changes), replaces a start
// by an earlier operation of the spec while dropping one or two steps it
// no longer needs, and lowers the disk and argument ranks of each step, as
// long as the sequence still breaks the same property, until nothing more
// helps. It is deterministic.
func (r *Runner) Minimize() {
	if r.found == nil {
		return
	}
	r.minimizing = true
	defer func() { r.minimizing = false }()
	prop := r.found.ShrunkViolation.Property
	var acts []model.Action
	for _, text := range r.found.Shrunk {
		a, err := ParseAction(r.sys, text)
		if err != nil {
			return
		}
		acts = append(acts, a)
	}
	accept := func(e *executor, n int) bool {
		if e == nil || e.violation == nil || e.violation.Property != prop || len(e.trace) >= len(acts) && n >= len(acts) {
			return false
		}
		acts = slices.Clone(e.trace)
		r.found.Shrunk = r.format(e.trace)
		r.found.ShrunkViolation = *e.violation
		return true
	}
	tryActs := func(cand []model.Action) bool { return accept(r.runActions(cand), len(cand)) }
	trySteps := func(cand []*step) bool { return accept(r.runSteps(cand), len(cand)) }
	for improved := true; improved; {
		improved = false
		n := len(acts)
		steps := r.symbolicTrace(acts)
		// Every action on one disk.
		for d := uint8(0); d < uint8(len(r.sys.Config.Disks)) && !improved; d++ {
			cand := slices.DeleteFunc(slices.Clone(acts), func(a model.Action) bool { return a.Disk == d })
			improved = len(cand) < n && tryActs(cand)
		}
		// One action, then two.
		for i := 0; i < n && !improved; i++ {
			improved = tryActs(without(acts, i, -1)) || trySteps(without(steps, i, -1))
		}
		for i := 0; i < n && n <= 80 && !improved; i++ {
			for j := i + 1; j < n && !improved; j++ {
				improved = tryActs(without(acts, i, j)) || trySteps(without(steps, i, j))
			}
		}
		// Another operation for a start, with the one or two steps it no
		// longer needs dropped (create_from_backup, its two completions:
		// create, one completion).
		for i := 0; i < n && n <= 16 && !improved; i++ {
			if steps[i].kind != uint8(model.Start) {
				continue
			}
			for op := uint8(0); op < steps[i].op && !improved; op++ {
				// The start and the completions of the old operation
				// that follow it now name the new one.
				swapped := slices.Clone(steps)
				for j := i; j < n; j++ {
					k := model.ActionKind(steps[j].kind)
					if steps[j].op == steps[i].op && (j == i || k == model.Succeed || k == model.Fail) {
						c := *steps[j]
						c.op = op
						swapped[j] = &c
					}
				}
				// The same change on the concrete actions.
				concrete := slices.Clone(acts)
				for j := i; j < n; j++ {
					a := &concrete[j]
					if a.Disk == acts[i].Disk && a.Op == acts[i].Op && (j == i || a.Kind == model.Succeed || a.Kind == model.Fail) {
						a.Op = model.OpID(op)
					}
				}
				switch r.sys.Spec.Ops[op].Arg {
				case model.ArgNone:
					concrete[i].Arg = model.NoArg
				case r.sys.Spec.Ops[acts[i].Op].Arg:
				default:
					concrete[i].Arg = 0
				}
				for j := i + 1; j < n && !improved; j++ {
					improved = trySteps(without(swapped, j, -1)) || tryActs(without(concrete, j, -1))
					for k := j + 1; k < n && !improved; k++ {
						improved = trySteps(without(without(swapped, k, -1), j, -1)) ||
							tryActs(without(without(concrete, k, -1), j, -1))
					}
				}
			}
		}
		if improved {
			continue
		}
		// Lower ranks: the same length, earlier disks and arguments.
	lower:
		for i := 0; i < n; i++ {
			for field := 0; field < 2; field++ {
				cur := steps[i].disk
				if field == 1 {
					cur = steps[i].arg
				}
				for v := uint8(0); v < cur; v++ {
					cand := slices.Clone(steps)
					c := *cand[i]
					if field == 0 {
						c.disk = v
					} else {
						c.arg = v
					}
					cand[i] = &c
					if e := r.runSteps(cand); e != nil && e.violation != nil && e.violation.Property == prop && len(e.trace) <= n && !slices.Equal(e.trace, acts) {
						acts = slices.Clone(e.trace)
						r.found.Shrunk = r.format(e.trace)
						r.found.ShrunkViolation = *e.violation
						improved = true
						break lower
					}
				}
			}
		}
	}
}

// without returns xs without the elements i and j (j < 0: only i).
func without[T any](xs []T, i, j int) []T {
	out := make([]T, 0, len(xs))
	for k, x := range xs {
		if k != i && k != j {
			out = append(out, x)
		}
	}
	return out
}

// symbolicTrace turns a sequence of enabled actions into steps.
func (r *Runner) symbolicTrace(acts []model.Action) []*step {
	st := r.sys.Init()[0]
	out := make([]*step, 0, len(acts))
	for _, a := range acts {
		out = append(out, symbolic(r, &st, a))
		st, _ = r.sys.Next(st, a)
	}
	return out
}

// runSteps runs steps on a fresh executor and returns it, or nil when a
// step stands for no enabled action before the first violation.
func (r *Runner) runSteps(steps []*step) *executor {
	e := r.freshExecutor()
	for _, s := range steps {
		a, ok := resolve(r.sys, &e.st, s)
		if !ok {
			return nil
		}
		if e.apply(a); e.violation != nil {
			return e
		}
	}
	return e
}

// runActions is [Runner.runSteps] for concrete actions.
func (r *Runner) runActions(acts []model.Action) *executor {
	e := r.freshExecutor()
	for _, a := range acts {
		if !r.sys.Enabled(&e.st, a) {
			return nil
		}
		if e.apply(a); e.violation != nil {
			return e
		}
	}
	return e
}
