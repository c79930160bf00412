package history

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/evsim/evsim/model"
	mh "github.com/evsim/evsim/model/history"
)

// MaxListed is the most violations a report lists one by one; all are
// counted.
const MaxListed = 1000

// Report is the result of validating a history against a spec.
type Report struct {
	File   string `json:"file"`
	Format string `json:"format"`
	Result string `json:"result"` // explained, violated or incomplete
	// Incomplete says the check stopped (interrupted) before the end of
	// the history: the figures cover the rows read.
	Incomplete   bool `json:"incomplete"`
	Disks        int  `json:"disks"`
	Observations int  `json:"observations"`
	Pairs        int  `json:"pairs"`
	Explained    int  `json:"explained"`
	// MissedPolls counts the explained pairs whose path goes through
	// statuses no observation shows (a poll missed them).
	MissedPolls int `json:"explained_with_missed_statuses"`
	// Violations counts unexplained pairs and impossible observations.
	Violations int         `json:"violations"`
	Listed     []Violation `json:"listed"` // the first MaxListed, in file order
	// Missed gives, per kind of explanation through missed statuses, how
	// many pairs it explained, most frequent first (at most 20).
	Missed []MissedCount `json:"missed"`
	// Skipped is what a lenient reader skipped, by reason.
	Skipped []Skip `json:"skipped"`
	// The coverage of the model by the fleet.
	StatusesUsed       []string       `json:"statuses_used"`
	StatusesNotInModel []string       `json:"statuses_used_model_never_reaches"`
	StatusesUnused     []string       `json:"statuses_model_reaches_fleet_never_used"`
	OpsUsed            []string       `json:"operations_used"`
	OpsUnused          []string       `json:"operations_model_allows_fleet_never_used"`
	OpsInvisible       []string       `json:"operations_a_status_history_cannot_show"`
	ViolationsPerDisk  map[string]int `json:"-"`
}

// Skip is one reason rows were skipped, with the first few lines.
type Skip struct {
	Reason string   `json:"reason"`
	Count  int      `json:"count"`
	First  []string `json:"first"`
}

// Seen is one observation as a report shows it.
type Seen struct {
	Line        int    `json:"line"`
	Time        string `json:"time"`
	Status      string `json:"status"`
	Size        int    `json:"size_gib,omitempty"`
	Attachments int    `json:"attachments"` // -1: not observed
}

// Violation is an observation or a pair of consecutive observations of one
// disk that no path of the model explains.
type Violation struct {
	Line int    `json:"line"` // of the second observation (or the only one)
	Disk string `json:"disk"`
	Kind string `json:"kind"` // "pair" or "state"
	From *Seen  `json:"from,omitempty"`
	To   Seen   `json:"to"`
	Gap  string `json:"gap,omitempty"`
	// GapSeconds is the time between the two observations.
	GapSeconds float64 `json:"gap_s,omitempty"`
	// Why says what is wrong; Nearest the closest explanation the model
	// has; Rule and RuleNumber the property of the page it would break
	// (empty when none names it).
	Why        string `json:"why"`
	Nearest    string `json:"nearest,omitempty"`
	Rule       string `json:"rule,omitempty"`
	RuleNumber int    `json:"rule_number,omitempty"`
	RuleDetail string `json:"rule_detail,omitempty"`
}

// MissedCount is how many pairs one explanation through missed statuses
// covered.
type MissedCount struct {
	Path  string `json:"path"`
	Pairs int    `json:"pairs"`
}

// Validator checks a history against a spec, one observation at a time,
// keeping only the last observation of each disk. Build it with [New].
type Validator struct {
	spec   *model.Spec
	graphs [nKinds]*graph
	sys    [nKinds]*model.System
	props  [nKinds][]model.Property

	disks   []diskState
	names   func(int) string
	cache   map[pairKey]*verdict
	rep     Report
	used    []bool // per status
	opsUsed []bool
	missed  map[string]int
	perDisk map[string]int
	file    string

	maxMissed int
}

type diskState struct {
	seen   bool
	status model.StatusID
	att    int16
	shared mh.Tri
	system mh.Tri
	size   int32
	line   int32
	t      int64
	bad    bool // the last observation was itself impossible
}

type pairKey struct {
	kinds    uint8
	from, to model.StatusID
	fa, ta   int8
	rel      sizeRel
}

type verdict struct {
	ok      bool
	missed  string // the path, when it goes through missed statuses
	ops     []model.OpID
	why     string
	nearest string
	rule    string
	number  int
	detail  string
}

var graphs sync.Map // graphKey -> *graph; a spec is immutable once loaded

type graphKey struct {
	spec *model.Spec
	kind int
}

func cachedGraph(spec *model.Spec, kind int) (*graph, error) {
	if g, ok := graphs.Load(graphKey{spec, kind}); ok {
		return g.(*graph), nil
	}
	g, err := buildGraph(spec, kind)
	if err != nil {
		return nil, err
	}
	graphs.Store(graphKey{spec, kind}, g)
	return g, nil
}

// Options control a [Validator].
type Options struct {
	// MaxMissed is the most statuses a pair of consecutive observations
	// may skip: -1 any number (a poll may miss any), 0 none (each row is a
	// change, as in a change log or notifications).
	MaxMissed int
}

// New returns a validator of histories against spec: it explores the
// one-disk system of each kind of disk (shared or not, system disk or
// not) once.
func New(spec *model.Spec, opt Options) (*Validator, error) {
	v := &Validator{spec: spec, maxMissed: opt.MaxMissed, cache: map[pairKey]*verdict{}, missed: map[string]int{}, perDisk: map[string]int{},
		used: make([]bool, len(spec.Statuses)), opsUsed: make([]bool, len(spec.Ops))}
	for k := 0; k < nKinds; k++ {
		g, err := cachedGraph(spec, k)
		if err != nil {
			return nil, fmt.Errorf("check/history: %w", err)
		}
		v.graphs[k] = g
		dc := model.DiskConfig{Shared: k&1 != 0, System: k&2 != 0, Size: 10}
		sys, err := model.NewSystem(spec, model.Config{Disks: []model.DiskConfig{dc}, Servers: model.MaxServers, Operator: true, Power: true})
		if err != nil {
			return nil, fmt.Errorf("check/history: %w", err)
		}
		v.sys[k] = sys
		v.props[k] = sys.Properties()
	}
	return v, nil
}

// Validate reads every observation of r and returns the report. An error
// is an input or I/O error of the reader; violations are in the report.
func (v *Validator) Validate(r *mh.Reader) (*Report, error) {
	return v.ValidateContext(context.Background(), r)
}

// ValidateContext is [Validator.Validate] that stops when ctx is done:
// the report then covers the rows read so far and is marked incomplete.
func (v *Validator) ValidateContext(ctx context.Context, r *mh.Reader) (*Report, error) {
	v.file = r.Name()
	v.names = r.DiskName
	stopped := false
	for n := 0; ; n++ {
		if n&0xFFFF == 0 && ctx.Err() != nil {
			stopped = true
			break
		}
		o, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		v.Observe(o)
	}
	rep := v.Finish()
	if stopped {
		rep.Result = "incomplete"
		rep.Incomplete = true
	}
	rep.Format = r.Format().String()
	for _, s := range r.Skipped() {
		sk := Skip{Reason: s.Reason, Count: s.Count}
		for _, e := range s.First {
			sk.First = append(sk.First, e.Error())
		}
		rep.Skipped = append(rep.Skipped, sk)
	}
	return rep, nil
}

// SetNames tells the validator how to name disk i in its report (the
// reader's DiskName); [Validator.Validate] does it itself.
func (v *Validator) SetNames(file string, names func(int) string) { v.file, v.names = file, names }

func (v *Validator) name(i int) string {
	if v.names == nil {
		return fmt.Sprintf("disk#%d", i)
	}
	return v.names(i)
}

func (v *Validator) seenOf(o *mh.Observation) Seen {
	return Seen{Line: o.Line, Time: o.Time.Format(time.RFC3339Nano), Status: v.spec.StatusName(o.Status), Size: o.Size, Attachments: o.Attachments}
}

func (v *Validator) seenOfState(d *diskState) *Seen {
	return &Seen{Line: int(d.line), Time: time.Unix(0, d.t).UTC().Format(time.RFC3339Nano), Status: v.spec.StatusName(d.status), Size: int(d.size), Attachments: int(d.att)}
}

// kinds returns the kinds of disk (bit set) consistent with what is known.
func kinds(shared, system mh.Tri) uint8 {
	var set uint8
	for k := 0; k < nKinds; k++ {
		sh, sy := k&1 != 0, k&2 != 0
		if (shared == mh.Yes && !sh) || (shared == mh.No && sh) || (system == mh.Yes && !sy) || (system == mh.No && sy) {
			continue
		}
		set |= 1 << k
	}
	return set
}

// Observe takes the next observation (of any disk; a disk's observations
// in time order).
func (v *Validator) Observe(o mh.Observation) {
	for o.Disk >= len(v.disks) {
		v.disks = append(v.disks, diskState{})
	}
	d := &v.disks[o.Disk]
	v.rep.Observations++
	if int(o.Status) < len(v.used) {
		v.used[o.Status] = true
	}
	if !d.seen {
		v.rep.Disks++
	}
	if o.Shared != mh.Unknown {
		d.shared = o.Shared
	}
	if o.System != mh.Unknown {
		d.system = o.System
	}
	ks := kinds(d.shared, d.system)
	changed := !d.seen || d.status != o.Status || int(d.att) != o.Attachments || int(d.size) != o.Size
	bad := false
	if changed {
		if why, rule, num, detail := v.stateIssue(ks, &o); why != "" {
			bad = true
			v.add(Violation{Line: o.Line, Disk: v.name(o.Disk), Kind: "state", To: v.seenOf(&o), Why: why, Rule: rule, RuleNumber: num, RuleDetail: detail})
		}
	}
	if d.seen {
		v.rep.Pairs++
		if d.bad || bad {
			// An impossible observation is reported once, not again as
			// the pairs around it.
			v.rep.Explained++
		} else {
			vd := v.pair(ks, d, &o)
			if vd.ok {
				v.rep.Explained++
				for _, op := range vd.ops {
					if op != model.NoOp {
						v.opsUsed[op] = true
					}
				}
				if vd.missed != "" {
					v.rep.MissedPolls++
					v.missed[vd.missed]++
				}
			} else {
				gap := time.Duration(o.Time.UnixNano() - d.t)
				v.add(Violation{Line: o.Line, Disk: v.name(o.Disk), Kind: "pair", From: v.seenOfState(d), To: v.seenOf(&o),
					Gap: formatGap(gap), GapSeconds: gap.Seconds(), Why: vd.why, Nearest: vd.nearest, Rule: vd.rule, RuleNumber: vd.number, RuleDetail: vd.detail})
			}
		}
	}
	d.seen = true
	d.bad = bad
	d.status = o.Status
	d.att = int16(min(o.Attachments, 1<<14))
	d.size = int32(min(o.Size, 1<<30))
	d.line = int32(min(o.Line, 1<<31-1))
	d.t = o.Time.UnixNano()
}

func (v *Validator) add(x Violation) {
	v.rep.Violations++
	v.perDisk[x.Disk]++
	if len(v.rep.Listed) < MaxListed {
		v.rep.Listed = append(v.rep.Listed, x)
	}
}

func formatGap(d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return fmt.Sprintf("%.1fd", d.Hours()/24)
	case d >= time.Hour:
		return fmt.Sprintf("%.1fh", d.Hours())
	case d >= time.Minute:
		return fmt.Sprintf("%.1fm", d.Minutes())
	}
	return d.String()
}

// nodes returns the nodes of g an observation may be: its status, and its
// attachment count if observed.
func (g *graph) nodes(status model.StatusID, att int) []node {
	if att >= 0 {
		return []node{g.nodeOf(status, att)}
	}
	out := make([]node, 0, maxAtt+1)
	for a := 0; a <= maxAtt; a++ {
		out = append(out, g.nodeOf(status, a))
	}
	return out
}

// stateIssue says why an observation alone is impossible for every kind
// of disk it may be, with the rule it breaks, or "".
func (v *Validator) stateIssue(ks uint8, o *mh.Observation) (why, rule string, number int, detail string) {
	first := ""
	for k := 0; k < nKinds; k++ {
		if ks&(1<<k) == 0 {
			continue
		}
		g := v.graphs[k]
		reach := false
		for _, n := range g.nodes(o.Status, o.Attachments) {
			if g.reach[n] {
				reach = true
			}
		}
		r, num, det := v.invariant(k, o)
		if reach && r == "" {
			return "", "", 0, ""
		}
		if first == "" {
			switch {
			case r != "":
				why, rule, number, detail = "the observation breaks a rule of the model", r, num, det
			default:
				why = fmt.Sprintf("no %s disk of the model is ever %s", kindName(k), describeObs(v.spec, o))
			}
			first = why
		}
	}
	return why, rule, number, detail
}

func kindName(k int) string {
	parts := []string{"non-shared", "data"}
	if k&1 != 0 {
		parts[0] = "shared"
	}
	if k&2 != 0 {
		parts[1] = "system"
	}
	return strings.Join(parts, " ")
}

func describeObs(spec *model.Spec, o *mh.Observation) string {
	s := spec.StatusName(o.Status)
	if o.Attachments >= 0 {
		s += fmt.Sprintf(" with %d attachment(s)", o.Attachments)
	}
	return s
}

// stateOf builds the one-disk state an observation describes (what it does
// not show left at its zero: no snapshot, no backup, servers on).
func (v *Validator) stateOf(k int, status model.StatusID, att, size int) model.State {
	sys := v.sys[k]
	st := sys.Init()[0]
	d := &st.Disks[0]
	d.Status = status
	if att > 0 {
		d.Attached = uint32(uint64(1)<<uint(min(att, 32)) - 1)
	}
	if size > 0 {
		d.Size = uint32(size)
	}
	return st
}

// invariant evaluates the invariants of the model on the state an
// observation describes; it returns the first that fails.
func (v *Validator) invariant(k int, o *mh.Observation) (string, int, string) {
	if o.Status == model.Gone || o.Status == model.NoDisk {
		return "", 0, ""
	}
	att := o.Attachments
	st := v.stateOf(k, o.Status, max(att, 0), o.Size)
	for _, p := range v.props[k] {
		if p.Kind != model.Invariant || p.State == nil {
			continue
		}
		if att < 0 && strings.Contains(p.Name, "attach") {
			continue // the attachments were not observed
		}
		if msg := p.State(v.sys[k], &st); msg != "" {
			return p.Name, p.Number, msg
		}
	}
	return "", 0, ""
}

func relOf(a, b int) sizeRel {
	switch {
	case a <= 0 || b <= 0:
		return sizeUnknown
	case b > a:
		return sizeGrew
	case b < a:
		return sizeShrank
	}
	return sizeSame
}

// pair explains the step from the disk's last observation to o.
func (v *Validator) pair(ks uint8, d *diskState, o *mh.Observation) *verdict {
	key := pairKey{kinds: ks, from: d.status, to: o.Status, fa: int8(min(int(d.att), maxAtt)), ta: int8(min(o.Attachments, maxAtt)), rel: relOf(int(d.size), o.Size)}
	if d.att < 0 {
		key.fa = -1
	}
	if o.Attachments < 0 {
		key.ta = -1
	}
	if vd, ok := v.cache[key]; ok {
		return vd
	}
	vd := v.explain(key)
	v.cache[key] = vd
	return vd
}

func (v *Validator) explain(key pairKey) *verdict {
	var firstKind = -1
	var shortest *path
	var shortestKind int
	for k := 0; k < nKinds; k++ {
		if key.kinds&(1<<k) == 0 {
			continue
		}
		if firstKind < 0 {
			firstKind = k
		}
		g := v.graphs[k]
		p := g.search(g.nodes(key.from, int(key.fa)), g.nodes(key.to, int(key.ta)), key.rel)
		if p == nil {
			continue
		}
		if shortest == nil || len(p.nodes) < len(shortest.nodes) {
			shortest, shortestKind = p, k
		}
	}
	if firstKind < 0 {
		return &verdict{why: "no kind of disk fits"}
	}
	if shortest == nil {
		return v.nearest(key, firstKind)
	}
	g := v.graphs[shortestKind]
	missed := max(len(shortest.nodes)-2, 0)
	if v.maxMissed >= 0 && missed > v.maxMissed {
		vd := &verdict{nearest: g.describe(v.spec, shortest)}
		var names []string
		for _, n := range shortest.nodes[1 : len(shortest.nodes)-1] {
			names = append(names, v.spec.StatusName(g.status(n)))
		}
		vd.why = fmt.Sprintf("%s to %s: the model's shortest path misses %d status(es) (%s), more than the %d allowed",
			v.spec.StatusName(key.from), v.spec.StatusName(key.to), missed, strings.Join(names, ", "), v.maxMissed)
		v.forced(vd, key, shortestKind, missed-1)
		return vd
	}
	vd := &verdict{ok: true, ops: shortest.ops}
	if missed > 0 {
		vd.missed = g.describe(v.spec, shortest)
	}
	return vd
}

// nearest explains why no path fits, for the first kind of disk the
// observations allow: a path that fits the statuses but not the sizes or
// attachments, or else the operation that would lead there and the rule
// of the page it breaks.
func (v *Validator) nearest(key pairKey, k int) *verdict {
	spec := v.spec
	g := v.graphs[k]
	from, to := spec.StatusName(key.from), spec.StatusName(key.to)
	if key.from == model.Gone {
		return &verdict{why: fmt.Sprintf("the disk was deleted, then observed again as %s", to)}
	}
	if p := g.search(g.nodes(key.from, -1), g.nodes(key.to, -1), sizeUnknown); p != nil {
		vd := &verdict{nearest: g.describe(spec, p)}
		switch {
		case key.rel == sizeShrank:
			vd.why = fmt.Sprintf("%s to %s: the size shrank, and no path of the model shrinks a disk", from, to)
			v.ruleNamed(vd, k, "size-never-shrinks")
		case key.rel != sizeUnknown && g.search(g.nodes(key.from, -1), g.nodes(key.to, -1), key.rel) != nil:
			vd.why = fmt.Sprintf("%s to %s: no path fits the attachments observed (%s then %s)", from, to, attText(key.fa), attText(key.ta))
		case key.rel == sizeGrew:
			vd.why = fmt.Sprintf("%s to %s: the size grew, and no path between them expands the disk", from, to)
		case key.rel == sizeSame:
			vd.why = fmt.Sprintf("%s to %s: every path between them changes the size", from, to)
		default:
			vd.why = fmt.Sprintf("%s to %s: no path fits the attachments observed (%s then %s)", from, to, attText(key.fa), attText(key.ta))
		}
		return vd
	}
	vd := &verdict{why: fmt.Sprintf("%s to %s: no path in the model", from, to)}
	if key.from == key.to {
		return vd
	}
	v.forced(vd, key, k, -1)
	return vd
}

// forced finds the operation that, started from the pair's first status
// although the model does not allow it there, reaches the second status
// missing at most limit statuses (-1: any), the shortest first; it sets
// the verdict's nearest explanation and the rule of the page that start
// breaks. Instant operations are left out: they have no status of their
// own to show that they started.
func (v *Validator) forced(vd *verdict, key pairKey, k, limit int) {
	spec := v.spec
	g := v.graphs[k]
	from := spec.StatusName(key.from)
	best, bestLen := -1, 0
	var bestPath *path
	var bestRule string
	for oi := range spec.Ops {
		op := &spec.Ops[oi]
		if op.Creates != (key.from == model.NoDisk) || op.Background || op.Instant() {
			continue
		}
		first := op.Steps[0].Status
		if startsFrom(op, key.from) {
			continue // the model allows it there: not what is missing
		}
		var p *path
		if first == key.to {
			p = &path{nodes: []node{g.nodeOf(key.to, 0)}}
		} else {
			p = g.search(g.nodes(first, -1), g.nodes(key.to, -1), sizeUnknown)
		}
		if p == nil || (limit >= 0 && len(p.nodes)-1 > limit) {
			continue
		}
		rule, _, _ := v.forcedRule(k, key, model.OpID(oi))
		l := len(p.nodes)
		if best < 0 || l < bestLen || (l == bestLen && bestRule == "" && rule != "") {
			best, bestLen, bestPath, bestRule = oi, l, p, rule
		}
	}
	if best < 0 {
		return
	}
	op := &spec.Ops[best]
	text := fmt.Sprintf("%s from %s, which the model does not allow there: %s -> %s", op.Name, from, from, g.describe(spec, bestPath))
	if vd.nearest == "" {
		vd.nearest = text
	} else {
		vd.nearest += "; or " + text
	}
	vd.rule, vd.number, vd.detail = v.forcedRule(k, key, model.OpID(best))
}

func attText(a int8) string {
	if a < 0 {
		return "not observed"
	}
	if a == maxAtt {
		return fmt.Sprintf("%d or more attachments", a)
	}
	return fmt.Sprintf("%d attachment(s)", a)
}

func (v *Validator) ruleNamed(vd *verdict, k int, name string) {
	for _, p := range v.props[k] {
		if p.Name == name {
			vd.rule, vd.number = p.Name, p.Number
		}
	}
}

func startsFrom(op *model.Operation, s model.StatusID) bool {
	for _, f := range op.From {
		if f.Status == s {
			return true
		}
	}
	return false
}

// forcedRule starts op on a disk in the pair's first status although the
// model does not enable it there, and returns the first step rule or
// invariant of the page that the transition breaks.
func (v *Validator) forcedRule(k int, key pairKey, op model.OpID) (string, int, string) {
	sys := v.sys[k]
	att := max(int(key.fa), 0)
	from := v.stateOf(k, key.from, att, 0)
	from.Disks[0].Snapshots = 1
	o := &v.spec.Ops[op]
	arg := model.NoArg
	switch o.Arg {
	case model.ArgServer:
		arg = 0
		if o.HasEffect(model.EffAttach) {
			arg = uint8(att)
		}
	case model.ArgSnapshot:
		arg = 0
	}
	a := model.Action{Kind: model.Start, Op: op, Disk: 0, Arg: arg}
	to := from
	sys.Apply(&to, a)
	for _, p := range v.props[k] {
		switch {
		case p.Kind == model.StepRule && p.Step != nil:
			if msg := p.Step(sys, &from, a, &to); msg != "" {
				return p.Name, p.Number, msg
			}
		case p.Kind == model.Invariant && p.State != nil:
			if msg := p.State(sys, &to); msg != "" {
				return p.Name, p.Number, msg
			}
		}
	}
	return "", 0, ""
}

// Finish completes the report after the last observation.
func (v *Validator) Finish() *Report {
	rep := v.rep
	rep.File = v.file
	rep.Result = "explained"
	if rep.Violations > 0 {
		rep.Result = "violated"
	}
	rep.ViolationsPerDisk = v.perDisk
	var reach [model.MaxStatuses]bool
	var allowed = make([]bool, len(v.spec.Ops))
	for _, g := range v.graphs {
		for n, ok := range g.reach {
			if s := g.status(node(n)); ok && int(s) < len(v.spec.Statuses) {
				reach[s] = true
			}
		}
		for n, es := range g.out {
			if !g.reach[n] {
				continue
			}
			for _, e := range es {
				for _, op := range e.ops {
					allowed[op] = true
				}
			}
		}
	}
	rep.StatusesUsed, rep.StatusesNotInModel, rep.StatusesUnused = []string{}, []string{}, []string{}
	for i := range v.spec.Statuses {
		name := v.spec.Statuses[i].Name
		switch {
		case v.used[i] && !reach[i]:
			rep.StatusesUsed = append(rep.StatusesUsed, name)
			rep.StatusesNotInModel = append(rep.StatusesNotInModel, name)
		case v.used[i]:
			rep.StatusesUsed = append(rep.StatusesUsed, name)
		case reach[i]:
			rep.StatusesUnused = append(rep.StatusesUnused, name)
		}
	}
	rep.OpsUsed, rep.OpsUnused, rep.OpsInvisible = []string{}, []string{}, []string{}
	for i := range v.spec.Ops {
		name := v.spec.Ops[i].Name
		switch {
		case v.opsUsed[i]:
			rep.OpsUsed = append(rep.OpsUsed, name)
		case allowed[i]:
			rep.OpsUnused = append(rep.OpsUnused, name)
		default:
			rep.OpsInvisible = append(rep.OpsInvisible, name)
		}
	}
	for p, n := range v.missed {
		rep.Missed = append(rep.Missed, MissedCount{Path: p, Pairs: n})
	}
	sort.Slice(rep.Missed, func(i, j int) bool {
		if rep.Missed[i].Pairs != rep.Missed[j].Pairs {
			return rep.Missed[i].Pairs > rep.Missed[j].Pairs
		}
		return rep.Missed[i].Path < rep.Missed[j].Path
	})
	if len(rep.Missed) > 20 {
		rep.Missed = rep.Missed[:20]
	}
	if rep.Listed == nil {
		rep.Listed = []Violation{}
	}
	if rep.Skipped == nil {
		rep.Skipped = []Skip{}
	}
	return &rep
}
