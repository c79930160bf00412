package markov

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// negTol is how negative an entry of a solved probability vector may come
// out (from rounding) before the answer is rejected as unreliable; entries
// in (-negTol, 0) are set to zero.
const negTol = 1e-9

// SteadyState returns the stationary distribution pi (pi Q = 0, sum pi = 1) of an irreducible chain.
//
// It transposes Q, replaces the last row with ones and solves against
// (0,...,0,1) with mat.VecDense.SolveVec. Q is first divided by its largest
// exit rate, which leaves the solution unchanged but keeps the row of ones
// on the same scale as the rest of the matrix. A chain that is not
// irreducible gives an error wrapping ErrReducible that names its closed
// classes and transient states; a numerically singular system gives one
// wrapping ErrSingular.
func (c *Chain) SteadyState() ([]float64, error) {
	s := c.structure()
	if !s.irreducible() {
		return nil, fmt.Errorf("%w: %s", ErrReducible, c.describe(s))
	}
	return c.stationary(s.closed[0])
}

// stationary returns the stationary distribution of the chain restricted to
// the states idx, which must form a closed class (no rate leaves it).
// The result is indexed like idx.
func (c *Chain) stationary(idx []int) ([]float64, error) {
	m := len(idx)
	if m == 1 {
		return []float64{1}, nil
	}
	exit := make([]float64, m)
	var scale float64
	for a, i := range idx {
		for _, j := range idx {
			exit[a] += c.rate[i][j]
		}
		scale = max(scale, exit[a])
	}
	// A = (Q/scale)ᵀ with its last row replaced by ones.
	A := mat.NewDense(m, m, nil)
	for r := 0; r < m-1; r++ {
		for col, i := range idx {
			if col == r {
				A.Set(r, col, -exit[col]/scale)
			} else {
				A.Set(r, col, c.rate[i][idx[r]]/scale)
			}
		}
	}
	for col := range m {
		A.Set(m-1, col, 1)
	}
	b := mat.NewVecDense(m, nil)
	b.SetVec(m-1, 1)
	var x mat.VecDense
	if err := x.SolveVec(A, b); err != nil {
		return nil, fmt.Errorf("%w: stationary distribution of %v: %w", ErrSingular, c.namesOf(idx), err)
	}
	pi := make([]float64, m)
	for k := range pi {
		pi[k] = x.AtVec(k)
	}
	if err := c.cleanProb(pi, idx); err != nil {
		return nil, err
	}
	return pi, nil
}

// cleanProb checks a solved probability vector (indexed like idx): every
// entry finite and not below -negTol. It zeroes tiny negative entries and
// renormalises the vector to sum to one.
func (c *Chain) cleanProb(p []float64, idx []int) error {
	var sum float64
	for k, v := range p {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < -negTol {
			return fmt.Errorf("%w: solved probability %v for state %q is not usable", ErrSingular, v, c.names[idx[k]])
		}
		if v < 0 {
			p[k] = 0
		}
		sum += p[k]
	}
	if !(sum > 0) {
		return fmt.Errorf("%w: solved probabilities over %v sum to %v", ErrSingular, c.namesOf(idx), sum)
	}
	for k := range p {
		p[k] /= sum
	}
	return nil
}

// LimitingDistribution returns lim_{t->inf} p(t) from the initial
// distribution p0. It exists for every finite chain, irreducible or not: the
// mass that p0 eventually moves into each closed class (found by solving for
// the absorption probabilities of the transient states) is spread over that
// class by its stationary distribution; transient states get zero. For an
// irreducible chain it equals SteadyState for every p0.
func (c *Chain) LimitingDistribution(p0 []float64) ([]float64, error) {
	if err := c.checkDist(p0); err != nil {
		return nil, err
	}
	return c.limit(p0, c.structure())
}

func (c *Chain) limit(p0 []float64, s structure) ([]float64, error) {
	n := len(c.names)
	// mass[k]: probability of ending in closed class k.
	mass := make([]float64, len(s.closed))
	for k, idx := range s.closed {
		for _, i := range idx {
			mass[k] += p0[i]
		}
	}
	if T := s.transient; len(T) > 0 {
		// Absorption probabilities H (|T|×K) solve (-Q_TT) H = R where
		// R[a][k] is the total rate from transient state T[a] into class k.
		pos := make([]int, n)
		for i := range pos {
			pos[i] = -1
		}
		for a, i := range T {
			pos[i] = a
		}
		class := make([]int, n)
		for i := range class {
			class[i] = -1
		}
		for k, idx := range s.closed {
			for _, i := range idx {
				class[i] = k
			}
		}
		M := mat.NewDense(len(T), len(T), nil)
		R := mat.NewDense(len(T), len(s.closed), nil)
		for a, i := range T {
			M.Set(a, a, c.exitRate(i))
			for j, r := range c.rate[i] {
				if r == 0 || j == i {
					continue
				}
				if b := pos[j]; b >= 0 {
					M.Set(a, b, M.At(a, b)-r)
				} else {
					R.Set(a, class[j], R.At(a, class[j])+r)
				}
			}
		}
		var H mat.Dense
		if err := H.Solve(M, R); err != nil {
			return nil, fmt.Errorf("%w: absorption probabilities of transient states %v: %w", ErrSingular, c.namesOf(T), err)
		}
		// Each row of H sums to one (transient states are left surely);
		// renormalise to remove rounding, which stiff rates can make
		// visible (~1e-12).
		h := make([]float64, len(s.closed))
		for a, i := range T {
			if p0[i] == 0 {
				continue
			}
			var rowSum float64
			for k := range h {
				h[k] = max(0, H.At(a, k))
				rowSum += h[k]
			}
			if !(rowSum > 0) || math.IsInf(rowSum, 0) {
				return nil, fmt.Errorf("%w: absorption probabilities of state %q sum to %v", ErrSingular, c.names[i], rowSum)
			}
			for k := range mass {
				mass[k] += p0[i] * h[k] / rowSum
			}
		}
	}
	out := make([]float64, n)
	for k, idx := range s.closed {
		if mass[k] == 0 {
			continue
		}
		pi, err := c.stationary(idx)
		if err != nil {
			return nil, err
		}
		for m, i := range idx {
			out[i] = mass[k] * pi[m]
		}
	}
	return out, nil
}
