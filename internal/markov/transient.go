package markov

import (
	"fmt"
	"math"
)

const (
	// DefaultTol is the truncation tolerance Transient uses when given tol <= 0.
	DefaultTol = 1e-12
	// MaxSteps bounds the number of uniformisation steps (vector-matrix
	// products) of one Transient call. When q*t exceeds it, Transient can
	// only answer if the distribution reaches the chain's limit earlier.
	MaxSteps = 100_000_000
	// uniformFactor makes the uniformisation rate a little larger than the
	// largest exit rate, so every state keeps a self-loop in the uniformised
	// chain; that makes it aperiodic, so steady-state detection can work.
	uniformFactor = 1.02
)

// detectAfter is the step at which Transient starts to look for convergence
// to the limit, and detectMinRest the number of steps that must remain:
// finding the limit costs about as much as a few hundred steps, so short
// runs skip it. A variable so that tests can switch detection off and
// exercise the full Poisson window.
var detectAfter = 32

const detectMinRest = 256

// maxSteps is MaxSteps, as a variable so that tests can lower it.
var maxSteps = MaxSteps

// Transient returns the distribution at time t (hours) from initial distribution p0, by uniformisation
// with a truncation error below tol (default 1e-12 if tol <= 0).
//
// With Λ = 1.02·max exit rate and P = I + Q/Λ, p(t) = Σ_k Poisson(k; Λt)·p0·Pᵏ.
// The Poisson weights are computed relative to the mode (weight 1 at
// k = ⌊Λt⌋) and truncated left and right where geometric bounds on the
// discarded tails fall below tol/8 each (a Fox–Glynn-style window), so no
// weight overflows or underflows for large Λt; the truncated sum is within
// tol/2 of p(t) in L1 norm. Steady-state detection ends the iteration early
// once p0·Pᵏ is within tol/8 (L1) of the limiting distribution: P does not
// expand L1 distance to a fixed point, so later terms stay that close too
// and stopping adds at most tol/4. Floating-point rounding comes on top and
// grows with the number of steps (each step rescales p0·Pᵏ to the mass of
// p0 so that it does not drift); in tests it stays below 1e-12 at Λt = 1e6.
//
// t = +Inf returns LimitingDistribution(p0). The number of steps is about
// Λt + O(√(Λt)) at most and is capped at MaxSteps (ErrTooLarge beyond).
func (c *Chain) Transient(p0 []float64, t, tol float64) ([]float64, error) {
	if err := c.checkDist(p0); err != nil {
		return nil, err
	}
	if math.IsNaN(t) || t < 0 {
		return nil, fmt.Errorf("%w: t = %v hours (must be >= 0)", ErrBadTime, t)
	}
	if math.IsNaN(tol) || tol >= 1 {
		return nil, fmt.Errorf("%w: tol = %v (must be < 1; <= 0 selects %v)", ErrBadTolerance, tol, DefaultTol)
	}
	if tol <= 0 {
		tol = DefaultTol
	}
	if math.IsInf(t, 1) {
		return c.limit(p0, c.structure())
	}
	q := c.maxExitRate()
	if t == 0 || q == 0 {
		return append([]float64(nil), p0...), nil
	}
	rate := uniformFactor * q
	lambda := rate * t

	// The window [left, right] of Poisson terms and their normalised
	// weights; with lambda beyond MaxSteps only detection can finish.
	left, right := math.MaxInt, math.MaxInt
	var w []float64
	if lambda <= float64(maxSteps) {
		left, w = poissonWindow(lambda, tol/2)
		right = left + len(w) - 1
	}

	// Uniformised chain P = I + Q/rate, row by row in sparse form.
	n := len(c.names)
	type entry struct {
		j int
		p float64
	}
	rows := make([][]entry, n)
	for i := range n {
		rows[i] = append(rows[i], entry{i, 0})
		var off float64
		for j, r := range c.rate[i] {
			if r > 0 && j != i {
				rows[i] = append(rows[i], entry{j, r / rate})
				off += r / rate
			}
		}
		rows[i][0].p = 1 - off // the row sums to one as nearly as it can
	}

	// Rounding makes each step gain or lose about 1e-16 of mass, always
	// the same way; over 1e6 steps that is 1e-10, and P (whose eigenvalue
	// for total mass is 1) never damps it. So each step rescales v back to
	// the mass of p0.
	v := append([]float64(nil), p0...)
	mass := sum(p0)
	next := make([]float64, n)
	out := make([]float64, n)
	var used float64 // total weight added to out so far
	var lim []float64
	detect := true
	for k := 0; ; k++ {
		if k >= left {
			wk := w[k-left]
			for i, x := range v {
				out[i] += wk * x
			}
			used += wk
			if k == right {
				return out, nil
			}
		}
		if detect && k >= detectAfter && (lim != nil || right-k >= detectMinRest) {
			if lim == nil {
				var err error
				if lim, err = c.limit(p0, c.structure()); err != nil {
					detect = false
				}
			}
			if detect && l1(v, lim) <= tol/8 {
				rest := max(0, 1-used)
				for i, x := range v {
					out[i] += rest * x
				}
				return out, nil
			}
		}
		if right == math.MaxInt && k >= maxSteps {
			return nil, fmt.Errorf("%w: q*t = %v needs more than %d uniformisation steps and the distribution had not reached its limit", ErrTooLarge, lambda, maxSteps)
		}
		clear(next)
		for i, x := range v {
			if x == 0 {
				continue
			}
			for _, e := range rows[i] {
				next[e.j] += x * e.p
			}
		}
		if s := sum(next); s > 0 {
			for i := range next {
				next[i] *= mass / s
			}
		}
		v, next = next, v
	}
}

// poissonWindow returns the truncation window of the Poisson(lambda)
// distribution: the first index kept and the weights of the kept terms,
// normalised to sum to one. Each discarded tail is below eps/4 of the
// untruncated total, so the returned weights are within eps of the true
// probabilities in L1 norm.
//
// Weights are computed by the ratio recurrences w(k+1)/w(k) = lambda/(k+1)
// outward from the mode m = ⌊lambda⌋, with w(m) = 1, so every kept weight
// lies in (eps/4, 1]: nothing overflows or underflows however large lambda is.
// A tail beyond a kept term w(k) is bounded by the geometric series with ratio
// lambda/(k+1) (right) or k/lambda (left), both below one outside the mode.
func poissonWindow(lambda, eps float64) (left int, w []float64) {
	m := int(math.Floor(lambda))
	bound := eps / 4 // the total is at least w(m) = 1

	var lw []float64 // weights m-1, m-2, ... (left of the mode)
	for k, wk := m, 1.0; k > 0; k-- {
		if r := float64(k) / lambda; r < 1 && wk*r/(1-r) <= bound {
			break
		}
		wk *= float64(k) / lambda
		lw = append(lw, wk)
	}
	var rw []float64 // weights m+1, m+2, ...
	for k, wk := m, 1.0; ; k++ {
		r := lambda / float64(k+1) // < 1 because k+1 > lambda
		if wk*r/(1-r) <= bound {
			break
		}
		wk *= r
		rw = append(rw, wk)
	}

	w = make([]float64, 0, len(lw)+1+len(rw))
	for i := len(lw) - 1; i >= 0; i-- {
		w = append(w, lw[i])
	}
	w = append(w, 1)
	w = append(w, rw...)
	// Sum smallest first for accuracy: the two tails inward, then the mode.
	var sum float64
	for i := len(lw) - 1; i >= 0; i-- {
		sum += lw[i]
	}
	for i := len(rw) - 1; i >= 0; i-- {
		sum += rw[i]
	}
	sum++
	for i := range w {
		w[i] /= sum
	}
	return m - len(lw), w
}

func sum(p []float64) float64 {
	var s float64
	for _, x := range p {
		s += x
	}
	return s
}

func l1(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += math.Abs(a[i] - b[i])
	}
	return s
}
