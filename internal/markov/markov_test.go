package markov

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// build makes a chain from states and (from, to, rate) triples.
func build(t testing.TB, states []string, rates ...any) *Chain {
	t.Helper()
	c, err := New(states)
	if err != nil {
		t.Fatal(err)
	}
	if len(rates)%3 != 0 {
		t.Fatal("rates must be (from, to, rate) triples")
	}
	for k := 0; k < len(rates); k += 3 {
		if err := c.AddRate(rates[k].(string), rates[k+1].(string), rates[k+2].(float64)); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if !(math.Abs(got-want) <= tol) {
		t.Errorf("%s = %.15g, want %.15g (diff %.3g, tol %.3g)", what, got, want, got-want, tol)
	}
}

func nearVec(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: len %d, want %d", what, len(got), len(want))
	}
	for i := range got {
		if !(math.Abs(got[i]-want[i]) <= tol) {
			t.Errorf("%s[%d] = %.15g, want %.15g (diff %.3g, tol %.3g)", what, i, got[i], want[i], got[i]-want[i], tol)
		}
	}
}

func unit(n, i int) []float64 {
	p := make([]float64, n)
	p[i] = 1
	return p
}

func TestGenerator(t *testing.T) {
	c := build(t, []string{"a", "b", "c"},
		"a", "b", 1.0, "a", "c", 2.0, "a", "b", 0.5, // a->b accumulates to 1.5
		"c", "a", 4.0)
	want := mat.NewDense(3, 3, []float64{
		-3.5, 1.5, 2,
		0, 0, 0,
		4, 0, -4,
	})
	if got := c.Generator(); !mat.Equal(got, want) {
		t.Errorf("Generator =\n%v\nwant\n%v", mat.Formatted(got), mat.Formatted(want))
	}
	if r, _ := c.Rate("a", "b"); r != 1.5 {
		t.Errorf("Rate(a, b) = %v, want 1.5", r)
	}
	if got := c.States(); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Errorf("States = %v", got)
	}
	c.States()[0] = "x" // a copy: must not change the chain
	if c.States()[0] != "a" {
		t.Error("States returned the chain's own slice")
	}
}

// Two states a <-> b with a->b rate lam and b->a rate mu.
func TestTwoState(t *testing.T) {
	const lam, mu = 0.3, 1.7
	c := build(t, []string{"a", "b"}, "a", "b", lam, "b", "a", mu)
	pa := mu / (lam + mu) // 0.85

	pi, err := c.SteadyState()
	if err != nil {
		t.Fatal(err)
	}
	nearVec(t, "pi", pi, []float64{0.85, 0.15}, 1e-14)

	for _, tt := range []float64{0, 0.01, 0.1, 0.5, 1, 2.5, 10, 40} {
		p, err := c.Transient([]float64{1, 0}, tt, 0)
		if err != nil {
			t.Fatal(err)
		}
		want := pa + (1-pa)*math.Exp(-(lam+mu)*tt)
		near(t, "p_a("+ftoa(tt)+")", p[0], want, 1e-12)
		near(t, "p_b("+ftoa(tt)+")", p[1], 1-want, 1e-12)
		near(t, "sum p("+ftoa(tt)+")", sum(p), 1, 1e-12)
	}
	// From b: p_a(t) = pa - pa·e^{-(lam+mu)t}.
	p, err := c.Transient([]float64{0, 1}, 0.7, 0)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "p_a(0.7) from b", p[0], pa-pa*math.Exp(-(lam+mu)*0.7), 1e-12)
}

func ftoa(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// M/M/1/K with K = 3, arrival rate 2, service rate 3: pi_k ∝ ρ^k with
// ρ = 2/3, i.e. (1, 2/3, 4/9, 8/27)/(65/27) = (27, 18, 12, 8)/65.
func TestMM1K(t *testing.T) {
	c := build(t, []string{"0", "1", "2", "3"},
		"0", "1", 2.0, "1", "2", 2.0, "2", "3", 2.0,
		"3", "2", 3.0, "2", "1", 3.0, "1", "0", 3.0)
	pi, err := c.SteadyState()
	if err != nil {
		t.Fatal(err)
	}
	nearVec(t, "pi", pi, []float64{27.0 / 65, 18.0 / 65, 12.0 / 65, 8.0 / 65}, 1e-14)
}

// A cycle a -> b -> c -> a with rates 1, 2, 4 spends time in proportion to
// the mean holding times 1, 1/2, 1/4: pi = (4, 2, 1)/7.
func TestCycle(t *testing.T) {
	c := build(t, []string{"a", "b", "c"}, "a", "b", 1.0, "b", "c", 2.0, "c", "a", 4.0)
	pi, err := c.SteadyState()
	if err != nil {
		t.Fatal(err)
	}
	nearVec(t, "pi", pi, []float64{4.0 / 7, 2.0 / 7, 1.0 / 7}, 1e-14)
}

func TestSingleState(t *testing.T) {
	c := build(t, []string{"only"})
	pi, err := c.SteadyState()
	if err != nil || !slices.Equal(pi, []float64{1}) {
		t.Errorf("SteadyState = %v, %v; want [1], nil", pi, err)
	}
	p, err := c.Transient([]float64{1}, 5, 0)
	if err != nil || !slices.Equal(p, []float64{1}) {
		t.Errorf("Transient = %v, %v; want [1], nil", p, err)
	}
}

// Pure death 3 -> 2 -> 1 -> 0 with rates r3, r2, r1: the time to 0 is the
// sum of the holding times, mean 1/r3 + 1/r2 + 1/r1 from 3.
func TestMeanTimeDeath(t *testing.T) {
	const r3, r2, r1 = 0.5, 2.0, 4.0
	c := build(t, []string{"0", "1", "2", "3"}, "3", "2", r3, "2", "1", r2, "1", "0", r1)
	mean, per, err := c.MeanTimeToAbsorption(unit(4, 3), []string{"0"})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "mean from 3", mean, 2.75, 1e-14) // 2 + 0.5 + 0.25
	nearVec(t, "per state", per, []float64{0, 0.25, 0.75, 2.75}, 1e-14)

	mean, _, err = c.MeanTimeToAbsorption([]float64{0, 0.5, 0, 0.5}, []string{"0"})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "mean from (1+3)/2", mean, 1.5, 1e-14) // (0.25 + 2.75)/2

	// Target {0, 1}: from 3 it is 1/r3 + 1/r2 = 2.5.
	_, per, err = c.MeanTimeToAbsorption(unit(4, 3), []string{"1", "0"})
	if err != nil {
		t.Fatal(err)
	}
	nearVec(t, "per state, targets {0,1}", per, []float64{0, 0, 0.5, 2.5}, 1e-14)
}

// From s: to absorbing a at rate α, to t at rate β; t returns to s at rate
// γ. With m_s = 1/(α+β) + β/(α+β)·m_t and m_t = 1/γ + m_s,
// m_s = (β+γ)/(αγ). For α, β, γ = 1, 2, 4: m_s = 6/4 = 1.5, m_t = 1.75.
func TestMeanTimeBranch(t *testing.T) {
	c := build(t, []string{"s", "t", "a"}, "s", "a", 1.0, "s", "t", 2.0, "t", "s", 4.0)
	mean, per, err := c.MeanTimeToAbsorption([]float64{1, 0, 0}, []string{"a"})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "mean from s", mean, 1.5, 1e-14)
	nearVec(t, "per state", per, []float64{1.5, 1.75, 0}, 1e-14)
	mean, _, err = c.MeanTimeToAbsorption([]float64{0.25, 0.75, 0}, []string{"a"})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "mean from (s/4 + 3t/4)", mean, 0.25*1.5+0.75*1.75, 1e-14)
}

func TestMeanTimeInfinite(t *testing.T) {
	// s -> a (target) and s -> u, where u is a trap; w only reaches the trap;
	// v reaches a surely.
	c := build(t, []string{"a", "s", "u", "v", "w"},
		"s", "a", 1.0, "s", "u", 1.0, "v", "a", 2.0, "w", "u", 1.0)
	mean, per, err := c.MeanTimeToAbsorption(unit(5, 3), []string{"a"})
	if err != nil {
		t.Fatal(err)
	}
	inf := math.Inf(1)
	if !slices.Equal(per, []float64{0, inf, inf, 0.5, inf}) {
		t.Errorf("per state = %v, want [0 +Inf +Inf 0.5 +Inf]", per)
	}
	near(t, "mean from v", mean, 0.5, 1e-15)
	mean, _, err = c.MeanTimeToAbsorption([]float64{0, 0.5, 0, 0.5, 0}, []string{"a"})
	if err != nil || !math.IsInf(mean, 1) {
		t.Errorf("mean from s/v = %v, %v; want +Inf, nil", mean, err)
	}

	// Nothing reaches the target surely: an error, but results still given.
	c = build(t, []string{"a", "s", "u"}, "s", "a", 1.0, "s", "u", 1.0)
	mean, per, err = c.MeanTimeToAbsorption(unit(3, 1), []string{"a"})
	if !errors.Is(err, ErrUnreachable) {
		t.Fatalf("err = %v, want ErrUnreachable", err)
	}
	if !math.IsInf(mean, 1) || !slices.Equal(per, []float64{0, inf, inf}) {
		t.Errorf("mean, per = %v, %v; want +Inf, [0 +Inf +Inf]", mean, per)
	}
	// A target passed through does not count as an escape: s -> a -> u
	// with target a is finite.
	c = build(t, []string{"s", "a", "u"}, "s", "a", 2.0, "a", "u", 1.0)
	_, per, err = c.MeanTimeToAbsorption(unit(3, 0), []string{"a"})
	if err != nil || per[0] != 0.5 || !math.IsInf(per[2], 1) {
		t.Errorf("per, err = %v, %v; want [0.5 0 +Inf], nil", per, err)
	}
}

func TestReducible(t *testing.T) {
	// {a, b} and {c} closed; d leaks into both.
	c := build(t, []string{"a", "b", "c", "d"},
		"a", "b", 1.0, "b", "a", 3.0, "d", "a", 1.0, "d", "c", 3.0)
	_, err := c.SteadyState()
	if !errors.Is(err, ErrReducible) {
		t.Fatalf("err = %v, want ErrReducible", err)
	}
	const want = "markov: chain is not irreducible: closed classes {a, b}, {c}; transient states {d}"
	if err.Error() != want {
		t.Errorf("err = %q\nwant  %q", err, want)
	}
	closed, transient := c.Classes()
	if len(closed) != 2 || !slices.Equal(closed[0], []string{"a", "b"}) ||
		!slices.Equal(closed[1], []string{"c"}) || !slices.Equal(transient, []string{"d"}) {
		t.Errorf("Classes = %v, %v", closed, transient)
	}

	// From d: into {a, b} with probability 1/4, spread 3:1 (pi of a<->b);
	// into c with probability 3/4.
	lim, err := c.LimitingDistribution(unit(4, 3))
	if err != nil {
		t.Fatal(err)
	}
	nearVec(t, "limit from d", lim, []float64{0.1875, 0.0625, 0.75, 0}, 1e-14)
	p, err := c.Transient(unit(4, 3), 200, 0)
	if err != nil {
		t.Fatal(err)
	}
	nearVec(t, "p(200) from d", p, lim, 1e-12)
	p, err = c.Transient(unit(4, 3), math.Inf(1), 0)
	if err != nil {
		t.Fatal(err)
	}
	nearVec(t, "p(+Inf) from d", p, lim, 0)

	// One closed class with a transient state is still not irreducible.
	c = build(t, []string{"x", "y"}, "x", "y", 1.0)
	_, err = c.SteadyState()
	const want2 = "markov: chain is not irreducible: closed class {y}; transient states {x}"
	if err == nil || err.Error() != want2 {
		t.Errorf("err = %v, want %q", err, want2)
	}
	// No rates at all: every state is its own closed class.
	c = build(t, []string{"x", "y"})
	_, err = c.SteadyState()
	const want3 = "markov: chain is not irreducible: closed classes {x}, {y}"
	if err == nil || err.Error() != want3 {
		t.Errorf("err = %v, want %q", err, want3)
	}
}

// randomChain makes an n-state chain with rates in [0.1, 3) on about
// density of the ordered pairs, plus a cycle through all states so it is
// irreducible.
func randomChain(t testing.TB, rng *rand.Rand, n int, density float64) *Chain {
	t.Helper()
	names := make([]string, n)
	for i := range names {
		names[i] = string(rune('A'+i%26)) + strings.Repeat("'", i/26)
	}
	c, err := New(names)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if n > 1 {
			if err := c.AddRate(names[i], names[(i+1)%n], 0.1+2.9*rng.Float64()); err != nil {
				t.Fatal(err)
			}
		}
		for j := range n {
			if i != j && rng.Float64() < density {
				if err := c.AddRate(names[i], names[j], 0.1+2.9*rng.Float64()); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	return c
}

// Transient against the matrix exponential exp(Qt) from gonum.
func TestTransientVsExp(t *testing.T) {
	rng := rand.New(rand.NewPCG(2024, 6))
	const n = 6
	c := randomChain(t, rng, n, 0.5)
	Q := c.Generator()
	for _, tt := range []float64{0.03, 0.4, 1, 3.7, 12} {
		var Qt, P mat.Dense
		Qt.Scale(tt, Q)
		P.Exp(&Qt)
		for i := range n {
			p, err := c.Transient(unit(n, i), tt, 0)
			if err != nil {
				t.Fatal(err)
			}
			nearVec(t, "p(t="+ftoa(tt)+") from "+c.names[i], p, mat.Row(nil, i, &P), 1e-9)
			near(t, "sum", sum(p), 1, 1e-12)
		}
		// A mixed start is the mixture of the rows.
		p0 := []float64{0.1, 0.2, 0.3, 0.15, 0.05, 0.2}
		p, err := c.Transient(p0, tt, 0)
		if err != nil {
			t.Fatal(err)
		}
		var want mat.VecDense
		want.MulVec(P.T(), mat.NewVecDense(n, p0))
		nearVec(t, "p(t) from mixture", p, want.RawVector().Data, 1e-9)
	}

	// A loose tolerance is honoured but not exceeded.
	var Qt, P mat.Dense
	Qt.Scale(2, Q)
	P.Exp(&Qt)
	p, err := c.Transient(unit(n, 0), 2, 1e-4)
	if err != nil {
		t.Fatal(err)
	}
	if d := l1(p, mat.Row(nil, 0, &P)); d > 1e-4 {
		t.Errorf("tol 1e-4: L1 error %g", d)
	}
}

func TestTransientLimits(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	const n = 6
	c := randomChain(t, rng, n, 0.3)
	pi, err := c.SteadyState()
	if err != nil {
		t.Fatal(err)
	}
	piQ := mat.NewVecDense(n, nil)
	piQ.MulVec(c.Generator().T(), mat.NewVecDense(n, pi))
	for j := range n {
		near(t, "(pi Q)_j", piQ.AtVec(j), 0, 1e-13)
	}
	near(t, "sum pi", sum(pi), 1, 1e-14)

	p0 := []float64{0, 0.5, 0, 0, 0.5, 0}
	p, err := c.Transient(p0, 0, 0)
	if err != nil || !slices.Equal(p, p0) {
		t.Errorf("p(0) = %v, %v; want p0", p, err)
	}
	for _, tt := range []float64{1e3, 1e5, 1e9, math.Inf(1)} {
		p, err := c.Transient(p0, tt, 0)
		if err != nil {
			t.Fatalf("t = %g: %v", tt, err)
		}
		nearVec(t, "p("+ftoa(tt)+")", p, pi, 1e-12)
		near(t, "sum p("+ftoa(tt)+")", sum(p), 1, 1e-12)
	}
}

// With detection off, q*t = 1e5 runs the whole Poisson window: weights must
// not overflow and the answer must be the (closed-form) steady state.
func TestTransientLargeWindow(t *testing.T) {
	defer func(d int) { detectAfter = d }(detectAfter)
	detectAfter = math.MaxInt
	const lam, mu = 0.3, 0.7
	c := build(t, []string{"a", "b"}, "a", "b", lam, "b", "a", mu)
	q := c.maxExitRate() // 0.7
	tt := 1e5 / q
	p, err := c.Transient([]float64{1, 0}, tt, 0)
	if err != nil {
		t.Fatal(err)
	}
	nearVec(t, "p(t), q*t = 1e5", p, []float64{0.7, 0.3}, 1e-12)
}

// poissonWindow at lambda = 1e5 (and beyond): finite weights summing to one
// with the Poisson mean and variance.
func TestPoissonWindow(t *testing.T) {
	for _, lambda := range []float64{1e-3, 0.5, 1, 7, 30, 1e5, 1e7} {
		left, w := poissonWindow(lambda, 1e-12)
		var s, mean, m2 float64
		for i, x := range w {
			if math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
				t.Fatalf("lambda %g: weight %d = %v", lambda, left+i, x)
			}
			k := float64(left + i)
			s += x
			mean += k * x
			m2 += k * k * x
		}
		near(t, "sum of weights", s, 1, 1e-12)
		near(t, "mean", mean, lambda, 1e-12*max(1, lambda))
		near(t, "variance/lambda", (m2-mean*mean)/lambda, 1, 1e-6)
		// The window is about ±7σ wide for eps = 1e-12, not the whole range.
		if lambda >= 30 && float64(len(w)) > 20*math.Sqrt(lambda) {
			t.Errorf("lambda %g: window of %d terms", lambda, len(w))
		}
	}
	// Exact small case: Poisson(1) from 0, with P(k) = e^{-1}/k!.
	left, w := poissonWindow(1, 1e-15)
	if left != 0 {
		t.Fatalf("left = %d", left)
	}
	fact := 1.0
	for k, x := range w {
		if k > 0 {
			fact *= float64(k)
		}
		near(t, "Poisson(1) weight "+ftoa(float64(k)), x, math.Exp(-1)/fact, 1e-15)
	}
}

// A stiff, slowly mixing chain at q*t up to 1e6: 0 <-> 1 fast (1000/h both
// ways), 1 <-> 2 slow (0.01/h and 0.02/h), so q ≈ 1000 while the slowest
// mode decays at about 0.025/h. Reference rows exp(Qt)[2,:] were computed
// independently at 40 digits with mpmath:
//
//	Q = mp.matrix([[-1000, 1000, 0], [1000, -1000.01, 0.01], [0, 0.02, -0.02]])
//	mp.expm(Q*t)[2, :]   (rates as exact decimals, mp.mp.dps = 40)
//
// At q*t = 1e6 the slow mode is e^{-24.5} ≈ 2e-11 from the limit, so the
// iteration must neither drift nor stop early.
func TestTransientStiff(t *testing.T) {
	c := build(t, []string{"0", "1", "2"},
		"0", "1", 1000.0, "1", "0", 1000.0, "1", "2", 0.01, "2", "1", 0.02)
	for _, tc := range []struct {
		t    float64
		want []float64
	}{
		{1, []float64{0.0098711342192355486189, 0.0098808874164967697867, 0.98024797836426768159}},
		{98, []float64{0.36548192250439188253, 0.36548278545417187132, 0.26903529204143624615}}, // q*t ≈ 1e5
		{980, []float64{0.39999999999084038511, 0.3999999999908406141, 0.20000000001831900078}}, // q*t ≈ 1e6
	} {
		p, err := c.Transient(unit(3, 2), tc.t, 0)
		if err != nil {
			t.Fatal(err)
		}
		nearVec(t, "p("+ftoa(tc.t)+") from 2", p, tc.want, 2e-12)
		near(t, "sum", sum(p), 1, 1e-12)
	}
}

func TestBadInput(t *testing.T) {
	for _, tc := range []struct {
		states []string
		msg    string
	}{
		{nil, "no states"},
		{[]string{"a", ""}, "state 1 has an empty name"},
		{[]string{"a", "b", "a"}, `duplicate state "a"`},
	} {
		if _, err := New(tc.states); !errors.Is(err, ErrBadState) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("New(%q) err = %v, want ErrBadState containing %q", tc.states, err, tc.msg)
		}
	}

	c := build(t, []string{"a", "b"}, "a", "b", 1.0, "b", "a", 1.0)
	for _, tc := range []struct {
		from, to string
		r        float64
		want     error
		msg      string
	}{
		{"a", "zz", 1, ErrBadState, `unknown state "zz"`},
		{"zz", "a", 1, ErrBadState, `unknown state "zz"`},
		{"a", "a", 1, ErrBadRate, `self-loop on state "a"`},
		{"a", "b", -0.5, ErrBadRate, "rate -0.5"},
		{"a", "b", math.NaN(), ErrBadRate, "rate NaN"},
		{"a", "b", math.Inf(1), ErrBadRate, "rate +Inf"},
	} {
		err := c.AddRate(tc.from, tc.to, tc.r)
		if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("AddRate(%q, %q, %v) err = %v, want %v containing %q", tc.from, tc.to, tc.r, err, tc.want, tc.msg)
		}
	}
	if r, _ := c.Rate("a", "b"); r != 1 {
		t.Errorf("a failed AddRate changed the rate to %v", r)
	}

	for _, tc := range []struct {
		p0   []float64
		t    float64
		tol  float64
		want error
		msg  string
	}{
		{[]float64{1}, 1, 0, ErrBadDistribution, "p0 has 1 entries, chain has 2 states"},
		{[]float64{1.5, -0.5}, 1, 0, ErrBadDistribution, `p0[1] (state "b") = -0.5`},
		{[]float64{math.NaN(), 1}, 1, 0, ErrBadDistribution, `p0[0] (state "a") = NaN`},
		{[]float64{0.5, 0.4}, 1, 0, ErrBadDistribution, "p0 sums to 0.9"},
		{[]float64{1, 0}, -2, 0, ErrBadTime, "t = -2 hours"},
		{[]float64{1, 0}, math.NaN(), 0, ErrBadTime, "t = NaN"},
		{[]float64{1, 0}, 1, math.NaN(), ErrBadTolerance, "tol = NaN"},
		{[]float64{1, 0}, 1, 1, ErrBadTolerance, "tol = 1"},
	} {
		_, err := c.Transient(tc.p0, tc.t, tc.tol)
		if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("Transient(%v, %v, %v) err = %v, want %v containing %q", tc.p0, tc.t, tc.tol, err, tc.want, tc.msg)
		}
	}

	for _, tc := range []struct {
		p0      []float64
		targets []string
		want    error
		msg     string
	}{
		{[]float64{1, 0}, nil, ErrBadState, "no target states"},
		{[]float64{1, 0}, []string{"nope"}, ErrBadState, `unknown state "nope"`},
		{[]float64{2, 0}, []string{"a"}, ErrBadDistribution, "p0 sums to 2"},
	} {
		_, _, err := c.MeanTimeToAbsorption(tc.p0, tc.targets)
		if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("MeanTimeToAbsorption(%v, %q) err = %v, want %v containing %q", tc.p0, tc.targets, err, tc.want, tc.msg)
		}
	}
	if _, err := c.LimitingDistribution([]float64{0.2, 0.2}); !errors.Is(err, ErrBadDistribution) {
		t.Errorf("LimitingDistribution err = %v, want ErrBadDistribution", err)
	}

	// Every error is prefixed "markov: ".
	_, err := c.Transient([]float64{1, 0}, -1, 0)
	if !strings.HasPrefix(err.Error(), "markov: ") {
		t.Errorf("error %q lacks the markov: prefix", err)
	}
}

// With q*t beyond MaxSteps, a chain that never settles within MaxSteps steps
// cannot be answered; one that settles can.
func TestTransientTooLarge(t *testing.T) {
	c := build(t, []string{"a", "b"}, "a", "b", 1.0, "b", "a", 1.0)
	p, err := c.Transient([]float64{1, 0}, 1e12, 0)
	if err != nil {
		t.Fatal(err)
	}
	nearVec(t, "p(1e12)", p, []float64{0.5, 0.5}, 1e-12)

	defer func(d, m int) { detectAfter, maxSteps = d, m }(detectAfter, maxSteps)
	detectAfter, maxSteps = math.MaxInt, 1000
	if _, err := c.Transient([]float64{1, 0}, 1e4, 0); !errors.Is(err, ErrTooLarge) {
		t.Errorf("err = %v, want ErrTooLarge", err)
	}
}
