package simcli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/evsim/evsim/model"
	"github.com/evsim/evsim/scenarios"
	"github.com/evsim/evsim/sim"
)

// TestExactColumn: -exact on the Markovian scenario prints the exact
// column with differences, in the table and in JSON.
func TestExactColumn(t *testing.T) {
	code, out, errs := runCmd(t, "-scenario", "markov-check", "-exact", "-replications", "6", "-horizon", "60d")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"Exact answer (continuous-time Markov chain", "status  ", "simulated", "exact", "diff", "Expansion failed", "grows without bound", "a new disk ends: Deletion failed"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	code, out, errs = runCmd(t, "-scenario", "markov-check", "-exact", "-replications", "6", "-horizon", "60d", "-format", "json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rep struct {
		Exact struct {
			Markovian bool `json:"markovian"`
			States    int  `json:"chain_states"`
			Statuses  []struct {
				Name      string  `json:"name"`
				Exact     float64 `json:"exact"`
				DiffCI    *float64
				Simulated struct {
					Mean float64 `json:"mean"`
				} `json:"simulated"`
			} `json:"statuses"`
		} `json:"exact"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if !rep.Exact.Markovian || rep.Exact.States < 10 || len(rep.Exact.Statuses) == 0 {
		t.Fatalf("exact section %+v", rep.Exact)
	}
	for _, s := range rep.Exact.Statuses {
		if s.Name == "In-use" && (s.Exact < 500 || s.Exact > 1000) {
			t.Errorf("In-use exact %g; want the fleet's hundreds", s.Exact)
		}
	}
}

// TestExactNone: a scenario that is not Markovian gets its reasons, not
// a number.
func TestExactNone(t *testing.T) {
	code, out, errs := runCmd(t, "-scenario", "understaffed", "-exact", "-replications", "2", "-horizon", "35d")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"Exact answer: none", "  - duration of Expanding is lognormal", "  - tickets may wait for the 1 agent"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "in the long run") {
		t.Error("a non-Markovian scenario gets an exact column")
	}
}

// TestSweepSameAnyWorkers: a sweep's table, JSON and plot are the same
// bytes whatever -workers, and the points share their seeds.
func TestSweepSameAnyWorkers(t *testing.T) {
	dir := t.TempDir()
	args := []string{"-scenario", "markov-check", "-replications", "3", "-horizon", "40d", "-sweep", "failures.expand=0.01,0.1", "-sweep", "rates.attach=0.5:1:2"}
	var outs, plots []string
	for _, w := range []string{"1", "2"} {
		for _, f := range []string{"table", "json"} {
			plot := dir + "/p" + w + f + ".png"
			code, out, errs := runCmd(t, append(args, "-workers", w, "-format", f, "-sweep-plot", plot)...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errs)
			}
			outs = append(outs, out)
			b, err := readFile(plot)
			if err != nil {
				t.Fatal(err)
			}
			plots = append(plots, string(b))
		}
	}
	if outs[0] != outs[2] || outs[1] != outs[3] {
		t.Error("the sweep's output differs between -workers 1 and 2")
	}
	if plots[0] != plots[2] {
		t.Error("the sweep's plot differs between -workers 1 and 2")
	}
	for _, want := range []string{"sweep of scenario markov-check over failures.expand and rates.attach: 4 points", "seed 1 at every point", "failures.expand  rates.attach  disks in failed statuses"} {
		if !strings.Contains(outs[0], want) {
			t.Errorf("table lacks %q:\n%s", want, outs[0])
		}
	}
	var rep sweepReport
	if err := json.Unmarshal([]byte(outs[1]), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Points) != 4 || rep.Points[3].Values[0] != "0.1" || rep.Points[3].Values[1] != "1" {
		t.Fatalf("points %+v", rep.Points)
	}
	// More expansion failures, more disks stuck in failed statuses: with
	// common random numbers the order shows at every attach rate.
	if !(rep.Points[2].FailedDisks.Mean > rep.Points[0].FailedDisks.Mean && rep.Points[3].FailedDisks.Mean > rep.Points[1].FailedDisks.Mean) {
		t.Errorf("failed disks do not grow with failures.expand: %+v", rep.Points)
	}
}

func TestSweepErrors(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"-sweep", "operator.agent=1,2"}, "no value at \"operator.agent\" in the scenario; want one of"},
		{[]string{"-sweep", "operator.agents=1,-2"}, "understaffed.yaml:"},
		{[]string{"-sweep", "operator.agents=1,-2"}, "operator.agents: -2 is out of range"},
		{[]string{"-sweep", "failures.expand=0.1:2:3"}, "failures.expand: 1.05 is out of range"},
		{[]string{"-sweep", "operator.agents=1:2"}, "want from:to:steps"},
		{[]string{"-sweep", "operator.agents=1,2", "-sweep-plot", "x.gif"}, "want a file name ending in .png or .svg"},
		{[]string{"-sweep-plot", "x.png"}, "-sweep-plot needs -sweep"},
		{[]string{"-sweep", "operator.agents=1", "-sweep", "operator.agents=2"}, "swept twice"},
		{[]string{"-sweep", "operator.agents=1", "-exact", "-exact-at", "1d"}, "-sweep takes neither -exact-at"},
	}
	for _, tc := range cases {
		code, out, errs := runCmd(t, append([]string{"-scenario", "understaffed", "-horizon", "31d", "-replications", "2"}, tc.args...)...)
		if code != exitUsage || out != "" || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and %q", tc.args, code, out, errs, tc.want)
		}
	}
}

func readFile(name string) ([]byte, error) { return os.ReadFile(name) }

// TestExactFlags: a simulated occupancy far from the exact one is flagged
// (which makes run exit 1); the real one is not.
func TestExactFlags(t *testing.T) {
	sc, err := scenarios.Get("markov-check", model.Default())
	if err != nil {
		t.Fatal(err)
	}
	cfg := sc.Config
	cfg.Replications, cfg.Horizon = 8, 60*24
	sum, err := sim.Run(context.Background(), cfg, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := buildExact(cfg, sum, []exactTime{{24, "1d"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Flagged) > 0 {
		t.Errorf("flagged %v in a correct run", r.Flagged)
	}
	if len(r.Statuses[0].At) != 1 || r.Statuses[0].At[0].Time != 24 || r.Statuses[0].At[0].At != "1d" {
		t.Errorf("exact_at %+v; want one entry at 24h", r.Statuses[0].At)
	}
	row := &sum.Statuses[1] // Available
	row.Disks.Mean += (r.Bound + 0.5) * row.Disks.HalfWidth
	r, err = buildExact(cfg, sum, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Flagged) != 1 || r.Flagged[0] != "Available" {
		t.Errorf("flagged %v; want [Available]", r.Flagged)
	}
	var buf strings.Builder
	writeExact(&buf, r)
	if !strings.Contains(buf.String(), " !") || !strings.Contains(buf.String(), "outside the flagging bound: Available") {
		t.Errorf("the table does not mark the flagged status:\n%s", buf.String())
	}
}

func TestExactAtErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-exact-at", "10d"}, "-exact-at needs -exact"},
		{[]string{"-exact", "-exact-at", "10"}, "want durations with a unit"},
		{[]string{"-exact", "-exact-at", "400d"}, "from 0 to the horizon"},
		{[]string{"-exact", "-exact-at", "-1d"}, "from 0 to the horizon"},
	} {
		code, out, errs := runCmd(t, append([]string{"-scenario", "markov-check", "-replications", "2"}, tc.args...)...)
		if code != exitUsage || out != "" || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errs, tc.want)
		}
	}
}

// TestSweepSeedAndFlags: a swept seed is the point's own; -replications
// applies to every point.
func TestSweepSeedAndFlags(t *testing.T) {
	code, out, errs := runCmd(t, "-scenario", "markov-check", "-horizon", "30d", "-replications", "2", "-format", "json", "-sweep", "seed=1,2")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rep sweepReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Replications != 2 || rep.Points[0].FailedDisks.N != 2 {
		t.Errorf("replications %d, %d; want 2", rep.Replications, rep.Points[0].FailedDisks.N)
	}
	if rep.Points[0].FailedDisks == rep.Points[1].FailedDisks {
		t.Error("seeds 1 and 2 give the same result: the swept seed is not used")
	}
}

// TestSweepExact: with -exact, each Markovian point carries the exact
// failed-disk occupancy, close to the simulated one and growing with the
// failure probability; a point that is not Markovian says why.
func TestSweepExact(t *testing.T) {
	code, out, errs := runCmd(t, "-scenario", "markov-check", "-replications", "6", "-horizon", "60d", "-exact", "-format", "json", "-sweep", "failures.expand=0.02,0.1")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rep sweepReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	for _, p := range rep.Points {
		if p.ExactFailed == nil {
			t.Fatalf("point %v has no exact value", p.Values)
		}
		if d := (p.FailedDisks.Mean - *p.ExactFailed) / p.FailedDisks.HalfWidth; d > 4 || d < -4 {
			t.Errorf("point %v: simulated %v, exact %g", p.Values, p.FailedDisks, *p.ExactFailed)
		}
	}
	if !(*rep.Points[1].ExactFailed > *rep.Points[0].ExactFailed) {
		t.Error("the exact failed disks do not grow with failures.expand")
	}
	code, out, errs = runCmd(t, "-scenario", "markov-check", "-replications", "2", "-horizon", "30d", "-exact", "-sweep", "pool.capacity_gib=unlimited,1000000")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(errs, "no exact answer at pool.capacity_gib=1000000: the pool is finite") || strings.Contains(errs, "at pool.capacity_gib=unlimited") {
		t.Errorf("stderr %q", errs)
	}
	if !strings.Contains(out, "  exact  ") || !strings.Contains(out, "  -  ") {
		t.Errorf("table lacks the exact column or its blank:\n%s", out)
	}
}

// TestExactAtOrder: -exact-at times come out sorted, each once, labelled
// as the user wrote them; 0 is answered with the starting fleet.
func TestExactAtOrder(t *testing.T) {
	code, out, errs := runCmd(t, "-scenario", "markov-check", "-replications", "2", "-horizon", "40d", "-progress", "never",
		"-exact", "-exact-at", "36h,1.5d,1d,24h,0d")
	if code != exitOK && code != exitDiff {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var head string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "status ") && strings.Contains(l, "exact") {
			head = l
		}
	}
	want := regexp.MustCompile(`diff +at 0d +at 1d +at 36h +at the horizon`)
	if !want.MatchString(head) {
		t.Errorf("header %q; want the columns at 0d, 1d, 36h in that order, once each", head)
	}
	// At 0 the exact answer is the starting fleet: 1000 disks, 60% In-use.
	var row []string
	for _, l := range strings.Split(out, "\n") {
		if f := strings.Fields(l); len(f) > 6 && f[0] == "In-use" {
			row = f // the last: the exact table's
		}
	}
	if len(row) < 7 || row[6] != "600.0" {
		t.Errorf("In-use row %q; want 600.0 at 0d", row)
	}
}

// TestExactWithOperator: a growing fleet with an operator team large
// enough gets the exact answer with the bound on the chance that a ticket
// waited printed.
func TestExactWithOperator(t *testing.T) {
	src, ok := scenarios.Source("markov-check")
	if !ok {
		t.Fatal("no markov-check")
	}
	old := "  Expansion failed:      # nobody either: the disk waits to be deleted\n    by: none\n"
	if !strings.Contains(string(src), old) {
		t.Fatal("markov-check's Expansion failed remedy is not where the test expects it")
	}
	text := strings.Replace(string(src), old, "  Expansion failed:\n    by: operator\n    ops: [reset_status]\n", 1) +
		"\noperator:\n  agents: 40\n  service: {dist: exponential, mean: 12h}\n"
	file := filepath.Join(t.TempDir(), "ops.yaml")
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCmd(t, "-scenario", file, "-replications", "4", "-horizon", "60d", "-progress", "never", "-exact")
	if code != exitOK && code != exitDiff {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !regexp.MustCompile(`exact as long as no ticket waits for an agent: the chance that one does within the horizon is at most [0-9.e+-]+ \(Chernoff bound`).MatchString(out) {
		t.Errorf("no wait bound in:\n%s", out)
	}
}
