package random

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"text/tabwriter"

	"github.com/evsim/evsim/check"
	"github.com/evsim/evsim/model"
)

// killRow is one row of the mutation table.
type killRow struct {
	mutant, breaks, setup string
	killed                bool
	graphOnly             bool // a graph rule, which random sequences do not check
	sequences             int  // sequences run until the first failure
	found, shrunk         int  // length of the failing sequence, found and shrunk
	gopterShrunk          int  // length after gopter's shrinking alone
	by                    string

	// The exhaustive search (package check) of a small configuration.
	exConfig string
	exKilled bool
	exStates int      // states discovered up to the violating one
	exTrace  int      // actions in the shortest trace
	exTotal  int      // states of the whole search
	exAlso   []string // other properties the search found violated
}

// exhaustive explores the mutant's small configuration (the default one,
// or one shared disk and 17 servers for the shared attachment limit) with
// symmetry reduction and reports whether the property want is violated,
// the number of states discovered (breadth-first) up to the first
// violating state, and the number of actions of its shortest trace.
func exhaustive(t *testing.T, m mutant, want string, row *killRow) {
	t.Helper()
	cfg, name := model.DefaultConfig(), "default"
	if m.name == "shared-exceeds-16" {
		cfg, name = model.Config{Disks: []model.DiskConfig{{Shared: true, Size: 10}}, Servers: 17, Bounds: model.Bounds{Snapshots: 1, Backups: 1, SizeSteps: 1}}, "1 shared disk, 17 servers"
	}
	row.exConfig = name
	sys, err := model.NewSystem(m.spec, cfg)
	if err != nil {
		t.Fatal(err)
	}
	sm, err := check.NewSystemModel(sys, true)
	if err != nil {
		t.Fatal(err)
	}
	if row.graphOnly {
		// The graph rules need the whole check.
		rep, err := check.Check(sys, check.Config{Symmetry: true})
		if err != nil {
			t.Fatal(err)
		}
		row.exTotal = rep.States
		for _, v := range rep.Violations {
			if v.Property == want {
				row.exKilled, row.exTrace = true, len(v.Trace)
			} else if v.Property != model.PropNoDeadlock || cfg.Operator {
				row.exAlso = append(row.exAlso, v.Property)
			}
		}
		return
	}
	res, err := check.Explore(sm, check.Options{})
	if err != nil {
		t.Fatal(err)
	}
	row.exTotal = res.States
	props := sm.Properties()
	for _, v := range res.Violations {
		if props[v.Prop].Name != want {
			if !(props[v.Prop].Name == model.PropNoDeadlock && !cfg.Operator) {
				// Without the operator, failed statuses are dead ends by design.
				row.exAlso = append(row.exAlso, props[v.Prop].Name)
			}
			continue
		}
		row.exKilled = true
		row.exStates = int(v.State) + 1
		row.exTrace = len(res.Path(v.State)) - 1 // the path starts at the initial state
		if v.Action >= 0 {
			row.exTrace++ // a step rule: the violating action itself
		}
	}
}

// TestMutantsAreKilled runs every mutant spec of the model package through
// the random sequences and fails unless each one is caught ("killed") by
// the property it breaks. A random sequence cannot see a cycle of
// transitional statuses, but it sees the disk that is stuck at its end:
// transitional-statuses-are-left is killed by no-deadlock (an existing
// disk with no action that can move it).
//
// The same mutants go through the exhaustive search of package check on a
// small configuration (the default one; one shared disk on 17 servers for
// the shared attachment limit), with symmetry reduction: the table adds
// whether it found the violation, how many states it had discovered
// (breadth-first) up to the violating state, and the length of the
// shortest trace, which a shrunk random sequence can be compared with, and
// the other properties the search found violated (a mutant should break
// one rule only).
//
// With -update it rewrites testdata/regress/<mutant>.txt from the shrunk
// sequences, which TestRegressions replays.
func TestMutantsAreKilled(t *testing.T) {
	seed, sequences, steps := budget(t)
	mutants := loadMutants(t)
	var rows []killRow
	for _, m := range mutants {
		su := mutantSetup(m.name)
		if m.breaks == model.PropCustomerDeletes {
			// A rule about the whole graph: a sequence cannot see it.
			row := killRow{mutant: m.name, breaks: m.breaks, setup: "-", graphOnly: true}
			exhaustive(t, m, m.breaks, &row)
			if !row.exKilled {
				t.Errorf("mutant %s survived the exhaustive search of %s (%d states): want %s broken", m.name, row.exConfig, row.exTotal, m.breaks)
			}
			rows = append(rows, row)
			continue
		}
		r, err := New(m.spec, su, Options{Seed: seed, Sequences: sequences, Steps: steps, Only: []string{m.breaks}})
		if err != nil {
			t.Fatal(err)
		}
		res := r.Run(nil)
		row := killRow{mutant: m.name, breaks: m.breaks, setup: su.Name, sequences: res.Sequences}
		want := m.breaks
		if want == model.PropTransitionalLeft {
			want = model.PropNoDeadlock
		}
		if f := res.Failure; f != nil {
			row.by = f.ShrunkViolation.Property
			row.killed = f.Property == want && f.ShrunkViolation.Property == want
			row.found, row.shrunk, row.gopterShrunk = len(f.Found), len(f.Shrunk), f.GopterShrunk
			if *update && row.killed {
				seq := &Sequence{Spec: m.name, Setup: su.Name, Seed: seed, Violates: want, Actions: f.Shrunk}
				if err := writeFileAtomic(filepath.Join("testdata", "regress", m.name+".txt"), seq.Format()); err != nil {
					t.Fatal(err)
				}
			}
		}
		exhaustive(t, m, want, &row)
		if !row.exKilled {
			t.Errorf("mutant %s survived the exhaustive search of %s (%d states): want %s broken", m.name, row.exConfig, row.exTotal, want)
		}
		if !row.killed {
			t.Errorf("mutant %s survived %d sequences of %d steps on %s (seed %d): want %s broken, got %q",
				m.name, res.Sequences, steps, su.Name, seed, want, row.by)
		}
		rows = append(rows, row)
	}
	table := formatKillTable(rows)
	t.Logf("seed %d, %d sequences of %d steps at most per mutant\n%s", seed, sequences, steps, table)
	if testing.Verbose() {
		fmt.Fprintf(os.Stdout, "mutation score (seed %d):\n%s", seed, table)
	}
}

func formatKillTable(rows []killRow) string {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "mutant\tbreaks\trandom setup\tkilled by random sequences\tsequences until found\tfound length\tgopter shrunk\tshrunk length\texhaustive config\tkilled by exhaustive\tstates until found\tof states\ttrace length\talso breaks")
	killed, exKilled := 0, 0
	for _, r := range rows {
		yes := "no"
		if r.graphOnly {
			yes = "- (a graph rule)"
		}
		if r.killed {
			yes = "yes"
			killed++
			if r.by != r.breaks {
				yes = "yes (" + r.by + ")"
			}
		}
		exYes := "no"
		if r.exKilled {
			exYes = "yes"
			exKilled++
			if r.breaks == model.PropTransitionalLeft {
				exYes = "yes (" + model.PropNoDeadlock + ")"
			}
		}
		also := "-"
		if len(r.exAlso) > 0 {
			also = strings.Join(r.exAlso, ", ")
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%s\t%s\t%d\t%d\t%d\t%s\n", r.mutant, r.breaks, r.setup, yes, r.sequences, r.found, r.gopterShrunk, r.shrunk,
			r.exConfig, exYes, r.exStates, r.exTotal, r.exTrace, also)
	}
	w.Flush()
	fmt.Fprintf(&b, "killed by random sequences: %d of %d; by exhaustive search: %d of %d\n", killed, len(rows), exKilled, len(rows))
	return b.String()
}
