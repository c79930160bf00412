package fit

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// draws returns n samples of d, right-censored at cens (0: none).
func draws(d distuv.Rander, n int, cens float64) []Sample {
	out := make([]Sample, n)
	for i := range out {
		v := d.Rand()
		if cens > 0 && v > cens {
			out[i] = Sample{Lo: cens, Hi: cens, Right: true}
			continue
		}
		out[i] = Sample{Lo: v, Hi: v}
	}
	return out
}

// TestAICChoosesTheFamily: on data drawn from each family, AIC picks it,
// and the true mean lies in the interval of the winner.
func TestAICChoosesTheFamily(t *testing.T) {
	src := rand.NewPCG(1, 2)
	for _, tc := range []struct {
		name string
		d    distuv.Rander
		mean float64
		want Family
	}{
		{"exponential", distuv.Exponential{Rate: 1 / 0.3, Src: src}, 0.3, Exponential},
		{"lognormal", distuv.LogNormal{Mu: math.Log(0.01), Sigma: 0.8, Src: src}, 0.01 * math.Exp(0.32), LogNormal},
		{"weibull", distuv.Weibull{K: 2.5, Lambda: 4, Src: src}, 4 * math.Gamma(1+1/2.5), Weibull},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fits := FitDurations(draws(tc.d, 3000, 0))
			if len(fits) != 3 {
				t.Fatalf("%d fits converged", len(fits))
			}
			if fits[0].Family != tc.want {
				t.Errorf("AIC chose %s (next %s by %.1f); want %s", fits[0].Family, fits[1].Family, fits[1].AIC-fits[0].AIC, tc.want)
			}
			if b := fits[0]; !(b.MeanLo <= tc.mean && tc.mean <= b.MeanHi) {
				t.Errorf("mean %g not in [%g, %g]", tc.mean, b.MeanLo, b.MeanHi)
			}
			t.Logf("%s won by %.1f over %s", fits[0].Family, fits[1].AIC-fits[0].AIC, fits[1].Family)
		})
	}
}

// TestCensoring: dropping the censored samples biases the mean down;
// keeping them as censored recovers it. Interval-censored polls do too.
func TestCensoring(t *testing.T) {
	src := rand.NewPCG(3, 4)
	d := distuv.Exponential{Rate: 1, Src: src}
	s := draws(d, 4000, 1.5) // about 22% censored
	var exact []Sample
	for _, x := range s {
		if !x.Right {
			exact = append(exact, x)
		}
	}
	pick := func(fs []Fitted) Fitted {
		for _, f := range fs {
			if f.Family == Exponential {
				return f
			}
		}
		t.Fatal("no exponential fit")
		return Fitted{}
	}
	cens := pick(FitDurations(s))
	drop := pick(FitDurations(exact))
	if !(cens.MeanLo <= 1 && 1 <= cens.MeanHi) {
		t.Errorf("censored fit: mean %g [%g, %g], want 1 inside", cens.Mean, cens.MeanLo, cens.MeanHi)
	}
	if drop.MeanHi >= 1 {
		t.Errorf("dropping censored samples should bias the mean down: %g [%g, %g]", drop.Mean, drop.MeanLo, drop.MeanHi)
	}
	// Interval censoring: each duration known only between polls 0.25 apart.
	var polled []Sample
	for _, x := range draws(distuv.Exponential{Rate: 1, Src: src}, 4000, 0) {
		lo := math.Floor(x.Lo/0.25) * 0.25
		polled = append(polled, Sample{Lo: lo, Hi: lo + 0.25})
	}
	if f := pick(FitDurations(polled)); !(f.MeanLo <= 1 && 1 <= f.MeanHi) {
		t.Errorf("interval-censored fit: mean %g [%g, %g], want 1 inside", f.Mean, f.MeanLo, f.MeanHi)
	}
}

func TestWilsonAndPoisson(t *testing.T) {
	// Known values: 0 of 10 gives [0, 0.2775]; 5 of 10 gives [0.2366, 0.7634].
	for _, tc := range []struct {
		x, n   int
		lo, hi float64
	}{{0, 10, 0, 0.2775}, {5, 10, 0.2366, 0.7634}, {1, 100, 0.0018, 0.0545}} {
		lo, hi := Wilson(tc.x, tc.n)
		if math.Abs(lo-tc.lo) > 1e-4 || math.Abs(hi-tc.hi) > 1e-4 {
			t.Errorf("Wilson(%d, %d) = [%.4f, %.4f], want [%.4f, %.4f]", tc.x, tc.n, lo, hi, tc.lo, tc.hi)
		}
	}
	// Garwood: 0 events in exposure 1 gives [0, 3.689]; 10 gives [4.795, 18.39].
	if _, lo, hi := PoissonRate(0, 1); lo != 0 || math.Abs(hi-3.689) > 1e-3 {
		t.Errorf("PoissonRate(0, 1) = [%g, %g]", lo, hi)
	}
	if _, lo, hi := PoissonRate(10, 1); math.Abs(lo-4.795) > 1e-3 || math.Abs(hi-18.39) > 1e-2 {
		t.Errorf("PoissonRate(10, 1) = [%g, %g]", lo, hi)
	}
}
