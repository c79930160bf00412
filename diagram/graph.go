package diagram

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/evsim/evsim/model"
)

// View selects what a diagram shows.
type View uint8

// The views.
const (
	Full    View = iota // every status and every operation
	Figure1             // Figure 1 of the EVS Disk Status page, derived from the model
)

var viewNames = []string{"full", "figure1"}

func (v View) String() string { return viewNames[v] }

// Views returns the names of the views, in order.
func Views() []string { return append([]string(nil), viewNames...) }

// ParseView returns the view with the given name.
func ParseView(s string) (View, error) {
	for i, n := range viewNames {
		if n == s {
			return View(i), nil
		}
	}
	return 0, fmt.Errorf("diagram: unknown view %q: valid views are %s", s, strings.Join(viewNames, ", "))
}

// Actors are the values of [Options.Actor].
var Actors = []string{"all", "customer", "operator"}

// Options select the part of the spec a diagram shows. The zero value
// shows everything in the [Full] view.
type Options struct {
	View     View
	Ops      []string // operation names to keep; empty keeps all
	Actor    string   // "customer", "operator", or "" and "all" for both
	Statuses []string // statuses to keep (with the arrows between them); empty keeps all
}

// NodeKind is the kind of a diagram node.
type NodeKind uint8

// The node kinds.
const (
	NodeStatus   NodeKind = iota // a status of the spec
	NodeStart                    // before creation
	NodeEnd                      // after deletion
	NodeDecision                 // an operation's outcome (Figure 1's diamond)
)

var nodeKindNames = []string{"status", "start", "end", "decision"}

func (k NodeKind) String() string { return nodeKindNames[k] }

// Node is one node of a [Graph].
type Node struct {
	ID     string // identifier in DOT and Mermaid: lower case, underscores
	Label  string
	Kind   NodeKind
	Class  model.Class    // for NodeStatus
	Status model.StatusID // for NodeStatus
	Group  string         // the cluster a status is drawn in, see [Groups]
}

// Groups are the clusters of the full view, in drawing order: the stable
// statuses; the transitional statuses an operation on an existing disk goes
// through ("in progress"); those only a creation goes through
// ("creating"); the failed statuses; the parked ones. Each group is drawn
// on one rank except "creating".
var Groups = []string{"creating", "stable", "in progress", "parked", "failed"}

// ArrowKind is what an arrow of a [Graph] stands for.
type ArrowKind uint8

// The arrow kinds.
const (
	ArrowStart   ArrowKind = iota // an operation starts
	ArrowSuccess                  // an operation completes or moves to its next step
	ArrowFailure                  // an operation fails
	ArrowEither                   // success and failure lead to the same status
)

var arrowKindNames = []string{"start", "success", "failure", "either"}

func (k ArrowKind) String() string { return arrowKindNames[k] }

// Arrow is one drawn arrow: one or more model edges between the same nodes.
type Arrow struct {
	From, To string   // node IDs
	Froms    []string // every tail merged here, From first
	// FromGroup names the group when the arrow leaves every status of a
	// group of two or more (an operator resets any failed status): the
	// arrow is drawn once, from the group's cluster.
	FromGroup string
	Kind      ArrowKind
	Label     []string // lines
	// Qualifier is the condition or operation that tells this arrow from
	// its siblings ("shared", "when not attached", "creating a server"),
	// empty if none; Label already contains it.
	Qualifier string
	Operator  bool     // every edge merged here is an operator's
	Inferred  bool     // every edge merged here rests on an inference
	Ops       []string // the operations merged here, in spec order
	Edges     []model.Edge
}

// Graph is a status diagram ready to be written.
type Graph struct {
	Spec   *model.Spec
	View   View
	Nodes  []Node  // start, statuses in spec order, decisions, end
	Arrows []Arrow // in the order of model.Spec.Edges
	// Weights, if set, make WriteDOT draw the traffic of a simulated
	// fleet: see [Weights].
	Weights *Weights
	// Trace, if set, makes WriteDOT draw a counterexample of the checker:
	// see [Trace].
	Trace *Trace
	// Title, if set, replaces the title's first line ("EVS disk statuses",
	// "Figure 1, derived from the model"); an empty Title drops it. The
	// lines of Weights and Trace stay.
	Title *string
	// Rankdir, if set, is the direction of the layout: LR (the full view's
	// default), TB (Figure 1's, and a portrait page's), RL or BT.
	Rankdir string
	// Size, if set, is Graphviz's size attribute: the largest drawing in
	// inches, "width,height", with "!" to scale up to it as well.
	Size string

	ops []bool // the operations the view keeps, by model.OpID
}

// Build draws the diagram of spec that opt selects. An unknown operation,
// status or actor is an error naming the valid values.
func Build(spec *model.Spec, opt Options) (*Graph, error) {
	keepOp := make([]bool, len(spec.Ops))
	if len(opt.Ops) == 0 {
		for i := range keepOp {
			keepOp[i] = true
		}
	}
	for _, name := range opt.Ops {
		id, ok := spec.OpByName(name)
		if !ok {
			return nil, fmt.Errorf("diagram: unknown operation %q: valid operations are %s", name, strings.Join(spec.OpNames(), ", "))
		}
		keepOp[id] = true
	}
	switch opt.Actor {
	case "", "all":
	case "customer", "operator":
		for i := range spec.Ops {
			if spec.Ops[i].Actor.String() != opt.Actor {
				keepOp[i] = false
			}
		}
	default:
		return nil, fmt.Errorf("diagram: unknown actor %q: valid actors are %s", opt.Actor, strings.Join(Actors, ", "))
	}
	keepStatus := make([]bool, len(spec.Statuses))
	if len(opt.Statuses) == 0 {
		for i := range keepStatus {
			keepStatus[i] = true
		}
	}
	for _, name := range opt.Statuses {
		id, ok := spec.StatusByName(name)
		if !ok {
			return nil, fmt.Errorf("diagram: unknown status %q: valid statuses are %s", name, strings.Join(spec.StatusNames(), ", "))
		}
		keepStatus[id] = true
	}
	kept := func(id model.StatusID) bool {
		return id == model.NoDisk || id == model.Gone || keepStatus[id]
	}
	if opt.View == Figure1 {
		for i := range spec.Ops {
			if !citesFigure(spec.Ops[i].Basis) {
				keepOp[i] = false
			}
		}
	}

	allEdges := spec.Edges()
	var edges []model.Edge
	for _, e := range allEdges {
		if !keepOp[e.Op] || !kept(e.From) || !kept(e.To) {
			continue
		}
		if opt.View == Figure1 && !onFigure(spec, e) {
			continue
		}
		edges = append(edges, e)
	}

	g := &Graph{Spec: spec, View: opt.View, ops: keepOp}
	used := map[model.StatusID]bool{}
	for _, e := range edges {
		used[e.From], used[e.To] = true, true
	}
	if used[model.NoDisk] {
		g.Nodes = append(g.Nodes, Node{ID: "start", Label: "Start", Kind: NodeStart, Status: model.NoDisk})
	}
	ids := nodeIDs(spec)
	all := opt.View == Full && len(opt.Ops) == 0 && len(opt.Statuses) == 0 && (opt.Actor == "" || opt.Actor == "all")
	for i := range spec.Statuses {
		id := model.StatusID(i)
		// The full view of the whole spec shows every status, even one no
		// arrow reaches; a view filtered by status shows the statuses
		// asked for; any other view shows the statuses its arrows touch.
		show := used[id] || all || (len(opt.Statuses) > 0 && keepStatus[i] && opt.View == Full)
		if show {
			st := &spec.Statuses[i]
			g.Nodes = append(g.Nodes, Node{ID: ids[i], Label: st.Name, Kind: NodeStatus, Class: st.Class, Status: id, Group: group(spec, allEdges, id)})
		}
	}
	if used[model.Gone] {
		g.Nodes = append(g.Nodes, Node{ID: "deleted", Label: "Deleted", Kind: NodeEnd, Status: model.Gone})
	}
	if len(g.Nodes) == 0 {
		return nil, fmt.Errorf("diagram: nothing to draw: no %s arrow and no status match the filters", opt.View)
	}
	g.Arrows = arrows(spec, ids, edges, opt.View)
	if opt.View == Figure1 {
		g.decisions()
	} else {
		g.mergeGroupTails()
	}
	return g, nil
}

// StatusID returns the node identifier of a status name: lower case, with
// runs of other characters than letters and digits turned into one
// underscore ("In-use" becomes in_use).
func StatusID(name string) string {
	var b strings.Builder
	under := false
	for _, r := range strings.ToLower(name) {
		if unicode.IsLetter(r) && r < unicode.MaxASCII || unicode.IsDigit(r) && r < unicode.MaxASCII {
			if under && b.Len() > 0 {
				b.WriteByte('_')
			}
			under = false
			b.WriteRune(r)
			continue
		}
		under = true
	}
	id := b.String()
	if id == "" || reservedIDs[id] || (id[0] >= '0' && id[0] <= '9') || strings.HasSuffix(id, "_outcome") {
		id = "s_" + id
	}
	return id
}

// reservedIDs are the identifiers of the other nodes and the keywords of
// DOT and Mermaid's state diagrams, which a status cannot take.
var reservedIDs = map[string]bool{
	"start": true, "deleted": true, "legend": true,
	"node": true, "edge": true, "graph": true, "digraph": true, "subgraph": true, "strict": true,
	"state": true, "end": true, "class": true, "classdef": true, "direction": true, "note": true,
}

// nodeIDs returns the node identifier of every status of spec: its
// [StatusID], with "_2", "_3", ... added when two names give the same one.
func nodeIDs(spec *model.Spec) []string {
	ids := make([]string, len(spec.Statuses))
	taken := map[string]bool{}
	for i := range spec.Statuses {
		base := StatusID(spec.Statuses[i].Name)
		id := base
		for n := 2; taken[id]; n++ {
			id = fmt.Sprintf("%s_%d", base, n)
		}
		taken[id] = true
		ids[i] = id
	}
	return ids
}

func nodeID(ids []string, id model.StatusID) string {
	switch id {
	case model.NoDisk:
		return "start"
	case model.Gone:
		return "deleted"
	}
	return ids[id]
}

// citesFigure reports whether a basis rests on Figure 1.
func citesFigure(b model.Basis) bool {
	return b.Tag == model.BasisFigure || strings.Contains(b.Ref, "Figure 1")
}

// onFigure reports whether an edge belongs to Figure 1: its basis is the
// table or the figure, and a plain disk (not shared, a data disk, attached
// to one server at most) takes it.
func onFigure(spec *model.Spec, e model.Edge) bool {
	if e.Basis.Tag != model.BasisTable && !citesFigure(e.Basis) {
		return false
	}
	op := &spec.Ops[e.Op]
	switch e.Kind {
	case model.EdgeStart:
		if e.From == model.NoDisk {
			return plainHolds(op.When, op)
		}
		// Any from entry of this arrow that a plain disk satisfies.
		for _, f := range op.From {
			if f.Status == e.From && plainHolds(f.When, op) {
				return true
			}
		}
		return false
	case model.EdgeSuccess:
		return plainTarget(op, op.Success, e.To)
	case model.EdgeFailure:
		return true
	}
	return true
}

// plainHolds evaluates conditions for a plain disk: not shared, a data
// disk, attached to one server at most, so that attaching leaves it
// attached and detaching leaves it unattached. Conditions on other things
// (servers, snapshots, sizes) are taken to hold.
func plainHolds(when []model.Cond, op *model.Operation) bool {
	for _, c := range when {
		switch c {
		case model.CondShared, model.CondSystem:
			return false
		case model.CondAttached:
			if op.HasEffect(model.EffDetach) {
				return false
			}
		case model.CondNotAttached:
			if op.HasEffect(model.EffAttach) {
				return false
			}
		}
	}
	return true
}

// plainTarget reports whether a plain disk's completion goes to status to:
// the first alternative whose conditions hold for it names to.
func plainTarget(op *model.Operation, ts []model.Target, to model.StatusID) bool {
	for _, t := range ts {
		if !plainHolds(t.When, op) {
			continue
		}
		switch t.Kind {
		case model.ToStatus:
			return t.Status == to
		case model.ToGone:
			return to == model.Gone
		}
		return true // origin: every origin is drawn
	}
	return false
}

func arrowKind(k model.EdgeKind) ArrowKind {
	switch k {
	case model.EdgeStart:
		return ArrowStart
	case model.EdgeFailure:
		return ArrowFailure
	}
	return ArrowSuccess
}

// shortTitle drops a parenthesised remark from an operation's title.
func shortTitle(op *model.Operation) string {
	t := op.Title
	if i := strings.Index(t, " ("); i > 0 {
		t = t[:i]
	}
	return t
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

func condText(cs []model.Cond) string {
	var parts []string
	for _, c := range cs {
		parts = append(parts, strings.ReplaceAll(c.String(), "_", " "))
	}
	return strings.Join(parts, ", ")
}

// arrows merges edges into arrows: start edges with the same ends, actor
// and inference (their titles listed), completion edges with the same ends
// and outcome.
func arrows(spec *model.Spec, ids []string, edges []model.Edge, view View) []Arrow {
	type key struct {
		from, to model.StatusID
		kind     ArrowKind
		start    [2]bool // operator, inferred, for start arrows
	}
	var out []Arrow
	index := map[key]int{}
	for _, e := range edges {
		op := &spec.Ops[e.Op]
		k := key{from: e.From, to: e.To, kind: arrowKind(e.Kind)}
		if k.kind == ArrowStart {
			k.start = [2]bool{op.Actor == model.Operator, e.Basis.Tag == model.BasisInferred}
		}
		i, ok := index[k]
		if !ok {
			i = len(out)
			index[k] = i
			out = append(out, Arrow{From: nodeID(ids, e.From), To: nodeID(ids, e.To), Kind: k.kind, Operator: true, Inferred: true})
		}
		a := &out[i]
		if t := nodeID(ids, e.From); !contains(a.Froms, t) {
			a.Froms = append(a.Froms, t)
		}
		a.Edges = append(a.Edges, e)
		a.Operator = a.Operator && op.Actor == model.Operator
		a.Inferred = a.Inferred && e.Basis.Tag == model.BasisInferred
		if !contains(a.Ops, op.Name) {
			a.Ops = append(a.Ops, op.Name)
		}
	}
	// Completion arrows leaving one status for several places, by outcome.
	type leave struct {
		from model.StatusID
		kind ArrowKind
	}
	targets := map[leave]map[model.StatusID]bool{}
	opsOut := map[leave]map[model.OpID]bool{}
	for _, e := range edges {
		l := leave{e.From, arrowKind(e.Kind)}
		if l.kind == ArrowStart {
			continue
		}
		if targets[l] == nil {
			targets[l], opsOut[l] = map[model.StatusID]bool{}, map[model.OpID]bool{}
		}
		targets[l][e.To] = true
		opsOut[l][e.Op] = true
	}
	// A success and a failure arrow between the same statuses (an image
	// upload that returns to its origin either way) are drawn as one.
	drop := map[int]bool{}
	for i := range out {
		if out[i].Kind != ArrowFailure {
			continue
		}
		e := out[i].Edges[0]
		if j, ok := index[key{from: e.From, to: e.To, kind: ArrowSuccess}]; ok {
			out[j].Kind = ArrowEither
			out[j].Edges = append(out[j].Edges, out[i].Edges...)
			for _, o := range out[i].Ops {
				if !contains(out[j].Ops, o) {
					out[j].Ops = append(out[j].Ops, o)
				}
			}
			out[j].Inferred = out[j].Inferred && out[i].Inferred
			out[j].Operator = out[j].Operator && out[i].Operator
			drop[i] = true
		}
	}
	kept := out[:0]
	for i := range out {
		if !drop[i] {
			kept = append(kept, out[i])
		}
	}
	out = kept
	for i := range out {
		a := &out[i]
		e0 := a.Edges[0]
		if a.Kind == ArrowEither {
			// Name the condition of the success, if it has one.
			line := "succeeded or failed"
			for _, e := range a.Edges {
				if e.Kind == model.EdgeSuccess {
					if q := targetCond(spec, e); q != "" {
						line = "succeeded (" + q + ") or failed"
						a.Qualifier = q
					}
					break
				}
			}
			if view == Figure1 {
				line = spec.StatusName(e0.From) + " " + line
			}
			a.Label = []string{line}
			continue
		}
		if a.Kind == ArrowStart {
			for _, e := range a.Edges {
				op := &spec.Ops[e.Op]
				line := shortTitle(op)
				var q []string
				if c := shareCond(spec, e); c != "" {
					line += " (" + c + ")"
					q = append(q, c)
				}
				if op.Instant() {
					if c := targetCond(spec, e); c != "" {
						line += "\n(" + c + ")"
						q = append(q, c)
					}
				}
				if len(q) > 0 && a.Qualifier == "" {
					a.Qualifier = strings.Join(q, ", ")
				}
				if !contains(a.Label, line) {
					a.Label = append(a.Label, line)
				}
			}
			continue
		}
		// Figure 1 words a completion "Attaching succeeded"; the full view,
		// where colour tells the outcome, keeps it short.
		outcome := "succeeded"
		if a.Kind == ArrowFailure {
			outcome = "failed"
		}
		if view == Figure1 {
			outcome = spec.StatusName(e0.From) + " " + outcome
		}
		a.Label = []string{outcome}
		l := leave{e0.From, a.Kind}
		if len(targets[l]) < 2 {
			continue
		}
		// Qualify: by the operations if several run here, else by the
		// condition of the target.
		var qs []string
		if len(opsOut[l]) > 1 && len(a.Ops) < len(opsOut[l]) {
			for _, e := range a.Edges {
				q := lowerFirst(shortTitle(&spec.Ops[e.Op]))
				if !contains(qs, q) {
					qs = append(qs, q)
				}
			}
		} else if q := targetCond(spec, e0); q != "" {
			qs = append(qs, q)
		}
		if len(qs) > 0 {
			a.Qualifier = strings.Join(qs, ", ")
			a.Label = append(a.Label, "("+a.Qualifier+")")
		}
	}
	return out
}

// shareCond names the sharing condition of a start edge, the one Table 1's
// notes speak of.
func shareCond(spec *model.Spec, e model.Edge) string {
	for _, c := range e.When {
		if c == model.CondShared || c == model.CondNotShared {
			return strings.ReplaceAll(c.String(), "_", " ")
		}
	}
	return ""
}

// targetCond names the condition under which a completion goes where e
// goes: "when ..." for a conditional alternative, "otherwise" for the last.
func targetCond(spec *model.Spec, e model.Edge) string {
	op := &spec.Ops[e.Op]
	ts := op.Success
	if e.Kind == model.EdgeFailure {
		ts = op.Failure
		for _, st := range op.Steps {
			if st.Status == e.From && st.Failure != nil {
				ts = st.Failure
			}
		}
	}
	conditional := false
	for _, t := range ts {
		if len(t.When) > 0 {
			conditional = true
		}
	}
	if !conditional {
		return ""
	}
	for _, t := range ts {
		if t.Kind == model.ToStatus && t.Status == e.To || t.Kind == model.ToGone && e.To == model.Gone {
			if len(t.When) == 0 {
				return "otherwise"
			}
			return "when " + condText(t.When)
		}
	}
	return ""
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// decisions puts a decision node on the completion of a status whose
// operation both succeeds and fails in the view (Figure 1's "Is the
// creation successful?"): the arrows leave the decision as "yes" and "no".
func (g *Graph) decisions() {
	byFrom := map[string][2][]int{}
	for i, a := range g.Arrows {
		if a.Kind == ArrowStart {
			continue
		}
		v := byFrom[a.From]
		v[a.Kind-1] = append(v[a.Kind-1], i)
		byFrom[a.From] = v
	}
	var froms []string
	for f, v := range byFrom {
		if len(v[0]) > 0 && len(v[1]) > 0 {
			froms = append(froms, f)
		}
	}
	sort.Strings(froms)
	var extra []Arrow
	for _, f := range froms {
		id := f + "_outcome"
		var label string
		for _, n := range g.Nodes {
			if n.ID == f {
				label = n.Label + "\nsucceeded?"
			}
		}
		g.Nodes = append(g.Nodes, Node{ID: id, Label: label, Kind: NodeDecision})
		for k, is := range byFrom[f] {
			for _, i := range is {
				g.Arrows[i].From = id
				g.Arrows[i].Froms = []string{id}
				if k == 0 {
					g.Arrows[i].Label = []string{"yes"}
				} else {
					g.Arrows[i].Label = []string{"no"}
				}
			}
		}
		extra = append(extra, Arrow{From: f, Froms: []string{f}, To: id, Kind: ArrowSuccess})
	}
	// Each decision's incoming arrow goes before the arrows leaving it.
	for _, x := range extra {
		for i := range g.Arrows {
			if g.Arrows[i].From == x.To {
				g.Arrows = append(g.Arrows[:i], append([]Arrow{x}, g.Arrows[i:]...)...)
				break
			}
		}
	}
}

// group returns the cluster of a status (see [Groups]).
func group(spec *model.Spec, edges []model.Edge, id model.StatusID) string {
	switch spec.Statuses[id].Class {
	case model.Stable:
		return "stable"
	case model.Failed:
		return "failed"
	case model.Parked:
		return "parked"
	}
	// A transitional status that some operation enters from an existing
	// disk is "in progress"; one only creations go through is "creating".
	for _, e := range edges {
		if e.To == id && e.From != model.NoDisk && e.Kind != model.EdgeAdvance {
			if e.Kind == model.EdgeStart || spec.Statuses[e.From].Class != model.Transitional {
				return "in progress"
			}
		}
	}
	return "creating"
}

// mergeGroupTails draws once, from the cluster, the arrows with the same
// head, kind, label and look that leave every status of a group of two or
// more.
func (g *Graph) mergeGroupTails() {
	members := map[string][]string{}
	groupOf := map[string]string{}
	for _, n := range g.Nodes {
		if n.Kind == NodeStatus {
			members[n.Group] = append(members[n.Group], n.ID)
			groupOf[n.ID] = n.Group
		}
	}
	type key struct {
		to, label, group   string
		kind               ArrowKind
		operator, inferred bool
	}
	tails := map[key][]int{}
	var order []key
	for i, a := range g.Arrows {
		k := key{a.To, strings.Join(a.Label, "\n"), groupOf[a.From], a.Kind, a.Operator, a.Inferred}
		if k.group == "" || len(a.Froms) != 1 {
			continue
		}
		if _, ok := tails[k]; !ok {
			order = append(order, k)
		}
		tails[k] = append(tails[k], i)
	}
	drop := map[int]bool{}
	for _, k := range order {
		is := tails[k]
		if len(members[k.group]) < 2 || len(is) != len(members[k.group]) {
			continue
		}
		first := &g.Arrows[is[0]]
		for _, i := range is[1:] {
			a := &g.Arrows[i]
			first.Froms = append(first.Froms, a.From)
			first.Edges = append(first.Edges, a.Edges...)
			for _, o := range a.Ops {
				if !contains(first.Ops, o) {
					first.Ops = append(first.Ops, o)
				}
			}
			drop[i] = true
		}
		first.FromGroup = k.group
	}
	kept := g.Arrows[:0]
	for i, a := range g.Arrows {
		if !drop[i] {
			kept = append(kept, a)
		}
	}
	g.Arrows = kept
}
