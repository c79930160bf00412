package markov

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Sentinel errors. Every error returned by this package wraps one of them,
// so callers can test the kind of failure with errors.Is.
var (
	// ErrBadState reports an empty, duplicate or unknown state name.
	ErrBadState = errors.New("markov: bad state")
	// ErrBadRate reports a negative, NaN or infinite rate, or a self-loop.
	ErrBadRate = errors.New("markov: bad rate")
	// ErrBadDistribution reports an initial distribution of the wrong length,
	// with a negative or non-finite entry, or not summing to one.
	ErrBadDistribution = errors.New("markov: bad distribution")
	// ErrBadTime reports a negative or NaN time.
	ErrBadTime = errors.New("markov: bad time")
	// ErrBadTolerance reports a NaN tolerance or one of at least 1.
	ErrBadTolerance = errors.New("markov: bad tolerance")
	// ErrReducible reports that a chain is not irreducible.
	ErrReducible = errors.New("markov: chain is not irreducible")
	// ErrSingular reports a linear system that is singular or too badly
	// conditioned to solve.
	ErrSingular = errors.New("markov: singular system")
	// ErrUnreachable reports that no state can reach the target set.
	ErrUnreachable = errors.New("markov: target unreachable")
	// ErrTooLarge reports a uniformisation that needs too many steps.
	ErrTooLarge = errors.New("markov: computation too large")
)

// distTol is how far from one the sum of an initial distribution may be.
const distTol = 1e-9

// Chain is a finite CTMC with named states. Rates are transition rates per hour.
//
// A Chain is built with New and AddRate; once built, its methods that do not
// modify it may be called concurrently.
type Chain struct {
	names []string
	index map[string]int
	rate  [][]float64 // rate[i][j]: rate from i to j; rate[i][i] == 0
}

// New makes a chain with the given state names (distinct, non-empty).
func New(states []string) (*Chain, error) {
	if len(states) == 0 {
		return nil, fmt.Errorf("%w: no states given", ErrBadState)
	}
	c := &Chain{
		names: make([]string, len(states)),
		index: make(map[string]int, len(states)),
		rate:  make([][]float64, len(states)),
	}
	for i, s := range states {
		if s == "" {
			return nil, fmt.Errorf("%w: state %d has an empty name", ErrBadState, i)
		}
		if j, dup := c.index[s]; dup {
			return nil, fmt.Errorf("%w: duplicate state %q (positions %d and %d)", ErrBadState, s, j, i)
		}
		c.index[s] = i
		c.names[i] = s
		c.rate[i] = make([]float64, len(states))
	}
	return c, nil
}

// AddRate adds rate r >= 0 from state i to state j (i != j); rates accumulate.
func (c *Chain) AddRate(from, to string, r float64) error {
	i, err := c.lookup(from)
	if err != nil {
		return err
	}
	j, err := c.lookup(to)
	if err != nil {
		return err
	}
	if i == j {
		return fmt.Errorf("%w: self-loop on state %q", ErrBadRate, from)
	}
	if math.IsNaN(r) || math.IsInf(r, 0) || r < 0 {
		return fmt.Errorf("%w: rate %v from %q to %q (must be finite and >= 0)", ErrBadRate, r, from, to)
	}
	sum := c.rate[i][j] + r
	if math.IsInf(sum, 0) {
		return fmt.Errorf("%w: accumulated rate from %q to %q overflows", ErrBadRate, from, to)
	}
	c.rate[i][j] = sum
	return nil
}

// States returns a copy of the state names in the order given to New; that
// order indexes every vector and matrix this package returns.
func (c *Chain) States() []string {
	return append([]string(nil), c.names...)
}

// Rate returns the accumulated rate from one state to another (0 if none).
func (c *Chain) Rate(from, to string) (float64, error) {
	i, err := c.lookup(from)
	if err != nil {
		return 0, err
	}
	j, err := c.lookup(to)
	if err != nil {
		return 0, err
	}
	return c.rate[i][j], nil
}

// Generator returns the generator matrix Q (rows sum to zero).
func (c *Chain) Generator() *mat.Dense {
	n := len(c.names)
	q := mat.NewDense(n, n, nil)
	for i := range n {
		for j, r := range c.rate[i] {
			if j != i {
				q.Set(i, j, r)
			}
		}
		q.Set(i, i, -c.exitRate(i))
	}
	return q
}

// exitRate is the total rate out of state i.
func (c *Chain) exitRate(i int) float64 {
	var s float64
	for j, r := range c.rate[i] {
		if j != i {
			s += r
		}
	}
	return s
}

// maxExitRate is the largest total rate out of any state.
func (c *Chain) maxExitRate() float64 {
	var q float64
	for i := range c.names {
		q = max(q, c.exitRate(i))
	}
	return q
}

func (c *Chain) lookup(name string) (int, error) {
	i, ok := c.index[name]
	if !ok {
		return 0, fmt.Errorf("%w: unknown state %q", ErrBadState, name)
	}
	return i, nil
}

// checkDist validates an initial distribution over the chain's states.
func (c *Chain) checkDist(p0 []float64) error {
	if len(p0) != len(c.names) {
		return fmt.Errorf("%w: p0 has %d entries, chain has %d states", ErrBadDistribution, len(p0), len(c.names))
	}
	var sum float64
	for i, p := range p0 {
		if math.IsNaN(p) || math.IsInf(p, 0) || p < 0 {
			return fmt.Errorf("%w: p0[%d] (state %q) = %v", ErrBadDistribution, i, c.names[i], p)
		}
		sum += p
	}
	if math.Abs(sum-1) > distTol {
		return fmt.Errorf("%w: p0 sums to %v, not 1", ErrBadDistribution, sum)
	}
	return nil
}

// namesOf returns the names of the given state indices.
func (c *Chain) namesOf(idx []int) []string {
	out := make([]string, len(idx))
	for k, i := range idx {
		out[k] = c.names[i]
	}
	return out
}
