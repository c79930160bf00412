package exact

import (
	"context"
	"errors"
	"math"
	"os"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/evsim/evsim/model"
	"github.com/evsim/evsim/scenarios"
	"github.com/evsim/evsim/sim"
)

func load(t testing.TB, ref string) *sim.Config {
	t.Helper()
	spec := model.Default()
	if _, ok := scenarios.Source(ref); ok {
		sc, err := scenarios.Get(ref, spec)
		if err != nil {
			t.Fatal(err)
		}
		return sc.Config
	}
	b, err := os.ReadFile(ref)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenarios.Load(ref, b, spec)
	if err != nil {
		t.Fatal(err)
	}
	return sc.Config
}

// bound is the largest |simulated - exact| allowed, in 95% half-widths:
// the two-sided 99.9% Student t quantile, Bonferroni-corrected over k
// statuses, over the 95% one. A correct simulator fails the whole check
// with probability below 0.1%.
func bound(n, k int) float64 {
	st := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}
	return st.Quantile(1-0.001/2/float64(k)) / st.Quantile(0.975)
}

type status struct {
	name        string
	sim, hw, ex float64
}

// compare simulates cfg and returns, per status, the simulated estimate
// and the exact window mean of exactCfg (cfg itself, or a perturbed copy).
func compare(t *testing.T, cfg, exactCfg *sim.Config) ([]status, *sim.Summary) {
	t.Helper()
	f, err := Build(exactCfg)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := sim.Run(context.Background(), cfg, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ex := f.WindowMean(cfg.Warmup, cfg.Horizon)
	var out []status
	for i, row := range sum.Statuses {
		out = append(out, status{row.Name, row.Disks.Mean, row.Disks.HalfWidth, ex[i]})
	}
	return out, sum
}

// outside returns the statuses whose difference exceeds the bound, and
// the number compared; a status the simulation never visited must have
// an exact mean below 0.01 disks.
func outside(t *testing.T, st []status, n int) (bad []string, compared int) {
	t.Helper()
	for _, s := range st {
		if s.hw > 0 {
			compared++
		}
	}
	b := bound(n, compared)
	for _, s := range st {
		if s.hw == 0 {
			if s.sim != 0 || s.ex > 0.01 {
				bad = append(bad, s.name)
			}
			continue
		}
		if d := (s.sim - s.ex) / s.hw; math.Abs(d) > b {
			bad = append(bad, s.name)
		}
	}
	return bad, compared
}

var markovian = []string{"markov-check", "testdata/tickets.yaml", "testdata/datadisks.yaml", "testdata/shared.yaml", "testdata/recreate.yaml"}

// TestAgreement: for four Markovian scenarios (growth and stuck
// statuses; an agent per disk, with snapshots, backups, restores and
// rollbacks; data disks with recreation; shared disks on up to 16
// servers), every status's
// simulated occupancy is within the Bonferroni-corrected 99.9% interval of
// the exact one.
func TestAgreement(t *testing.T) {
	for _, ref := range markovian {
		t.Run(ref, func(t *testing.T) {
			cfg := load(t, ref)
			st, sum := compare(t, cfg, cfg)
			bad, n := outside(t, st, sum.Replications)
			if n < 8 {
				t.Fatalf("only %d statuses compared; want a scenario that visits more", n)
			}
			for _, s := range st {
				if s.hw > 0 {
					t.Logf("%-18s sim %10.4f ± %8.4f exact %10.4f diff %+.2f", s.name, s.sim, s.hw, s.ex, (s.sim-s.ex)/s.hw)
				}
			}
			if len(bad) > 0 {
				t.Errorf("outside the %.2f half-width bound: %v", bound(sum.Replications, n), bad)
			}
		})
	}
}

// TestPerturbedFails: the comparison catches an exact chain whose rate is
// 20% off, for each kind of input (a request rate, a step duration, a
// failure probability, a remedy delay).
func TestPerturbedFails(t *testing.T) {
	spec := model.Default()
	op := func(n string) model.OpID { id, _ := spec.OpByName(n); return id }
	stat := func(n string) model.StatusID { id, _ := spec.StatusByName(n); return id }
	cases := []struct {
		name, ref string
		change    func(c *sim.Config)
	}{
		{"attach rate", "markov-check", func(c *sim.Config) { c.Rates[op("attach")] *= 1.2 }},
		{"Expanding mean", "markov-check", func(c *sim.Config) { c.Durations[stat("Expanding")].A *= 1.2 }},
		{"restore_backup rate", "testdata/tickets.yaml", func(c *sim.Config) { c.Rates[op("restore_backup")] *= 1.2 }},
		{"Rolling back mean", "testdata/tickets.yaml", func(c *sim.Config) { c.Durations[stat("Rolling back")].A *= 1.2 }},
		{"service mean", "testdata/tickets.yaml", func(c *sim.Config) { c.Service.A *= 1.2 }},
		{"expand failure", "testdata/datadisks.yaml", func(c *sim.Config) { c.Failure[op("expand")] *= 1.2 }},
		{"detach rate", "testdata/shared.yaml", func(c *sim.Config) { c.Rates[op("detach")] *= 1.2 }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := load(t, tc.ref)
			other := load(t, tc.ref)
			tc.change(other)
			st, sum := compare(t, cfg, other)
			if bad, _ := outside(t, st, sum.Replications); len(bad) == 0 {
				t.Errorf("a 20%% change of the %s goes unnoticed", tc.name)
			}
		})
	}
}

const handYAML = `
name: hand
horizon: 40d
warmup: 10d
replications: 2
fleet:
  disks: 100
  in_use: 0
  size_gib: {dist: fixed, value: 10}
rates:
  expand: 2
growth:
  mix: {create: 1}
durations:
  Expanding: {dist: exponential, mean: 3h}
  Creating: {dist: exponential, mean: 1h}
failures:
  expand: %P%
remedies:
  Expansion failed:
    by: operator
    ops: [reset_status]
operator:
  agents: 100
  service: {dist: exponential, mean: 5h}
`

func handConfig(t *testing.T, p string) *sim.Config {
	t.Helper()
	sc, err := scenarios.Load("hand.yaml", []byte(strings.Replace(handYAML, "%P%", p, 1)), model.Default())
	if err != nil {
		t.Fatal(err)
	}
	return sc.Config
}

// TestHandSolved: 100 Available data disks expand at rate l (2 a day) for
// 1/m = 3 hours each. Without failures each disk is a two-state chain:
// P(Expanding at t) = l/(l+m) (1 - e^{-(l+m)t}), and its mean over [W, H]
// is l/(l+m) (1 - (e^{-kW} - e^{-kH}) / (k (H-W))), k = l+m. With failure
// probability p and a reset after 1/r = 5 hours, the long run is
// Available : Expanding : Expansion failed = 1 : l/m : l p / r, and the
// mean time to Expansion failed is (1/l + 1/m) / p.
func TestHandSolved(t *testing.T) {
	spec := model.Default()
	avail, _ := spec.StatusByName("Available")
	expg, _ := spec.StatusByName("Expanding")
	efail, _ := spec.StatusByName("Expansion failed")
	l, m, r := 2.0/24, 1/3.0, 1/5.0
	near := func(what string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-7*math.Max(1, math.Abs(want)) {
			t.Errorf("%s: got %.10g, want %.10g", what, got, want)
		}
	}

	f, err := Build(handConfig(t, "0"))
	if err != nil {
		t.Fatal(err)
	}
	k := l + m
	for _, tt := range []float64{0.5, 3, 24, 240} {
		at := f.At(tt)
		want := 100 * l / k * (1 - math.Exp(-k*tt))
		near("Expanding at t", at[expg], want)
		near("Available at t", at[avail], 100-want)
	}
	W, H := 240.0, 960.0
	near("window mean of Expanding", f.WindowMean(W, H)[expg], 100*l/k*(1-(math.Exp(-k*W)-math.Exp(-k*H))/(k*(H-W))))

	p := 0.25
	f, err = Build(handConfig(t, "0.25"))
	if err != nil {
		t.Fatal(err)
	}
	steady, ok, err := f.Steady()
	if err != nil || !ok {
		t.Fatalf("steady: %v %v", ok, err)
	}
	z := 1 + l/m + l*p/r
	near("steady Available", steady[avail], 100/z)
	near("steady Expanding", steady[expg], 100*l/m/z)
	near("steady Expansion failed", steady[efail], 100*l*p/r/z)
	got, err := f.MeanTimeTo(efail)
	if err != nil {
		t.Fatal(err)
	}
	near("mean time to Expansion failed", got, (1/l+1/m)/p)
	if _, _, ok, _ := f.Endings(); ok {
		t.Error("a disk that is never deleted has an ending")
	}
}

// TestEndings: a disk deleted at rate d or stuck in Deletion failed: from
// Available, delete starts at rate d and lasts 1/e hours, failing with
// probability p for good. It ends stuck with probability p, deleted with
// 1-p, after 1/d + 1/e hours.
func TestEndings(t *testing.T) {
	y := `
horizon: 10d
fleet: {disks: 10, size_gib: {dist: fixed, value: 10}}
growth: {mix: {create: 1}}
rates: {delete: 1.2}
durations: {Deleting: {dist: exponential, mean: 2h}, Creating: {dist: exponential, mean: 1h}}
failures: {delete: 0.3}
`
	sc, err := scenarios.Load("end.yaml", []byte(y), model.Default())
	if err != nil {
		t.Fatal(err)
	}
	f, err := Build(sc.Config)
	if err != nil {
		t.Fatal(err)
	}
	ends, mean, ok, err := f.Endings()
	if err != nil || !ok {
		t.Fatalf("endings: %v %v", ok, err)
	}
	df, _ := model.Default().StatusByName("Deletion failed")
	want := map[model.StatusID]float64{df: 0.3, model.Gone: 0.7}
	if len(ends) != 2 {
		t.Fatalf("endings %v; want Deletion failed and deleted", ends)
	}
	for _, e := range ends {
		if math.Abs(e.Probability-want[e.Status]) > 1e-9 {
			t.Errorf("ending %d: got %g, want %g", e.Status, e.Probability, want[e.Status])
		}
	}
	if w := 24/1.2 + 2; math.Abs(mean-w) > 1e-9 {
		t.Errorf("mean life %g; want %g", mean, w)
	}
	if abs := f.Absorbing(); len(abs) != 1 || abs[0] != df {
		t.Errorf("absorbing %v; want [Deletion failed]", abs)
	}
}

// TestReasons: each embedded scenario that is not Markovian says why,
// naming the features at fault; markov-check has no reason.
func TestReasons(t *testing.T) {
	want := map[string][]string{
		"baseline":        {"duration of Expanding is lognormal", "service time of the operator team is lognormal", "tickets may wait for the 2 agents", "delete_snapshot removes snapshots", "disk sizes are lognormal"},
		"expansion-spike": {"duration of Expanding is lognormal", "tickets may wait for the 2 agents"},
		"understaffed":    {"tickets may wait for the 1 agent of operator.agents", "customer reaction time in Error is lognormal"},
		"pool-crunch":     {"the pool is finite (pool.capacity_gib)"},
		"shared-cluster":  {"duration of Attaching is lognormal"},
		"million":         {"tickets may wait for the 20 agents"},
		"markov-check":    nil,
	}
	for _, name := range scenarios.Names() {
		w, ok := want[name]
		if !ok {
			t.Errorf("embedded scenario %s has no expected reasons here", name)
			continue
		}
		cfg := load(t, name)
		got := Reasons(cfg)
		if w == nil && len(got) > 0 {
			t.Errorf("%s: reasons %q; want none", name, got)
		}
		joined := strings.Join(got, "\n")
		for _, s := range w {
			if !strings.Contains(joined, s) {
				t.Errorf("%s: reasons lack %q:\n%s", name, s, joined)
			}
		}
		_, err := Build(cfg)
		var nm *NotMarkovianError
		if (w != nil) != errors.As(err, &nm) {
			t.Errorf("%s: Build error %v", name, err)
		}
	}
}

// TestReasonsOneAtATime: starting from markov-check, each change makes
// the scenario non-Markovian for that reason alone.
func TestReasonsOneAtATime(t *testing.T) {
	spec := model.Default()
	st := func(n string) model.StatusID { id, _ := spec.StatusByName(n); return id }
	op := func(n string) model.OpID { id, _ := spec.OpByName(n); return id }
	cases := []struct {
		change func(c *sim.Config)
		want   string
	}{
		{func(c *sim.Config) { c.Durations[st("Expanding")] = sim.WeibullDist(2, 1) }, "duration of Expanding is weibull"},
		{func(c *sim.Config) { c.OpDuration[op("create_from_image")] = sim.FixedDist(1) }, "duration of create_from_image is fixed"},
		{func(c *sim.Config) { c.Remedies[st("Error")].After = sim.LogNormalDist(1, 1) }, "customer reaction time in Error is lognormal"},
		{func(c *sim.Config) { c.PoolGiB = 1e9 }, "the pool is finite"},
		{func(c *sim.Config) { c.Size = sim.FixedDist(1020) }, "a system disk of 1020 GiB may reach its size limit of 1024 GiB"},
		{func(c *sim.Config) { c.Size = sim.ExpDist(100) }, "disk sizes are exponential (fleet.size_gib) and expand grows disks"},
		{func(c *sim.Config) {
			c.Remedies[st("Expansion failed")] = sim.Remedy{By: sim.ByOperator, Ops: []model.OpID{op("reset_status")}}
			c.Agents, c.Service = 3, sim.ExpDist(1)
		}, "tickets may wait for the 3 agents of operator.agents: the fleet grows"},
		{func(c *sim.Config) {
			c.Remedies[st("Expansion failed")] = sim.Remedy{By: sim.ByOperator, Ops: []model.OpID{op("reset_status")}}
			c.Agents, c.Service, c.CreationsPerDay = 3, sim.ExpDist(1), 0
		}, "tickets may wait: 3 agents (operator.agents) for 1000 disks"},
		{func(c *sim.Config) {
			c.Rates[op("create_snapshot")], c.Rates[op("delete_snapshot")] = 0.1, 0.1
		}, "delete_snapshot removes snapshots"},
		{func(c *sim.Config) {
			c.Rates[op("create_backup")], c.OpDuration[op("create_backup")] = 10, sim.ExpDist(1)
		}, "a disk may reach 255 backups within the horizon"},
	}
	for _, tc := range cases {
		cfg := load(t, "markov-check")
		tc.change(cfg)
		got := Reasons(cfg)
		if strings.HasPrefix(tc.want, "tickets may wait") {
			// Build bounds the chance of a wait on the chain: too high here.
			if len(got) != 0 {
				t.Errorf("reasons %q; want none before Build bounds the waits", got)
			}
			_, err := Build(cfg)
			var nm *NotMarkovianError
			if !errors.As(err, &nm) || len(nm.Reasons) != 1 || !strings.Contains(nm.Reasons[0], "tickets may wait for the 3 agents of operator.agents: the chance that one does within the horizon is bounded only by") {
				t.Errorf("Build: %v; want the chance of a wait", err)
			}
			continue
		}
		if len(got) != 1 || !strings.Contains(got[0], tc.want) {
			t.Errorf("reasons %q; want one containing %q", got, tc.want)
		}
	}
}

// withOperator is markov-check with customer service resetting disks in
// Expansion failed: a team of the given size, 12 hours a ticket, and the
// fleet growing.
func withOperator(t *testing.T, agents int) *sim.Config {
	cfg := load(t, "markov-check")
	spec := cfg.Spec
	ef, _ := spec.StatusByName("Expansion failed")
	reset, _ := spec.OpByName("reset_status")
	cfg.Remedies = append([]sim.Remedy(nil), cfg.Remedies...)
	cfg.Remedies[ef] = sim.Remedy{By: sim.ByOperator, Ops: []model.OpID{reset}}
	cfg.Agents, cfg.Service = agents, sim.ExpDist(12)
	return cfg
}

// TestWaitBound: a growing fleet whose operator team is large enough gets
// an exact answer, with the chance that a ticket waits bounded far below
// MaxWaitChance, and the simulation agrees with it; a team of one does
// not, and the simulation shows tickets waiting.
func TestWaitBound(t *testing.T) {
	cfg := withOperator(t, 40)
	f, err := Build(cfg)
	if err != nil {
		t.Fatal(err)
	}
	chance, load := f.WaitBound()
	t.Logf("40 agents: wait chance at most %g, offered load up to %g Erlangs", chance, load)
	if !(chance < MaxWaitChance) || !(load > 0.05) || !(load < 40) {
		t.Errorf("wait chance %g, offered load %g; want a chance below %g and a load between 0.05 and 40", chance, load, MaxWaitChance)
	}
	st, sum := compare(t, cfg, cfg)
	if bad, n := outside(t, st, sum.Replications); len(bad) > 0 {
		t.Errorf("outside the %.2f half-width bound: %v", bound(sum.Replications, n), bad)
	}
	if sum.Tickets.Opened.Mean == 0 {
		t.Error("no ticket opened: the test needs some")
	}
	one := withOperator(t, 1)
	if _, err := Build(one); err == nil || !strings.Contains(err.Error(), "bounded only by") {
		t.Errorf("one agent: Build %v; want the wait chance as the reason", err)
	}
	one.Replications = 4
	s1, err := sim.Run(context.Background(), one, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s1.Tickets.WaitP99.Mean == 0 {
		t.Error("one agent: no ticket waited, yet the bound refused")
	}
}

// TestPoissonTail: the bound is above the Poisson tail it bounds.
func TestPoissonTail(t *testing.T) {
	for _, m := range []float64{0.01, 0.5, 3, 20, 150} {
		for _, c := range []float64{1, 2, 5, 30, 200, 2000} {
			exact := 1 - distuv.Poisson{Lambda: m}.CDF(c-1)
			if b := poissonTail(m, c); b < exact*(1-1e-9) || b > 1 {
				t.Errorf("m %g, c %g: bound %g, tail %g", m, c, b, exact)
			}
		}
	}
}

// TestAgainstSystemChain: on a scenario the plain action-rate form can
// express (data disks attached and detached: no power, sizes, births or
// recreation), the chain agrees with the reference chain of the system
// (reference_test.go): the same long-run occupancy per status.
func TestAgainstSystemChain(t *testing.T) {
	y := `
horizon: 10d
fleet: {disks: 10, in_use: 0, size_gib: {dist: fixed, value: 10}}
growth: {mix: {create: 1}}
rates: {attach: 3, detach: 2}
durations:
  Creating: {dist: exponential, mean: 1h}
  Attaching: {dist: exponential, mean: 2h}
  Detaching: {dist: exponential, mean: 3h}
failures: {attach: 0.25, detach: 0.1}
`
	sc, err := scenarios.Load("attach.yaml", []byte(y), model.Default())
	if err != nil {
		t.Fatal(err)
	}
	cfg := sc.Config
	spec := cfg.Spec
	f, err := Build(cfg)
	if err != nil {
		t.Fatal(err)
	}
	steady, ok, err := f.Steady()
	if err != nil || !ok {
		t.Fatalf("steady: %v %v", ok, err)
	}
	sys, err := model.NewSystem(spec, model.Config{Disks: []model.DiskConfig{{Size: 10}}, Servers: 1})
	if err != nil {
		t.Fatal(err)
	}
	create, _ := spec.OpByName("create")
	rates := func(st *model.State, a model.Action) float64 {
		d := &st.Disks[0]
		switch a.Kind {
		case model.Start:
			if a.Op == create {
				return 1 // how the starting disks are made does not matter in the long run
			}
			return cfg.Rates[a.Op] / 24
		case model.Succeed, model.Fail:
			mean := cfg.Durations[spec.Ops[d.Op].Steps[d.Step].Status].A
			p := cfg.Failure[d.Op]
			if a.Kind == model.Fail {
				return p / mean
			}
			return (1 - p) / mean
		}
		return 0
	}
	ch, err := buildSystemChain(sys, rates, 0, 20_000)
	if err != nil {
		t.Fatal(err)
	}
	lim, err := ch.mc.LimitingDistribution(ch.initial())
	if err != nil {
		t.Fatal(err)
	}
	occ := ch.occupancy(lim, 0)
	compared := 0
	for s := range spec.Statuses {
		got, want := steady[s]/float64(cfg.Disks), occ[model.StatusID(s)]
		if want > 0 {
			compared++
		}
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("%s: chain of the scenario %.12f, chain of the system %.12f", spec.Statuses[s].Name, got, want)
		}
	}
	if compared < 4 {
		t.Errorf("only %d statuses occupied; want In-use, Available, Attaching, Detaching", compared)
	}
}

// TestRecreateIntentEnds: a customer's recreate intent lasts while the
// disk goes through the deletion its remedy started and the remedies that
// follow; once the disk is back in a status without a remedy (Available
// after the operator's reset), it is over, as in the simulator. In the
// recreate scenario the other reading (the intent sticks) would replace
// every disk deleted later at the ordinary rate, and In-use would differ.
func TestRecreateIntentEnds(t *testing.T) {
	cfg := load(t, "testdata/recreate.yaml")
	f, err := Build(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var resumed, intent int
	for _, k := range f.keys {
		if k.disk.Op != model.NoOp || int(k.disk.Status) >= len(cfg.Remedies) {
			continue
		}
		if cfg.Remedies[k.disk.Status].By == sim.NoRemedy {
			resumed++
			if k.rec {
				t.Errorf("state %+v keeps a recreate intent in %s, a status without a remedy", k.disk, cfg.Spec.StatusName(k.disk.Status))
			}
		} else if k.rec {
			intent++
		}
	}
	if resumed == 0 || intent == 0 {
		t.Fatalf("%d states without a remedy, %d with an intent: the scenario does not exercise the rule", resumed, intent)
	}
}
