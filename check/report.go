package check

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/evsim/evsim/internal/readfile"
	"github.com/evsim/evsim/model"
)

// Verdicts of a property.
const (
	Holds    = "holds"
	Violated = "violated"
	Unknown  = "unknown" // the search stopped before it could decide
)

// Results of a check.
const (
	ResultHolds      = "holds"
	ResultViolated   = "violated"
	ResultIncomplete = "incomplete"
)

// Kinds of finding the exploration derives, beside those of
// [model.Spec.Findings].
const (
	FindUnreachedStatus = "unreached-status"    // no explored state has a disk in the status
	FindUnreachedOp     = "unreached-operation" // no explored transition starts the operation
)

// Report is the outcome of [Check]: the exploration's figures, the verdict
// of every property, the coverage of statuses and operations, the findings
// and a shortest trace for each violated property. It holds no pointers
// and no times beyond Seconds, so that it can be printed or encoded as it is.
type Report struct {
	Result      string           `json:"result"` // holds, violated or incomplete
	Stop        string           `json:"stop"`   // complete, max-states, max-memory, capacity or interrupted
	Hint        string           `json:"hint,omitempty"`
	States      int              `json:"states"`
	Transitions uint64           `json:"transitions"`
	Depth       int              `json:"depth"`
	FullStates  uint64           `json:"full_states"` // states without symmetry reduction (= States without it)
	FullExact   bool             `json:"full_states_exact"`
	Bits        int              `json:"bits_per_state"`
	StoreBytes  int64            `json:"store_bytes"`
	Seconds     float64          `json:"-"` // the whole check
	SearchSecs  float64          `json:"-"` // the breadth-first search alone
	GraphSecs   float64          `json:"-"` // the graph rules, traces excluded
	TraceSecs   float64          `json:"-"` // rebuilding the counterexamples' traces
	Properties  []PropResult     `json:"properties"`
	Violations  []Counterexample `json:"violations"`
	Coverage    Coverage         `json:"coverage"`
	Findings    []Finding        `json:"findings"`
}

// PropResult is the verdict of one property.
type PropResult struct {
	Name    string `json:"name"`
	Number  int    `json:"number"`
	Kind    string `json:"kind"`
	Summary string `json:"summary"`
	Verdict string `json:"verdict"`
	Holds   bool   `json:"holds"`
}

// Counterexample is a violated property with what is wrong and a shortest trace
// leading to it.
type Counterexample struct {
	Property string      `json:"property"`
	Detail   string      `json:"detail"`
	Trace    []TraceStep `json:"trace"`
	Final    string      `json:"final_state"`
}

// TraceStep is one step of a trace: the action, the disk and server it
// touched (-1 when none), and the touched disk's status before and after
// (for power actions, the server's power before and after).
type TraceStep struct {
	Action     string `json:"action"`
	Op         string `json:"op,omitempty"`
	Disk       int    `json:"disk"`
	Server     int    `json:"server"`
	From       string `json:"from"`
	To         string `json:"to"`
	FromDetail string `json:"from_detail,omitempty"`
	ToDetail   string `json:"to_detail,omitempty"`
}

// Coverage counts the explored states per status and transitions per
// operation.
type Coverage struct {
	Statuses   []StatusCount `json:"statuses"`
	Operations []OpCount     `json:"operations"`
	PowerOff   uint64        `json:"power_off"`
	PowerOn    uint64        `json:"power_on"`
}

// StatusCount is the number of states in which some disk has the status.
type StatusCount struct {
	Status string `json:"status"`
	States uint64 `json:"states"`
}

// OpCount is the number of transitions that start, complete or fail an
// operation.
type OpCount struct {
	Op        string `json:"op"`
	Actor     string `json:"actor"`
	Shape     string `json:"shape"` // steps, instant (takes effect when it starts) or background
	Started   uint64 `json:"started"`
	Succeeded uint64 `json:"succeeded"`
	Failed    uint64 `json:"failed"`
}

// Finding is a fact about the spec worth a reader's attention; not a
// violation.
type Finding struct {
	Kind   string `json:"kind"`
	Status string `json:"status,omitempty"`
	Op     string `json:"op,omitempty"`
	Text   string `json:"text"`
}

// Config is what [Check] explores and how.
type Config struct {
	Symmetry bool
	Options
	// Budget is the memory budget of the whole process the hints name
	// (the command's -max-memory), of which Options.MaxMemory is the
	// checker's part; 0 means Options.MaxMemory.
	Budget int64
}

// budget is the memory bound the hints name.
func (c *Config) budget() int64 {
	if c.Budget > 0 {
		return c.Budget
	}
	return c.MaxMemory
}

// Check explores sys exhaustively and evaluates every property of
// [model.System.Properties]: invariants on every state, step rules on every
// transition, possible properties by a witness, no-deadlock per state, and
// the graph rules on the explored graph:
//
//   - transitional-statuses-are-left: from every state, a state with no
//     disk in a transitional status can be reached, and no cycle of one
//     disk's own transitions stays within transitional statuses;
//   - every-status-reachable: every status has a disk in some state and
//     every operation starts somewhere;
//   - disk-can-always-be-deleted: from every state, a state in which no
//     disk exists can be reached (with the operator, if the configuration
//     has one). Without the operator, each status (attached or not) from
//     which the customer alone cannot delete a disk is reported as a
//     finding;
//   - customer-can-delete: the same, as a verdict: every such situation
//     must be one of the rule's exceptions;
//   - leads-to: see [model.LeadsTo].
//
// A violated property is part of the report, not an error; the error is
// for configurations the checker cannot explore.
func Check(sys *model.System, cfg Config) (*Report, error) {
	m, err := NewSystemModel(sys, cfg.Symmetry)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	// The graph rules' targets, so that the search notes the states the
	// ranks do not settle (see rank.go).
	// A state wider than one word is searched by other workers, which
	// note nothing: the exact way decides there.
	if m.in == nil {
		m.rank = newRankTables(m, graphTargets(m))
	}
	res, err := Explore(m, cfg.Options)
	if err != nil {
		return nil, err
	}
	rep := &Report{
		Stop:        res.Stop.String(),
		States:      res.States,
		Transitions: res.Transitions,
		Depth:       res.Depth,
		Bits:        m.Bits(),
		SearchSecs:  res.Elapsed.Seconds(),
		StoreBytes:  res.Bytes,
		Violations:  []Counterexample{},
		Findings:    []Finding{},
	}
	complete := res.Stop == Complete
	// Statistics.
	spec := sys.Spec
	nst := len(spec.Statuses)
	statusStates := make([]uint64, nst+1)
	nops := len(spec.Ops)
	started, succ, fail := make([]uint64, nops), make([]uint64, nops), make([]uint64, nops)
	var orbits uint64
	overflow := false
	m.mu.Lock()
	for _, w := range m.workers {
		for i, c := range w.statusStates {
			statusStates[i] += c
		}
		for i := range started {
			started[i] += w.started[i]
			succ[i] += w.succeeded[i]
			fail[i] += w.failed[i]
		}
		rep.Coverage.PowerOff += w.powerOff
		rep.Coverage.PowerOn += w.powerOn
		var c uint64
		orbits, c = addCarry(orbits, w.orbits)
		overflow = overflow || c != 0 || w.orbitsOverflow
	}
	m.mu.Unlock()
	rep.FullStates, rep.FullExact = orbits, !overflow && complete
	for i := 0; i < nst; i++ {
		rep.Coverage.Statuses = append(rep.Coverage.Statuses, StatusCount{spec.Statuses[i].Name, statusStates[i]})
	}
	rep.Coverage.Statuses = append(rep.Coverage.Statuses, StatusCount{spec.StatusName(model.Gone), statusStates[nst]})
	for i := 0; i < nops; i++ {
		shape := "steps"
		switch {
		case spec.Ops[i].Background:
			shape = "background"
		case spec.Ops[i].Instant():
			shape = "instant"
		}
		rep.Coverage.Operations = append(rep.Coverage.Operations, OpCount{spec.Ops[i].Name, spec.Ops[i].Actor.String(), shape, started[i], succ[i], fail[i]})
	}

	// Verdicts of the properties the explorer evaluates.
	verdict := map[string]string{}
	viol := map[string]*Counterexample{}
	props := m.Properties()
	var traceTime time.Duration
	t0 := time.Now()
	for _, v := range res.Violations {
		name := props[v.Prop].Name
		verdict[name] = Violated
		tv, _ := traceFor(m, res, v)
		viol[name] = &tv
	}
	traceTime += time.Since(t0)
	for i, p := range props {
		if verdict[p.Name] != "" {
			continue
		}
		switch {
		case p.Kind == Sometimes && res.Witnessed&(1<<i) != 0:
			verdict[p.Name] = Holds
		case !complete:
			verdict[p.Name] = Unknown
		case p.Kind == Sometimes:
			verdict[p.Name] = Violated
			viol[p.Name] = &Counterexample{Property: p.Name, Detail: "no explored transition witnesses it (is the configuration large enough to show it?)", Trace: []TraceStep{}}
		default:
			verdict[p.Name] = Holds
		}
	}

	// Reachability of statuses and operations.
	var missing []string
	for i := 0; i < nst; i++ {
		if statusStates[i] == 0 {
			missing = append(missing, spec.Statuses[i].Name)
			rep.Findings = append(rep.Findings, Finding{Kind: FindUnreachedStatus, Status: spec.Statuses[i].Name,
				Text: fmt.Sprintf("no explored state has a disk in %s", spec.Statuses[i].Name)})
		}
	}
	for i := 0; i < nops; i++ {
		if started[i] == 0 && (spec.Ops[i].Actor != model.Operator || sys.Config.Operator) {
			missing = append(missing, spec.Ops[i].Name)
			rep.Findings = append(rep.Findings, Finding{Kind: FindUnreachedOp, Op: spec.Ops[i].Name,
				Text: fmt.Sprintf("no explored transition starts %s", spec.Ops[i].Name)})
		}
	}
	switch {
	case len(missing) > 0 && complete:
		verdict[model.PropEveryStatus] = Violated
		viol[model.PropEveryStatus] = &Counterexample{Property: model.PropEveryStatus, Trace: []TraceStep{},
			Detail: "never reached: " + strings.Join(missing, ", ") + " (is the configuration large enough to reach them?)"}
	case len(missing) > 0:
		verdict[model.PropEveryStatus] = Unknown
	default:
		verdict[model.PropEveryStatus] = Holds
	}

	// Graph rules.
	var graphErr error
	if complete && closed(cfg.OverBudget) {
		graphErr = fmt.Errorf("the process reached -max-memory %s before the graph rules", readfile.Size(cfg.budget()))
	} else if complete {
		t0 := time.Now()
		before := traceTime
		graphErr = graphRules(m, res, verdict, viol, rep, &traceTime)
		rep.GraphSecs = (time.Since(t0) - (traceTime - before)).Seconds()
	}
	rep.TraceSecs = traceTime.Seconds()
	if !complete || graphErr != nil {
		for _, n := range []string{model.PropTransitionalLeft, model.PropDeletable} {
			if verdict[n] == "" {
				verdict[n] = Unknown
			}
		}
	}

	for _, f := range spec.Findings() {
		rep.Findings = append(rep.Findings, Finding{Kind: f.Kind, Status: f.Status, Op: f.Op, Text: f.Text})
	}
	sort.SliceStable(rep.Findings, func(i, j int) bool { return rep.Findings[i].Kind < rep.Findings[j].Kind })

	anyViolated, anyUnknown := false, false
	for _, p := range sys.Properties() {
		v := verdict[p.Name]
		if v == "" {
			v = Unknown
		}
		rep.Properties = append(rep.Properties, PropResult{Name: p.Name, Number: p.Number, Kind: p.Kind.String(),
			Summary: p.Summary, Verdict: v, Holds: v == Holds})
		if v == Violated {
			anyViolated = true
			if tv := viol[p.Name]; tv != nil {
				tv.Property = p.Name
				rep.Violations = append(rep.Violations, *tv)
			}
		}
		if v == Unknown {
			anyUnknown = true
		}
	}
	switch {
	case anyViolated:
		rep.Result = ResultViolated
	case anyUnknown:
		rep.Result = ResultIncomplete
	default:
		rep.Result = ResultHolds
	}
	switch {
	case res.Stop == MaxStates:
		rep.Hint = fmt.Sprintf("stopped at -max-states %d; raise -max-states (and -max-memory if needed), or shrink the configuration", cfg.MaxStates)
	case res.Stop == MaxMemory:
		rep.Hint = fmt.Sprintf("stopped at -max-memory %s (%d bytes per state); raise -max-memory, or shrink the configuration", readfile.Size(cfg.budget()), res.Bytes/int64(max(res.States, 1)))
	case res.Stop == Interrupted:
		rep.Hint = fmt.Sprintf("interrupted after %d states at depth %d; the report covers the levels explored", res.States, res.Depth)
	case res.Stop == Capacity:
		rep.Hint = "the state store is full; shrink the configuration or turn on -symmetry"
	case graphErr != nil:
		rep.Hint = graphErr.Error() + "; raise -max-memory to evaluate the graph rules"
	}
	rep.Seconds = time.Since(start).Seconds()
	return rep, nil
}

func addCarry(a, b uint64) (uint64, uint64) {
	s := a + b
	if s < a {
		return s, 1
	}
	return s, 0
}

// graphRules evaluates transitional-statuses-are-left and
// disk-can-always-be-deleted on the explored graph, and derives the
// customer-stuck findings.
func graphRules(m *SystemModel, res *Result, verdict map[string]string, viol map[string]*Counterexample, rep *Report, traceTime *time.Duration) error {
	sys := m.sys
	spec := sys.Spec
	n := res.States
	l := &m.l
	targets := graphTargets(m)
	// The ranks were given to the search by Check.
	shown := rankShown(m, res)
	// missing returns the first state from which target ti cannot be
	// reached, if any, deciding exactly where the ranks could not.
	missing := func(ti int) (uint32, bool, error) {
		if shown[ti] {
			return 0, false, nil
		}
		target := NewBitset(n)
		var st model.State
		for i := 0; i < n; i++ {
			key := res.Key(uint32(i))
			if m.in != nil {
				m.unpack(key, &st)
			}
			all := true
			for d := 0; d < l.nd && all; d++ {
				bits := (key >> l.base[d]) & l.mask[d]
				if m.in != nil {
					bits = l.packDisk(d, &st.Disks[d])
				}
				all = targets[ti](l, bits)
			}
			if all {
				target.Add(uint32(i))
			}
		}
		reach, err := res.CanReach(target, 0)
		if err != nil {
			return 0, false, err
		}
		for i := 0; i < n; i++ {
			if !reach.Has(uint32(i)) {
				return uint32(i), true, nil
			}
		}
		return 0, false, nil
	}
	trace := func(v Violation) (Counterexample, model.State) {
		t0 := time.Now()
		defer func() { *traceTime += time.Since(t0) }()
		return traceFor(m, res, v)
	}

	// Transitional statuses are left.
	verdict[model.PropTransitionalLeft] = Holds
	i, bad, err := missing(0)
	if err != nil {
		return err
	}
	if bad {
		verdict[model.PropTransitionalLeft] = Violated
		tv, st := trace(Violation{Prop: -1, State: i, Action: -1})
		tv.Detail = "no sequence of actions takes every disk out of its transitional status: " + transitional(sys, &st)
		viol[model.PropTransitionalLeft] = &tv
	}

	if err := leadsTo(m, res, verdict, viol); err != nil {
		return err
	}

	// Per disk, on the projection of the graph onto one disk's situation.
	loc := project(m, res)
	customerWayOut(m, res, loc, verdict, viol)

	// Disks can be deleted.
	verdict[model.PropDeletable] = Holds
	i, bad, err = missing(1)
	if err != nil {
		return err
	}
	if bad {
		verdict[model.PropDeletable] = Violated
		tv, st := trace(Violation{Prop: -1, State: i, Action: -1})
		tv.Detail = "from this state no sequence of actions deletes every disk"
		if stuck := loc.stuckDisks(m, &st, loc.canDelete(0)); stuck != "" {
			tv.Detail += ": " + stuck + " can never be deleted"
		}
		viol[model.PropDeletable] = &tv
	}
	if cyc := loc.transitionalCycle(spec); len(cyc) > 0 && verdict[model.PropTransitionalLeft] == Holds {
		verdict[model.PropTransitionalLeft] = Violated
		tv, _ := trace(Violation{Prop: -1, State: loc.firstState(m, res, cyc), Action: -1})
		var names []string
		seen := map[string]bool{}
		for _, c := range cyc {
			s := spec.StatusName(loc.status[c])
			if !seen[s] {
				seen[s] = true
				names = append(names, s)
			}
		}
		sort.Strings(names)
		tv.Detail = "a disk can cycle through transitional statuses without leaving them: " + strings.Join(names, ", ")
		viol[model.PropTransitionalLeft] = &tv
	}
	type stuckKey struct {
		status   model.StatusID
		attached bool
	}
	stuck := map[stuckKey]bool{}
	for id, ok := range loc.canDelete(LabelOperator) {
		if !ok && loc.status[id] != model.NoDisk && loc.status[id] != model.Gone {
			stuck[stuckKey{loc.status[id], loc.attached[id]}] = true
		}
	}
	var keys []stuckKey
	for k := range stuck {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(a, b int) bool {
		if keys[a].status != keys[b].status {
			return keys[a].status < keys[b].status
		}
		return !keys[a].attached && keys[b].attached
	})
	for _, k := range keys {
		where := "while not attached"
		if k.attached {
			where = "while attached"
		}
		name := spec.StatusName(k.status)
		rep.Findings = append(rep.Findings, Finding{Kind: model.FindNoCustomerWay, Status: name,
			Text: fmt.Sprintf("the customer alone cannot delete a disk in %s %s; only the operator can", name, where)})
	}
	return nil
}

// graphTargets returns the targets of transitional-statuses-are-left (no
// disk in a transitional status) and disk-can-always-be-deleted (no disk
// exists), as conditions on each disk.
func graphTargets(m *SystemModel) []rankTarget {
	spec := m.sys.Spec
	workMask := uint64(1)<<uint(m.l.wWork) - 1
	settled := func(l *layout, local uint64) bool {
		s := l.work[local&workMask].status
		return s == model.NoDisk || s == model.Gone || spec.Statuses[s].Class != model.Transitional
	}
	gone := func(l *layout, local uint64) bool {
		s := l.work[local&workMask].status
		return s == model.NoDisk || s == model.Gone
	}
	return []rankTarget{settled, gone}
}

func transitional(sys *model.System, st *model.State) string {
	var parts []string
	for d := 0; d < int(st.NDisks); d++ {
		k := &st.Disks[d]
		if k.Exists() && sys.Spec.Statuses[k.Status].Class == model.Transitional {
			parts = append(parts, fmt.Sprintf("d%d %s", d, sys.Spec.StatusName(k.Status)))
		}
	}
	return strings.Join(parts, ", ")
}

// local is the projection of the explored graph onto the situation of one
// disk: its own fields (status, operation, attachments, counters, ...) with
// its class of attributes, and the edges of the actions that touch it. The
// projection ignores the other disks and the power switches, which the
// customer can always turn; a situation from which no path of the
// projection deletes the disk cannot be left towards deletion in the full
// graph either.
type local struct {
	ids      map[localKey]int32
	status   []model.StatusID
	attached []bool
	from, to []int32
	lab      []uint8
}

type localKey struct {
	disk  uint64
	class uint8
}

// localKey returns the node of disk d's situation bits. With symmetry, the
// situations that differ by a relabelling of the servers are one node:
// the stored states carry one labelling of each class, and a successor
// another, and whether a disk can be deleted does not depend on it. The
// representative puts the attached servers first, the target of the
// running operation first among them if attached, else right after them.
func (m *SystemModel) localKey(d int, bits uint64, class uint8) localKey {
	if !m.symmetry {
		return localKey{bits, class}
	}
	l := &m.l
	workMask := uint64(1)<<uint(l.wWork) - 1
	attSh := uint(l.wWork + l.wBg + l.wSnap + l.wBack + 1)
	attMask := uint64(1)<<uint(l.ns) - 1
	code := int(bits & workMask)
	att := (bits >> attSh) & attMask
	n := bitsOnes(att)
	w := l.work[code]
	if w.op != model.NoOp && l.argKind[w.op] == model.ArgServer && w.arg != model.NoArg {
		arg := n // not attached to its target: the target comes after
		if att&(1<<w.arg) != 0 {
			arg = 0
		}
		code = code - int(w.arg) + arg
	}
	att = 1<<uint(n) - 1
	bits = bits&^workMask | uint64(code)
	bits = bits&^(attMask<<attSh) | att<<attSh
	return localKey{bits, class}
}

func bitsOnes(x uint64) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}

func (loc *local) node(m *SystemModel, k localKey) int32 {
	if v, ok := loc.ids[k]; ok {
		return v
	}
	v := int32(len(loc.status))
	loc.ids[k] = v
	l := &m.l
	loc.status = append(loc.status, l.work[k.disk&(1<<uint(l.wWork)-1)].status)
	att := (k.disk >> uint(l.wWork+l.wBg+l.wSnap+l.wBack+1)) & (1<<uint(l.ns) - 1)
	loc.attached = append(loc.attached, att != 0)
	return v
}

// project builds the projection from the successor caches of the workers,
// which hold the list of every disk situation met; without them (cache
// off or full) it expands every state again.
func project(m *SystemModel, res *Result) *local {
	loc := &local{ids: map[localKey]int32{}}
	class := make([]uint8, len(m.sys.Config.Disks))
	classes := map[model.DiskConfig]uint8{}
	for d, dc := range m.sys.Config.Disks {
		if _, ok := classes[dc]; !ok {
			classes[dc] = uint8(len(classes))
		}
		class[d] = classes[dc]
	}
	type edge struct {
		from, to int32
		lab      uint8
	}
	seen := map[edge]bool{}
	add := func(d int, from, to uint64, lab uint8) {
		e := edge{loc.node(m, m.localKey(d, from, class[d])), loc.node(m, m.localKey(d, to, class[d])), lab}
		if !seen[e] {
			seen[e] = true
			loc.from = append(loc.from, e.from)
			loc.to = append(loc.to, e.to)
			loc.lab = append(loc.lab, e.lab)
		}
	}
	m.mu.Lock()
	workers := append([]*sysWorker(nil), m.workers...)
	m.mu.Unlock()
	cached := !m.direct
	for _, w := range workers {
		if w.memo.incomplete {
			cached = false
		}
	}
	if cached {
		for _, w := range workers {
			w.memo.each(func(mk memoKey, sp uint64) {
				d := int(mk.ctx >> 40)
				loc.node(m, m.localKey(d, mk.local, class[d]))
				for _, s := range w.arena[sp>>16 : sp>>16+sp&0xffff] {
					add(d, mk.local, s.local, s.lab)
				}
			})
		}
		return loc
	}
	var st, next model.State
	var acts []model.Action
	sys := m.sys
	for i := 0; i < res.States; i++ {
		m.unpack(res.Key(uint32(i)), &st)
		acts = sys.Actions(&st, acts[:0])
		for _, a := range acts {
			if a.Disk == model.NoArg {
				continue
			}
			next = st
			sys.Apply(&next, a)
			var lab uint8
			if a.Kind == model.Start && sys.Spec.Ops[a.Op].Actor == model.Operator {
				lab = LabelOperator
			}
			d := int(a.Disk)
			add(d, m.l.packDisk(d, &st.Disks[d]), m.l.packDisk(d, &next.Disks[d]), lab)
		}
		for d := 0; d < int(st.NDisks); d++ {
			loc.node(m, m.localKey(d, m.l.packDisk(d, &st.Disks[d]), class[d]))
		}
	}
	return loc
}

// stuckDisks names the disks of st whose situation cannot reach deletion
// in the projection.
func (loc *local) stuckDisks(m *SystemModel, st *model.State, ok []bool) string {
	class := map[model.DiskConfig]uint8{}
	for _, dc := range m.sys.Config.Disks {
		if _, seen := class[dc]; !seen {
			class[dc] = uint8(len(class))
		}
	}
	var parts []string
	for d := 0; d < int(st.NDisks); d++ {
		if !st.Disks[d].Exists() {
			continue
		}
		id, found := loc.ids[m.localKey(d, m.l.packDisk(d, &st.Disks[d]), class[m.sys.Config.Disks[d]])]
		if found && !ok[id] {
			parts = append(parts, fmt.Sprintf("d%d in %s", d, m.sys.Spec.StatusName(st.Disks[d].Status)))
		}
	}
	return strings.Join(parts, ", ")
}

// firstState returns the smallest index of a state in which some disk is
// in one of the situations of set.
func (loc *local) firstState(m *SystemModel, res *Result, set []int32) uint32 {
	want := map[int32]bool{}
	for _, v := range set {
		want[v] = true
	}
	class := map[model.DiskConfig]uint8{}
	for _, dc := range m.sys.Config.Disks {
		if _, ok := class[dc]; !ok {
			class[dc] = uint8(len(class))
		}
	}
	var st model.State
	for i := 0; i < res.States; i++ {
		m.unpack(res.Key(uint32(i)), &st)
		for d := 0; d < int(st.NDisks); d++ {
			k := m.localKey(d, m.l.packDisk(d, &st.Disks[d]), class[m.sys.Config.Disks[d]])
			if id, ok := loc.ids[k]; ok && want[id] {
				return uint32(i)
			}
		}
	}
	panic("check: a disk situation of the projection is in no state")
}

// canDelete reports, per situation, whether a path of edges without a label
// bit of skip leads to deletion.
func (l *local) canDelete(skip uint8) []bool {
	n := len(l.status)
	preds := make([][]int32, n)
	for e := range l.from {
		if l.lab[e]&skip == 0 {
			preds[l.to[e]] = append(preds[l.to[e]], l.from[e])
		}
	}
	ok := make([]bool, n)
	var queue []int32
	for i, s := range l.status {
		if s == model.Gone {
			ok[i] = true
			queue = append(queue, int32(i))
		}
	}
	for len(queue) > 0 {
		v := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		for _, u := range preds[v] {
			if !ok[u] {
				ok[u] = true
				queue = append(queue, u)
			}
		}
	}
	return ok
}

// transitionalCycle returns the situations that lie on a cycle of edges
// between transitional situations, or between two such cycles (found by
// peeling the situations without a transitional predecessor or successor
// until none is left).
func (l *local) transitionalCycle(spec *model.Spec) []int32 {
	n := len(l.status)
	tr := func(i int32) bool {
		s := l.status[i]
		return s != model.NoDisk && s != model.Gone && spec.Statuses[s].Class == model.Transitional
	}
	in, out := make([]int, n), make([]int, n)
	succs, preds := make([][]int32, n), make([][]int32, n)
	for e := range l.from {
		a, b := l.from[e], l.to[e]
		if tr(a) && tr(b) {
			out[a]++
			in[b]++
			succs[a] = append(succs[a], b)
			preds[b] = append(preds[b], a)
		}
	}
	alive := make([]bool, n)
	var queue []int32
	for i := int32(0); i < int32(n); i++ {
		alive[i] = tr(i)
		if alive[i] && (in[i] == 0 || out[i] == 0) {
			alive[i] = false
			queue = append(queue, i)
		}
	}
	for len(queue) > 0 {
		v := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		for _, w := range succs[v] {
			if in[w]--; alive[w] && in[w] == 0 {
				alive[w] = false
				queue = append(queue, w)
			}
		}
		for _, u := range preds[v] {
			if out[u]--; alive[u] && out[u] == 0 {
				alive[u] = false
				queue = append(queue, u)
			}
		}
	}
	var cyc []int32
	for i := int32(0); i < int32(n); i++ {
		if alive[i] {
			cyc = append(cyc, i)
		}
	}
	return cyc
}

// traceFor rebuilds a concrete trace to v: the explorer's path through
// stored (possibly canonical) states, replayed from the concrete initial
// state by choosing at each step the first enabled action whose successor
// has the next stored key. For a step violation the last action is the
// first one whose successor has the stored key and violates the property.
func traceFor(m *SystemModel, res *Result, v Violation) (Counterexample, model.State) {
	sys := m.sys
	path := res.Path(v.State)
	cur := sys.Init()[0]
	var out []TraceStep
	var acts []model.Action
	step := func(want uint64, accept func(a model.Action, next *model.State) bool) {
		acts = sys.Actions(&cur, acts[:0])
		for _, a := range acts {
			next := cur
			sys.Apply(&next, a)
			if m.canon(&next) == want && (accept == nil || accept(a, &next)) {
				out = append(out, m.traceStep(&cur, a, &next))
				cur = next
				return
			}
		}
		panic("check: a stored path has no concrete counterpart")
	}
	for _, p := range path[1:] {
		step(p.Key, nil)
	}
	var tv Counterexample
	props := m.Properties()
	if v.Action >= 0 {
		w := m.NewWorker()
		var vis Visit
		w.Visit(path[len(path)-1].Key, &vis)
		mp := m.mprops[v.Prop]
		before := cur
		step(vis.Succ[v.Action], func(a model.Action, next *model.State) bool {
			if d := mp.Step(sys, &before, a, next); d != "" {
				tv.Detail = d
				return true
			}
			return false
		})
	} else if v.Prop >= 0 {
		switch {
		case props[v.Prop].Name == model.PropNoDeadlock:
			tv.Detail = "a disk has no enabled action: " + stuckDisks(sys, &cur)
		default:
			tv.Detail = m.mprops[v.Prop].State(sys, &cur)
		}
	}
	tv.Trace = out
	if tv.Trace == nil {
		tv.Trace = []TraceStep{}
	}
	tv.Final = sys.FormatState(&cur)
	return tv, cur
}

func stuckDisks(sys *model.System, st *model.State) string {
	acts := sys.Actions(st, nil)
	var parts []string
	for d := 0; d < int(st.NDisks); d++ {
		if !st.Disks[d].Exists() {
			continue
		}
		moves := false
		for _, a := range acts {
			if a.Disk == uint8(d) {
				moves = true
			}
		}
		if !moves {
			parts = append(parts, fmt.Sprintf("d%d in %s", d, sys.Spec.StatusName(st.Disks[d].Status)))
		}
	}
	return strings.Join(parts, ", ")
}

func (m *SystemModel) traceStep(from *model.State, a model.Action, to *model.State) TraceStep {
	sys := m.sys
	t := TraceStep{Action: sys.FormatAction(a), Disk: -1, Server: -1}
	if a.Op != model.NoOp {
		t.Op = sys.Spec.Ops[a.Op].Name
	}
	onOff := func(st *model.State, s int) string {
		if st.ServerOn(s) {
			return "on"
		}
		return "off"
	}
	if a.Disk == model.NoArg {
		t.Server = int(a.Arg)
		t.From, t.To = onOff(from, t.Server), onOff(to, t.Server)
		return t
	}
	d := int(a.Disk)
	t.Disk = d
	arg := a.Arg
	if a.Kind != model.Start {
		arg = from.Disks[d].Arg
	}
	if a.Op != model.NoOp && sys.Spec.Ops[a.Op].Arg == model.ArgServer && arg != model.NoArg {
		t.Server = int(arg)
	}
	t.From, t.To = sys.Spec.StatusName(from.Disks[d].Status), sys.Spec.StatusName(to.Disks[d].Status)
	t.FromDetail, t.ToDetail = sys.FormatDisk(from, d), sys.FormatDisk(to, d)
	return t
}
