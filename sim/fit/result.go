package fit

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"gonum.org/v1/gonum/stat"

	"github.com/evsim/evsim/model"
	mh "github.com/evsim/evsim/model/history"
)

// alike returns, per operation, the other operations whose starts a
// status history cannot tell from its own: the same status changes.
func alike(spec *model.Spec) map[string][]string {
	sig := map[string]string{}
	for _, e := range spec.Edges() {
		if e.Kind == model.EdgeStart {
			sig[spec.Ops[e.Op].Name] += fmt.Sprintf("%d>%d;", e.From, e.To)
		}
	}
	out := map[string][]string{}
	for i := range spec.Ops {
		a := spec.Ops[i].Name
		for j := range spec.Ops {
			b := spec.Ops[j].Name
			if i != j && sig[a] != "" && sig[a] == sig[b] && !spec.Ops[i].Creates {
				out[a] = append(out[a], b)
			}
		}
	}
	return out
}

// Result completes the estimates after the last observation: disks still
// in a transitional or failed status are censored at the end of the
// history (at their last poll with polls). Call it once.
func (f *Fitter) Result() *Result {
	spec := f.spec
	poll := f.opt.Poll > 0
	for i := range f.disks {
		d := &f.disks[i]
		if poll && d.seen && d.status != model.Gone && d.last+int64(f.opt.Poll)/2 < f.tEnd {
			// Polls show a deleted disk no more: it went between its last
			// poll and the next.
			t := min(d.last+int64(f.opt.Poll), f.tEnd)
			f.move(d, i, d.status, model.Gone, t, &mh.Observation{Status: model.Gone, Time: time.Unix(0, t), Attachments: -1})
		}
		if !d.seen || d.status == model.Gone || int(d.status) >= len(spec.Statuses) {
			continue
		}
		end := f.tEnd
		if poll {
			end = d.last
		} else {
			f.expose(d, d.status, hoursBetween(d.last, f.tEnd))
		}
		s := Sample{Lo: math.Max(0, hoursBetween(d.enterHi, end)), Right: true}
		s.Hi = s.Lo
		if d.pending && d.cands != 0 {
			f.creations[firstOp(d.cands)]++
			d.pending = false
		}
		switch spec.Statuses[d.status].Class {
		case model.Transitional:
			key := stepKey{firstOp(d.cands), d.status}
			r := f.durations[key]
			if r == nil {
				r = &reservoir{}
				f.durations[key] = r
			}
			f.offer(r, s)
		case model.Failed:
			r := f.reactions[d.status]
			if r == nil {
				r = &reservoir{}
				f.reactions[d.status] = r
			}
			f.offer(r, s)
		}
	}
	res := &Result{Rows: f.rows, Disks: len(f.disks), Start: time.Unix(0, f.t0).UTC(), End: time.Unix(0, f.tEnd).UTC(),
		Poll: f.opt.Poll, Repeats: f.repeats, Initial: f.initial}
	res.Days = hoursBetween(f.t0, f.tEnd) / 24
	if f.initial > 0 {
		res.InUse = float64(f.initialUse) / float64(f.initial)
	}
	var known, sh, sy int
	for k, n := range f.kindSeen {
		known += n
		if k&1 != 0 {
			sh += n
		}
		if k&2 != 0 {
			sy += n
		}
	}
	res.KindsKnown = known
	if known > 0 {
		res.Shared, res.System = float64(sh)/float64(known), float64(sy)/float64(known)
	}
	if len(f.sizes) > 0 {
		mu, sd := stat.PopMeanStdDev(f.sizes, nil)
		res.SizeMedian, res.SizeSigma, res.SizeN = math.Exp(mu), sd, f.sizeN
	}
	// Growth.
	for op, n := range f.creations {
		res.Creations += n
		if n > 0 {
			res.Mix = append(res.Mix, Count{Op: spec.Ops[op].Name, N: n})
		}
	}
	if res.Days > 0 {
		v, lo, hi := PoissonRate(res.Creations, res.Days)
		res.PerDay = Estimate{v, lo, hi, res.Creations}
	}
	res.Rates = f.rates()
	res.Stopped = f.stopped(res.Rates)
	res.Durations, res.OpDurations = f.fitDurations()
	for oi := range spec.Ops {
		n := f.success[oi] + f.failure[oi]
		if u := f.unknownOut[oi]; u > 0 {
			res.Unknown = append(res.Unknown, Count{Op: spec.Ops[oi].Name, N: u})
		}
		if n == 0 || spec.Ops[oi].Instant() || f.unknownOut[oi] > n {
			continue
		}
		lo, hi := Wilson(f.failure[oi], n)
		res.Failures = append(res.Failures, Failure{Op: spec.Ops[oi].Name, Failed: f.failure[oi], Finished: n,
			P: float64(f.failure[oi]) / float64(n), Lo: lo, Hi: hi})
	}
	res.Remedies = f.remedies()
	return res
}

func kindConds(w []model.Cond, k uint8) bool {
	for _, c := range w {
		switch c {
		case model.CondShared:
			if k != kindUnknown && k&1 == 0 {
				return false
			}
		case model.CondNotShared:
			if k != kindUnknown && k&1 != 0 {
				return false
			}
		case model.CondSystem:
			if k != kindUnknown && k&2 == 0 {
				return false
			}
		case model.CondNotSystem:
			if k != kindUnknown && k&2 != 0 {
				return false
			}
		}
	}
	return true
}

// rates estimates each customer operation's requests per disk per day
// from its starts and the time disks spent where it may start: only ways
// whose conditions a history shows (kind of disk, attachments, size)
// count, unless every way needs a hidden one.
func (f *Fitter) rates() []Rate {
	spec := f.spec
	var out []Rate
	for oi := range spec.Ops {
		op := &spec.Ops[oi]
		if op.Actor != model.Customer || op.Creates || op.Background || len(op.From) == 0 {
			continue
		}
		if op.Instant() && !hasStatusTarget(op) {
			continue // no status change shows it
		}
		count := func(allowHidden bool) (int, float64, []string) {
			var n int
			var exp float64
			var hid []string
			for k := uint8(0); k < nKinds; k++ {
				for s := range spec.Statuses {
					if spec.Statuses[s].Class == model.Failed {
						continue
					}
					ok := false
					for _, fr := range op.From {
						if int(fr.Status) != s || !kindConds(fr.When, k) {
							continue
						}
						h := hiddenIn(fr.When)
						if len(h) > 0 && !allowHidden {
							continue
						}
						hid = appendNew(hid, h...)
						ok = true
					}
					if ok {
						n += f.starts[k][s][oi]
						exp += f.exposure[k][s]
					}
				}
			}
			return n, exp, hid
		}
		n, exp, _ := count(false)
		eff := ""
		if exp == 0 {
			var hid []string
			n, exp, hid = count(true)
			eff = strings.Join(hid, ", ")
		}
		if exp == 0 {
			continue
		}
		v, lo, hi := PoissonRate(n, exp/24)
		out = append(out, Rate{Op: op.Name, Estimate: Estimate{v, lo, hi, n}, Exposure: exp / 24, Effective: eff})
	}
	return out
}

var power = map[model.Cond]bool{model.CondTargetOff: true, model.CondServersOff: true}

// stopped estimates the share of requests that find the disk's servers
// stopped: an operation that may start one way without a condition on
// power (a data disk's detach) and another only with its servers stopped
// (a system disk's detach) starts the second way at its rate times that
// share.
func (f *Fitter) stopped(rates []Rate) Estimate {
	spec := f.spec
	rate := map[string]float64{}
	for _, r := range rates {
		if r.Effective == "" {
			rate[r.Op] = r.Value
		}
	}
	var obs int
	var expected float64
	for oi := range spec.Ops {
		op := &spec.Ops[oi]
		r, ok := rate[op.Name]
		if !ok || r == 0 {
			continue
		}
		for k := uint8(0); k < 4; k++ {
			for s := range spec.Statuses {
				if spec.Statuses[s].Class == model.Failed {
					continue
				}
				free, off := false, false
				for _, fr := range op.From {
					if int(fr.Status) != s || !kindConds(fr.When, k) {
						continue
					}
					h := hiddenIn(fr.When)
					onlyPower := len(h) > 0
					for _, c := range fr.When {
						if hidden[c] && !power[c] {
							onlyPower = false
						}
					}
					switch {
					case len(h) == 0:
						free = true
					case onlyPower:
						off = true
					}
				}
				if off && !free {
					obs += f.starts[k][s][oi]
					expected += r * f.exposure[k][s] / 24
				}
			}
		}
	}
	if expected == 0 {
		return Estimate{Value: math.NaN()}
	}
	v, lo, hi := PoissonRate(obs, expected)
	return Estimate{Value: math.Min(v, 1), Lo: math.Min(lo, 1), Hi: math.Min(hi, 1), N: obs}
}

func hasStatusTarget(op *model.Operation) bool {
	for _, t := range op.Success {
		if t.Kind == model.ToStatus {
			return true
		}
	}
	return false
}

func hiddenIn(w []model.Cond) []string {
	var out []string
	for _, c := range w {
		if hidden[c] {
			out = append(out, c.String())
		}
	}
	return out
}

func appendNew(list []string, xs ...string) []string {
	for _, x := range xs {
		found := false
		for _, y := range list {
			found = found || y == x
		}
		if !found {
			list = append(list, x)
		}
	}
	return list
}

// meanSE is the mean of the samples' midpoints and its standard error.
func midMean(s []Sample) (float64, float64) {
	if len(s) < 2 {
		return math.NaN(), math.Inf(1)
	}
	x := make([]float64, len(s))
	for i, v := range s {
		x[i] = (v.Lo + v.Hi) / 2
	}
	m, sd := stat.MeanStdDev(x, nil)
	return m, sd / math.Sqrt(float64(len(x)))
}

// fitDurations fits each status's durations; an operation whose steps
// clearly last differently from the same statuses under other operations
// gets a duration of its own (over all its steps).
func (f *Fitter) fitDurations() ([]Duration, []Duration) {
	spec := f.spec
	byStatus := map[model.StatusID][]stepKey{}
	for k := range f.durations {
		byStatus[k.status] = append(byStatus[k.status], k)
	}
	// An operation of several steps whose samples differ from the
	// status's main operation at any step gets its own duration.
	own := map[model.OpID]bool{}
	main := map[model.StatusID]model.OpID{}
	for s, keys := range byStatus {
		sort.Slice(keys, func(i, j int) bool {
			a, b := f.durations[keys[i]], f.durations[keys[j]]
			if a.n != b.n {
				return a.n > b.n
			}
			return keys[i].op < keys[j].op
		})
		byStatus[s] = keys
		main[s] = keys[0].op
		if len(keys) < 2 {
			continue
		}
		m0, se0 := midMean(f.durations[keys[0]].samples)
		for _, k := range keys[1:] {
			if k.op == model.NoOp || len(spec.Ops[k.op].Steps) < 2 {
				continue
			}
			m, se := midMean(f.durations[k].samples)
			if math.Abs(m-m0) > 4*math.Hypot(se, se0) {
				own[k.op] = true
			}
		}
	}
	var statuses []Duration
	for s := range spec.Statuses {
		keys := byStatus[model.StatusID(s)]
		var pooled []Sample
		d := Duration{Name: spec.Statuses[s].Name}
		for _, k := range keys {
			if k.op != model.NoOp && own[k.op] {
				continue
			}
			r := f.durations[k]
			pooled = append(pooled, r.samples...)
			d.N += r.n
			d.Cens += r.cens
		}
		if len(pooled) == 0 {
			continue
		}
		d.Fits = FitDurations(pooled)
		statuses = append(statuses, d)
	}
	var ops []Duration
	for oi := range spec.Ops {
		if !own[model.OpID(oi)] {
			continue
		}
		d := Duration{Name: spec.Ops[oi].Name}
		var pooled []Sample
		for k, r := range f.durations {
			if k.op == model.OpID(oi) {
				pooled = append(pooled, r.samples...)
				d.N += r.n
				d.Cens += r.cens
			}
		}
		d.Fits = FitDurations(pooled)
		ops = append(ops, d)
	}
	return statuses, ops
}

// remedies says, per failed status, who took disks out of it, with which
// operations and after how long.
func (f *Fitter) remedies() []Remedy {
	spec := f.spec
	var out []Remedy
	for s := range spec.Statuses {
		if spec.Statuses[s].Class != model.Failed {
			continue
		}
		r := f.reactions[model.StatusID(s)]
		if r == nil {
			continue
		}
		rm := Remedy{Status: spec.Statuses[s].Name, Stayed: r.cens}
		counts := f.leftBy[model.StatusID(s)]
		var cust, oper int
		for op, n := range counts {
			if spec.Ops[op].Actor == model.Operator {
				oper += n
			} else {
				cust += n
			}
		}
		switch {
		case cust+oper == 0:
			rm.By = "none"
		case oper >= cust:
			rm.By = "operator"
		default:
			rm.By = "customer"
		}
		for op, n := range counts {
			actor := "customer"
			if spec.Ops[op].Actor == model.Operator {
				actor = "operator"
			}
			if n > 0 && actor == rm.By {
				rm.Ops = append(rm.Ops, Count{Op: spec.Ops[op].Name, N: n})
			}
		}
		sort.SliceStable(rm.Ops, func(i, j int) bool { return rm.Ops[i].N > rm.Ops[j].N })
		if rm.By != "none" {
			rm.After = &Duration{Name: rm.Status, N: r.n, Cens: r.cens, Fits: FitDurations(r.samples)}
		}
		out = append(out, rm)
	}
	return out
}
