// Package exact turns a bounded system of the model into a continuous-time
// Markov chain and answers occupancy questions exactly.
//
// Where every duration is exponential and disks do not interact, the status
// process of one disk is a CTMC whose states are the reachable states of a
// one-disk [model.System] and whose transitions are the model's actions,
// each with a rate: the rate at which a customer or the operator starts an
// operation, and (1-p)/mean and p/mean for the success and failure of a
// step that lasts mean hours and fails with probability p. [Build] explores
// the system and asks a [Rates] function for every action, so the chain
// follows the spec exactly as the simulator and the checker do: an action
// the model does not enable has no rate.
//
// A deleted disk is absorbing in the model. For a steady state of a fleet
// that replaces what it deletes, [Options.Renew] gives the rate at which a
// deleted disk's slot receives a new, not yet created disk.
package exact

import (
	"errors"
	"fmt"
	"strconv"

	"evsim/markov"
	"evsim/model"
)

// Rates returns the rate per hour of action a in state st; zero leaves the
// action out. It must not return a negative or non-finite rate.
type Rates func(st *model.State, a model.Action) float64

// Options bound and shape the chain. The zero value is usable.
type Options struct {
	// MaxStates stops the exploration with an error beyond this many states
	// (default 20,000: the solvers are dense).
	MaxStates int
	// Renew is the rate at which a deleted disk is replaced by an empty
	// slot (status NoDisk); zero keeps deletion absorbing.
	Renew float64
}

// Chain is the CTMC of a bounded system. States[i] is the model state of
// chain state i, named strconv.Itoa(i) in Markov.
type Chain struct {
	Sys    *model.System
	States []model.State
	Markov *markov.Chain
}

// Build explores sys from its initial state and returns its CTMC under
// rates. It fails when the system has more states than opts.MaxStates or
// a rate is invalid.
func Build(sys *model.System, rates Rates, opts Options) (*Chain, error) {
	if opts.MaxStates <= 0 {
		opts.MaxStates = 20_000
	}
	if opts.Renew < 0 {
		return nil, errors.New("exact: renewal rate must not be negative")
	}
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
		i := len(states)
		index[k] = i
		states = append(states, st)
		return i
	}
	var buf []model.Action
	for i := 0; i < len(states); i++ {
		if len(states) > opts.MaxStates {
			return nil, fmt.Errorf("exact: more than %d states; make the system smaller (fewer disks, servers or bounds)", opts.MaxStates)
		}
		st := states[i]
		buf = sys.Actions(&st, buf[:0])
		for _, a := range buf {
			r := rates(&st, a)
			if r == 0 {
				continue
			}
			if !(r > 0) || r > 1e300 {
				return nil, fmt.Errorf("exact: rate %v for %s is not a positive finite number", r, sys.FormatAction(a))
			}
			next := st
			sys.Apply(&next, a)
			if j := add(next); j != i {
				edges = append(edges, edge{i, j, r})
			}
		}
		if opts.Renew > 0 {
			for d := 0; d < int(st.NDisks); d++ {
				if st.Disks[d].Status != model.Gone {
					continue
				}
				next := st
				next.Disks[d] = init.Disks[d]
				edges = append(edges, edge{i, add(next), opts.Renew})
			}
		}
	}
	names := make([]string, len(states))
	for i := range names {
		names[i] = strconv.Itoa(i)
	}
	mc, err := markov.New(names)
	if err != nil {
		return nil, fmt.Errorf("exact: %w", err)
	}
	for _, e := range edges {
		if err := mc.AddRate(names[e.from], names[e.to], e.rate); err != nil {
			return nil, fmt.Errorf("exact: %w", err)
		}
	}
	return &Chain{Sys: sys, States: states, Markov: mc}, nil
}

// Initial returns the distribution concentrated on the initial state.
func (c *Chain) Initial() []float64 {
	p := make([]float64, len(c.States))
	p[0] = 1
	return p
}

// Occupancy sums a distribution over the chain's states by the status of
// disk d. The result maps each status of the spec to its probability, and
// [model.NoDisk] and [model.Gone] to theirs.
func (c *Chain) Occupancy(p []float64, d int) map[model.StatusID]float64 {
	out := map[model.StatusID]float64{}
	for i, st := range c.States {
		out[st.Disks[d].Status] += p[i]
	}
	return out
}

// SteadyOccupancy returns the long-run fraction of time disk d spends in
// each status (see [Chain.Occupancy]); the chain must be irreducible, which
// needs [Options.Renew] when disks can be deleted.
func (c *Chain) SteadyOccupancy(d int) (map[model.StatusID]float64, error) {
	pi, err := c.Markov.SteadyState()
	if err != nil {
		return nil, fmt.Errorf("exact: %w", err)
	}
	return c.Occupancy(pi, d), nil
}

// TransientOccupancy returns the probability that disk d is in each status
// at time t hours, starting from the initial state.
func (c *Chain) TransientOccupancy(t float64, d int) (map[model.StatusID]float64, error) {
	p, err := c.Markov.Transient(c.Initial(), t, 0)
	if err != nil {
		return nil, fmt.Errorf("exact: %w", err)
	}
	return c.Occupancy(p, d), nil
}

// MeanTimeTo returns the expected time in hours, from the initial state,
// until disk d first has a status in targets; +Inf when it may never.
func (c *Chain) MeanTimeTo(d int, targets ...model.StatusID) (float64, error) {
	want := map[model.StatusID]bool{}
	for _, t := range targets {
		want[t] = true
	}
	var names []string
	for i, st := range c.States {
		if want[st.Disks[d].Status] {
			names = append(names, strconv.Itoa(i))
		}
	}
	if len(names) == 0 {
		return 0, errors.New("exact: no reachable state has a target status")
	}
	mean, _, err := c.Markov.MeanTimeToAbsorption(c.Initial(), names)
	if err != nil && !errors.Is(err, markov.ErrUnreachable) {
		return 0, fmt.Errorf("exact: %w", err)
	}
	return mean, nil
}
