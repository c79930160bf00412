package randseq

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"text/tabwriter"

	"evsim/model"
)

// killRow is one row of the mutation table.
type killRow struct {
	mutant, breaks, setup string
	killed                bool
	sequences             int // sequences run until the first failure
	found, shrunk         int // length of the failing sequence, found and shrunk
	gopterShrunk          int // length after gopter's shrinking alone
	by                    string
}

// TestMutantsAreKilled runs every mutant spec of the model package through
// the random sequences and fails unless each one is caught ("killed") by
// the property it breaks. A random sequence cannot see a cycle of
// transitional statuses, but it sees the disk that is stuck at its end:
// transitional-statuses-are-left is killed by no-deadlock (an existing
// disk with no action that can move it).
//
// With -update it rewrites testdata/regress/<mutant>.txt from the shrunk
// sequences, which TestRegressions replays.
func TestMutantsAreKilled(t *testing.T) {
	seed, sequences, steps := budget(t)
	mutants := loadMutants(t)
	var rows []killRow
	for _, m := range mutants {
		su := mutantSetup(m.name)
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
	fmt.Fprintln(w, "mutant\tbreaks\tsetup\tkilled by random sequences\tsequences until found\tfound length\tgopter shrunk\tshrunk length")
	killed := 0
	for _, r := range rows {
		yes := "no"
		if r.killed {
			yes = "yes"
			killed++
			if r.by != r.breaks {
				yes = "yes (" + r.by + ")"
			}
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\n", r.mutant, r.breaks, r.setup, yes, r.sequences, r.found, r.gopterShrunk, r.shrunk)
	}
	w.Flush()
	fmt.Fprintf(&b, "killed %d of %d\n", killed, len(rows))
	return b.String()
}
