package exact

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"testing"

	"github.com/evsim/evsim/internal/markov"
	"github.com/evsim/evsim/model"
)

// This file holds a second, independent way to the same chains: a
// continuous-time Markov chain built straight from a bounded
// [model.System] under per-action rates, with none of the scenario
// reading that [Build] does. The tests check it against closed forms and
// then hold [Build] to it (TestAgainstSystemChain).

// actionRates returns the rate per hour of action a in state st; zero
// leaves the action out.
type actionRates func(st *model.State, a model.Action) float64

// systemChain is the CTMC of a bounded system: states[i] is the model
// state of chain state i, named strconv.Itoa(i) in mc.
type systemChain struct {
	states []model.State
	mc     *markov.Chain
}

// buildSystemChain explores sys from its initial state, at most maxStates
// states, and gives every enabled action its rate. renew > 0 replaces a
// deleted disk by an empty slot at that rate, so that a fleet replacing
// what it deletes has a steady state.
func buildSystemChain(sys *model.System, rates actionRates, renew float64, maxStates int) (*systemChain, error) {
	codec := sys.NewCodec()
	init := sys.Init()[0]
	index := map[string]int{codec.Key(&init): 0}
	states := []model.State{init}
	type edge struct {
		from, to int
		rate     float64
	}
	var edges []edge
	add := func(st model.State) int {
		k := codec.Key(&st)
		if i, ok := index[k]; ok {
			return i
		}
		index[k] = len(states)
		states = append(states, st)
		return len(states) - 1
	}
	var buf []model.Action
	for i := 0; i < len(states); i++ {
		if len(states) > maxStates {
			return nil, fmt.Errorf("more than %d states", maxStates)
		}
		st := states[i]
		buf = sys.Actions(&st, buf[:0])
		for _, a := range buf {
			r := rates(&st, a)
			if r == 0 {
				continue
			}
			if !(r > 0) || r > 1e300 {
				return nil, fmt.Errorf("rate %v for %s is not a positive finite number", r, sys.FormatAction(a))
			}
			next := st
			sys.Apply(&next, a)
			if j := add(next); j != i {
				edges = append(edges, edge{i, j, r})
			}
		}
		if renew > 0 {
			for d := 0; d < int(st.NDisks); d++ {
				if st.Disks[d].Status == model.Gone {
					next := st
					next.Disks[d] = init.Disks[d]
					edges = append(edges, edge{i, add(next), renew})
				}
			}
		}
	}
	names := make([]string, len(states))
	for i := range names {
		names[i] = strconv.Itoa(i)
	}
	mc, err := markov.New(names)
	if err != nil {
		return nil, err
	}
	for _, e := range edges {
		if err := mc.AddRate(names[e.from], names[e.to], e.rate); err != nil {
			return nil, err
		}
	}
	return &systemChain{states: states, mc: mc}, nil
}

// initial is the distribution concentrated on the initial state.
func (c *systemChain) initial() []float64 {
	p := make([]float64, len(c.states))
	p[0] = 1
	return p
}

// occupancy sums a distribution over the chain's states by the status of
// disk d, [model.NoDisk] and [model.Gone] included.
func (c *systemChain) occupancy(p []float64, d int) map[model.StatusID]float64 {
	out := map[model.StatusID]float64{}
	for i, st := range c.states {
		out[st.Disks[d].Status] += p[i]
	}
	return out
}

// lifecycle is one disk that is created (rate lc), spends m1 hours
// Creating and fails there with probability p, is deleted from Available
// or Error at rate ld, spends m2 hours Deleting (never failing), and is
// replaced at rate renew. Every other operation has rate zero.
type lifecycle struct {
	lc, m1, p, ld, m2, renew float64
}

func (l lifecycle) build(t *testing.T) (*systemChain, *model.Spec) {
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
	c, err := buildSystemChain(sys, rates, l.renew, 20_000)
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

// TestSystemChainByRenewal holds the reference chain to the renewal-reward
// answer: the fraction of time in a status is the expected time spent
// there in one life of the disk over the expected length of a life.
func TestSystemChainByRenewal(t *testing.T) {
	l := lifecycle{lc: 0.5, m1: 0.25, p: 0.2, ld: 0.01, m2: 0.1, renew: 4}
	c, spec := l.build(t)
	if got := len(c.states); got != 7 {
		t.Errorf("got %d states, want 7 (none, Creating, Available, Error, Deleting from each, deleted)", got)
	}
	pi, err := c.mc.SteadyState()
	if err != nil {
		t.Fatal(err)
	}
	occ := c.occupancy(pi, 0)
	life := 1/l.lc + l.m1 + 1/l.ld + l.m2 + 1/l.renew
	id := func(name string) model.StatusID { s, _ := spec.StatusByName(name); return s }
	near(t, "no disk", occ[model.NoDisk], (1/l.lc)/life)
	near(t, "Creating", occ[id("Creating")], l.m1/life)
	near(t, "Available", occ[id("Available")], (1-l.p)/l.ld/life)
	near(t, "Error", occ[id("Error")], l.p/l.ld/life)
	near(t, "Deleting", occ[id("Deleting")], l.m2/life)
	near(t, "deleted", occ[model.Gone], (1/l.renew)/life)

	// Without renewal deletion absorbs: the mean time to it is one life up
	// to Gone, and there is no steady state.
	l.renew = 0
	c, _ = l.build(t)
	var gone []string
	for i, st := range c.states {
		if st.Disks[0].Status == model.Gone {
			gone = append(gone, strconv.Itoa(i))
		}
	}
	mean, _, err := c.mc.MeanTimeToAbsorption(c.initial(), gone)
	if err != nil && !errors.Is(err, markov.ErrUnreachable) {
		t.Fatal(err)
	}
	near(t, "time to deletion", mean, 1/l.lc+l.m1+1/l.ld+l.m2)
	if _, err := c.mc.SteadyState(); err == nil {
		t.Error("steady state of an absorbing chain did not fail")
	}
}

func TestSystemChainErrors(t *testing.T) {
	sys, err := model.NewSystem(model.Default(), model.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := buildSystemChain(sys, func(*model.State, model.Action) float64 { return 1 }, 0, 100); err == nil {
		t.Error("a system beyond its state bound built")
	}
	if _, err := buildSystemChain(sys, func(*model.State, model.Action) float64 { return -1 }, 0, 20_000); err == nil {
		t.Error("a negative rate was accepted")
	}
}
