package simcli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/evsim/evsim/internal/atomicfile"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/evsim/evsim/cmd/internal/cli"
	"github.com/evsim/evsim/internal/readfile"
	"github.com/evsim/evsim/model"
	"github.com/evsim/evsim/scenarios"
	"github.com/evsim/evsim/sim"
	"github.com/evsim/evsim/sim/exact"
	"github.com/evsim/evsim/sim/sweep"
)

// sweepFlag collects -sweep flags; each may hold several parameters
// joined with ";".
type sweepFlag []sweep.Param

func (s *sweepFlag) String() string { return "" }

func (s *sweepFlag) Set(v string) error {
	ps, err := sweep.Parse(v)
	if err != nil {
		return err
	}
	for _, p := range ps {
		for _, q := range *s {
			if q.Path == p.Path {
				return fmt.Errorf("sweep: %s is swept twice; want each path once", p.Path)
			}
		}
	}
	*s = append(*s, ps...)
	return nil
}

// sweepRun is a sweep as the command line asked for it.
type sweepRun struct {
	ref      string // -scenario
	name     string // the scenario's name
	params   []sweep.Param
	override func(*sim.Config) // the -seed, -replications and -horizon flags
	workers  int
	exact    bool // add the exact failed-disk occupancy where the point is Markovian
	format   string
	plot     string
	stdout   io.Writer
	stderr   io.Writer
}

// sweepPoint is what one point of a sweep measured.
type sweepPoint struct {
	Values      []string     `json:"values"` // per parameter
	FailedDisks sim.Estimate `json:"failed_disks"`
	ExactFailed *float64     `json:"exact_failed_disks,omitempty"` // with -exact, where the point is Markovian
	Tickets     sim.Estimate `json:"tickets_per_day"`
	WaitP95     sim.Estimate `json:"wait_p95_h"`
	PoolRanOut  int          `json:"pool_ran_out"` // replications whose pool ran out
	PoolRanOutA sim.Estimate `json:"pool_ran_out_at_h"`
	Partial     bool         `json:"partial,omitempty"`
}

// sweepReport is the artefact of a sweep.
type sweepReport struct {
	SchemaVersion int          `json:"schema_version"` // of docs/schemas/sim-sweep.schema.json
	EvsimVersion  string       `json:"evsim_version"`
	Scenario      string       `json:"scenario"`
	Seed          uint64       `json:"seed"`
	Replications  int          `json:"replications"`
	Horizon       float64      `json:"horizon_h"`
	Warmup        float64      `json:"warmup_h"`
	Params        []string     `json:"params"`
	Exact         bool         `json:"exact,omitempty"`
	Points        []sweepPoint `json:"points"`
}

func scenarioSource(ref string) (file string, data []byte, err error) {
	if b, ok := scenarios.Source(ref); ok {
		return ref + ".yaml", b, nil
	}
	b, err := readfile.Read(ref, int64(model.DefaultYAMLLimits.MaxBytes))
	if err != nil {
		return "", nil, fmt.Errorf("sim: %w", err)
	}
	return ref, b, nil
}

// sweepConfigs loads the scenario once per grid point, each value set in
// the file's text and checked by the scenario loader.
func sweepConfigs(sw *sweepRun, spec *model.Spec) ([][]string, []*sim.Config, error) {
	file, src, err := scenarioSource(sw.ref)
	if err != nil {
		return nil, nil, err
	}
	grid, err := sweep.Grid(sw.params)
	if err != nil {
		return nil, nil, err
	}
	var cfgs []*sim.Config
	for _, vals := range grid {
		data := src
		var set []string
		for j, p := range sw.params {
			data, err = scenarios.Set(data, p.Path, vals[j])
			if err != nil {
				return nil, nil, fmt.Errorf("sim: -sweep: %w", err)
			}
			set = append(set, p.Path+"="+vals[j])
		}
		sc, err := scenarios.Load(file, data, spec)
		if err != nil {
			return nil, nil, fmt.Errorf("sim: -sweep %s:\n%w", strings.Join(set, " "), err)
		}
		sw.override(sc.Config)
		if err := sc.Config.Validate(); err != nil {
			return nil, nil, fmt.Errorf("sim: -sweep %s: %w", strings.Join(set, " "), err)
		}
		cfgs = append(cfgs, sc.Config)
	}
	return grid, cfgs, nil
}

func runSweep(ctx context.Context, sw *sweepRun) int {
	spec := model.Default()
	grid, cfgs, err := sweepConfigs(sw, spec)
	if err != nil {
		fmt.Fprintf(sw.stderr, "%v\n", err)
		return exitUsage
	}
	var plotFormat string
	if sw.plot != "" {
		plotFormat = strings.TrimPrefix(strings.ToLower(filepath.Ext(sw.plot)), ".")
		if plotFormat != "png" && plotFormat != "svg" {
			fmt.Fprintf(sw.stderr, "sim: -sweep-plot %s: want a file name ending in .png or .svg\n", sw.plot)
			return exitUsage
		}
	}
	rep := &sweepReport{Scenario: sw.name, Seed: cfgs[0].Seed, Replications: cfgs[0].Replications,
		Horizon: cfgs[0].Horizon, Warmup: cfgs[0].Warmup, Exact: sw.exact}
	for _, p := range sw.params {
		rep.Params = append(rep.Params, p.Path)
	}
	partial := false
	for i, cfg := range cfgs {
		if ctx.Err() != nil {
			partial = true
			break
		}
		fmt.Fprintf(sw.stderr, "sim: sweep point %d of %d: %s\n", i+1, len(cfgs), pointName(sw.params, grid[i]))
		sum, err := sim.Run(ctx, cfg, sim.Options{Workers: sw.workers})
		if err != nil {
			fmt.Fprintf(sw.stderr, "sim: %v\n", err)
			return exitUsage
		}
		pt := measure(cfg, sum)
		pt.Values = grid[i]
		if sw.exact {
			v, reasons, err := exactFailed(cfg, sum)
			if err != nil {
				fmt.Fprintf(sw.stderr, "sim: %v\n", err)
				return exitUsage
			}
			if reasons != nil {
				fmt.Fprintf(sw.stderr, "sim: no exact answer at %s: %s\n", pointName(sw.params, grid[i]), strings.Join(reasons, "; "))
			}
			pt.ExactFailed = v
		}
		partial = partial || sum.Partial
		rep.Points = append(rep.Points, pt)
	}
	var table, js bytes.Buffer
	writeSweepTable(&table, rep, partial)
	rep.SchemaVersion, rep.EvsimVersion = reportSchemaVersion, cli.Version()
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		fmt.Fprintf(sw.stderr, "sim: encoding JSON: %v\n", err)
		return exitUsage
	}
	js.Write(append(b, '\n'))
	plotFailed := false
	if sw.plot != "" {
		img, err := sweep.Plot(sweepFigure(rep, sw.params), plotFormat)
		if err == nil {
			err = atomicfile.Write(sw.plot, img)
		}
		if err != nil {
			fmt.Fprintf(sw.stderr, "sim: %v\n", err)
			plotFailed = true // the table is still printed below
		}
	}
	out := table.Bytes()
	if sw.format == "json" {
		out = js.Bytes()
	}
	if _, err := sw.stdout.Write(out); err != nil {
		fmt.Fprintf(sw.stderr, "sim: writing the sweep: %v\n", err)
		return exitUsage
	}
	if plotFailed {
		return exitUsage
	}
	if partial {
		fmt.Fprintf(sw.stderr, "sim: stopped early; the output covers the points simulated and is marked partial\n")
		return exitPartial
	}
	return exitOK
}

func pointName(ps []sweep.Param, vals []string) string {
	var parts []string
	for j, p := range ps {
		parts = append(parts, p.Path+"="+vals[j])
	}
	return strings.Join(parts, " ")
}

// measure picks the outputs of a sweep from a run's summary.
func measure(cfg *sim.Config, sum *sim.Summary) sweepPoint {
	pt := sweepPoint{Tickets: sum.Tickets.Opened, WaitP95: sum.Tickets.WaitP95,
		PoolRanOut: sum.Pool.RanOut, PoolRanOutA: sum.Pool.RanOutAt, Partial: sum.Partial}
	var failed []float64
	for _, r := range sum.Results {
		var x float64
		for s, st := range cfg.Spec.Statuses {
			if st.Class == model.Failed {
				x += r.Occupancy[s]
			}
		}
		failed = append(failed, x)
	}
	pt.FailedDisks = estimate(failed)
	return pt
}

// exactFailed returns the exact expected time-weighted number of disks
// in failed statuses over the run's measured window, or the reasons
// there is none.
func exactFailed(cfg *sim.Config, sum *sim.Summary) (*float64, []string, error) {
	f, err := exact.Build(cfg)
	var nm *exact.NotMarkovianError
	if errors.As(err, &nm) {
		return nil, nm.Reasons, nil
	}
	if err != nil {
		return nil, nil, err
	}
	end := cfg.Horizon
	if sum.Partial && sum.Measured > 0 {
		end = cfg.Warmup + sum.Measured
	}
	var v float64
	for s, x := range f.WindowMean(cfg.Warmup, end) {
		if cfg.Spec.Statuses[s].Class == model.Failed {
			v += x
		}
	}
	return &v, nil, nil
}

// estimate is the mean with the half-width of its Student t 95% interval,
// as package sim gives it.
func estimate(xs []float64) sim.Estimate {
	n := len(xs)
	switch n {
	case 0:
		return sim.Estimate{}
	case 1:
		return sim.Estimate{Mean: xs[0], N: 1}
	}
	m, sd := stat.MeanStdDev(xs, nil)
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile(0.975)
	return sim.Estimate{Mean: m, HalfWidth: t * sd / math.Sqrt(float64(n)), N: n}
}

func writeSweepTable(w io.Writer, r *sweepReport, partial bool) {
	fmt.Fprintf(w, "sweep of scenario %s over %s: %s\n", r.Scenario, strings.Join(r.Params, " and "), plural(len(r.Points), "point"))
	if partial {
		fmt.Fprintln(w, "PARTIAL: the sweep was stopped early; figures cover what was simulated.")
	}
	seedSwept := false
	for _, p := range r.Params {
		seedSwept = seedSwept || p == "seed"
	}
	if seedSwept {
		fmt.Fprintf(w, "%s per point, %s measured each after a %s warm-up; the seed is swept.\n",
			plural(r.Replications, "replication"), hours(r.Horizon-r.Warmup), hours(r.Warmup))
	} else {
		fmt.Fprintf(w, "%s per point, %s measured each after a %s warm-up, seed %d at every point\n",
			plural(r.Replications, "replication"), hours(r.Horizon-r.Warmup), hours(r.Warmup), r.Seed)
		fmt.Fprintln(w, "(common random numbers: every disk draws the same numbers at every point, so differences between points are far less noisy than with other seeds).")
	}
	fmt.Fprintln(w, "a ± b: mean over replications and the half-width of its 95% confidence interval.")
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := append([]string(nil), r.Params...)
	head = append(head, "disks in failed statuses")
	if r.Exact {
		head = append(head, "exact")
	}
	head = append(head, "tickets per day", "wait for an agent p95", "pool ran out")
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, p := range r.Points {
		row := append([]string(nil), p.Values...)
		pool := "never"
		if p.PoolRanOut > 0 {
			pool = fmt.Sprintf("%d/%d, at %s", p.PoolRanOut, p.FailedDisks.N, estHours(p.PoolRanOutA))
		}
		row = append(row, est(p.FailedDisks))
		if r.Exact {
			x := "-"
			if p.ExactFailed != nil {
				x = exactNum(*p.ExactFailed)
			}
			row = append(row, x)
		}
		row = append(row, est(p.Tickets), estHours(p.WaitP95), pool)
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	tw.Flush()
}

// sweepFigure lays a sweep out for sweep.Plot: x is the first parameter,
// one line per combination of the others.
func sweepFigure(r *sweepReport, ps []sweep.Param) *sweep.Figure {
	f := &sweep.Figure{Title: "scenario " + r.Scenario + fmt.Sprintf(" (%s per point, seed %d)", plural(r.Replications, "replication"), r.Seed)}
	first := ps[0]
	numeric := true
	unit := ""
	xs := make([]float64, len(first.Values))
	for i, v := range first.Values {
		x, u, ok := sweep.Number(v)
		if !ok || (i > 0 && u != unit) {
			numeric = false
			break
		}
		xs[i], unit = x, u
	}
	f.XLabel = first.Path
	f.Ticks = first.Values
	if !numeric {
		for i := range xs {
			xs[i] = float64(i)
		}
	}
	f.TickAt = xs
	index := map[string]int{}
	for i, v := range first.Values {
		index[v] = i
	}
	type line struct {
		label string
		pts   []sweepPoint
	}
	var lines []*line
	byLabel := map[string]*line{}
	for _, p := range r.Points {
		var parts []string
		for j := 1; j < len(ps); j++ {
			parts = append(parts, ps[j].Path+"="+p.Values[j])
		}
		label := strings.Join(parts, ", ")
		l := byLabel[label]
		if l == nil {
			l = &line{label: label}
			byLabel[label] = l
			lines = append(lines, l)
		}
		l.pts = append(l.pts, p)
	}
	waitDays := false
	ranOut := false
	for _, p := range r.Points {
		if p.WaitP95.Mean >= 48 {
			waitDays = true
		}
		if p.PoolRanOut > 0 {
			ranOut = true
		}
	}
	panel := func(title, ylabel string, get func(p sweepPoint) sim.Estimate, scale float64) sweep.Panel {
		pn := sweep.Panel{Title: title, YLabel: ylabel}
		for _, l := range lines {
			s := sweep.Series{Label: l.label}
			for _, p := range l.pts {
				e := get(p)
				s.X = append(s.X, xs[index[p.Values[0]]])
				if e.N == 0 {
					s.Mean, s.Half = append(s.Mean, math.NaN()), append(s.Half, 0)
					continue
				}
				s.Mean, s.Half = append(s.Mean, e.Mean/scale), append(s.Half, e.HalfWidth/scale)
			}
			pn.Series = append(pn.Series, s)
		}
		return pn
	}
	failed := panel("Disks in failed statuses (time-weighted mean)", "disks", func(p sweepPoint) sim.Estimate { return p.FailedDisks }, 1)
	if r.Exact {
		for _, l := range lines {
			s := sweep.Series{Label: "exact", Dashed: true}
			if l.label != "" {
				s.Label = "exact, " + l.label
			}
			for _, p := range l.pts {
				s.X = append(s.X, xs[index[p.Values[0]]])
				v := math.NaN()
				if p.ExactFailed != nil {
					v = *p.ExactFailed
				}
				s.Mean, s.Half = append(s.Mean, v), append(s.Half, 0)
			}
			failed.Series = append(failed.Series, s)
		}
		for i := range failed.Series {
			if failed.Series[i].Label == "" {
				failed.Series[i].Label = "simulated"
			}
		}
	}
	f.Panels = append(f.Panels, failed,
		panel("Tickets to customer service", "tickets per day", func(p sweepPoint) sim.Estimate { return p.Tickets }, 1))
	if waitDays {
		f.Panels = append(f.Panels, panel("Wait for an agent, 95th percentile", "days", func(p sweepPoint) sim.Estimate { return p.WaitP95 }, 24))
	} else {
		f.Panels = append(f.Panels, panel("Wait for an agent, 95th percentile", "hours", func(p sweepPoint) sim.Estimate { return p.WaitP95 }, 1))
	}
	if ranOut {
		f.Panels = append(f.Panels, panel("Pool ran out at (replications that ran out)", "days", func(p sweepPoint) sim.Estimate { return p.PoolRanOutA }, 24))
	}
	return f
}
