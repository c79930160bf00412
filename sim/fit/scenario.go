package fit

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/evsim/evsim/model"
)

// num writes a figure with 4 significant digits, without an exponent.
func num(v float64) string {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return "0"
	}
	s := strconv.FormatFloat(v, 'g', 4, 64)
	if strings.ContainsAny(s, "e") {
		digits := max(0, 3-int(math.Floor(math.Log10(math.Abs(v)))))
		s = strconv.FormatFloat(v, 'f', digits, 64)
	}
	return s
}

// dur writes hours as a scenario duration: seconds, minutes, hours or days.
func dur(h float64) string {
	switch {
	case math.IsNaN(h) || h <= 0:
		return "0s"
	case h < 1.0/60:
		return num(h*3600) + "s"
	case h < 1:
		return num(h*60) + "m"
	case h < 48:
		return num(h) + "h"
	}
	return num(h/24) + "d"
}

func distYAML(f Fitted) string {
	switch f.Family {
	case Exponential:
		return fmt.Sprintf("{dist: exponential, mean: %s}", dur(f.A))
	case LogNormal:
		return fmt.Sprintf("{dist: lognormal, median: %s, sigma: %s}", dur(f.A), num(f.B))
	}
	return fmt.Sprintf("{dist: weibull, shape: %s, scale: %s}", num(f.A), dur(f.B))
}

// fitComment says how a distribution was chosen.
func fitComment(d *Duration) string {
	b := d.Fits[0]
	var others []string
	for _, o := range d.Fits[1:] {
		others = append(others, fmt.Sprintf("%s +%.1f", o.Family, o.AIC-b.AIC))
	}
	margin := ""
	if len(others) > 0 {
		margin = fmt.Sprintf(" by AIC (%s)", strings.Join(others, ", "))
	}
	cens := ""
	if d.Cens > 0 {
		cens = fmt.Sprintf(", %d censored", d.Cens)
	}
	return fmt.Sprintf("%d observations%s; %s won%s; mean %s, 95%% [%s, %s]", d.N, cens, b.Family, margin,
		dur(b.Mean), dur(b.MeanLo), dur(b.MeanHi))
}

// Scenario writes the estimates as a scenario that cmd/sim -scenario
// loads as it is: every fitted figure with a comment giving its
// observations and 95% interval, and every figure a status history cannot
// show marked as an assumption.
func (r *Result) Scenario(spec *model.Spec, name string) []byte {
	var b bytes.Buffer
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	how := "every row a change at its exact time"
	if r.Poll > 0 {
		how = "polls every " + r.Poll.String()
	}
	p("# Fitted by `sim fit` from %s: %d observations of %d disks over %s days\n", r.File, r.Rows, r.Disks, num(r.Days))
	p("# (%s to %s), read as %s.\n", r.Start.Format("2006-01-02T15:04:05Z07:00"), r.End.Format("2006-01-02T15:04:05Z07:00"), how)
	p("# Each fitted figure's comment gives its observations and its 95%% interval\n")
	p("# (Garwood for rates, Wilson for probabilities, the delta method for means).\n")
	p("# What a status history cannot show is marked ASSUMPTION: replace it if you know it.\n")
	if r.Poll == 0 && r.Repeats > r.Rows/10 {
		p("# WARNING: %d rows repeat their disk's previous status: this looks like polls; fit again with -poll.\n", r.Repeats)
	}
	if r.Poll > 0 {
		p("# CAUTION: polls miss statuses shorter than their interval, and the fit attributes what it\n")
		p("# did not see to the shortest path of the model: figures of statuses lasting less than a few\n")
		p("# polls (marked below) and the failures and rates of their operations are biased. A change\n")
		p("# log or the volume notifications give exact figures.\n")
	}
	p("name: %s\n", name)
	p("description: Figures fitted to the observed history %s.\n\n", strconv.Quote(r.File)[1:len(strconv.Quote(r.File))-1])
	horizon := math.Max(2, math.Ceil(r.Days))
	warm := math.Max(1, math.Floor(math.Min(30, horizon/6)))
	p("horizon: %sd            # the span of the history\n", num(horizon))
	p("warmup: %sd\n", num(warm))
	p("sample_interval: 1d\nreplications: 5\nseed: 1\n\n")

	p("fleet:\n")
	p("  disks: %d    # present at the first observation\n", r.Initial)
	p("  in_use: %s    # share In-use among them\n", num(r.InUse))
	if r.KindsKnown > 0 {
		lo, hi := Wilson(int(math.Round(r.Shared*float64(r.KindsKnown))), r.KindsKnown)
		p("  shared: %s    # %d disks of known kind; Wilson 95%% [%s, %s]\n", num(r.Shared), r.KindsKnown, num(lo), num(hi))
		lo, hi = Wilson(int(math.Round(r.System*float64(r.KindsKnown))), r.KindsKnown)
		p("  system: %s    # %d disks of known kind; Wilson 95%% [%s, %s]\n", num(r.System), r.KindsKnown, num(lo), num(hi))
	} else {
		p("  shared: 0    # ASSUMPTION: the history does not say which disks are shared\n")
		p("  system: 0    # ASSUMPTION: the history does not say which disks are system disks\n")
	}
	switch {
	case r.SizeN > 0 && r.SizeSigma < 1e-9:
		p("  size_gib: {dist: fixed, value: %s}    # %d disks, all the same size\n", num(r.SizeMedian), r.SizeN)
	case r.SizeN > 0:
		p("  size_gib: {dist: lognormal, median: %s, sigma: %s}    # %d disks' sizes when first seen, lognormal by maximum likelihood\n", num(r.SizeMedian), num(r.SizeSigma), r.SizeN)
	default:
		p("  size_gib: {dist: fixed, value: 100}    # ASSUMPTION: the history has no sizes\n")
	}
	if st := r.Stopped; !math.IsNaN(st.Value) {
		p("  servers_stopped: %s    # %d starts that needed stopped servers, against the rate of the same operations elsewhere; 95%% [%s, %s]\n\n", num(st.Value), st.N, num(st.Lo), num(st.Hi))
	} else {
		p("  servers_stopped: 0    # ASSUMPTION: nothing in the history shows the servers' power\n\n")
	}

	p("growth:\n")
	p("  creations_per_day: %s    # %d creations in %s days; 95%% [%s, %s]\n", num(r.PerDay.Value), r.Creations, num(r.Days), num(r.PerDay.Lo), num(r.PerDay.Hi))
	mixed := map[string]bool{}
	if len(r.Mix) > 0 {
		p("  mix:\n")
		for _, m := range r.Mix {
			lo, hi := Wilson(m.N, r.Creations)
			p("    %s: %s    # %d of %d; Wilson 95%% [%s, %s]\n", m.Op, num(float64(m.N)/float64(r.Creations)), m.N, r.Creations, num(lo), num(hi))
			mixed[m.Op] = true
		}
	} else if r.Initial > 0 {
		first := ""
		for i := range spec.Ops {
			if spec.Ops[i].Creates {
				first = spec.Ops[i].Name
				break
			}
		}
		p("  mix:\n    %s: 1    # ASSUMPTION: no creation observed\n", first)
		mixed[first] = true
	}
	p("\n")

	inPlay := map[string]bool{}
	for k := range mixed {
		inPlay[k] = true
	}
	p("# Requests per disk per day where the model lets the disk take them.\n")
	p("rates:\n")
	same := alike(spec)
	for _, x := range r.Rates {
		note := ""
		if l := same[x.Op]; len(l) > 0 {
			note = fmt.Sprintf("; a status history cannot tell it from %s (same status changes): starts counted under the first of them in the spec", strings.Join(l, ", "))
		}
		if x.Effective != "" {
			note += fmt.Sprintf("; effective rate: every start needs %s, which a status history does not show", x.Effective)
		}
		p("  %s: %s    # %d starts in %s disk-days; 95%% [%s, %s]%s\n", x.Op, num(x.Value), x.N, num(x.Exposure), num(x.Lo), num(x.Hi), note)
		if x.Value > 0 {
			inPlay[x.Op] = true
		}
	}
	var invisible []string
	for i := range spec.Ops {
		o := &spec.Ops[i]
		if o.Actor == model.Customer && !o.Creates && (o.Background || (o.Instant() && !hasStatusTarget(o))) {
			invisible = append(invisible, o.Name)
		}
	}
	if len(invisible) > 0 {
		p("  # not fitted: no status change shows %s\n", strings.Join(invisible, ", "))
	}
	p("\n")

	// Remedies come before durations in the analysis (their operations are
	// in play) but after them in the file, as in the embedded scenarios.
	agentsNeeded := false
	var service []Sample
	_ = service
	for _, rm := range r.Remedies {
		for _, o := range rm.Ops {
			inPlay[o.Op] = true
		}
		if rm.By == "operator" {
			agentsNeeded = true
		}
	}

	p("# How long each transitional status lasts (or every step of an operation).\n")
	p("durations:\n")
	have := map[string]bool{}
	for _, d := range r.Durations {
		if len(d.Fits) == 0 {
			continue
		}
		short := ""
		if r.Poll > 0 && d.Fits[0].Mean < 3*r.Poll.Hours() {
			short = "; CAUTION: shorter than 3 polls"
		}
		p("  %s: %s    # %s%s\n", d.Name, distYAML(d.Fits[0]), fitComment(&d), short)
		have[d.Name] = true
	}
	for _, d := range r.OpDurations {
		if len(d.Fits) == 0 {
			continue
		}
		p("  %s: %s    # every step; %s\n", d.Name, distYAML(d.Fits[0]), fitComment(&d))
		have[d.Name] = true
	}
	for i := range spec.Ops {
		o := &spec.Ops[i]
		if !inPlay[o.Name] || have[o.Name] || o.Instant() {
			continue
		}
		if o.Background {
			continue
		}
		for _, st := range o.Steps {
			n := spec.StatusName(st.Status)
			if !have[n] {
				p("  %s: {dist: exponential, mean: 1s}    # ASSUMPTION: never observed (%s goes through it)\n", n, o.Name)
				have[n] = true
			}
		}
	}
	p("\n")

	p("# Probability that an operation fails, of those that finished.\n")
	p("failures:\n")
	for _, x := range r.Failures {
		v, note := x.P, ""
		if v >= 0.999 {
			v, note = 0.999, " (every one failed: written as 0.999, the most a scenario takes)"
		}
		p("  %s: %s    # %d failed of %d finished; Wilson 95%% [%s, %s]%s\n", x.Op, num(v), x.Failed, x.Finished, num(x.Lo), num(x.Hi), note)
	}
	for _, u := range r.Unknown {
		p("  # %s: %d outcomes where success and failure end in the same status with no change a poll shows: not fitted\n", u.Op, u.N)
	}
	p("\n")

	p("# Who took disks out of each failed status, and after how long.\n")
	p("remedies:\n")
	var opService *Duration
	for i, rm := range r.Remedies {
		p("  %s:\n", rm.Status)
		switch rm.By {
		case "none":
			p("    by: none    # %d disks stayed there to the end of the history\n", rm.Stayed)
			continue
		case "operator":
			p("    by: operator\n")
		default:
			p("    by: customer\n")
		}
		var ops []string
		var counts []string
		for _, o := range rm.Ops {
			ops = append(ops, o.Op)
			counts = append(counts, fmt.Sprintf("%s %d", o.Op, o.N))
		}
		p("    ops: [%s]    # %s\n", strings.Join(ops, ", "), strings.Join(counts, ", "))
		if rm.After == nil || len(rm.After.Fits) == 0 {
			if rm.By == "customer" {
				p("    after: {dist: exponential, mean: 1h}    # ASSUMPTION: no reaction observed\n")
			}
			continue
		}
		if rm.By == "customer" {
			p("    after: %s    # reaction time: %s\n", distYAML(rm.After.Fits[0]), fitComment(rm.After))
		} else if opService == nil || rm.After.N > opService.N {
			opService = r.Remedies[i].After
		}
	}
	p("\n")
	if agentsNeeded {
		p("operator:\n")
		p("  agents: 1000    # ASSUMPTION: a history shows the time to resolution, queue included; with many agents nobody queues\n")
		if opService != nil {
			p("  service: %s    # time in %s until customer service acted: %s\n", distYAML(opService.Fits[0]), opService.Name, fitComment(opService))
		} else {
			p("  service: {dist: exponential, mean: 4h}    # ASSUMPTION: never observed\n")
		}
		p("\n")
	}
	p("pool:\n  capacity_gib: unlimited    # ASSUMPTION: a status history does not show the pool\n")
	return b.Bytes()
}
