package scenarios

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/evsim/evsim/model"
	"github.com/evsim/evsim/sim"
)

func TestEmbeddedScenariosLoad(t *testing.T) {
	spec := model.Default()
	names := Names()
	for _, want := range []string{"baseline", "expansion-spike", "understaffed", "pool-crunch", "shared-cluster", "million"} {
		found := false
		for _, n := range names {
			found = found || n == want
		}
		if !found {
			t.Errorf("scenario %s is not embedded (have %v)", want, names)
		}
	}
	for _, n := range names {
		t.Run(n, func(t *testing.T) {
			sc, err := Get(n, spec)
			if err != nil {
				t.Fatal(err)
			}
			if sc.Name != n {
				t.Errorf("name %q, want %q (the file name)", sc.Name, n)
			}
			if sc.Description == "" {
				t.Error("no description")
			}
			src, _ := Source(n)
			if !strings.HasPrefix(string(src), "# ") || !strings.Contains(strings.ToLower(string(src[:600])), "question") {
				t.Error("the file does not open with a comment stating the question it answers")
			}
		})
	}
}

// TestBaselineFigures checks that the loader carries the baseline's figures
// into the config with the right units.
func TestBaselineFigures(t *testing.T) {
	spec := model.Default()
	sc, err := Get("baseline", spec)
	if err != nil {
		t.Fatal(err)
	}
	c := sc.Config
	exp, _ := spec.OpByName("expand")
	creating, _ := spec.StatusByName("Creating")
	ef, _ := spec.StatusByName("Expansion failed")
	switch {
	case c.Horizon != 365*24 || c.Warmup != 30*24 || c.SampleInterval != 24:
		t.Errorf("horizon %g h, warm-up %g h, interval %g h", c.Horizon, c.Warmup, c.SampleInterval)
	case c.Rates[exp] != 0.003 || c.Failure[exp] != 0.002:
		t.Errorf("expand rate %g, failure %g", c.Rates[exp], c.Failure[exp])
	case c.Durations[creating] != sim.LogNormalDist(20.0/3600, 0.5):
		t.Errorf("Creating duration %+v, want lognormal median 20 s", c.Durations[creating])
	case c.Remedies[ef].By != sim.ByOperator:
		t.Errorf("Expansion failed remedy %v, want operator", c.Remedies[ef].By)
	case !math.IsInf(c.PoolGiB, 1):
		t.Errorf("pool %g, want unlimited", c.PoolGiB)
	}
}

const minimal = `horizon: 10d
fleet:
  disks: 10
  size_gib: {dist: fixed, value: 100}
growth:
  mix: {create: 1}
durations:
  Creating: {dist: fixed, value: 30s}
`

func TestMinimalScenario(t *testing.T) {
	sc, err := Load("min.yaml", []byte(minimal), model.Default())
	if err != nil {
		t.Fatal(err)
	}
	if sc.Config.Replications != 5 || sc.Config.Seed != 1 || sc.Config.SampleInterval != 24 {
		t.Errorf("defaults: %d replications, seed %d, interval %g", sc.Config.Replications, sc.Config.Seed, sc.Config.SampleInterval)
	}
}

// TestErrorsPointAtTheInput: each broken scenario gets an error naming the
// file, line, column and field at fault, and what is allowed.
func TestErrorsPointAtTheInput(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
	}{
		{"empty", "", "x.yaml:1:1: the scenario is empty"},
		{"comments only", "# nothing\n", "x.yaml:1:1: the scenario is empty"},
		{"unknown field", minimal + "colour: red\n", `x.yaml:9:1: unknown field "colour"`},
		{"unknown operation in rates", minimal + "rates:\n  expnad: 1\n", `x.yaml:10:11: rates.expnad: unknown operation "expnad"; want one of create,`},
		{"operator op with a rate", minimal + "rates:\n  reset_status: 1\n", "x.yaml:10:17: rates.reset_status: reset_status is an operator operation"},
		{"bad duration unit", strings.Replace(minimal, "value: 30s", "value: 30", 1), `x.yaml:8:34: durations.Creating.value: "30" is not a duration; want a duration with a unit`},
		{"unknown status in durations", minimal + "  Expandng: {dist: fixed, value: 1m}\n", `x.yaml:9:3: durations.Expandng: unknown status or operation "Expandng"; want one of Creating,`},
		{"stable status duration", minimal + "  In-use: {dist: fixed, value: 1m}\n", "x.yaml:9:3: durations.In-use: In-use is a stable status"},
		{"unknown distribution", strings.Replace(minimal, "dist: fixed, value: 100", "dist: gamma, value: 100", 1), `x.yaml:4:20: fleet.size_gib.dist: unknown distribution "gamma"; want one of fixed, exponential, lognormal, weibull`},
		{"extra parameter", strings.Replace(minimal, "{dist: fixed, value: 100}", "{dist: fixed, value: 100, sigma: 1}", 1), "x.yaml:4:46: fleet.size_gib.sigma: fixed does not take sigma; want only value"},
		{"share out of range", strings.Replace(minimal, "disks: 10", "disks: 10\n  shared: 1.5", 1), "x.yaml:4:11: fleet.shared: 1.5 is out of range; want a share from 0 to 1"},
		{"missing horizon", strings.Replace(minimal, "horizon: 10d\n", "", 1), "x.yaml:1:1: horizon: missing; want a duration with a unit"},
		{"warm-up too long", minimal + "warmup: 20d\n", "x.yaml:9:9: warmup: 20d is not shorter than the horizon 10d"},
		{"failure of an instant op", minimal + "failures:\n  create_snapshot: 0.1\n", "x.yaml:10:20: failures.create_snapshot: create_snapshot is instant in the model and cannot fail"},
		{"failure probability", minimal + "failures:\n  create: 1.5\n", "x.yaml:10:11: failures.create: 1.5 is out of range; want a probability from 0 to below 1"},
		{"remedy status with spaces", minimal + "remedies:\n  Expansion failed: {by: operator, ops: [reset_status]}\n", "x.yaml:10:26: remedies.Expansion failed.by: operator remedies need operator.agents of 1 or more"},
		{"remedy op cannot start there", minimal + "operator: {agents: 1, service: {dist: fixed, value: 1h}}\nremedies:\n  Expansion failed: {by: operator, ops: [force_delete]}\n", "x.yaml:11:42: remedies.Expansion failed.ops[0]: force_delete cannot start from Expansion failed in the model; want one of reset_status"},
		{"remedy by a stranger", minimal + "remedies:\n  Error: {by: support, ops: [delete]}\n", `x.yaml:10:15: remedies.Error.by: unknown remedy "support"; want customer, operator or none`},
		{"transitional remedy", minimal + "remedies:\n  Creating: {by: customer, ops: [delete]}\n", "x.yaml:10:3: remedies.Creating: Creating is transitional"},
		{"missing duration of a used op", minimal + "rates:\n  expand: 1\n", "x.yaml:7:1: durations: no duration for Expanding (a step of expand); want an entry for the status or for expand"},
		{"mix of a non-creating op", strings.Replace(minimal, "mix: {create: 1}", "mix: {attach: 1}", 1), "x.yaml:6:17: growth.mix.attach: attach does not create a disk; want one of create, create_from_image, create_from_backup"},
		{"in use with an attaching mix", strings.Replace(strings.Replace(minimal, "mix: {create: 1}", "mix: {create_from_image: 1}", 1), "disks: 10", "disks: 10\n  in_use: 0.2", 1), "x.yaml:4:11: fleet.in_use: 0.2, but every creating operation of growth.mix attaches its disk, so every starting disk would be In-use; want in_use: 1, or a creating operation that does not attach (create, create_from_backup) in the mix"},
		{"pool capacity", minimal + "pool: {capacity_gib: lots}\n", `x.yaml:9:22: pool.capacity_gib: "lots" is not a capacity; want a positive number of GiB or unlimited`},
		{"yaml syntax", "horizon: [10d\n", "x.yaml:1:"},
		{"wrong type", minimal + "replications: many\n", "x.yaml:9:15:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load("x.yaml", []byte(tc.src), model.Default())
			if err == nil {
				t.Fatalf("accepted:\n%s", tc.src)
			}
			var list model.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error %T is not a model.ErrorList: %v", err, err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got  %v\nwant %s", err, tc.want)
			}
		})
	}
}

func TestOpenUnknownName(t *testing.T) {
	_, err := Open("basline", model.Default())
	if err == nil || !strings.Contains(err.Error(), "want one of baseline") {
		t.Fatalf("got %v", err)
	}
}

// FuzzLoad feeds the loader arbitrary bytes: it must return a scenario or
// an error list, never panic, and every error must name the file.
func FuzzLoad(f *testing.F) {
	for _, n := range Names() {
		b, _ := Source(n)
		f.Add(b)
	}
	f.Add([]byte(minimal))
	f.Add([]byte(""))
	f.Add([]byte("horizon: 1s\nfleet: {disks: 0, size_gib: {dist: weibull, shape: 0.0001, scale: 1s}}\n"))
	f.Add([]byte("remedies:\n  Error: null\n"))
	f.Add([]byte("durations: {Creating: {dist: lognormal, median: 1e308h, sigma: 9}}\n"))
	spec := model.Default()
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := Load("f.yaml", data, spec)
		if err != nil {
			var list model.ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error %T: %v", err, err)
			}
			for _, e := range list {
				if e.File != "f.yaml" {
					t.Fatalf("error without the file name: %v", e)
				}
			}
			return
		}
		if err := sc.Config.Validate(); err != nil {
			t.Fatalf("loaded a config that does not validate: %v", err)
		}
	})
}
