package random

import (
	"strings"
	"testing"

	"github.com/evsim/evsim/model"
)

// modelTarget is a Target backed by a model system: with the default
// spec it agrees with the model; with a mutant spec it is an
// implementation with a planted bug.
type modelTarget struct {
	sys *model.System
	st  model.State
}

func newModelTarget(spec *model.Spec, cfg model.Config) func() (Target, error) {
	return func() (Target, error) {
		sys, err := model.NewSystem(spec, cfg)
		if err != nil {
			return nil, err
		}
		return &modelTarget{sys: sys, st: sys.Init()[0]}, nil
	}
}

func (m *modelTarget) Apply(a model.Action) error {
	next, ok := m.sys.Next(m.st, a)
	if !ok {
		return errRefused
	}
	m.st = next
	return nil
}

func (m *modelTarget) State() model.State { return m.st }

type refused struct{}

func (refused) Error() string { return "refused" }

var errRefused error = refused{}

func TestTargetThatAgrees(t *testing.T) {
	for _, su := range Setups() {
		r, err := New(model.Default(), su, Options{Seed: 5, Sequences: 10, Steps: 100, Target: newModelTarget(model.Default(), su.Config)})
		if err != nil {
			t.Fatal(err)
		}
		if res := r.Run(nil); res.Failure != nil {
			t.Errorf("%s: %s", su.Name, res.Failure.ShrunkViolation.String())
		}
	}
}

// TestTargetThatDisagrees plants a bug in the target (detaching the last
// attachment leaves it In-use, or attach is allowed from Error) and
// checks that the comparison finds it, with a short story.
func TestTargetThatDisagrees(t *testing.T) {
	su, _ := SetupByName("default")
	tests := []struct {
		mutant, want string
		last         string
	}{
		{"detach-last-stays-in-use", "after succeed detach d0, the target has d0 In-use", "succeed detach d0"},
		{"error-allows-attach", "the target accepted start attach d0 s0, which the model refuses after fail create", "fail create"},
	}
	for _, tt := range tests {
		t.Run(tt.mutant, func(t *testing.T) {
			bug := mustMutantSpec(t, tt.mutant)
			r, err := New(model.Default(), su, Options{Seed: 5, Sequences: 100, Steps: 100, Target: newModelTarget(bug, su.Config)})
			if err != nil {
				t.Fatal(err)
			}
			res := r.Run(nil)
			f := res.Failure
			if f == nil {
				t.Fatal("the planted bug went unnoticed")
			}
			if f.ShrunkViolation.Property != PropMatchesModel || !strings.HasPrefix(f.ShrunkViolation.Message, tt.want) {
				t.Errorf("got %s; want %s: %s...", f.ShrunkViolation.String(), PropMatchesModel, tt.want)
			}
			if !strings.HasPrefix(f.Shrunk[len(f.Shrunk)-1], tt.last) || len(f.Shrunk) > 6 {
				t.Errorf("shrunk to %q; want at most 6 steps ending with %q", f.Shrunk, tt.last)
			}
		})
	}
}

// acceptsAll is a target that accepts everything and never changes.
type acceptsAll struct{ st model.State }

func (a *acceptsAll) Apply(model.Action) error { return nil }
func (a *acceptsAll) State() model.State       { return a.st }

// TestTargetProbedInInitialState: a target that accepts a refused action
// before anything happened is caught at the first step.
func TestTargetProbedInInitialState(t *testing.T) {
	su, _ := SetupByName("default")
	sys, err := model.NewSystem(model.Default(), su.Config)
	if err != nil {
		t.Fatal(err)
	}
	target := func() (Target, error) { return &acceptsAll{st: sys.Init()[0]}, nil }
	r, err := New(model.Default(), su, Options{Seed: 1, Sequences: 5, Steps: 10, Target: target})
	if err != nil {
		t.Fatal(err)
	}
	f := r.Run(nil).Failure
	if f == nil || len(f.Shrunk) != 1 || !strings.Contains(f.ShrunkViolation.Message, "which the model refuses in the initial state") {
		t.Fatalf("got %+v; want a one-step failure in the initial state", f)
	}
}
