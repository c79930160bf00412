package simcli

import (
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/evsim/evsim/model"
	"github.com/evsim/evsim/sim"
	"github.com/evsim/evsim/sim/exact"
)

// exactReport is the exact answer beside the simulated one (-exact).
type exactReport struct {
	Markovian bool     `json:"markovian"`
	Reasons   []string `json:"reasons,omitempty"` // why there is no exact answer
	States    int      `json:"chain_states,omitempty"`
	// Bound is the difference, in half-widths of the 95% interval, beyond
	// which a status is flagged: the 99.9% Student t quantile with a
	// Bonferroni correction over the statuses compared, over the 95% one.
	Bound    float64       `json:"flag_beyond_ci,omitempty"`
	Statuses []exactStatus `json:"statuses,omitempty"`
	Endings  []exactEnding `json:"endings,omitempty"`
	MeanLife *float64      `json:"mean_life_h,omitempty"` // a new disk, until it is deleted or stuck for good
	// WaitChance bounds the chance that a ticket waited for an agent
	// within the horizon, up to which the answer is exact; Load is the
	// largest offered load (disks holding an agent) the bound used.
	WaitChance *float64    `json:"wait_chance_bound,omitempty"`
	Load       *float64    `json:"offered_load_erlangs,omitempty"`
	Flagged    []string    `json:"flagged,omitempty"`
	Times      []exactTime `json:"-"`
}

type exactStatus struct {
	Name      string       `json:"name"`
	Simulated sim.Estimate `json:"simulated"`
	Exact     float64      `json:"exact"`                  // expected time-weighted mean over the measured window
	AtHorizon float64      `json:"exact_at_horizon"`       // expected disks at the horizon
	Steady    *float64     `json:"exact_steady,omitempty"` // null when unknown or unbounded
	Grows     bool         `json:"grows_without_bound,omitempty"`
	At        []exactAt    `json:"exact_at,omitempty"` // at the -exact-at times
	DiffCI    *float64     `json:"diff_ci"`            // (simulated - exact) / half-width; null when the half-width is 0
}

type exactAt struct {
	At    string  `json:"at"` // as given to -exact-at
	Time  float64 `json:"time_h"`
	Disks float64 `json:"disks"`
}

// exactTime is a time of -exact-at: hours, and the duration as the user
// wrote it, which labels its column.
type exactTime struct {
	h     float64
	label string
}

// parseTimes reads the -exact-at list: durations from 0 (the starting
// fleet) to the horizon, returned in time order, each time once (the first
// spelling given labels it).
func parseTimes(s string, exact bool, horizon float64) ([]exactTime, error) {
	if s == "" {
		return nil, nil
	}
	if !exact {
		return nil, errors.New("-exact-at needs -exact")
	}
	var out []exactTime
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		h, ok := parseDuration(f)
		if !ok && len(f) > 1 && strings.ContainsRune("smhdw", rune(f[len(f)-1])) {
			if v, err := strconv.ParseFloat(f[:len(f)-1], 64); err == nil && v == 0 {
				h, ok = 0, true
			}
		}
		if !ok || h > horizon {
			return nil, fmt.Errorf("-exact-at %q: want durations with a unit (such as 10d or 36h) from 0 to the horizon (%s), separated by commas", f, hours(horizon))
		}
		dup := false
		for _, t := range out {
			dup = dup || t.h == h
		}
		if !dup {
			out = append(out, exactTime{h, f})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].h < out[j].h })
	return out, nil
}

type exactEnding struct {
	Status      string  `json:"status"`
	Probability float64 `json:"probability"`
}

// buildExact solves cfg's chain and sets it beside sum. A scenario that
// is not Markovian gives a report with its reasons; only a failure of
// the solver is an error.
func buildExact(cfg *sim.Config, sum *sim.Summary, times []exactTime) (*exactReport, error) {
	f, err := exact.Build(cfg)
	var nm *exact.NotMarkovianError
	if errors.As(err, &nm) {
		return &exactReport{Reasons: nm.Reasons}, nil
	}
	if err != nil {
		return nil, err
	}
	r := &exactReport{Markovian: true, States: f.States()}
	if chance, load := f.WaitBound(); load > 0 {
		r.WaitChance, r.Load = &chance, &load
	}
	end := cfg.Horizon
	if sum.Partial && sum.Measured > 0 {
		end = cfg.Warmup + sum.Measured
	}
	mean := f.WindowMean(cfg.Warmup, end)
	at := f.At(end)
	steady, ok, err := f.Steady()
	if err != nil {
		return nil, err
	}
	compared := 0
	for _, row := range sum.Statuses {
		if row.Disks.HalfWidth > 0 {
			compared++
		}
	}
	r.Bound = bound(sum.Replications, compared)
	r.Times = times
	ats := make([][]float64, len(times))
	for k, t := range times {
		ats[k] = f.At(t.h)
	}
	for i, row := range sum.Statuses {
		s := exactStatus{Name: row.Name, Simulated: row.Disks, Exact: clean(mean[i]), AtHorizon: clean(at[i])}
		for k, t := range times {
			s.At = append(s.At, exactAt{At: t.label, Time: t.h, Disks: clean(ats[k][i])})
		}
		switch {
		case ok && math.IsInf(steady[i], 1):
			s.Grows = true
		case ok:
			v := clean(steady[i])
			s.Steady = &v
		}
		if hw := row.Disks.HalfWidth; hw > 0 {
			d := (row.Disks.Mean - s.Exact) / hw
			s.DiffCI = &d
			if math.Abs(d) > r.Bound {
				r.Flagged = append(r.Flagged, row.Name)
			}
		}
		r.Statuses = append(r.Statuses, s)
	}
	ends, life, ok, err := f.Endings()
	if err != nil && !errors.Is(err, exact.ErrNoDisk) {
		return nil, err
	}
	if ok {
		for _, e := range ends {
			r.Endings = append(r.Endings, exactEnding{Status: statusName(cfg.Spec, e.Status), Probability: e.Probability})
		}
		r.MeanLife = &life
	}
	return r, nil
}

// clean rounds away the solver's noise around zero.
func clean(v float64) float64 {
	if math.Abs(v) < 1e-12 {
		return 0
	}
	return v
}

func statusName(spec *model.Spec, s model.StatusID) string {
	if s == model.Gone {
		return "deleted"
	}
	return spec.StatusName(s)
}

// bound is the flagging threshold in 95% half-widths: the two-sided
// 99.9%/k Student t quantile (Bonferroni over k statuses) over the 95%
// one, with n replications.
func bound(n, k int) float64 {
	if n < 2 {
		return math.Inf(1)
	}
	k = max(k, 1)
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}
	return t.Quantile(1-0.001/2/float64(k)) / t.Quantile(0.975)
}

func writeExact(w io.Writer, r *exactReport) {
	if r == nil {
		return
	}
	if !r.Markovian {
		fmt.Fprintln(w, "\nExact answer: none. The disks of this scenario do not form a Markov chain the solver handles:")
		for _, s := range r.Reasons {
			fmt.Fprintf(w, "  - %s\n", s)
		}
		return
	}
	fmt.Fprintf(w, "\nExact answer (continuous-time Markov chain of one disk, %d states)\n", r.States)
	if r.WaitChance != nil {
		fmt.Fprintf(w, "exact as long as no ticket waits for an agent: the chance that one does within the horizon is at most %.2g (Chernoff bound; at most %.3g disks hold an agent on average)\n", *r.WaitChance, *r.Load)
	}
	fmt.Fprintln(w, "diff: (simulated - exact) in half-widths of the 95% interval; beyond ±"+trim(r.Bound)+" (99.9% with a Bonferroni correction) is flagged with !")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := "status\tsimulated\texact\tdiff"
	for _, t := range r.Times {
		head += "\tat " + t.label
	}
	fmt.Fprintln(tw, head+"\tat the horizon\tin the long run")
	for _, s := range r.Statuses {
		if s.Simulated.Mean == 0 && s.Simulated.HalfWidth == 0 && s.Exact == 0 && s.AtHorizon == 0 {
			continue
		}
		diff := "-"
		if s.DiffCI != nil {
			diff = fmt.Sprintf("%+.2f", *s.DiffCI)
			if math.Abs(*s.DiffCI) > r.Bound {
				diff += " !"
			}
		}
		steady := "-"
		switch {
		case s.Grows:
			steady = "grows without bound"
		case s.Steady != nil:
			steady = exactNum(*s.Steady)
		}
		row := fmt.Sprintf("%s\t%s\t%s\t%s", s.Name, est(s.Simulated), exactNum(s.Exact), diff)
		for _, a := range s.At {
			row += "\t" + exactNum(a.Disks)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", row, exactNum(s.AtHorizon), steady)
	}
	tw.Flush()
	if len(r.Endings) > 0 && r.MeanLife != nil {
		var parts []string
		for _, e := range r.Endings {
			parts = append(parts, fmt.Sprintf("%s %.2f%%", e.Status, e.Probability*100))
		}
		fmt.Fprintf(w, "a new disk ends: %s; after %s on average\n", strings.Join(parts, ", "), hours(*r.MeanLife))
	}
	if len(r.Flagged) > 0 {
		fmt.Fprintf(w, "outside the flagging bound: %s\n", strings.Join(r.Flagged, ", "))
	}
}

func exactNum(v float64) string {
	return group(v, decimals(v)+1)
}
