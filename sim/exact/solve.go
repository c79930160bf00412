package exact

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/gonum/mat"

	"github.com/evsim/evsim/internal/markov"
	"github.com/evsim/evsim/model"
)

// blocks returns the top row of exp(A t) for A = [[Q, I, 0], [0, 0, I],
// [0, 0, 0]]: e^{Qt}, ∫₀ᵗ e^{Qu} du and ∫₀ᵗ∫₀ᵘ e^{Qs} ds du, as one n×3n
// matrix. Results are cached per t.
func (f *Fleet) blocks(t float64) *mat.Dense {
	if e, ok := f.expm[t]; ok {
		return e
	}
	n := len(f.keys)
	a := mat.NewDense(3*n, 3*n, nil)
	for i := range n {
		for j := range n {
			a.Set(i, j, f.q.At(i, j)*t)
		}
		a.Set(i, n+i, t)
		a.Set(n+i, 2*n+i, t)
	}
	var e mat.Dense
	e.Exp(a)
	top := mat.DenseCopyOf(e.Slice(0, n, 0, 3*n))
	f.expm[t] = top
	return top
}

// combine returns v·M for the row vector v and the n×n block k of the
// top row of blocks(t).
func (f *Fleet) combine(v []float64, t float64, k int) []float64 {
	n := len(f.keys)
	out := make([]float64, n)
	if t == 0 {
		if k == 0 {
			copy(out, v)
		}
		return out
	}
	m := f.blocks(t)
	for i, x := range v {
		if x == 0 {
			continue
		}
		for j := range n {
			out[j] += x * m.At(i, k*n+j)
		}
	}
	return out
}

func (f *Fleet) byStatus(v []float64) []float64 {
	out := make([]float64, len(f.cfg.Spec.Statuses))
	for i, x := range v {
		if s := int(f.status[i]); s < len(out) {
			out[s] += x
		}
	}
	return out
}

// At returns the expected number of disks in each status (spec order) at
// time t hours.
func (f *Fleet) At(t float64) []float64 {
	if len(f.keys) == 0 {
		return make([]float64, len(f.cfg.Spec.Statuses))
	}
	x := f.combine(f.init, t, 0)
	y := f.combine(f.birth, t, 1)
	for i := range x {
		x[i] += y[i]
	}
	return f.byStatus(x)
}

// WindowMean returns the expected time-weighted mean number of disks in
// each status (spec order) over [from, to] hours: what the simulator's
// occupancy estimates when from is the warm-up and to the horizon.
func (f *Fleet) WindowMean(from, to float64) []float64 {
	if len(f.keys) == 0 || !(to > from) {
		return make([]float64, len(f.cfg.Spec.Statuses))
	}
	yh, yw := f.combine(f.init, to, 1), f.combine(f.init, from, 1)
	zh, zw := f.combine(f.birth, to, 2), f.combine(f.birth, from, 2)
	v := make([]float64, len(yh))
	for i := range v {
		v[i] = (yh[i] - yw[i] + zh[i] - zw[i]) / (to - from)
	}
	return f.byStatus(v)
}

// Steady returns the long-run expected number of disks in each status
// (spec order): +Inf for a status in which created disks pile up (a state
// they never leave, fed by growth). ok is false when the solver cannot
// tell: growth into a cycle of states no disk leaves, or one it leaves
// only after an astronomically long time (a shared system disk attached
// to 16 servers, detached only while they are stopped, say), which makes
// the linear system singular to working precision.
func (f *Fleet) Steady() (v []float64, ok bool, err error) {
	n := len(f.keys)
	if n == 0 {
		return make([]float64, len(f.cfg.Spec.Statuses)), true, nil
	}
	var lam float64
	for _, x := range f.birth {
		lam += x
	}
	if lam == 0 {
		mc, p0, err := f.markov(f.init)
		if err != nil {
			return nil, false, err
		}
		if p0 == nil {
			return make([]float64, len(f.cfg.Spec.Statuses)), true, nil
		}
		lim, err := mc.LimitingDistribution(p0)
		if err != nil {
			return nil, false, fmt.Errorf("exact: %w", err)
		}
		v := make([]float64, n)
		for i := range v {
			v[i] = lim[i] * float64(f.cfg.Disks)
		}
		return f.byStatus(v), true, nil
	}
	// Live states (with a way out) reach a balance, m_L (-Q_LL) = c_L;
	// a state with no way out collects what flows in: +Inf if anything
	// flows in for ever, else what the starting disks leave there.
	fed, okB := f.flow(f.birth)
	start, okA := f.flow(f.init)
	if !okB || !okA {
		return nil, false, nil
	}
	out := make([]float64, n)
	for i := range n {
		if f.q.At(i, i) != 0 {
			out[i] = fed[i]
			continue
		}
		if fed[i] > 1e-15 {
			out[i] = math.Inf(1)
		} else {
			out[i] = start[i]
		}
	}
	return f.byStatus(out), true, nil
}

// flow returns, for the row vector v over the chain's states, x = v_L
// (-Q_LL)^{-1} on the live states L (states with a way out) and, on the
// others, v plus what x·Q sends there. ok is false if -Q_LL is singular.
func (f *Fleet) flow(v []float64) ([]float64, bool) {
	n := len(f.keys)
	var live []int
	for i := range n {
		if f.q.At(i, i) != 0 {
			live = append(live, i)
		}
	}
	out := make([]float64, n)
	if len(live) > 0 {
		m := len(live)
		a := mat.NewDense(m, m, nil)
		b := mat.NewVecDense(m, nil)
		for r, i := range live {
			for c, j := range live {
				a.Set(c, r, -f.q.At(i, j))
			}
			b.SetVec(r, v[i])
		}
		var x mat.VecDense
		if err := x.SolveVec(a, b); err != nil {
			return nil, false
		}
		for r, i := range live {
			xi := x.AtVec(r)
			if xi < -1e-9*(1+math.Abs(xi)) || math.IsNaN(xi) {
				return nil, false
			}
			out[i] = xi
		}
	}
	for j := range n {
		if f.q.At(j, j) != 0 {
			continue
		}
		out[j] = v[j]
		for _, i := range live {
			out[j] += out[i] * f.q.At(i, j)
		}
	}
	return out, true
}

// markov returns the chain with an absorbing state "gone" added (last),
// and v normalised as its initial distribution (nil if v is all zero).
func (f *Fleet) markov(v []float64) (*markov.Chain, []float64, error) {
	n := len(f.keys)
	names := make([]string, n+1)
	for i := range n {
		names[i] = strconv.Itoa(i)
	}
	names[n] = "gone"
	mc, err := markov.New(names)
	if err != nil {
		return nil, nil, fmt.Errorf("exact: %w", err)
	}
	for i := range n {
		var out float64
		for j := range n {
			if r := f.q.At(i, j); i != j && r > 0 {
				out += r
				if err := mc.AddRate(names[i], names[j], r); err != nil {
					return nil, nil, fmt.Errorf("exact: %w", err)
				}
			}
		}
		if g := -f.q.At(i, i) - out; g > 1e-12*out && g > 0 {
			if err := mc.AddRate(names[i], "gone", g); err != nil {
				return nil, nil, fmt.Errorf("exact: %w", err)
			}
		}
	}
	var tot float64
	for _, x := range v {
		tot += x
	}
	if tot == 0 {
		return mc, nil, nil
	}
	p0 := make([]float64, n+1)
	for i, x := range v {
		p0[i] = x / tot
	}
	return mc, p0, nil
}

// Absorbing returns the statuses (spec order) in which a disk, once there,
// stays for good: every chain state with that status has no way out.
func (f *Fleet) Absorbing() []model.StatusID {
	has := map[model.StatusID]bool{}
	leaves := map[model.StatusID]bool{}
	for i, s := range f.status {
		has[s] = true
		if f.q.At(i, i) != 0 {
			leaves[s] = true
		}
	}
	var out []model.StatusID
	for s := range f.cfg.Spec.Statuses {
		id := model.StatusID(s)
		if has[id] && !leaves[id] {
			out = append(out, id)
		}
	}
	return out
}

// ErrNoDisk is returned by [Fleet.MeanTimeTo] for a fleet that starts
// with no disk and creates none.
var ErrNoDisk = errors.New("exact: the fleet has no disk")

// MeanTimeTo returns the expected hours until a new disk (a created one;
// a starting one when the fleet creates none) first has status s, +Inf
// when it may never.
func (f *Fleet) MeanTimeTo(s model.StatusID) (float64, error) {
	from := f.newP
	if from == nil {
		from = f.init
	}
	mc, p0, err := f.markov(from)
	if err != nil {
		return 0, err
	}
	if p0 == nil {
		return 0, ErrNoDisk
	}
	var targets []string
	for i, st := range f.status {
		if st == s {
			targets = append(targets, strconv.Itoa(i))
		}
	}
	if len(targets) == 0 {
		return math.Inf(1), nil
	}
	mean, _, err := mc.MeanTimeToAbsorption(p0, targets)
	if err != nil && !errors.Is(err, markov.ErrUnreachable) {
		return 0, fmt.Errorf("exact: %w", err)
	}
	return mean, nil
}

// Ending is one way a disk's life ends: deleted ([model.Gone]) or in a
// status it never leaves, with the probability that a new disk ends so.
type Ending struct {
	Status      model.StatusID
	Probability float64
}

// Endings returns how a new disk's life ends (a created disk; a starting
// one when the fleet creates none): deleted or stuck for good in one of
// a state it never leaves (an attached disk in Expansion failed when only
// its deletion is requested, say), by status in spec order with deletion
// last, and the mean hours until it ends. ok is false when a
// disk may live for ever (a cycle it never leaves), which leaves both
// undefined.
func (f *Fleet) Endings() (ends []Ending, mean float64, ok bool, err error) {
	from := f.newP
	if from == nil {
		from = f.init
	}
	n := len(f.keys)
	var tot float64
	for _, x := range from {
		tot += x
	}
	if tot == 0 {
		return nil, 0, false, ErrNoDisk
	}
	var live []int
	for i := range n {
		if f.q.At(i, i) != 0 {
			live = append(live, i)
		}
	}
	// x = p0 (-Q_LL)^{-1}: expected hours spent in each live state.
	m := len(live)
	var x mat.VecDense
	if m > 0 {
		a := mat.NewDense(m, m, nil)
		b := mat.NewVecDense(m, nil)
		for r, i := range live {
			for c, j := range live {
				a.Set(c, r, -f.q.At(i, j)) // transposed: solve (-Q_LL)^T x = p0
			}
			b.SetVec(r, from[i]/tot)
		}
		if err := x.SolveVec(a, b); err != nil {
			return nil, 0, false, nil
		}
	}
	into := map[model.StatusID]float64{}
	for i := range n {
		if f.q.At(i, i) == 0 {
			into[f.status[i]] += from[i] / tot
		}
	}
	for r, i := range live {
		xi := x.AtVec(r)
		if xi < -1e-9 || math.IsNaN(xi) {
			return nil, 0, false, nil
		}
		mean += xi
		out := -f.q.At(i, i)
		for j := range n {
			if j == i {
				continue
			}
			if q := f.q.At(i, j); q > 0 {
				out -= q
				if f.q.At(j, j) == 0 {
					into[f.status[j]] += xi * q
				}
			}
		}
		if out > 0 {
			into[model.Gone] += xi * out
		}
	}
	for s := range f.cfg.Spec.Statuses {
		if p, ok := into[model.StatusID(s)]; ok {
			ends = append(ends, Ending{model.StatusID(s), p})
		}
	}
	ends = append(ends, Ending{model.Gone, into[model.Gone]})
	var sum float64
	for _, e := range ends {
		sum += e.Probability
	}
	if math.Abs(sum-1) > 1e-6 {
		return nil, 0, false, nil
	}
	return ends, mean, true, nil
}
