package markov

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// fuzzChain builds a chain of 1 to 6 states from data: data[0] picks the
// number of states and data[1] a time; then each triple (from, to, r) adds
// a rate (r&63)·{0.1, 1, 10}[(r>>6)%3] from from%n to to%n, skipping
// self-loops. Rates may be zero.
func fuzzChain(t *testing.T, data []byte) (c *Chain, tt float64) {
	if len(data) < 2 {
		return nil, 0
	}
	n := 1 + int(data[0])%6
	tt = float64(data[1]) / 16
	names := []string{"s0", "s1", "s2", "s3", "s4", "s5"}[:n]
	c, err := New(names)
	if err != nil {
		t.Fatal(err)
	}
	scales := [3]float64{0.1, 1, 10}
	for rest := data[2:]; len(rest) >= 3; rest = rest[3:] {
		i, j := int(rest[0])%n, int(rest[1])%n
		r := float64(rest[2]&63) * scales[int(rest[2]>>6)%3]
		err := c.AddRate(names[i], names[j], r)
		if i == j {
			if !errors.Is(err, ErrBadRate) {
				t.Fatalf("self-loop: err = %v", err)
			}
		} else if err != nil {
			t.Fatal(err)
		}
	}
	return c, tt
}

// piQ returns max_j |(p Q)_j|.
func piQ(Q *mat.Dense, p []float64) float64 {
	n := len(p)
	var v mat.VecDense
	v.MulVec(Q.T(), mat.NewVecDense(n, append([]float64(nil), p...)))
	var m float64
	for j := range n {
		m = max(m, math.Abs(v.AtVec(j)))
	}
	return m
}

func checkDistribution(t *testing.T, what string, p []float64, tol float64) {
	t.Helper()
	var s float64
	for i, x := range p {
		if math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
			t.Fatalf("%s[%d] = %v", what, i, x)
		}
		s += x
	}
	if math.Abs(s-1) > tol {
		t.Fatalf("%s sums to %v (%v)", what, s, p)
	}
}

func FuzzChain(f *testing.F) {
	f.Add([]byte{1, 16, 0, 1, 10, 1, 0, 30})                   // two states
	f.Add([]byte{2, 40, 0, 1, 200, 1, 2, 5, 2, 0, 77})         // a cycle over scales
	f.Add([]byte{3, 255, 0, 1, 1, 1, 0, 1, 2, 3, 60, 3, 2, 9}) // two closed classes
	f.Add([]byte{5, 3, 0, 0, 5, 4, 3, 2, 1, 5, 130, 5, 0, 63})
	f.Add([]byte{0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		c, tt := fuzzChain(t, data)
		if c == nil {
			return
		}
		n := len(c.names)
		Q := c.Generator()
		q := c.maxExitRate()
		for i := range n {
			var s float64
			for j := range n {
				s += Q.At(i, j)
			}
			if math.Abs(s) > 1e-12*max(1, q) {
				t.Fatalf("row %d of Q sums to %v", i, s)
			}
		}

		closed, transient := c.Classes()
		count := len(transient)
		for _, cl := range closed {
			count += len(cl)
		}
		if count != n || len(closed) == 0 {
			t.Fatalf("Classes %v, %v do not partition %d states", closed, transient, n)
		}
		irreducible := len(closed) == 1 && len(transient) == 0

		pi, err := c.SteadyState()
		switch {
		case irreducible && err != nil:
			t.Fatalf("irreducible chain: %v", err)
		case irreducible:
			checkDistribution(t, "pi", pi, 1e-12)
			if r := piQ(Q, pi); r > 1e-9*max(1, q) {
				t.Fatalf("|pi Q| = %v for pi = %v", r, pi)
			}
		case !errors.Is(err, ErrReducible):
			t.Fatalf("reducible chain (closed %v, transient %v): err = %v", closed, transient, err)
		}

		p0 := make([]float64, n)
		for i := range p0 {
			p0[i] = 1 / float64(n)
		}
		lim, err := c.LimitingDistribution(p0)
		if err != nil {
			t.Fatal(err)
		}
		checkDistribution(t, "limit", lim, 1e-12)
		if r := piQ(Q, lim); r > 1e-9*max(1, q) {
			t.Fatalf("|lim Q| = %v for lim = %v", r, lim)
		}
		if irreducible && l1(lim, pi) > 1e-9 {
			t.Fatalf("limit %v != pi %v", lim, pi)
		}

		p, err := c.Transient(p0, tt, 0)
		if err != nil {
			t.Fatal(err)
		}
		checkDistribution(t, "p(t)", p, 1e-12)

		mean, per, err := c.MeanTimeToAbsorption(p0, []string{"s0"})
		if err != nil && !errors.Is(err, ErrUnreachable) {
			t.Fatal(err)
		}
		if per[0] != 0 || math.IsNaN(mean) || mean < 0 {
			t.Fatalf("mean %v, per state %v", mean, per)
		}
		for i, m := range per {
			if math.IsNaN(m) || m < 0 {
				t.Fatalf("per state[%d] = %v", i, m)
			}
		}
	})
}
