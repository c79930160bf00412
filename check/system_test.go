package check

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/evsim/evsim/model"
)

func mustSys(t testing.TB, spec *model.Spec, cfg model.Config) *model.System {
	t.Helper()
	sys, err := model.NewSystem(spec, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return sys
}

func mustModel(t testing.TB, sys *model.System, sym bool) *SystemModel {
	t.Helper()
	m, err := NewSystemModel(sys, sym)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func mutant(t *testing.T, name string) *model.Spec {
	t.Helper()
	f := filepath.Join("..", "model", "testdata", "mutants", name+".yaml")
	data, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	spec, err := model.Load(f, data)
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

// smallConfig is the default configuration with one server: quick to
// explore, and still every status.
func smallConfig() model.Config {
	cfg := model.DefaultConfig()
	cfg.Servers = 1
	return cfg
}

// naive explores sys with a plain map of concrete states, evaluating every
// invariant and step rule on every state and transition and no-deadlock on
// every state. It returns the number of states and transitions, the depth
// and the set of violated property names.
func naive(sys *model.System) (states, transitions, depth int, violated map[string]bool) {
	violated = map[string]bool{}
	props := sys.Properties()
	init := sys.Init()[0]
	level := map[model.State]int{init: 0}
	queue := []model.State{init}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		depth = max(depth, level[cur])
		for _, p := range props {
			if p.Kind == model.Invariant && p.State(sys, &cur) != "" {
				violated[p.Name] = true
			}
		}
		acts := sys.Actions(&cur, nil)
		for d := 0; d < int(cur.NDisks); d++ {
			moves := false
			for _, a := range acts {
				moves = moves || a.Disk == uint8(d)
			}
			if cur.Disks[d].Exists() && !moves {
				violated[model.PropNoDeadlock] = true
			}
		}
		for _, a := range acts {
			next, ok := sys.Next(cur, a)
			if !ok {
				panic("action not enabled")
			}
			transitions++
			for _, p := range props {
				if p.Kind == model.StepRule && p.Step(sys, &cur, a, &next) != "" {
					violated[p.Name] = true
				}
			}
			if _, ok := level[next]; !ok {
				level[next] = level[cur] + 1
				queue = append(queue, next)
			}
		}
	}
	return len(level), transitions, depth, violated
}

func TestSystemAgainstNaiveSearch(t *testing.T) {
	tests := []struct {
		name string
		spec *model.Spec
	}{
		{"default", model.Default()},
		{"delete-attached", mutant(t, "delete-attached")},
		{"rollback-from-in-use", mutant(t, "rollback-from-in-use")},
		{"uploading-no-way-out", mutant(t, "uploading-no-way-out")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sys := mustSys(t, tt.spec, smallConfig())
			states, trans, depth, violated := naive(sys)
			m := mustModel(t, sys, false)
			r := explore(t, m, Options{})
			got := map[string]bool{}
			for _, v := range r.Violations {
				got[m.Properties()[v.Prop].Name] = true
			}
			if r.States != states || int(r.Transitions) != trans || r.Depth != depth {
				t.Errorf("got %d states, %d transitions, depth %d; naive %d, %d, %d", r.States, r.Transitions, r.Depth, states, trans, depth)
			}
			if !reflect.DeepEqual(got, violated) {
				t.Errorf("violated %v; naive %v", got, violated)
			}
			// Every stored key unpacks to a state that packs to it again.
			for i := 0; i < r.States; i++ {
				k := r.Key(uint32(i))
				st := m.State(k)
				if m.Key(&st) != k {
					t.Fatalf("state %d: key %x unpacks to a state with key %x", i, k, m.Key(&st))
				}
			}
		})
	}
}

func TestWorkersGiveTheSameResult(t *testing.T) {
	sys := mustSys(t, mutant(t, "rollback-from-in-use"), smallConfig())
	var reps []*Report
	var results []*Result
	for _, w := range []int{1, 2} {
		rep, err := Check(sys, Config{Symmetry: true, Options: Options{Workers: w}})
		if err != nil {
			t.Fatal(err)
		}
		rep.Seconds, rep.SearchSecs, rep.GraphSecs, rep.TraceSecs = 0, 0, 0, 0
		reps = append(reps, rep)
		results = append(results, explore(t, mustModel(t, sys, true), Options{Workers: w}))
	}
	if !reflect.DeepEqual(reps[0], reps[1]) {
		t.Errorf("reports differ between 1 and 2 workers:\n%+v\n%+v", reps[0], reps[1])
	}
	if len(reps[0].Violations) == 0 {
		t.Fatal("the mutant has no violation")
	}
	a, b := results[0], results[1]
	if a.States != b.States {
		t.Fatalf("states %d and %d", a.States, b.States)
	}
	for i := 0; i < a.States; i++ {
		if a.Key(uint32(i)) != b.Key(uint32(i)) {
			t.Fatalf("state %d differs between 1 and 2 workers", i)
		}
	}
}

func TestSymmetryReduction(t *testing.T) {
	tests := []struct {
		name string
		spec *model.Spec
		cfg  model.Config
	}{
		{"two equal disks", model.Default(), model.Config{
			Disks:   []model.DiskConfig{{Size: 10}, {Size: 10}},
			Servers: 2, Bounds: model.Bounds{Snapshots: 1, Backups: 1, SizeSteps: 1}, Operator: true, Power: true}},
		{"two servers, two kinds of disk", model.Default(), model.Config{
			Disks:   []model.DiskConfig{{Shared: true, Size: 10}, {System: true, Size: 1023}},
			Servers: 2, Bounds: model.Bounds{Snapshots: 1, Backups: 1, SizeSteps: 1}, Operator: true, Power: true}},
		{"three servers", model.Default(), model.Config{
			Disks:   []model.DiskConfig{{Shared: true, Size: 10}},
			Servers: 3, Bounds: model.Bounds{Snapshots: 1, Backups: 1, SizeSteps: 1}, Operator: true, Power: true}},
		{"mutant, equal disks and servers", mutant(t, "rollback-other-snapshot"), model.Config{
			Disks:   []model.DiskConfig{{Size: 10}, {Size: 10}},
			Servers: 2, Bounds: model.Bounds{Snapshots: 1, Backups: 1, SizeSteps: 1}, Operator: true, Power: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sys := mustSys(t, tt.spec, tt.cfg)
			full, red := mustModel(t, sys, false), mustModel(t, sys, true)
			rf := explore(t, full, Options{})
			rr := explore(t, red, Options{})
			orbits := map[uint64]bool{}
			for i := 0; i < rf.States; i++ {
				st := full.State(rf.Key(uint32(i)))
				orbits[red.Key(&st)] = true
			}
			if rr.States != len(orbits) {
				t.Errorf("reduced search has %d states, the full space %d orbits", rr.States, len(orbits))
			}
			if rr.States >= rf.States {
				t.Errorf("no reduction: %d states of %d", rr.States, rf.States)
			}
			repF, err := Check(sys, Config{Symmetry: false})
			if err != nil {
				t.Fatal(err)
			}
			repR, err := Check(sys, Config{Symmetry: true})
			if err != nil {
				t.Fatal(err)
			}
			if repR.FullStates != uint64(rf.States) || !repR.FullExact {
				t.Errorf("orbit sizes add up to %d (exact %v), the full space has %d", repR.FullStates, repR.FullExact, rf.States)
			}
			if !reflect.DeepEqual(repF.Properties, repR.Properties) {
				t.Errorf("verdicts differ:\n%+v\n%+v", repF.Properties, repR.Properties)
			}
			findings := func(r *Report) map[string]bool {
				out := map[string]bool{}
				for _, f := range r.Findings {
					out[f.Text] = true
				}
				return out
			}
			if !reflect.DeepEqual(findings(repF), findings(repR)) {
				t.Errorf("findings differ:\n%v\n%v", findings(repF), findings(repR))
			}
			for i := range repF.Violations {
				if len(repF.Violations[i].Trace) != len(repR.Violations[i].Trace) {
					t.Errorf("%s: trace of %d steps without symmetry, %d with", repF.Violations[i].Property,
						len(repF.Violations[i].Trace), len(repR.Violations[i].Trace))
				}
			}
		})
	}
}

// replay checks that a trace is a concrete path from the initial state and
// returns its last state.
func replay(t *testing.T, sys *model.System, trace []TraceStep) model.State {
	t.Helper()
	st := sys.Init()[0]
	for i, s := range trace {
		found := false
		for _, a := range sys.Actions(&st, nil) {
			if sys.FormatAction(a) == s.Action {
				next, ok := sys.Next(st, a)
				if !ok {
					t.Fatalf("step %d: %s not enabled", i+1, s.Action)
				}
				if s.Disk >= 0 && (sys.Spec.StatusName(st.Disks[s.Disk].Status) != s.From || sys.Spec.StatusName(next.Disks[s.Disk].Status) != s.To) {
					t.Fatalf("step %d: %s goes from %s to %s, trace says %s to %s", i+1, s.Action,
						sys.Spec.StatusName(st.Disks[s.Disk].Status), sys.Spec.StatusName(next.Disks[s.Disk].Status), s.From, s.To)
				}
				st, found = next, true
				break
			}
		}
		if !found {
			t.Fatalf("step %d: %s is not enabled in %s", i+1, s.Action, sys.FormatState(&st))
		}
	}
	return st
}

func TestMutantTracesAreConcreteAndViolate(t *testing.T) {
	files, err := filepath.Glob("../model/testdata/mutants/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatal("no mutants", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".yaml")
		if name == "shared-exceeds-16" {
			continue // needs 17 servers: see the command's tests
		}
		t.Run(name, func(t *testing.T) {
			spec := mutant(t, name)
			breaks := ""
			data, _ := os.ReadFile(f)
			for _, line := range strings.Split(string(data), "\n") {
				if v, ok := strings.CutPrefix(line, "# breaks: "); ok {
					breaks = v
				}
			}
			// One server catches most mutants; the others need two.
			var sys *model.System
			var rep *Report
			for _, cfg := range []model.Config{smallConfig(), model.DefaultConfig()} {
				sys = mustSys(t, spec, cfg)
				var err error
				rep, err = Check(sys, Config{Symmetry: true})
				if err != nil {
					t.Fatal(err)
				}
				caught := false
				for _, v := range rep.Violations {
					caught = caught || v.Property == breaks
				}
				if caught {
					break
				}
			}
			props := map[string]model.Property{}
			for _, p := range sys.Properties() {
				props[p.Name] = p
			}
			named := false
			for _, v := range rep.Violations {
				named = named || v.Property == breaks
			}
			if !named {
				t.Fatalf("%s not violated: %+v", breaks, rep.Violations)
			}
			for _, v := range rep.Violations {
				if v.Detail == "" {
					t.Errorf("%s: no detail", v.Property)
				}
				if len(v.Trace) == 0 {
					continue
				}
				final := replay(t, sys, v.Trace)
				if final != mustStateOf(t, sys, v.Trace) {
					t.Fatal("replay is not deterministic")
				}
				if p := props[v.Property]; p.Kind == model.Invariant && p.State(sys, &final) == "" {
					t.Errorf("%s: the trace's last state does not violate it", v.Property)
				}
				if sys.FormatState(&final) != v.Final {
					t.Errorf("%s: final state %q, trace ends in %q", v.Property, v.Final, sys.FormatState(&final))
				}
			}
		})
	}
}

func mustStateOf(t *testing.T, sys *model.System, trace []TraceStep) model.State {
	t.Helper()
	return replay(t, sys, trace)
}

func TestDefaultSpecHoldsWithFindings(t *testing.T) {
	sys := mustSys(t, model.Default(), model.DefaultConfig())
	rep, err := Check(sys, Config{Symmetry: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Result != ResultHolds {
		t.Fatalf("result %s: %+v", rep.Result, rep.Violations)
	}
	for _, c := range rep.Coverage.Statuses {
		if c.States == 0 {
			t.Errorf("status %s never reached", c.Status)
		}
	}
	for _, c := range rep.Coverage.Operations {
		if c.Started == 0 {
			t.Errorf("operation %s never started", c.Op)
		}
	}
	stuck := map[string]string{}
	for _, f := range rep.Findings {
		if f.Kind == model.FindNoCustomerWay {
			stuck[f.Status] = f.Text
		}
	}
	if len(stuck) != 2 || !strings.Contains(stuck["Deletion failed"], "not attached") || !strings.Contains(stuck["Expansion failed"], "while attached") {
		t.Errorf("customer-stuck findings %v; want Deletion failed and Expansion failed while attached", stuck)
	}
}

func TestIncomplete(t *testing.T) {
	sys := mustSys(t, model.Default(), smallConfig())
	rep, err := Check(sys, Config{Symmetry: true, Options: Options{MaxStates: 500}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Result != ResultIncomplete || rep.States != 500 || !strings.Contains(rep.Hint, "-max-states") {
		t.Errorf("got %s with %d states, hint %q", rep.Result, rep.States, rep.Hint)
	}
	rep, err = Check(sys, Config{Symmetry: true, Options: Options{MaxMemory: 1 << 20}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Result != ResultIncomplete || rep.Stop != "max-memory" || !strings.Contains(rep.Hint, "-max-memory") {
		t.Errorf("got %s (%s) with %d states, hint %q", rep.Result, rep.Stop, rep.States, rep.Hint)
	}
}

func TestTooManyBits(t *testing.T) {
	cfg := model.DefaultConfig()
	cfg.Servers = 20
	if _, err := NewSystemModel(mustSys(t, model.Default(), cfg), true); err == nil || !strings.Contains(err.Error(), "64") {
		t.Errorf("got %v, want an error about 64 bits", err)
	}
}

// TestCacheAgainstDirect compares exploration with the successor cache
// against exploration that computes every action and step rule on the
// full state: the same states in the same order, the same transitions,
// violations, witnesses and labels.
func TestCacheAgainstDirect(t *testing.T) {
	specs := map[string]*model.Spec{"default": model.Default()}
	files, _ := filepath.Glob("../model/testdata/mutants/*.yaml")
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".yaml")
		specs[name] = mutant(t, name)
	}
	cfg := smallConfig()
	cfg.Bounds.SizeSteps = 1
	for name, spec := range specs {
		for _, sym := range []bool{false, true} {
			if sym && name != "default" && name != "rollback-other-snapshot" {
				continue // symmetry on: two specs are enough
			}
			sys := mustSys(t, spec, cfg)
			cached, direct := mustModel(t, sys, sym), mustModel(t, sys, sym)
			direct.direct = true
			a := explore(t, cached, Options{})
			b := explore(t, direct, Options{})
			if a.States != b.States || a.Transitions != b.Transitions || a.Witnessed != b.Witnessed || !reflect.DeepEqual(a.Violations, b.Violations) {
				t.Fatalf("%s (symmetry %v): cached %d states %d transitions %v; direct %d, %d, %v", name, sym,
					a.States, a.Transitions, a.Violations, b.States, b.Transitions, b.Violations)
			}
			wa, wb := cached.NewWorker(), direct.NewWorker()
			var va, vb Visit
			for i := 0; i < a.States; i++ {
				if a.Key(uint32(i)) != b.Key(uint32(i)) {
					t.Fatalf("%s: state %d differs", name, i)
				}
				if i%7 != 0 {
					continue
				}
				va.reset()
				vb.reset()
				wa.Visit(a.Key(uint32(i)), &va)
				wb.Visit(a.Key(uint32(i)), &vb)
				if !reflect.DeepEqual(va.Labels, vb.Labels) {
					t.Fatalf("%s: labels of state %d differ", name, i)
				}
			}
		}
	}
}

// TestTransitionalCycle builds a spec in which a failed attachment leaves
// the disk in Detaching, from where a retry goes through Attaching again:
// every transitional status can still be left (a retry may succeed), but a
// disk can cycle between the two for ever.
func TestTransitionalCycle(t *testing.T) {
	src := string(model.DefaultSpecSource())
	old := "    failure: origin\n    effects: [attach]\n"
	if strings.Count(src, old) != 1 {
		t.Fatal("the attach operation of the default spec changed; update the test")
	}
	src = strings.Replace(src, old, "    failure: Detaching\n    effects: [attach]\n", 1)
	src += `
  - name: retry_attach
    title: Retrying an attachment
    actor: customer
    arg: server
    from:
      - status: Detaching
        basis: {tag: inferred, reason: a test of cycles}
    through: [Attaching]
    success: In-use
    failure: Detaching
    effects: [attach]
    basis: {tag: inferred, reason: a test of cycles}
`
	spec, err := model.Load("cycle.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Check(mustSys(t, spec, smallConfig()), Config{Symmetry: true})
	if err != nil {
		t.Fatal(err)
	}
	var v *Counterexample
	for i := range rep.Violations {
		if rep.Violations[i].Property == model.PropTransitionalLeft {
			v = &rep.Violations[i]
		}
	}
	if v == nil {
		t.Fatalf("%s not violated: %+v", model.PropTransitionalLeft, rep.Properties)
	}
	if !strings.Contains(v.Detail, "cycle") || !strings.Contains(v.Detail, "Attaching, Detaching") || len(v.Trace) == 0 {
		t.Errorf("detail %q, %d steps", v.Detail, len(v.Trace))
	}
}

// Without the operator a disk in Deletion failed can never be deleted.
func TestWithoutOperator(t *testing.T) {
	cfg := model.DefaultConfig()
	cfg.Operator = false
	rep, err := Check(mustSys(t, model.Default(), cfg), Config{Symmetry: true})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, v := range rep.Violations {
		got[v.Property] = v.Detail
	}
	if !strings.Contains(got[model.PropDeletable], "in Deletion failed can never be deleted") {
		t.Errorf("%s: %q", model.PropDeletable, got[model.PropDeletable])
	}
	if !strings.Contains(got[model.PropNoDeadlock], "Deletion failed") {
		t.Errorf("%s: %q", model.PropNoDeadlock, got[model.PropNoDeadlock])
	}
	if len(got) != 2 {
		t.Errorf("violations %v; want only %s and %s", got, model.PropDeletable, model.PropNoDeadlock)
	}
}

// With less memory the graph is built in two passes; the verdicts and
// findings do not change.
func TestGraphInTwoPasses(t *testing.T) {
	sys := mustSys(t, mutant(t, "detach-last-stays-in-use"), smallConfig())
	m := mustModel(t, sys, true)
	res := explore(t, m, Options{})
	full, err := Check(sys, Config{Symmetry: true})
	if err != nil {
		t.Fatal(err)
	}
	budget := res.PeakBytes + res.GraphBytes() + int64(res.Transitions)*5
	if budget >= res.Bytes+res.graphBytesOnePass() {
		t.Fatal("the budget allows one pass")
	}
	tight, err := Check(sys, Config{Symmetry: true, Options: Options{MaxMemory: budget}})
	if err != nil {
		t.Fatal(err)
	}
	if tight.Result != full.Result || !reflect.DeepEqual(tight.Properties, full.Properties) || !reflect.DeepEqual(tight.Findings, full.Findings) {
		t.Errorf("two passes: %s %+v\none pass: %s %+v", tight.Result, tight.Properties, full.Result, full.Properties)
	}
	if full.Result != ResultViolated {
		t.Errorf("result %s, want violated", full.Result)
	}
}

// TestFastSymmetryTables compares, on every reachable state, the canonical
// key and orbit the tables give with those of trying every permutation of
// the servers, checks that every image has the same canonical key, which
// is in the state's class, and that the orbit is the one counted from the
// servers' signatures.
func TestFastSymmetryTables(t *testing.T) {
	for _, servers := range []int{2, 3} {
		cfg := model.DefaultConfig()
		cfg.Servers = servers
		sys := mustSys(t, model.Default(), cfg)
		full, red := mustModel(t, sys, false), mustModel(t, sys, true)
		f := red.fast
		if f == nil || f.best == nil {
			t.Fatalf("%d servers: no symmetry tables", servers)
		}
		loop := *f
		loop.best, loop.orbits = nil, nil
		sorted := mustModel(t, sys, true)
		sorted.fast = nil
		r := explore(t, full, Options{MaxStates: 200000})
		for i := 0; i < r.States; i++ {
			k := r.Key(uint32(i))
			st := full.State(k)
			want := loop.canon(&red.l, k)
			if got := f.canon(&red.l, k); got != want {
				t.Fatalf("%d servers: %s: canonical key %x from the tables, %x trying every permutation", servers, sys.FormatState(&st), got, want)
			}
			for p := range f.perms {
				if got := f.canon(&red.l, f.image(&red.l, p, k)); got != want {
					t.Fatalf("%d servers: %s: image %d has the canonical key %x, want %x", servers, sys.FormatState(&st), p, got, want)
				}
			}
			if c := red.State(want); sorted.canon(&c) != sorted.canon(&st) {
				t.Fatalf("%d servers: %s: canonical state %s is in another class", servers, sys.FormatState(&st), sys.FormatState(&c))
			}
			c := red.State(sorted.canon(&st))
			o, _ := sorted.orbit(&c)
			if got, loopO := f.orbit(&red.l, want), loop.orbit(&red.l, want); got != loopO || got != o {
				t.Fatalf("%d servers: %s: orbit %d from the tables, %d trying every permutation, %d by signatures", servers, sys.FormatState(&st), got, loopO, o)
			}
		}
	}
}

// TestMemoTable stores the same entries in a narrow and a wide table and
// reads them back, one by one and all together; a span a narrow slot
// cannot hold is refused and marks the table incomplete.
func TestMemoTable(t *testing.T) {
	sys := mustSys(t, model.Default(), model.DefaultConfig())
	m := mustModel(t, sys, false)
	var narrow, wide memoTable
	narrow.init(&m.l)
	if !narrow.pack {
		t.Fatal("the default layout's keys do not pack into 32 bits")
	}
	rng := rand.New(rand.NewPCG(5, 5))
	want := map[memoKey]uint64{}
	for len(want) < 5000 {
		d := rng.IntN(m.l.nd)
		k := memoKey{rng.Uint64() & m.l.mask[d], rng.Uint64N(1<<uint(m.l.ns)) | rng.Uint64N(1<<uint(m.l.nd))<<32 | uint64(d)<<40}
		if _, ok := want[k]; ok {
			continue
		}
		v := rng.Uint64N(1<<20)<<16 | rng.Uint64N(200)
		want[k] = v
		if !narrow.add(k, v) || !wide.add(k, v) {
			t.Fatalf("entry %d refused", len(want))
		}
	}
	for _, tab := range []*memoTable{&narrow, &wide} {
		for k, v := range want {
			if got, ok := tab.get(k); !ok || got != v {
				t.Fatalf("pack %v: get(%+v) = %x, %v; want %x", tab.pack, k, got, ok, v)
			}
		}
		got := map[memoKey]uint64{}
		tab.each(func(k memoKey, v uint64) { got[k] = v })
		if !reflect.DeepEqual(got, want) || tab.incomplete {
			t.Fatalf("pack %v: each gives %d entries, want %d (incomplete %v)", tab.pack, len(got), len(want), tab.incomplete)
		}
	}
	if narrow.add(memoKey{local: 1}, 1<<16|300) || !narrow.incomplete {
		t.Error("a narrow table stored a list of 300 successors")
	}
}
