package random

import (
	"strings"
	"testing"

	"github.com/evsim/evsim/model"
	"github.com/evsim/evsim/sim"
)

func engineTarget(spec *model.Spec, cfg model.Config) func() (Target, error) {
	return func() (Target, error) { return sim.NewDiskEngine(spec, cfg) }
}

// TestDiskEngineFollowsModel applies the same random sequences to the
// model and to the simulator's per-disk engine: after every step both
// have the same statuses, attachments, sizes and counters, the engine
// accepted the step, and it refused every probe the model refuses (see
// Probes). It runs an eighth of the budget's sequences per setup.
func TestDiskEngineFollowsModel(t *testing.T) {
	seed, sequences, steps := budget(t)
	sequences = max(sequences/8, 10)
	spec := model.Default()
	for i, su := range Setups() {
		t.Run(su.Name, func(t *testing.T) {
			s := seed + int64(i)
			t.Logf("seed %d (replay: %s)", s, replayLine(seed, sequences*8, steps))
			r, err := New(spec, su, Options{Seed: s, Sequences: sequences, Steps: steps, Target: engineTarget(spec, su.Config)})
			if err != nil {
				t.Fatal(err)
			}
			res := r.Run(nil)
			if f := res.Failure; f != nil {
				t.Fatalf("sequence %d: %s\nshrunk story:\n%s", f.Sequence, f.ShrunkViolation.String(), strings.Join(f.Shrunk, "\n"))
			}
			if res.Coverage.Steps != sequences*steps {
				t.Errorf("compared %d steps; want %d", res.Coverage.Steps, sequences*steps)
			}
		})
	}
}

// TestDiskEngineComparisonCatchesADifference compiles the engine from a
// mutant spec and compares it with the default model: the comparison
// must fail, at the step where they part.
func TestDiskEngineComparisonCatchesADifference(t *testing.T) {
	su, _ := SetupByName("shared17")
	tests := []struct{ mutant, want, last string }{
		{"non-shared-attaches-twice", "the target accepted start attach d1 s16, which the model refuses", "succeed attach d1"},
		{"size-shrinks", "after succeed expand", "succeed expand"},
	}
	for _, tt := range tests {
		t.Run(tt.mutant, func(t *testing.T) {
			bug := mustMutantSpec(t, tt.mutant)
			r, err := New(model.Default(), su, Options{Seed: 3, Sequences: 50, Steps: 200, Target: engineTarget(bug, su.Config)})
			if err != nil {
				t.Fatal(err)
			}
			f := r.Run(nil).Failure
			if f == nil {
				t.Fatal("an engine built from a mutant spec agreed with the model")
			}
			if f.ShrunkViolation.Property != PropMatchesModel || !strings.Contains(f.ShrunkViolation.Message, tt.want) {
				t.Errorf("got %s; want %s", f.ShrunkViolation.String(), tt.want)
			}
			if last := f.Shrunk[len(f.Shrunk)-1]; !strings.HasPrefix(last, tt.last) {
				t.Errorf("story ends with %q; want %q", last, tt.last)
			}
			t.Logf("%d steps: %s", len(f.Shrunk), f.ShrunkViolation.String())
		})
	}
}
