package exact

import (
	"math"
	"testing"

	"evsim/model"
)

// lifecycle is one disk that is created (rate lc), spends m1 hours
// Creating and fails there with probability p, is deleted from Available
// or Error at rate ld, spends m2 hours Deleting (never failing), and is
// replaced at rate renew. Every other operation has rate zero.
type lifecycle struct {
	lc, m1, p, ld, m2, renew float64
}

func (l lifecycle) build(t *testing.T) (*Chain, *model.Spec) {
	t.Helper()
	spec := model.Default()
	sys, err := model.NewSystem(spec, model.Config{Disks: []model.DiskConfig{{Size: 10}}})
	if err != nil {
		t.Fatal(err)
	}
	create, _ := spec.OpByName("create")
	del, _ := spec.OpByName("delete")
	rates := func(st *model.State, a model.Action) float64 {
		switch {
		case a.Kind == model.Start && a.Op == create:
			return l.lc
		case a.Kind == model.Start && a.Op == del:
			return l.ld
		case a.Kind == model.Succeed && a.Op == create:
			return (1 - l.p) / l.m1
		case a.Kind == model.Fail && a.Op == create:
			return l.p / l.m1
		case a.Kind == model.Succeed && a.Op == del:
			return 1 / l.m2
		}
		return 0
	}
	c, err := Build(sys, rates, Options{Renew: l.renew})
	if err != nil {
		t.Fatal(err)
	}
	return c, spec
}

func near(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
		t.Errorf("%s: got %.12g, want %.12g", what, got, want)
	}
}

// TestSteadyOccupancyByRenewal checks the chain against the renewal-reward
// answer: the fraction of time in a status is the expected time spent
// there in one life of the disk over the expected length of a life.
func TestSteadyOccupancyByRenewal(t *testing.T) {
	l := lifecycle{lc: 0.5, m1: 0.25, p: 0.2, ld: 0.01, m2: 0.1, renew: 4}
	c, spec := l.build(t)
	if got := len(c.States); got != 7 {
		t.Errorf("got %d states, want 7 (none, Creating, Available, Error, Deleting from each, deleted)", got)
	}
	occ, err := c.SteadyOccupancy(0)
	if err != nil {
		t.Fatal(err)
	}
	life := 1/l.lc + l.m1 + 1/l.ld + l.m2 + 1/l.renew
	id := func(name string) model.StatusID { s, _ := spec.StatusByName(name); return s }
	near(t, "no disk", occ[model.NoDisk], (1/l.lc)/life)
	near(t, "Creating", occ[id("Creating")], l.m1/life)
	near(t, "Available", occ[id("Available")], (1-l.p)/l.ld/life)
	near(t, "Error", occ[id("Error")], l.p/l.ld/life)
	near(t, "Deleting", occ[id("Deleting")], l.m2/life)
	near(t, "deleted", occ[model.Gone], (1/l.renew)/life)
}

func TestTransientAndMeanTime(t *testing.T) {
	// No renewal here: a replaced disk would flow back into "no disk".
	l := lifecycle{lc: 0.5, m1: 0.25, p: 0.2, ld: 0.01, m2: 0.1}
	c, spec := l.build(t)
	for _, at := range []float64{0, 0.3, 2, 7} {
		occ, err := c.TransientOccupancy(at, 0)
		if err != nil {
			t.Fatal(err)
		}
		near(t, "no disk yet", occ[model.NoDisk], math.Exp(-l.lc*at))
	}
	avail, _ := spec.StatusByName("Available")
	errID, _ := spec.StatusByName("Error")
	mean, err := c.MeanTimeTo(0, avail, errID)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "time to a created disk", mean, 1/l.lc+l.m1)
	// Deletion absorbs: the mean time to it is the life up to Gone.
	mean, err = c.MeanTimeTo(0, model.Gone)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "time to deletion", mean, 1/l.lc+l.m1+1/l.ld+l.m2)
	if _, err := c.SteadyOccupancy(0); err == nil {
		t.Error("steady state of an absorbing chain did not fail")
	}
}

func TestBuildErrors(t *testing.T) {
	sys, err := model.NewSystem(model.Default(), model.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Build(sys, func(*model.State, model.Action) float64 { return 1 }, Options{MaxStates: 100}); err == nil {
		t.Error("a system beyond MaxStates built")
	}
	if _, err := Build(sys, func(*model.State, model.Action) float64 { return -1 }, Options{}); err == nil {
		t.Error("a negative rate was accepted")
	}
}
