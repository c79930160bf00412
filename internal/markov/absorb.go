package markov

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// MeanTimeToAbsorption returns, for each state, the expected time to reach any state in the target set (0 for targets),
// solving the linear system on the non-target states; states that cannot reach the target get +Inf (and say so via an error only if ALL are infinite).
//
// A non-target state gets +Inf when, with positive probability, the chain
// started there never reaches the target set: either it cannot reach the
// set at all, or it can move (without passing a target) to a state that
// cannot. On the remaining non-target states F the means m solve
// (-Q_FF) m = 1. meanFromP0 is Σ p0[i]·m[i] over states with p0[i] > 0, so
// it is +Inf when p0 puts mass on such a state.
//
// If every non-target state is infinite the error wraps ErrUnreachable; the
// (infinite) results are still returned alongside it.
func (c *Chain) MeanTimeToAbsorption(p0 []float64, targets []string) (meanFromP0 float64, perState []float64, err error) {
	if err := c.checkDist(p0); err != nil {
		return 0, nil, err
	}
	if len(targets) == 0 {
		return 0, nil, fmt.Errorf("%w: no target states given", ErrBadState)
	}
	n := len(c.names)
	isTarget := make([]bool, n)
	for _, name := range targets {
		i, err := c.lookup(name)
		if err != nil {
			return 0, nil, fmt.Errorf("target: %w", err)
		}
		isTarget[i] = true
	}

	// reach: non-target states that can reach a target (first hits only,
	// so the search never continues backwards through a target).
	reach := c.backwardClosure(isTarget, isTarget)
	// inf: non-target states that can reach, avoiding targets, one that
	// cannot reach a target.
	cannot := make([]bool, n)
	for i := range n {
		cannot[i] = !isTarget[i] && !reach[i]
	}
	inf := c.backwardClosure(cannot, isTarget)

	var F []int
	pos := make([]int, n)
	for i := range n {
		pos[i] = -1
		if !isTarget[i] && !inf[i] {
			pos[i] = len(F)
			F = append(F, i)
		}
	}
	perState = make([]float64, n)
	for i := range n {
		if inf[i] {
			perState[i] = math.Inf(1)
		}
	}
	if len(F) > 0 {
		M := mat.NewDense(len(F), len(F), nil)
		for a, i := range F {
			M.Set(a, a, c.exitRate(i))
			for j, r := range c.rate[i] {
				if b := pos[j]; r > 0 && j != i && b >= 0 {
					M.Set(a, b, -r)
				}
			}
		}
		ones := make([]float64, len(F))
		for a := range ones {
			ones[a] = 1
		}
		var m mat.VecDense
		if err := m.SolveVec(M, mat.NewVecDense(len(F), ones)); err != nil {
			return 0, nil, fmt.Errorf("%w: mean times to %v from %v: %w", ErrSingular, targets, c.namesOf(F), err)
		}
		for a, i := range F {
			v := m.AtVec(a)
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				return 0, nil, fmt.Errorf("%w: solved mean time %v for state %q is not usable", ErrSingular, v, c.names[i])
			}
			perState[i] = v
		}
	}
	for i, p := range p0 {
		if p > 0 {
			meanFromP0 += p * perState[i]
		}
	}
	nonTarget := 0
	for i := range n {
		if !isTarget[i] {
			nonTarget++
		}
	}
	if nonTarget > 0 && len(F) == 0 {
		return meanFromP0, perState, fmt.Errorf("%w: no state outside {%s} surely reaches it (all mean times are +Inf)", ErrUnreachable, strings.Join(targets, ", "))
	}
	return meanFromP0, perState, nil
}

// backwardClosure returns the states marked in seed together with every
// state that is not blocked and has a path of positive rates to a seed
// state through states that are not blocked.
func (c *Chain) backwardClosure(seed, blocked []bool) []bool {
	n := len(c.names)
	in := append([]bool(nil), seed...)
	var queue []int
	for i, s := range seed {
		if s {
			queue = append(queue, i)
		}
	}
	for len(queue) > 0 {
		j := queue[0]
		queue = queue[1:]
		for i := range n {
			if !in[i] && !blocked[i] && c.rate[i][j] > 0 {
				in[i] = true
				queue = append(queue, i)
			}
		}
	}
	return in
}
