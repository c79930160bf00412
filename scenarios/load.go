package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"

	"github.com/evsim/evsim/model"
	"github.com/evsim/evsim/sim"
)

// Scenario is a loaded, validated scenario: its name, the question it
// answers and the simulator config built from it.
type Scenario struct {
	Name        string
	Description string
	File        string
	Config      *sim.Config
}

// The raw types mirror the YAML file. Quantities are read as text so that
// each can be parsed, and its error placed, by the loader.
type rawScenario struct {
	Name           string                `yaml:"name"`
	Description    string                `yaml:"description"`
	Horizon        string                `yaml:"horizon"`
	Warmup         string                `yaml:"warmup"`
	SampleInterval string                `yaml:"sample_interval"`
	Replications   *int                  `yaml:"replications"`
	Seed           *uint64               `yaml:"seed"`
	Fleet          *rawFleet             `yaml:"fleet"`
	Growth         *rawGrowth            `yaml:"growth"`
	Rates          map[string]float64    `yaml:"rates"`
	Durations      map[string]*rawDist   `yaml:"durations"`
	Failures       map[string]float64    `yaml:"failures"`
	Remedies       map[string]*rawRemedy `yaml:"remedies"`
	Operator       *rawOperator          `yaml:"operator"`
	Pool           *rawPool              `yaml:"pool"`
}

type rawFleet struct {
	Disks          *int     `yaml:"disks"`
	InUse          *float64 `yaml:"in_use"`
	Shared         *float64 `yaml:"shared"`
	System         *float64 `yaml:"system"`
	SizeGiB        *rawDist `yaml:"size_gib"`
	ServersStopped *float64 `yaml:"servers_stopped"`
}

type rawGrowth struct {
	CreationsPerDay *float64           `yaml:"creations_per_day"`
	Mix             map[string]float64 `yaml:"mix"`
}

type rawDist struct {
	Dist   string   `yaml:"dist"`
	Value  string   `yaml:"value"`
	Mean   string   `yaml:"mean"`
	Median string   `yaml:"median"`
	Sigma  *float64 `yaml:"sigma"`
	Shape  *float64 `yaml:"shape"`
	Scale  string   `yaml:"scale"`
}

type rawRemedy struct {
	By       string   `yaml:"by"`
	Ops      []string `yaml:"ops"`
	After    *rawDist `yaml:"after"`
	Recreate bool     `yaml:"recreate"`
}

type rawOperator struct {
	Agents  *int     `yaml:"agents"`
	Service *rawDist `yaml:"service"`
}

type rawPool struct {
	CapacityGiB string `yaml:"capacity_gib"`
}

type loader struct {
	file string
	ast  *ast.File
	spec *model.Spec
	errs model.ErrorList
}

// key renders a map key as a path element.
func key(k string) string {
	if strings.ContainsAny(k, "'") {
		return k
	}
	return "'" + k + "'"
}

// pos finds the line and column of a field path: the value itself for a
// scalar, its key for a mapping or a list (whose own position is that of
// its first entry). A path not in the file falls back to its nearest
// parent that is.
func (l *loader) pos(field string) (int, int) {
	p := field
	for {
		if n := l.node(p); n != nil {
			switch n.(type) {
			case *ast.MappingNode, *ast.MappingValueNode, *ast.SequenceNode:
				if line, col, ok := l.keyPos(p); ok {
					return line, col
				}
			}
			if tk := n.GetToken(); tk != nil {
				return tk.Position.Line, tk.Position.Column
			}
		}
		if p == "" {
			return 1, 1
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			p = ""
		} else {
			p = p[:i]
		}
	}
}

func (l *loader) node(p string) ast.Node {
	if l.ast == nil {
		return nil
	}
	q := "$"
	if p != "" {
		q = "$." + p
	}
	path, err := yaml.PathString(q)
	if err != nil {
		return nil
	}
	n, err := path.FilterFile(l.ast)
	if err != nil {
		return nil
	}
	return n
}

// keyPos finds the key of the last element of p in its parent mapping; for
// the root, the first key of the file.
func (l *loader) keyPos(p string) (int, int, bool) {
	parent, last := "", p
	if i := strings.LastIndexAny(p, ".["); i >= 0 {
		if p[i] == '[' {
			return 0, 0, false
		}
		parent, last = p[:i], p[i+1:]
	}
	last = strings.Trim(last, "'")
	var pairs []*ast.MappingValueNode
	switch n := l.node(parent).(type) {
	case *ast.MappingNode:
		pairs = n.Values
	case *ast.MappingValueNode:
		pairs = []*ast.MappingValueNode{n}
	}
	for _, kv := range pairs {
		if kv.Key != nil && (p == "" || kv.Key.String() == last) {
			if tk := kv.Key.GetToken(); tk != nil {
				return tk.Position.Line, tk.Position.Column, true
			}
		}
	}
	return 0, 0, false
}

func (l *loader) errorf(field, format string, args ...any) {
	if len(l.errs) >= maxErrors {
		return // more would not be shown, and each costs a walk of the file
	}
	line, col := l.pos(field)
	shown := strings.ReplaceAll(field, "'", "")
	l.errs = append(l.errs, &model.Error{File: l.file, Line: line, Col: col, Field: shown, Msg: fmt.Sprintf(format, args...)})
}

func (l *loader) yamlError(err error) error {
	if el, ok := err.(model.ErrorList); ok {
		return el
	}
	var ye yaml.Error
	if errors.As(err, &ye) {
		e := &model.Error{File: l.file, Msg: ye.GetMessage()}
		if tk := ye.GetToken(); tk != nil {
			e.Line, e.Col = tk.Position.Line, tk.Position.Column
		}
		return model.ErrorList{e}
	}
	return model.ErrorList{{File: l.file, Msg: err.Error()}}
}

// Load parses and validates a scenario against spec. file is the name used
// in error messages. Every problem found is returned as a
// [model.ErrorList], each pointing at the file, line, column and field at
// fault and saying what is allowed.
func Load(file string, data []byte, spec *model.Spec) (*Scenario, error) {
	l := &loader{file: file, spec: spec}
	if len(bytes.TrimSpace(stripComments(data))) == 0 {
		return nil, model.ErrorList{{File: file, Line: 1, Col: 1, Msg: "the scenario is empty; want a mapping with at least horizon and fleet"}}
	}
	data, f, err := model.ParseYAML(file, data, scenarioLimits)
	if err != nil {
		return nil, l.yamlError(err)
	}
	l.ast = f
	var raw rawScenario
	if err := model.DecodeYAML(file, data, f, &raw); err != nil {
		return nil, l.yamlError(err)
	}
	sc := l.build(&raw)
	if len(l.errs) > 0 {
		l.errs.Sort()
		return nil, l.errs
	}
	if err := sc.Config.Validate(); err != nil {
		return nil, model.ErrorList{{File: file, Msg: strings.TrimPrefix(err.Error(), "sim: config: ")}}
	}
	return sc, nil
}

// stripComments drops comment lines, so that a file of comments alone
// counts as empty.
func stripComments(data []byte) []byte {
	var out []byte
	for _, line := range bytes.Split(data, []byte("\n")) {
		t := bytes.TrimSpace(line)
		if len(t) == 0 || t[0] == '#' || bytes.Equal(t, []byte("---")) {
			continue
		}
		out = append(out, line...)
		out = append(out, '\n')
	}
	return out
}

const durHelp = "want a duration with a unit, such as 45s, 20m, 2h or 90d"

// duration parses "45s", "20m", "2.5h", "90d" or "2w" into hours.
func duration(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 2 {
		return 0, false
	}
	unit := map[byte]float64{'s': 1.0 / 3600, 'm': 1.0 / 60, 'h': 1, 'd': 24, 'w': 168}
	u, ok := unit[s[len(s)-1]]
	if !ok {
		return 0, false
	}
	v, err := strconv.ParseFloat(s[:len(s)-1], 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return 0, false
	}
	return v * u, true
}

func (l *loader) dur(field, s string, required bool) (float64, bool) {
	if s == "" {
		if required {
			l.errorf(field, "missing; %s", durHelp)
		}
		return 0, false
	}
	v, ok := duration(s)
	if !ok && tooFine(s) {
		l.errorf(field, "%q is too short: durations are in seconds or longer; %s", s, durHelp)
	} else if !ok {
		l.errorf(field, "%q is not a duration; %s", s, durHelp)
	}
	return v, ok
}

func (l *loader) share(field string, p *float64, def float64) float64 {
	if p == nil {
		return def
	}
	if !(*p >= 0 && *p <= 1) {
		l.errorf(field, "%g is out of range; want a share from 0 to 1", *p)
		return def
	}
	return *p
}

var distKinds = []string{"fixed", "exponential", "lognormal", "weibull"}

// dist reads a distribution; time says whether its quantities are
// durations (with units) or plain numbers (GiB).
func (l *loader) dist(field string, r *rawDist, time bool) sim.Dist {
	if r == nil {
		l.errorf(field, "missing; want {dist: %s, ...}", strings.Join(distKinds, "|"))
		return sim.Dist{}
	}
	q := func(name, s string) float64 {
		f := field + "." + name
		if s == "" {
			l.errorf(f, "missing; %s needs %s", r.Dist, name)
			return math.NaN()
		}
		if time {
			v, ok := duration(s)
			if !ok {
				l.errorf(f, "%q is not a duration; %s", s, durHelp)
				return math.NaN()
			}
			return v
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			l.errorf(f, "%q is not a number; want a number of GiB", s)
			return math.NaN()
		}
		return v
	}
	num := func(name string, p *float64) float64 {
		if p == nil {
			l.errorf(field+"."+name, "missing; %s needs %s", r.Dist, name)
			return math.NaN()
		}
		return *p
	}
	unused := func(names ...string) {
		set := map[string]bool{"value": r.Value != "", "mean": r.Mean != "", "median": r.Median != "",
			"sigma": r.Sigma != nil, "shape": r.Shape != nil, "scale": r.Scale != ""}
		for _, n := range names {
			delete(set, n)
		}
		var extra []string
		for n, on := range set {
			if on {
				extra = append(extra, n)
			}
		}
		sort.Strings(extra)
		for _, n := range extra {
			l.errorf(field+"."+n, "%s does not take %s; want only %s", r.Dist, n, strings.Join(names, ", "))
		}
	}
	var d sim.Dist
	switch r.Dist {
	case "fixed":
		d = sim.FixedDist(q("value", r.Value))
		unused("value")
	case "exponential":
		d = sim.ExpDist(q("mean", r.Mean))
		unused("mean")
	case "lognormal":
		d = sim.LogNormalDist(q("median", r.Median), num("sigma", r.Sigma))
		unused("median", "sigma")
	case "weibull":
		d = sim.WeibullDist(num("shape", r.Shape), q("scale", r.Scale))
		unused("shape", "scale")
	case "":
		l.errorf(field+".dist", "missing; want one of %s", strings.Join(distKinds, ", "))
		return sim.Dist{}
	default:
		l.errorf(field+".dist", "unknown distribution %q; want one of %s", r.Dist, strings.Join(distKinds, ", "))
		return sim.Dist{}
	}
	if math.IsNaN(d.A) || math.IsNaN(d.B) {
		return sim.Dist{}
	}
	switch {
	case d.Kind == sim.Fixed && d.A < 0,
		d.Kind == sim.Exponential && !(d.A > 0),
		d.Kind == sim.LogNormal && (!(d.A > 0) || d.B < 0 || d.B > 10),
		d.Kind == sim.Weibull && (!(d.A > 0) || d.A > 100 || !(d.B > 0)):
		l.errorf(field, "%s with these parameters is not a distribution; want a positive mean, median or scale, a sigma from 0 to 10 and a shape above 0", r.Dist)
		return sim.Dist{}
	}
	return d
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (l *loader) opNamed(field, name string) (model.OpID, bool) {
	id, ok := l.spec.OpByName(name)
	if !ok {
		l.errorf(field, "unknown operation %q; want one of %s", name, strings.Join(l.spec.OpNames(), ", "))
	}
	return id, ok
}

func (l *loader) build(raw *rawScenario) *Scenario {
	spec := l.spec
	c := sim.NewConfig(spec)
	sc := &Scenario{Name: raw.Name, Description: strings.TrimSpace(raw.Description), File: l.file, Config: c}

	// Time.
	c.Horizon, _ = l.dur("horizon", raw.Horizon, true)
	if c.Horizon == 0 && raw.Horizon != "" {
		l.errorf("horizon", "the horizon is zero; want a positive duration")
	}
	if c.Horizon > 100*8760 {
		l.errorf("horizon", "%s is more than 100 years; want a shorter horizon", raw.Horizon)
	}
	if v, ok := l.dur("warmup", raw.Warmup, false); ok {
		c.Warmup = v
		if c.Horizon > 0 && v >= c.Horizon {
			l.errorf("warmup", "%s is not shorter than the horizon %s; want a shorter warm-up", raw.Warmup, raw.Horizon)
		}
	}
	c.SampleInterval = 24
	if v, ok := l.dur("sample_interval", raw.SampleInterval, false); ok {
		c.SampleInterval = v
		switch {
		case v <= 0:
			l.errorf("sample_interval", "the interval is zero; want a positive duration")
		case c.Horizon/v > 100000:
			l.errorf("sample_interval", "%s gives %.0f samples; want at most 100000 (a longer interval)", raw.SampleInterval, c.Horizon/v)
		}
	}
	c.Replications = 5
	if raw.Replications != nil {
		c.Replications = *raw.Replications
		if c.Replications < 1 || c.Replications > 10000 {
			l.errorf("replications", "%d is out of range; want 1 to 10000", c.Replications)
		}
	}
	c.Seed = 1
	if raw.Seed != nil {
		c.Seed = *raw.Seed
	}

	// Fleet.
	if raw.Fleet == nil {
		l.errorf("fleet", "missing; want disks, in_use, shared, system, size_gib and servers_stopped")
	} else {
		f := raw.Fleet
		if f.Disks == nil {
			l.errorf("fleet.disks", "missing; want the number of disks at the start")
		} else if *f.Disks < 0 || *f.Disks > 100_000_000 {
			l.errorf("fleet.disks", "%d is out of range; want 0 to 100000000", *f.Disks)
		} else {
			c.Disks = *f.Disks
		}
		c.InUse = l.share("fleet.in_use", f.InUse, 0)
		c.Shared = l.share("fleet.shared", f.Shared, 0)
		c.System = l.share("fleet.system", f.System, 0)
		c.ServersStopped = l.share("fleet.servers_stopped", f.ServersStopped, 0)
		c.Size = l.dist("fleet.size_gib", f.SizeGiB, false)
	}

	// Growth.
	needMix := c.Disks > 0
	if g := raw.Growth; g != nil {
		if g.CreationsPerDay != nil {
			if !(*g.CreationsPerDay >= 0) || *g.CreationsPerDay > 1e9 {
				l.errorf("growth.creations_per_day", "%g is out of range; want 0 to 1e9", *g.CreationsPerDay)
			} else {
				c.CreationsPerDay = *g.CreationsPerDay
			}
		}
		for _, k := range sortedKeys(g.Mix) {
			at := "growth.mix." + key(k)
			id, ok := l.opNamed(at, k)
			if !ok {
				continue
			}
			if !spec.Ops[id].Creates {
				l.errorf(at, "%s does not create a disk; want one of %s", k, strings.Join(creating(spec), ", "))
				continue
			}
			if w := g.Mix[k]; !(w >= 0) || math.IsInf(w, 0) {
				l.errorf(at, "weight %g; want 0 or more", w)
				continue
			}
			c.CreationMix = append(c.CreationMix, sim.CreationShare{Op: id, Weight: g.Mix[k]})
		}
	}
	needMix = needMix || c.CreationsPerDay > 0

	// Rates.
	for _, k := range sortedKeys(raw.Rates) {
		at := "rates." + key(k)
		id, ok := l.opNamed(at, k)
		if !ok {
			continue
		}
		o := &spec.Ops[id]
		switch {
		case o.Creates:
			l.errorf(at, "%s creates disks; set growth.creations_per_day and growth.mix instead", k)
		case o.Actor != model.Customer:
			l.errorf(at, "%s is an operator operation; it runs on tickets (see remedies), not at a rate", k)
		case !(raw.Rates[k] >= 0) || raw.Rates[k] > 1e6:
			l.errorf(at, "%g is out of range; want requests per disk per day from 0 to 1e6", raw.Rates[k])
		default:
			c.Rates[id] = raw.Rates[k]
		}
	}

	// Durations.
	given := map[string]bool{}
	for _, k := range sortedKeys(raw.Durations) {
		given[k] = true
		at := "durations." + key(k)
		if id, ok := spec.StatusByName(k); ok {
			if spec.Statuses[id].Class != model.Transitional {
				l.errorf(at, "%s is a %s status; durations are for transitional statuses (%s) or operations", k, spec.Statuses[id].Class, strings.Join(transitional(spec), ", "))
				continue
			}
			c.Durations[id] = l.dist(at, raw.Durations[k], true)
			continue
		}
		if id, ok := spec.OpByName(k); ok {
			if spec.Ops[id].Instant() {
				l.errorf(at, "%s is instant in the model; want a transitional status or an operation with steps or in the background", k)
				continue
			}
			c.OpDuration[id] = l.dist(at, raw.Durations[k], true)
			continue
		}
		l.errorf(at, "unknown status or operation %q; want one of %s, or an operation name", k, strings.Join(transitional(spec), ", "))
	}

	// Failures.
	for _, k := range sortedKeys(raw.Failures) {
		at := "failures." + key(k)
		id, ok := l.opNamed(at, k)
		if !ok {
			continue
		}
		p := raw.Failures[k]
		switch {
		case spec.Ops[id].Instant():
			l.errorf(at, "%s is instant in the model and cannot fail; want an operation with steps or in the background", k)
		case !(p >= 0 && p < 1):
			l.errorf(at, "%g is out of range; want a probability from 0 to below 1", p)
		default:
			c.Failure[id] = p
		}
	}

	// Operator and remedies.
	if op := raw.Operator; op != nil {
		if op.Agents == nil {
			l.errorf("operator.agents", "missing; want the number of agents (0 or more)")
		} else if *op.Agents < 0 || *op.Agents > 1_000_000 {
			l.errorf("operator.agents", "%d is out of range; want 0 to 1000000", *op.Agents)
		} else {
			c.Agents = *op.Agents
		}
		if c.Agents > 0 || op.Service != nil {
			c.Service = l.dist("operator.service", op.Service, true)
		}
	}
	for _, k := range sortedKeys(raw.Remedies) {
		at := "remedies." + key(k)
		st, ok := spec.StatusByName(k)
		if !ok {
			l.errorf(at, "unknown status %q; want one of %s", k, strings.Join(spec.StatusNames(), ", "))
			continue
		}
		class := spec.Statuses[st].Class
		if class == model.Transitional {
			l.errorf(at, "%s is transitional: its operation's completion moves the disk on; want a failed or parked status", k)
			continue
		}
		r := raw.Remedies[k]
		if r == nil {
			l.errorf(at, "empty; want {by: customer|operator|none, ops: [...]}")
			continue
		}
		var rm sim.Remedy
		switch r.By {
		case "customer":
			rm.By = sim.ByCustomer
			rm.After = l.dist(at+".after", r.After, true)
		case "operator":
			rm.By = sim.ByOperator
			if r.After != nil {
				l.errorf(at+".after", "an operator remedy waits for an agent (operator.service); want no after")
			}
			if c.Agents == 0 {
				l.consequencef(at+".by", "operator remedies need operator.agents of 1 or more")
			}
		case "none":
		default:
			l.errorf(at+".by", "unknown remedy %q; want customer, operator or none", r.By)
			continue
		}
		if rm.By != sim.NoRemedy && len(r.Ops) == 0 {
			l.errorf(at+".ops", "missing; want the operations tried in turn")
		}
		for i, n := range r.Ops {
			oat := fmt.Sprintf("%s.ops[%d]", at, i)
			id, ok := l.opNamed(oat, n)
			if !ok {
				continue
			}
			o := &spec.Ops[id]
			if (rm.By == sim.ByOperator) != (o.Actor == model.Operator) {
				l.errorf(oat, "%s is a %s operation; a %s remedy uses %s operations", n, o.Actor, r.By, r.By)
				continue
			}
			startsHere := false
			for _, f := range o.From {
				if f.Status == st {
					startsHere = true
				}
			}
			if !startsHere {
				l.errorf(oat, "%s cannot start from %s in the model; want one of %s", n, k, strings.Join(startsFrom(spec, st, o.Actor), ", "))
				continue
			}
			rm.Ops = append(rm.Ops, id)
		}
		if r.Recreate {
			if rm.By != sim.ByCustomer {
				l.errorf(at+".recreate", "only a customer recreates a disk; want recreate with by: customer")
			} else {
				rm.Recreate = true
				needMix = true
			}
		}
		c.Remedies[st] = rm
	}
	if needMix && len(c.CreationMix) == 0 {
		l.errorf("growth.mix", "missing; disks are created (fleet.disks, growth or a recreate remedy), so want weights for %s", strings.Join(creating(spec), ", "))
	}
	if c.Disks > 0 && c.InUse < 1 && len(c.CreationMix) > 0 && sim.StartsAttached(c) {
		l.errorf("fleet.in_use", "%g, but every creating operation of growth.mix attaches its disk, so every starting disk would be In-use; want in_use: 1, or a creating operation that does not attach (%s) in the mix", c.InUse, strings.Join(detached(spec), ", "))
	}

	// Durations every operation in play needs.
	used := make([]bool, len(spec.Ops))
	for i, r := range c.Rates {
		used[i] = r > 0
	}
	for _, m := range c.CreationMix {
		used[m.Op] = used[m.Op] || m.Weight > 0
	}
	for _, rm := range c.Remedies {
		for _, op := range rm.Ops {
			used[op] = true
		}
	}
	for i, o := range spec.Ops {
		if !used[i] || c.OpDuration[i].Kind != sim.None || given[o.Name] {
			continue
		}
		if o.Background {
			l.consequencef("durations", "no duration for %s, which runs in the background; want an entry %s", o.Name, o.Name)
			continue
		}
		for _, st := range o.Steps {
			if c.Durations[st.Status].Kind == sim.None && !given[spec.StatusName(st.Status)] {
				l.consequencef("durations", "no duration for %s (a step of %s); want an entry for the status or for %s", spec.StatusName(st.Status), o.Name, o.Name)
			}
		}
	}

	// Pool.
	c.PoolGiB = math.Inf(1)
	if p := raw.Pool; p != nil {
		switch s := strings.TrimSpace(p.CapacityGiB); s {
		case "", "unlimited":
		default:
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || !(v > 0) || math.IsInf(v, 0) {
				l.errorf("pool.capacity_gib", "%q is not a capacity; want a positive number of GiB or unlimited", s)
			} else {
				c.PoolGiB = v
			}
		}
	}
	return sc
}

func creating(spec *model.Spec) []string {
	var out []string
	for _, o := range spec.Ops {
		if o.Creates {
			out = append(out, o.Name)
		}
	}
	return out
}

// detached lists the creating operations that do not attach their disk.
func detached(spec *model.Spec) []string {
	var out []string
	for _, o := range spec.Ops {
		if o.Creates && !o.HasEffect(model.EffAttach) {
			out = append(out, o.Name)
		}
	}
	return out
}

func transitional(spec *model.Spec) []string {
	var out []string
	for _, s := range spec.Statuses {
		if s.Class == model.Transitional {
			out = append(out, s.Name)
		}
	}
	return out
}

func startsFrom(spec *model.Spec, st model.StatusID, actor model.Actor) []string {
	var out []string
	for _, o := range spec.Ops {
		if o.Actor != actor {
			continue
		}
		for _, f := range o.From {
			if f.Status == st {
				out = append(out, o.Name)
				break
			}
		}
	}
	if len(out) == 0 {
		return []string{"(none)"}
	}
	return out
}
