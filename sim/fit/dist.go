package fit

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/optimize"
	"gonum.org/v1/gonum/stat/distuv"
)

// Sample is one observed duration in hours: exact (Lo == Hi), within an
// interval (Lo < Hi: polls bracket the change), or right-censored (Right:
// at least Lo, the status still open at the end of the history).
type Sample struct {
	Lo, Hi float64
	Right  bool
}

// Family is a family of duration distributions.
type Family uint8

// The families fitted.
const (
	Exponential Family = iota
	LogNormal
	Weibull
	numFamilies
)

var familyNames = []string{"exponential", "lognormal", "weibull"}

func (f Family) String() string { return familyNames[f] }

// Fitted is one family fitted to samples by maximum likelihood.
type Fitted struct {
	Family Family
	// A and B are the parameters as a scenario writes them: the mean
	// (exponential); the median and sigma (lognormal); the shape and
	// scale (Weibull).
	A, B   float64
	LogLik float64
	AIC    float64
	// Mean with its 95% interval (delta method on the observed
	// information).
	Mean, MeanLo, MeanHi float64
	OK                   bool // the optimiser converged to a finite likelihood
}

// resolution is the shortest exact duration told apart from zero (a
// millisecond): an exact zero is read as within [0, resolution].
const resolution = 1.0 / 3600 / 1000

// params turns the optimiser's unconstrained x into a distribution.
func dist(f Family, x []float64) distuv.Quantiler {
	switch f {
	case Exponential:
		return distuv.Exponential{Rate: math.Exp(-x[0])}
	case LogNormal:
		return distuv.LogNormal{Mu: x[0], Sigma: math.Exp(x[1])}
	default:
		return distuv.Weibull{K: math.Exp(x[0]), Lambda: math.Exp(x[1])}
	}
}

type lpdf interface {
	LogProb(float64) float64
	CDF(float64) float64
	Survival(float64) float64
}

// logLik is the log-likelihood of the samples under d.
func logLik(d lpdf, s []Sample) float64 {
	var ll float64
	for _, x := range s {
		var v float64
		switch {
		case x.Right:
			v = math.Log(d.Survival(x.Lo))
		case x.Hi-x.Lo < resolution:
			if x.Lo < resolution {
				v = math.Log(d.CDF(resolution))
			} else {
				v = d.LogProb(x.Lo)
			}
		default:
			v = math.Log(d.CDF(x.Hi) - d.CDF(x.Lo))
		}
		if math.IsNaN(v) {
			return math.Inf(-1)
		}
		ll += v
	}
	return ll
}

func nParams(f Family) int {
	if f == Exponential {
		return 1
	}
	return 2
}

// start guesses a starting point from the samples' midpoints.
func start(f Family, s []Sample) []float64 {
	var sum, sumLog, sumLog2 float64
	n := 0.0
	for _, x := range s {
		m := (x.Lo + x.Hi) / 2
		if x.Right {
			m = x.Lo
		}
		m = math.Max(m, resolution)
		sum += m
		sumLog += math.Log(m)
		sumLog2 += math.Log(m) * math.Log(m)
		n++
	}
	mean := sum / n
	mu := sumLog / n
	sd := math.Sqrt(math.Max(sumLog2/n-mu*mu, 1e-6))
	switch f {
	case Exponential:
		return []float64{math.Log(mean)}
	case LogNormal:
		return []float64{mu, math.Log(sd)}
	default:
		return []float64{math.Log(math.Max(1.2/sd, 0.05)), math.Log(mean)}
	}
}

func meanOf(f Family, x []float64) float64 {
	switch f {
	case Exponential:
		return math.Exp(x[0])
	case LogNormal:
		s := math.Exp(x[1])
		return math.Exp(x[0] + s*s/2)
	default:
		k, l := math.Exp(x[0]), math.Exp(x[1])
		return l * math.Gamma(1+1/k)
	}
}

// fitFamily maximises the likelihood of one family.
func fitFamily(f Family, s []Sample) Fitted {
	nll := func(x []float64) float64 {
		for _, v := range x {
			if math.Abs(v) > 50 {
				return math.Inf(1)
			}
		}
		if f != Exponential && x[1] < -12 {
			return math.Inf(1)
		}
		ll := logLik(dist(f, x).(lpdf), s)
		if math.IsInf(ll, -1) || math.IsNaN(ll) {
			return math.Inf(1)
		}
		return -ll
	}
	x0 := start(f, s)
	out := Fitted{Family: f}
	res, err := optimize.Minimize(optimize.Problem{Func: nll}, x0, &optimize.Settings{
		Converger: &optimize.FunctionConverge{Absolute: 1e-9, Relative: 1e-10, Iterations: 50},
	}, &optimize.NelderMead{})
	x := x0
	val := nll(x0)
	if err == nil && res != nil && res.F <= val {
		x, val = res.X, res.F
	}
	if math.IsInf(val, 0) || math.IsNaN(val) {
		return out
	}
	out.OK = true
	out.LogLik = -val
	k := float64(nParams(f))
	out.AIC = 2*k + 2*val
	switch f {
	case Exponential:
		out.A = math.Exp(x[0])
	case LogNormal:
		out.A, out.B = math.Exp(x[0]), math.Exp(x[1])
	default:
		out.A, out.B = math.Exp(x[0]), math.Exp(x[1])
	}
	out.Mean = meanOf(f, x)
	if f == Exponential {
		if lo, hi, ok := exactExpCI(s); ok {
			out.MeanLo, out.MeanHi = lo, hi
			return out
		}
	}
	se := meanSE(f, nll, x)
	out.MeanLo, out.MeanHi = out.Mean-1.96*se, out.Mean+1.96*se
	if math.IsNaN(se) || math.IsInf(se, 0) {
		out.MeanLo, out.MeanHi = math.NaN(), math.NaN()
	}
	return out
}

// exactExpCI is the exact interval of an exponential mean from exact and
// right-censored samples: 2T/chi2(2d) with d completed durations and T
// the total time; false when some sample is interval-censored.
func exactExpCI(s []Sample) (lo, hi float64, ok bool) {
	var total float64
	d := 0
	for _, x := range s {
		if !x.Right && x.Hi-x.Lo >= resolution {
			return 0, 0, false
		}
		total += x.Lo
		if !x.Right {
			d++
		}
	}
	if d == 0 || total <= 0 {
		return 0, 0, false
	}
	lo = 2 * total / distuv.ChiSquared{K: float64(2 * d)}.Quantile(0.975)
	hi = 2 * total / distuv.ChiSquared{K: float64(2 * d)}.Quantile(0.025)
	return lo, hi, true
}

// meanSE is the standard error of the mean by the delta method: the
// gradient of the mean times the inverse of the numeric Hessian of the
// negative log-likelihood at the optimum.
func meanSE(f Family, nll func([]float64) float64, x []float64) float64 {
	n := len(x)
	h := 1e-4
	at := func(dx ...float64) float64 {
		y := append([]float64(nil), x...)
		for i := range y {
			y[i] += dx[i]
		}
		return nll(y)
	}
	f0 := nll(x)
	H := make([][]float64, n)
	for i := range H {
		H[i] = make([]float64, n)
	}
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			di := make([]float64, n)
			dj := make([]float64, n)
			di[i] = h
			dj[j] = h
			if i == j {
				p, m := at(di...), at(neg(di)...)
				H[i][i] = (p - 2*f0 + m) / (h * h)
				continue
			}
			pp := at(add(di, dj)...)
			pm := at(add(di, neg(dj))...)
			mp := at(add(neg(di), dj)...)
			mm := at(neg(add(di, dj))...)
			H[i][j] = (pp - pm - mp + mm) / (4 * h * h)
			H[j][i] = H[i][j]
		}
	}
	g := make([]float64, n)
	for i := 0; i < n; i++ {
		p := append([]float64(nil), x...)
		m := append([]float64(nil), x...)
		p[i] += h
		m[i] -= h
		g[i] = (meanOf(f, p) - meanOf(f, m)) / (2 * h)
	}
	var v float64
	switch n {
	case 1:
		v = g[0] * g[0] / H[0][0]
	case 2:
		det := H[0][0]*H[1][1] - H[0][1]*H[1][0]
		inv := [2][2]float64{{H[1][1] / det, -H[0][1] / det}, {-H[1][0] / det, H[0][0] / det}}
		v = g[0]*(inv[0][0]*g[0]+inv[0][1]*g[1]) + g[1]*(inv[1][0]*g[0]+inv[1][1]*g[1])
	}
	if !(v >= 0) {
		return math.NaN()
	}
	return math.Sqrt(v)
}

func neg(a []float64) []float64 {
	out := make([]float64, len(a))
	for i, v := range a {
		out[i] = -v
	}
	return out
}

func add(a, b []float64) []float64 {
	out := make([]float64, len(a))
	for i := range a {
		out[i] = a[i] + b[i]
	}
	return out
}

// MinForShape is the fewest samples a two-parameter family is fitted to;
// below it only the exponential is.
const MinForShape = 10

// FitDurations fits every family to the samples and returns the fits
// that converged to parameters a scenario takes (a lognormal sigma up to
// 10, a Weibull shape up to 100), best (lowest AIC) first.
func FitDurations(s []Sample) []Fitted {
	if len(s) == 0 {
		return nil
	}
	var out []Fitted
	for f := Family(0); f < numFamilies; f++ {
		if f != Exponential && len(s) < MinForShape {
			continue
		}
		r := fitFamily(f, s)
		ok := r.OK && r.A > 0 && !math.IsInf(r.A, 0) && !math.IsNaN(r.Mean)
		switch f {
		case LogNormal:
			ok = ok && r.B <= 10
		case Weibull:
			ok = ok && r.A <= 100 && r.B > 0 && !math.IsInf(r.B, 0)
		}
		if ok {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].AIC < out[j].AIC })
	return out
}

// Wilson returns the Wilson score interval at 95% for x successes in n
// trials.
func Wilson(x, n int) (lo, hi float64) {
	if n == 0 {
		return 0, 1
	}
	const z = 1.959963984540054
	p := float64(x) / float64(n)
	nn := float64(n)
	d := 1 + z*z/nn
	c := (p + z*z/(2*nn)) / d
	h := z / d * math.Sqrt(p*(1-p)/nn+z*z/(4*nn*nn))
	return math.Max(0, c-h), math.Min(1, c+h)
}

// PoissonRate returns the rate k/exposure with its exact (Garwood) 95%
// interval.
func PoissonRate(k int, exposure float64) (rate, lo, hi float64) {
	if exposure <= 0 {
		return 0, 0, math.Inf(1)
	}
	rate = float64(k) / exposure
	if k > 0 {
		lo = distuv.ChiSquared{K: float64(2 * k)}.Quantile(0.025) / 2 / exposure
	}
	hi = distuv.ChiSquared{K: float64(2*k + 2)}.Quantile(0.975) / 2 / exposure
	return rate, lo, hi
}
