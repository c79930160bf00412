package sim

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Result is what one replication measured after its warm-up. Counts cover
// the measured span; Occupancy is the time-weighted mean number of disks in
// each status; Series holds the samples of the whole run, warm-up
// included.
type Result struct {
	Replication int
	End         float64 // hours reached (the horizon unless stopped early)
	Measured    float64 // hours measured (End minus the warm-up; 0 if none)
	Partial     bool

	Occupancy []float64 // per status
	Started   []int64   // per operation
	Failed    []int64   // per operation
	Rejected  []int64   // per operation: requests the model did not enable

	PoolRefused   int64 // creations and expansions the pool could not hold
	Created       int64
	Deleted       int64
	TicketsOpened int64
	TicketsClosed int64

	Waits          []float64 // hours each ticket opened while measuring waited for an agent
	ResolutionMean float64   // mean hours from a ticket opening to the agent's action
	Utilisation    float64   // share of the agents' time spent on tickets

	PoolUsed        int64   // GiB at End
	PoolPeak        int64   // GiB, highest over the run
	PoolExhaustedAt float64 // hours at which the pool first refused room; -1 if never

	Disks  int64 // disks at End
	Slots  int64 // disks ever held by the run, deleted ones included
	Events int64 // events processed, warm-up included
	Series Series
}

// Series is a replication's state at every sample time.
type Series struct {
	Time        []float64
	Status      [][]int64 // per sample, per status: disks
	Disks       []int64
	PoolUsed    []int64 // GiB
	TicketsOpen []int64 // waiting or being worked on
}

// Estimate is a mean over replications with the half-width of its 95%
// confidence interval (Student t); N is the number of replications it
// rests on, and HalfWidth is 0 when N is below 2.
type Estimate struct {
	Mean      float64 `json:"mean"`
	HalfWidth float64 `json:"ci95"`
	N         int     `json:"n"`
}

func estimate(xs []float64) Estimate {
	var v []float64
	for _, x := range xs {
		if !math.IsNaN(x) {
			v = append(v, x)
		}
	}
	n := len(v)
	if n == 0 {
		return Estimate{}
	}
	if n == 1 {
		return Estimate{Mean: v[0], N: 1}
	}
	m, sd := stat.MeanStdDev(v, nil)
	// Quantile draws nothing, so the distribution needs no Src.
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile(0.975)
	return Estimate{Mean: m, HalfWidth: t * sd / math.Sqrt(float64(n)), N: n}
}

// StatusRow is the occupancy of one status.
type StatusRow struct {
	Name  string   `json:"name"`
	Class string   `json:"class"`
	Disks Estimate `json:"disks"` // time-weighted mean number of disks
	Share Estimate `json:"share"` // of all disks
}

// OpRow is the activity of one operation, per simulated day.
type OpRow struct {
	Name     string   `json:"name"`
	Actor    string   `json:"actor"`
	Started  Estimate `json:"started_per_day"`
	Failed   Estimate `json:"failed_per_day"`
	Rejected Estimate `json:"rejected_per_day"`
}

// Tickets summarises the operator team's work. Times are in hours.
type Tickets struct {
	Agents      int      `json:"agents"`
	Opened      Estimate `json:"opened_per_day"`
	Closed      Estimate `json:"closed_per_day"`
	WaitMean    Estimate `json:"wait_mean_h"`
	WaitP50     Estimate `json:"wait_p50_h"`
	WaitP95     Estimate `json:"wait_p95_h"`
	WaitP99     Estimate `json:"wait_p99_h"`
	Resolution  Estimate `json:"resolution_mean_h"`
	Utilisation Estimate `json:"utilisation"`
}

// Pool summarises the storage pool. CapacityGiB is 0 for an unlimited pool.
type Pool struct {
	CapacityGiB float64  `json:"capacity_gib"`
	Used        Estimate `json:"used_gib"`
	Peak        Estimate `json:"peak_gib"`
	Refused     Estimate `json:"refused_per_day"`
	RanOut      int      `json:"replications_ran_out"`
	RanOutAt    Estimate `json:"ran_out_at_h"` // over the replications that ran out
}

// SeriesPoint is the mean over replications of the state at one sample time.
type SeriesPoint struct {
	Time        float64   `json:"time_h"`
	Disks       float64   `json:"disks"`
	PoolUsed    float64   `json:"pool_used_gib"`
	TicketsOpen float64   `json:"tickets_open"`
	Status      []float64 `json:"status"` // per status, in spec order
}

// Summary combines the replications of a run, in replication order.
type Summary struct {
	Seed         uint64        `json:"seed"`
	Replications int           `json:"replications"` // replications that measured something
	Partial      bool          `json:"partial"`
	Horizon      float64       `json:"horizon_h"`
	Warmup       float64       `json:"warmup_h"`
	Measured     float64       `json:"measured_h"` // mean hours measured per replication
	Events       int64         `json:"events"`
	Disks        Estimate      `json:"disks_at_end"`
	Created      Estimate      `json:"created_per_day"`
	Deleted      Estimate      `json:"deleted_per_day"`
	Statuses     []StatusRow   `json:"statuses"`
	Ops          []OpRow       `json:"operations"`
	Tickets      Tickets       `json:"tickets"`
	Pool         Pool          `json:"pool"`
	StatusNames  []string      `json:"status_names"`
	Series       []SeriesPoint `json:"series"`
	Results      []*Result     `json:"-"`
}

func quantile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	return stat.Quantile(p, stat.Empirical, sorted, nil)
}

// summarise combines results (nil entries are replications that did not
// run) in replication order.
func summarise(cfg *Config, results []*Result) *Summary {
	spec := cfg.Spec
	s := &Summary{Seed: cfg.Seed, Horizon: cfg.Horizon, Warmup: cfg.Warmup, StatusNames: spec.StatusNames()}
	var rs []*Result
	for _, r := range results {
		if r == nil {
			s.Partial = true
			continue
		}
		s.Events += r.Events
		if r.Partial {
			s.Partial = true
		}
		if r.Measured > 0 {
			rs = append(rs, r)
		}
	}
	s.Results = rs
	s.Replications = len(rs)
	col := func(f func(r *Result) float64) Estimate {
		xs := make([]float64, len(rs))
		for i, r := range rs {
			xs[i] = f(r)
		}
		return estimate(xs)
	}
	perDay := func(f func(r *Result) int64) Estimate {
		return col(func(r *Result) float64 { return float64(f(r)) / r.Measured * 24 })
	}
	var measured float64
	for _, r := range rs {
		measured += r.Measured
	}
	if len(rs) > 0 {
		s.Measured = measured / float64(len(rs))
	}
	s.Disks = col(func(r *Result) float64 { return float64(r.Disks) })
	s.Created = perDay(func(r *Result) int64 { return r.Created })
	s.Deleted = perDay(func(r *Result) int64 { return r.Deleted })
	for i := range spec.Statuses {
		s.Statuses = append(s.Statuses, StatusRow{
			Name:  spec.Statuses[i].Name,
			Class: spec.Statuses[i].Class.String(),
			Disks: col(func(r *Result) float64 { return r.Occupancy[i] }),
			Share: col(func(r *Result) float64 {
				var tot float64
				for _, x := range r.Occupancy {
					tot += x
				}
				if tot == 0 {
					return math.NaN()
				}
				return r.Occupancy[i] / tot
			}),
		})
	}
	for i := range spec.Ops {
		s.Ops = append(s.Ops, OpRow{
			Name:     spec.Ops[i].Name,
			Actor:    spec.Ops[i].Actor.String(),
			Started:  perDay(func(r *Result) int64 { return r.Started[i] }),
			Failed:   perDay(func(r *Result) int64 { return r.Failed[i] }),
			Rejected: perDay(func(r *Result) int64 { return r.Rejected[i] }),
		})
	}
	q := func(p float64) Estimate {
		return col(func(r *Result) float64 {
			w := append([]float64(nil), r.Waits...)
			sort.Float64s(w)
			return quantile(w, p)
		})
	}
	s.Tickets = Tickets{
		Agents: cfg.Agents,
		Opened: perDay(func(r *Result) int64 { return r.TicketsOpened }),
		Closed: perDay(func(r *Result) int64 { return r.TicketsClosed }),
		WaitMean: col(func(r *Result) float64 {
			if len(r.Waits) == 0 {
				return math.NaN()
			}
			return stat.Mean(r.Waits, nil)
		}),
		WaitP50: q(0.5), WaitP95: q(0.95), WaitP99: q(0.99),
		Resolution: col(func(r *Result) float64 {
			if len(r.Waits) == 0 {
				return math.NaN()
			}
			return r.ResolutionMean
		}),
		Utilisation: col(func(r *Result) float64 { return r.Utilisation }),
	}
	if cfg.Agents == 0 {
		s.Tickets.Utilisation = Estimate{}
	}
	s.Pool = Pool{
		Used:    col(func(r *Result) float64 { return float64(r.PoolUsed) }),
		Peak:    col(func(r *Result) float64 { return float64(r.PoolPeak) }),
		Refused: perDay(func(r *Result) int64 { return r.PoolRefused }),
	}
	if !math.IsInf(cfg.PoolGiB, 1) {
		s.Pool.CapacityGiB = cfg.PoolGiB
	}
	var out []float64
	for _, r := range rs {
		if r.PoolExhaustedAt >= 0 {
			out = append(out, r.PoolExhaustedAt)
		}
	}
	s.Pool.RanOut = len(out)
	s.Pool.RanOutAt = estimate(out)
	s.Series = meanSeries(rs, len(spec.Statuses))
	return s
}

// meanSeries averages the samples of the replications over the sample
// times they all reached.
func meanSeries(rs []*Result, nSt int) []SeriesPoint {
	if len(rs) == 0 {
		return nil
	}
	n := len(rs[0].Series.Time)
	for _, r := range rs {
		n = min(n, len(r.Series.Time))
	}
	out := make([]SeriesPoint, n)
	k := float64(len(rs))
	for j := range n {
		p := SeriesPoint{Time: rs[0].Series.Time[j], Status: make([]float64, nSt)}
		var disks, pool, open int64
		status := make([]int64, nSt)
		for _, r := range rs {
			disks += r.Series.Disks[j]
			pool += r.Series.PoolUsed[j]
			open += r.Series.TicketsOpen[j]
			for s := range nSt {
				status[s] += r.Series.Status[j][s]
			}
		}
		p.Disks, p.PoolUsed, p.TicketsOpen = float64(disks)/k, float64(pool)/k, float64(open)/k
		for s := range nSt {
			p.Status[s] = float64(status[s]) / k
		}
		out[j] = p
	}
	return out
}
