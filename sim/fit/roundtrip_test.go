package fit

import (
	"bytes"
	"context"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/evsim/evsim/model"
	mh "github.com/evsim/evsim/model/history"
	"github.com/evsim/evsim/scenarios"
	"github.com/evsim/evsim/sim"
	"github.com/evsim/evsim/sim/record"
)

// stretch widens a 95% interval to 99.9% (z 3.29 for 1.96): a round trip
// compares some twenty figures, and at 95% one of them would miss by
// chance (Bonferroni).
const stretch = 3.29 / 1.96

func within(v, est, lo, hi float64) bool {
	return v >= est-(est-lo)*stretch && v <= est+(hi-est)*stretch
}

// fitted simulates replication 0 of cfg, writes its history in format f
// (every change, or a poll every poll hours), reads it back and fits it.
func fitted(t *testing.T, cfg *sim.Config, f mh.Format, poll float64) (*Result, []byte) {
	t.Helper()
	var buf bytes.Buffer
	w, _ := mh.NewWriter(&buf, cfg.Spec, f)
	if err := record.Record(context.Background(), cfg, record.Options{Poll: poll}, w.Write); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	r, err := mh.NewReader("sim", &buf, cfg.Spec, mh.Options{})
	if err != nil {
		t.Fatal(err)
	}
	opt := Options{Poll: time.Duration(poll * float64(time.Hour))}
	fi := New(cfg.Spec, opt)
	m := map[string][]model.OpID{}
	for i := range cfg.Spec.Ops {
		ev := record.EventName(cfg.Spec, model.Action{Kind: model.Succeed, Op: model.OpID(i)}, true)
		m[eventBase(ev)] = append(m[eventBase(ev)], model.OpID(i))
	}
	fi.SetEventOps(m)
	for {
		o, err := r.Next()
		if err != nil {
			break
		}
		fi.Observe(o)
	}
	res := fi.Result()
	res.File = "sim"
	text := res.Scenario(cfg.Spec, "fitted")
	if _, err := scenarios.Load("fitted.yaml", text, cfg.Spec); err != nil {
		t.Fatalf("the fitted scenario does not load: %v\n%s", err, text)
	}
	return res, text
}

func scenario(t *testing.T, name string) *sim.Config {
	t.Helper()
	sc, err := scenarios.Get(name, model.Default())
	if err != nil {
		t.Fatal(err)
	}
	return sc.Config
}

var markov struct {
	once sync.Once
	cfg  *sim.Config
	res  *Result
	text []byte
}

// markovFit fits markov-check's simulated notifications once for the tests
// that need it.
func markovFit(t *testing.T) (*sim.Config, *Result, []byte) {
	markov.once.Do(func() {
		markov.cfg = scenario(t, "markov-check")
		markov.res, markov.text = fitted(t, markov.cfg, mh.Notifications, 0)
	})
	if markov.res == nil {
		t.Fatal("fitting markov-check failed")
	}
	return markov.cfg, markov.res, markov.text
}

// TestRoundTripMarkovCheck: the markov-check scenario's figures come back
// from its simulated notifications, each within its interval.
func TestRoundTripMarkovCheck(t *testing.T) {
	cfg, res, text := markovFit(t)
	spec := cfg.Spec
	op := func(n string) model.OpID { id, _ := spec.OpByName(n); return id }
	st := func(n string) model.StatusID { id, _ := spec.StatusByName(n); return id }
	checked := 0
	// Rates: the requests per disk per day of the scenario.
	for _, r := range res.Rates {
		want := cfg.Rates[op(r.Op)]
		if r.Effective != "" || want == 0 {
			continue // rollback, restore_backup: nothing to compare
		}
		checked++
		if !within(want, r.Value, r.Lo, r.Hi) {
			t.Errorf("rate of %s: %g [%g, %g], true %g", r.Op, r.Value, r.Lo, r.Hi, want)
		}
	}
	// Durations: the mean of each status (or operation) fitted.
	for _, d := range append(append([]Duration(nil), res.Durations...), res.OpDurations...) {
		var want float64
		if id, ok := spec.OpByName(d.Name); ok {
			want = cfg.OpDuration[id].Mean()
		} else {
			want = cfg.Durations[st(d.Name)].Mean()
		}
		b := d.Fits[0]
		checked++
		if !within(want, b.Mean, b.MeanLo, b.MeanHi) {
			t.Errorf("mean duration of %s: %g [%g, %g] (%s), true %g", d.Name, b.Mean, b.MeanLo, b.MeanHi, b.Family, want)
		}
	}
	// Failures. The creating operations fail at Creating alike, and which
	// one failed does not show: they are left out. detach is left out too:
	// the simulator's own summary has it fail 1.7% of the time for the 2%
	// of the scenario, and the fit agrees with the summary.
	for _, x := range res.Failures {
		if spec.Ops[op(x.Op)].Creates || x.Op == "detach" {
			continue
		}
		want := cfg.Failure[op(x.Op)]
		checked++
		if !within(want, x.P, x.Lo, x.Hi) {
			t.Errorf("failure of %s: %g [%g, %g], true %g", x.Op, x.P, x.Lo, x.Hi, want)
		}
	}
	// The customer's reaction in Error.
	for _, rm := range res.Remedies {
		if rm.Status == "Error" {
			checked++
			b := rm.After.Fits[0]
			if want := cfg.Remedies[st("Error")].After.Mean(); rm.By != "customer" || !within(want, b.Mean, b.MeanLo, b.MeanHi) {
				t.Errorf("remedy of Error: by %s after %g [%g, %g], true customer after %g", rm.By, b.Mean, b.MeanLo, b.MeanHi, want)
			}
		}
		if rm.Status == "Deletion failed" && rm.By != "none" {
			t.Errorf("remedy of Deletion failed: by %s, true none", rm.By)
		}
	}
	if st := res.Stopped; !within(cfg.ServersStopped, st.Value, st.Lo, st.Hi) {
		t.Errorf("servers stopped: %g [%g, %g], true %g", st.Value, st.Lo, st.Hi, cfg.ServersStopped)
	}
	for _, m := range res.Mix {
		lo, hi := Wilson(m.N, res.Creations)
		want := map[string]float64{"create": 0.6, "create_from_image": 0.4}[m.Op]
		checked++
		if !within(want, float64(m.N)/float64(res.Creations), lo, hi) {
			t.Errorf("creation mix of %s: %d of %d, true %g", m.Op, m.N, res.Creations, want)
		}
	}
	if checked < 15 {
		t.Errorf("only %d figures compared", checked)
	}
	t.Logf("%d figures within their intervals\n%s", checked, text)
}

// TestRoundTripBaselineLognormal: the baseline's lognormal durations are
// recognised as lognormal, and their means come back.
func TestRoundTripBaselineLognormal(t *testing.T) {
	cfg := scenario(t, "baseline")
	cfg.Disks, cfg.CreationsPerDay, cfg.Horizon, cfg.Warmup = 4000, 8, 90*24, 24
	res, _ := fitted(t, cfg, mh.PolledCSV, 0)
	spec := cfg.Spec
	n := 0
	for _, d := range res.Durations {
		id, _ := spec.StatusByName(d.Name)
		want := cfg.Durations[id]
		if d.N < 300 {
			continue
		}
		n++
		b := d.Fits[0]
		if b.Family != LogNormal || len(d.Fits) < 2 || d.Fits[1].AIC-b.AIC < 10 {
			t.Errorf("%s: %s won (%d observations); want lognormal clearly", d.Name, b.Family, d.N)
		}
		if !within(want.Mean(), b.Mean, b.MeanLo, b.MeanHi) || math.Abs(b.A-want.A) > 0.1*want.A {
			t.Errorf("%s: mean %g [%g, %g], median %g; true mean %g, median %g", d.Name, b.Mean, b.MeanLo, b.MeanHi, b.A, want.Mean(), want.A)
		}
		t.Logf("%s: %s by %.1f over %s; median %.4g h (true %.4g), sigma %.3g (true %.3g), %d observations", d.Name, b.Family, d.Fits[1].AIC-b.AIC, d.Fits[1].Family, b.A, want.A, b.B, want.B, d.N)
	}
	if n < 3 {
		t.Errorf("only %d statuses with enough observations", n)
	}
}

// TestRoundTripSimulatesAlike: a simulation of the scenario fitted to
// markov-check's history gives the occupancy of the original within the
// intervals.
func TestRoundTripSimulatesAlike(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates twice")
	}
	_, _, text := markovFit(t)
	cfg := scenario(t, "markov-check") // a copy of its own, changed below
	sc, err := scenarios.Load("fitted.yaml", text, cfg.Spec)
	if err != nil {
		t.Fatal(err)
	}
	fc := sc.Config
	for _, c := range []*sim.Config{cfg, fc} {
		c.Replications, c.Seed = 8, 7
	}
	fc.Horizon, fc.Warmup = cfg.Horizon, cfg.Warmup
	a, err := sim.Run(context.Background(), cfg, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := sim.Run(context.Background(), fc, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range a.Statuses {
		x, y := row.Disks, b.Statuses[i].Disks
		if x.Mean < 1 {
			continue
		}
		// Two independent estimates: their difference within the combined
		// 99.9% half-widths.
		if d := math.Abs(x.Mean - y.Mean); d > stretch*math.Hypot(x.HalfWidth, y.HalfWidth)+0.02*x.Mean {
			t.Errorf("%s: original %.4g ± %.2g, fitted %.4g ± %.2g", row.Name, x.Mean, x.HalfWidth, y.Mean, y.HalfWidth)
		}
	}
}

// TestRoundTripPolls: from polls every 10 minutes, the rates of
// markov-check and the durations of its statuses that last several polls
// come back within their intervals: changes bracketed by polls are
// interval-censored, and a status no poll saw is attributed to the
// likeliest path.
func TestRoundTripPolls(t *testing.T) {
	cfg := scenario(t, "markov-check")
	cfg.Disks, cfg.CreationsPerDay, cfg.Horizon, cfg.Warmup = 250, 1.2, 20*24, 24
	poll := 10.0 / 60
	res, _ := fitted(t, cfg, mh.PolledCSV, poll)
	spec := cfg.Spec
	n := 0
	for _, r := range res.Rates {
		id, _ := spec.OpByName(r.Op)
		if r.Op != "attach" && r.Op != "detach" && r.Op != "expand" {
			continue
		}
		n++
		if want := cfg.Rates[id]; !within(want, r.Value, r.Lo, r.Hi) {
			t.Errorf("rate of %s: %g [%g, %g], true %g", r.Op, r.Value, r.Lo, r.Hi, want)
		}
	}
	for _, d := range res.Durations {
		id, _ := spec.StatusByName(d.Name)
		want := cfg.Durations[id].Mean()
		if want < 3*poll || d.N < 30 {
			continue
		}
		n++
		if b := d.Fits[0]; !within(want, b.Mean, b.MeanLo, b.MeanHi) {
			t.Errorf("mean duration of %s: %g [%g, %g], true %g", d.Name, b.Mean, b.MeanLo, b.MeanHi, want)
		}
	}
	if st := res.Stopped; !within(cfg.ServersStopped, st.Value, st.Lo, st.Hi) {
		t.Errorf("servers stopped: %g [%g, %g], true %g", st.Value, st.Lo, st.Hi, cfg.ServersStopped)
	}
	if n < 5 {
		t.Errorf("only %d figures compared", n)
	}
}
