package exact

import (
	"fmt"
	"math"

	"github.com/evsim/evsim/model"
	"github.com/evsim/evsim/sim"
)

// MaxWaitChance is the largest chance that a ticket waits for an agent
// within the horizon for which Build still answers: the chain's answer is
// then exact up to that chance.
const MaxWaitChance = 1e-6

// waitSteps is the number of steps over the horizon at which the chance
// that a ticket waits is bounded.
const waitSteps = 400

// mayWait reports whether tickets of cfg may wait for an agent: the team
// is smaller than the fleet can be.
func mayWait(cfg *sim.Config) bool {
	tickets := false
	for _, rm := range cfg.Remedies {
		tickets = tickets || rm.By == sim.ByOperator
	}
	return tickets && (cfg.CreationsPerDay > 0 || cfg.Agents < cfg.Disks)
}

// WaitBound returns an upper bound on the chance that some ticket waits
// for an agent within the horizon, below which the chain's answers are
// exact, and the largest offered load (expected disks holding an agent,
// in Erlangs) over the horizon that the bound uses. It is 0 when the team
// is at least as large as the fleet can ever be.
//
// The chain is the fleet with as many agents as tickets (an infinite-server
// team, in which no ticket waits): disks, each with the disks that
// replace it, are independent, and growth is a Poisson process, so the
// number B(t) of disks holding an agent at time t is a sum of independent
// Bernoulli counts and a Poisson count, of mean m(t). The real team of c
// agents behaves the same until a ticket arrives while the other disks
// hold c agents, whose chance is at most P(B(t) >= c) <= e^{-m} (e m/c)^c
// (the Chernoff bound, Poisson's tail, valid for such sums when m < c).
// The horizon is cut into steps; within a step, m(t) is at most its value
// at the step's start plus the tickets expected in the step, and the
// chance that some ticket waits at most the sum, over steps, of the
// tickets expected in the step times that tail.
func (f *Fleet) WaitBound() (chance, load float64) { return f.waitChance, f.waitLoad }

// boundWaits computes the figures WaitBound returns.
func (f *Fleet) boundWaits() {
	cfg := f.cfg
	if !mayWait(cfg) || len(f.keys) == 0 {
		return
	}
	n := len(f.keys)
	ticket := make([]bool, n)
	for i, k := range f.keys {
		s := k.disk.Status
		ticket[i] = k.disk.Op == model.NoOp && !k.stuck && int(s) < len(cfg.Remedies) && cfg.Remedies[s].By == sim.ByOperator
	}
	in := make([]float64, n) // rate from each state into the ticket states
	for i := range n {
		if ticket[i] {
			continue
		}
		for j := range n {
			if ticket[j] && j != i {
				in[i] += f.q.At(i, j)
			}
		}
	}
	c := float64(cfg.Agents)
	h := cfg.Horizon / waitSteps
	m := f.blocks(h).RawMatrix()
	at := func(i, j int) float64 { return m.Data[i*m.Stride+j] }
	x := append([]float64(nil), f.init...)
	next := make([]float64, n)
	integral := make([]float64, n)
	var chance, load float64
	for range waitSteps {
		for j := range n {
			next[j], integral[j] = 0, 0
		}
		for i, v := range x {
			if v == 0 {
				continue
			}
			for j := range n {
				next[j] += v * at(i, j)
				integral[j] += v * at(i, n+j)
			}
		}
		for i, v := range f.birth {
			if v == 0 {
				continue
			}
			for j := range n {
				next[j] += v * at(i, n+j)
				integral[j] += v * at(i, 2*n+j)
			}
		}
		var busy, opened float64
		for i := range n {
			if ticket[i] {
				busy += x[i]
			}
			opened += integral[i] * in[i]
		}
		peak := busy + opened
		load = max(load, peak)
		chance += opened * poissonTail(peak, c)
		x, next = next, x
	}
	f.waitChance, f.waitLoad = math.Min(1, chance), load
}

// poissonTail bounds P(X >= c) for X a sum of independent Bernoulli and
// Poisson counts of mean m: e^{-m} (e m/c)^c when m < c, else 1.
func poissonTail(m, c float64) float64 {
	switch {
	case m <= 0:
		return 0
	case m >= c:
		return 1
	}
	return math.Exp(-m + c*(1+math.Log(m)-math.Log(c)))
}

// waitReason says why the chain does not answer a scenario whose tickets
// may wait.
func waitReason(cfg *sim.Config, chance, load float64) string {
	return fmt.Sprintf("tickets may wait for the %s of operator.agents: the chance that one does within the horizon is bounded only by %.2g (up to %.3g disks hold an agent on average), above %.0e",
		plural(cfg.Agents, "agent"), chance, load, MaxWaitChance)
}
