package sim

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/evsim/evsim/model"
)

// DistKind names a family of distributions.
type DistKind uint8

// The distribution families. A zero [Dist] (kind None) means "not given".
const (
	None        DistKind = iota
	Fixed                // always A
	Exponential          // mean A
	LogNormal            // median A (e^mu), shape B (sigma)
	Weibull              // shape A (k), scale B (lambda)
)

var distNames = []string{"none", "fixed", "exponential", "lognormal", "weibull"}

func (k DistKind) String() string { return distNames[k] }

// Dist is a distribution of durations (hours) or sizes (GiB). Samples are
// drawn with gonum's distuv, its Src always set to the replication's stream.
type Dist struct {
	Kind DistKind
	A, B float64
}

// FixedDist returns the distribution that is always v.
func FixedDist(v float64) Dist { return Dist{Kind: Fixed, A: v} }

// ExpDist returns the exponential distribution with the given mean.
func ExpDist(mean float64) Dist { return Dist{Kind: Exponential, A: mean} }

// LogNormalDist returns the log-normal distribution with the given median
// and sigma (of the underlying normal).
func LogNormalDist(median, sigma float64) Dist { return Dist{Kind: LogNormal, A: median, B: sigma} }

// WeibullDist returns the Weibull distribution with shape k and scale lambda.
func WeibullDist(k, lambda float64) Dist { return Dist{Kind: Weibull, A: k, B: lambda} }

// Mean returns the mean of the distribution.
func (d Dist) Mean() float64 {
	switch d.Kind {
	case Fixed:
		return d.A
	case Exponential:
		return d.A
	case LogNormal:
		return d.A * math.Exp(d.B*d.B/2)
	case Weibull:
		return d.B * math.Gamma(1+1/d.A)
	}
	return 0
}

func (d Dist) valid() error {
	switch d.Kind {
	case Fixed:
		if !(d.A >= 0) || math.IsInf(d.A, 0) {
			return fmt.Errorf("fixed value %g; want a finite value of 0 or more", d.A)
		}
	case Exponential:
		if !(d.A > 0) || math.IsInf(d.A, 0) {
			return fmt.Errorf("mean %g; want a finite value above 0", d.A)
		}
	case LogNormal:
		if !(d.A > 0) || math.IsInf(d.A, 0) || !(d.B >= 0) || math.IsInf(d.B, 0) {
			return fmt.Errorf("median %g, sigma %g; want a median above 0 and a sigma of 0 or more", d.A, d.B)
		}
	case Weibull:
		if !(d.A > 0) || !(d.B > 0) || math.IsInf(d.A, 0) || math.IsInf(d.B, 0) {
			return fmt.Errorf("shape %g, scale %g; want both above 0", d.A, d.B)
		}
	default:
		return errors.New("no distribution")
	}
	return nil
}

// sampler draws from a Dist with a fixed source.
type sampler struct {
	kind DistKind
	a    float64
	exp  distuv.Exponential
	ln   distuv.LogNormal
	wb   distuv.Weibull
}

func newSampler(d Dist, src rand.Source) sampler {
	s := sampler{kind: d.Kind, a: d.A}
	switch d.Kind {
	case Exponential:
		s.exp = distuv.Exponential{Rate: 1 / d.A, Src: src}
	case LogNormal:
		s.ln = distuv.LogNormal{Mu: math.Log(d.A), Sigma: d.B, Src: src}
	case Weibull:
		s.wb = distuv.Weibull{K: d.A, Lambda: d.B, Src: src}
	}
	return s
}

func (s *sampler) draw() float64 {
	switch s.kind {
	case Fixed:
		return s.a
	case Exponential:
		return s.exp.Rand()
	case LogNormal:
		return s.ln.Rand()
	case Weibull:
		return s.wb.Rand()
	}
	return math.Inf(1)
}

// RemedyBy says who moves a disk out of a failed status.
type RemedyBy uint8

// The remedies of the FAQ.
const (
	NoRemedy RemedyBy = iota // the disk stays
	ByCustomer
	ByOperator // a ticket for the operator team
)

var remedyNames = []string{"none", "customer", "operator"}

func (r RemedyBy) String() string { return remedyNames[r] }

// Remedy is how a disk leaves a status that needs outside action: who acts,
// with which operations (the first the model enables is used), after what
// delay (customer remedies), and whether the customer creates a new disk
// once the old one is deleted.
type Remedy struct {
	By       RemedyBy
	Ops      []model.OpID
	After    Dist // customer reaction time
	Recreate bool
}

// CreationShare is one creating operation of the growth mix, with its weight.
type CreationShare struct {
	Op     model.OpID
	Weight float64
}

// Config is a fleet simulation: the model, the fleet, what its customers
// do, how long things take and how often they fail, who fixes failures and
// how much room the pool has. Times are in hours, rates per disk per day.
type Config struct {
	Spec *model.Spec

	Horizon        float64 // hours simulated
	Warmup         float64 // hours discarded before statistics start
	SampleInterval float64 // hours between time-series samples
	Replications   int
	Seed           uint64

	Disks          int     // disks at the start
	InUse          float64 // share of the starting disks attached to a server
	Shared         float64 // share of shared disks
	System         float64 // share of system disks
	Size           Dist    // GiB at creation
	ServersStopped float64 // share of requests that find the disk's servers stopped

	CreationsPerDay float64         // fleet growth
	CreationMix     []CreationShare // which creating operation a new disk uses

	Rates      []float64 // per operation: requests per disk per day where the model enables it
	Durations  []Dist    // per transitional status
	OpDuration []Dist    // per operation: overrides Durations for its steps; the duration of a background operation
	Failure    []float64 // per operation: probability that it fails (spread evenly over its steps)
	Remedies   []Remedy  // per status

	Agents  int  // operator team size
	Service Dist // hours an agent spends on a ticket

	PoolGiB float64 // storage pool capacity; +Inf for unlimited
}

// Validate checks c for what the engine needs; scenario files get their
// errors with positions from package scenarios before this runs.
func (c *Config) Validate() error {
	if c.Spec == nil {
		return errors.New("sim: config: no spec")
	}
	nOps, nSt := len(c.Spec.Ops), len(c.Spec.Statuses)
	switch {
	case !(c.Horizon > 0) || math.IsInf(c.Horizon, 0):
		return fmt.Errorf("sim: config: horizon %g; want a positive number of hours", c.Horizon)
	case c.Warmup < 0 || c.Warmup >= c.Horizon:
		return fmt.Errorf("sim: config: warm-up %g; want 0 or more and less than the horizon %g", c.Warmup, c.Horizon)
	case !(c.SampleInterval > 0):
		return fmt.Errorf("sim: config: sample interval %g; want a positive number of hours", c.SampleInterval)
	case c.Horizon/c.SampleInterval > 1e6:
		return fmt.Errorf("sim: config: %g samples; want at most a million (raise the sample interval)", c.Horizon/c.SampleInterval)
	case c.Replications < 1:
		return fmt.Errorf("sim: config: %d replications; want 1 or more", c.Replications)
	case c.Disks < 0 || c.Disks > 1<<28:
		return fmt.Errorf("sim: config: %d disks; want 0 to %d", c.Disks, 1<<28)
	case len(c.Rates) != nOps || len(c.OpDuration) != nOps || len(c.Failure) != nOps:
		return fmt.Errorf("sim: config: rates, operation durations and failures must have one entry per operation (%d)", nOps)
	case len(c.Durations) != nSt || len(c.Remedies) != nSt:
		return fmt.Errorf("sim: config: durations and remedies must have one entry per status (%d)", nSt)
	case c.Agents < 0:
		return fmt.Errorf("sim: config: %d agents; want 0 or more", c.Agents)
	case !(c.PoolGiB > 0):
		return fmt.Errorf("sim: config: pool %g GiB; want a positive capacity or +Inf", c.PoolGiB)
	}
	for _, p := range []float64{c.InUse, c.Shared, c.System, c.ServersStopped} {
		if !(p >= 0 && p <= 1) {
			return fmt.Errorf("sim: config: share %g; want 0 to 1", p)
		}
	}
	if err := c.Size.valid(); err != nil {
		return fmt.Errorf("sim: config: size: %v", err)
	}
	for i, r := range c.Rates {
		if !(r >= 0) || math.IsInf(r, 0) {
			return fmt.Errorf("sim: config: rate of %s %g; want 0 or more", c.Spec.Ops[i].Name, r)
		}
		if r > 0 && (c.Spec.Ops[i].Actor != model.Customer || c.Spec.Ops[i].Creates) {
			return fmt.Errorf("sim: config: rate of %s: only customer operations on existing disks have rates", c.Spec.Ops[i].Name)
		}
	}
	for i, p := range c.Failure {
		if !(p >= 0 && p < 1) {
			return fmt.Errorf("sim: config: failure of %s %g; want 0 to below 1", c.Spec.Ops[i].Name, p)
		}
		if p > 0 && c.Spec.Ops[i].Instant() {
			return fmt.Errorf("sim: config: failure of %s: an instant operation has no failure in the model", c.Spec.Ops[i].Name)
		}
	}
	if !(c.CreationsPerDay >= 0) || math.IsInf(c.CreationsPerDay, 0) {
		return fmt.Errorf("sim: config: creations per day %g; want 0 or more", c.CreationsPerDay)
	}
	var w float64
	for _, m := range c.CreationMix {
		if int(m.Op) >= nOps || !c.Spec.Ops[m.Op].Creates || !(m.Weight >= 0) {
			return errors.New("sim: config: creation mix: want creating operations with weights of 0 or more")
		}
		w += m.Weight
	}
	if (c.CreationsPerDay > 0 || c.needsCreation()) && !(w > 0) {
		return errors.New("sim: config: creation mix: want at least one creating operation with a positive weight")
	}
	if c.Disks > 0 && c.InUse < 1 && StartsAttached(c) {
		return fmt.Errorf("sim: config: in use %g: every creating operation of the mix attaches its disk, so every starting disk is In-use; want 1, or a creating operation that does not attach", c.InUse)
	}
	// Every step an operation in play may go through needs a duration.
	used := make([]bool, nOps)
	for i, r := range c.Rates {
		used[i] = r > 0
	}
	for _, m := range c.CreationMix {
		used[m.Op] = used[m.Op] || m.Weight > 0
	}
	for _, r := range c.Remedies {
		for _, op := range r.Ops {
			if int(op) < nOps {
				used[op] = true
			}
		}
	}
	for oi := range c.Spec.Ops {
		o := &c.Spec.Ops[oi]
		if !used[oi] {
			continue
		}
		if o.Background {
			if c.OpDuration[oi].Kind == None {
				return fmt.Errorf("sim: config: %s runs in the background and needs a duration", o.Name)
			}
			continue
		}
		for _, st := range o.Steps {
			if c.OpDuration[oi].Kind == None && c.Durations[st.Status].Kind == None {
				return fmt.Errorf("sim: config: no duration for status %s (operation %s)", c.Spec.StatusName(st.Status), o.Name)
			}
		}
	}
	for i, d := range c.Durations {
		if d.Kind != None {
			if err := d.valid(); err != nil {
				return fmt.Errorf("sim: config: duration of %s: %v", c.Spec.StatusName(model.StatusID(i)), err)
			}
		}
	}
	for i, d := range c.OpDuration {
		if d.Kind != None {
			if err := d.valid(); err != nil {
				return fmt.Errorf("sim: config: duration of %s: %v", c.Spec.Ops[i].Name, err)
			}
		}
	}
	for i, r := range c.Remedies {
		if r.By == NoRemedy {
			continue
		}
		for _, op := range r.Ops {
			if int(op) >= nOps {
				return fmt.Errorf("sim: config: remedy of %s: operation %d does not exist", c.Spec.StatusName(model.StatusID(i)), op)
			}
			want := model.Customer
			if r.By == ByOperator {
				want = model.Operator
			}
			if c.Spec.Ops[op].Actor != want {
				return fmt.Errorf("sim: config: remedy of %s: %s is not a %s operation", c.Spec.StatusName(model.StatusID(i)), c.Spec.Ops[op].Name, want)
			}
		}
		if r.By == ByCustomer {
			if err := r.After.valid(); err != nil {
				return fmt.Errorf("sim: config: remedy of %s: delay: %v", c.Spec.StatusName(model.StatusID(i)), err)
			}
		}
		if r.By == ByOperator && c.Agents < 1 {
			return fmt.Errorf("sim: config: remedy of %s needs operator agents; want agents of 1 or more", c.Spec.StatusName(model.StatusID(i)))
		}
	}
	if c.Agents > 0 {
		if err := c.Service.valid(); err != nil {
			return fmt.Errorf("sim: config: service time: %v", err)
		}
	}
	return nil
}

// StartsAttached reports whether every creating operation of c's mix with a
// positive weight attaches its disk: the starting disks are made with the
// first one that does not, so then every starting disk is In-use whatever
// c.InUse says.
func StartsAttached(c *Config) bool {
	any := false
	for _, m := range c.CreationMix {
		if m.Weight > 0 && int(m.Op) < len(c.Spec.Ops) {
			if !c.Spec.Ops[m.Op].HasEffect(model.EffAttach) {
				return false
			}
			any = true
		}
	}
	return any
}

func (c *Config) needsCreation() bool {
	if c.Disks > 0 {
		return true
	}
	for _, r := range c.Remedies {
		if r.Recreate {
			return true
		}
	}
	return false
}

// NewConfig returns a config for spec with every per-operation and
// per-status table sized and empty, one replication, an unlimited pool and
// no operator: the starting point for building one by hand.
func NewConfig(spec *model.Spec) *Config {
	n, s := len(spec.Ops), len(spec.Statuses)
	return &Config{
		Spec: spec, Replications: 1, Size: FixedDist(100),
		Rates: make([]float64, n), OpDuration: make([]Dist, n), Failure: make([]float64, n),
		Durations: make([]Dist, s), Remedies: make([]Remedy, s),
		PoolGiB: math.Inf(1), SampleInterval: 24,
	}
}
