package sim

import "github.com/evsim/evsim/model"

// Transitions are counted while measuring, per edge of the spec
// ([model.Spec.Edges]). A status change finds its edge through a small
// table indexed by (operation, edge kind, from status) that lists the
// possible targets, one or two as a rule: the table and the counts fit in
// a few kilobytes, so counting stays in the first-level cache.

// transTable finds the edge of a transition. It is read-only once built.
type transTable struct {
	nStatus int
	start   []int32 // per (op, kind, from): first entry; one more at the end
	to      []model.StatusID
	edges   []model.Edge
}

// slot maps a status to its index among the counted ones: the spec's
// statuses, then NoDisk and Gone.
func slot(s model.StatusID, n int) int {
	switch s {
	case model.NoDisk:
		return n
	case model.Gone:
		return n + 1
	}
	return int(s)
}

func newTransTable(spec *model.Spec, nStatus int) *transTable {
	t := &transTable{nStatus: nStatus, edges: spec.Edges()}
	ns := nStatus + 2
	keys := len(spec.Ops) * 4 * ns
	t.start = make([]int32, keys+1)
	key := func(e model.Edge) int { return (int(e.Op)*4+int(e.Kind))*ns + slot(e.From, nStatus) }
	for _, e := range t.edges {
		t.start[key(e)+1]++
	}
	for k := range keys {
		t.start[k+1] += t.start[k]
	}
	// Edges come sorted by operation, kind, from and to, so entry k of a
	// key is edge start[key]+k.
	t.to = make([]model.StatusID, len(t.edges))
	for i, e := range t.edges {
		t.to[i] = e.To
	}
	return t
}

// count records a transition of op of the given kind.
func (r *rep) count(op model.OpID, kind model.EdgeKind, from, to model.StatusID) {
	t := r.tt
	k := (int(op)*4+int(kind))*(t.nStatus+2) + slot(from, t.nStatus)
	for j := t.start[k]; j < t.start[k+1]; j++ {
		if t.to[j] == to {
			r.res.Transitions[j]++
			return
		}
	}
	if from != to {
		r.res.Unmatched++
	}
}

// TransitionRow is how often one edge of the spec was taken, per
// simulated day.
type TransitionRow struct {
	From   string   `json:"from"` // "(none)" for a creation
	To     string   `json:"to"`   // "(deleted)" for a deletion
	Op     string   `json:"operation"`
	Kind   string   `json:"kind"` // start, advance, success or failure
	PerDay Estimate `json:"per_day"`
}

// transitionRows lists every edge of the spec, in [model.Spec.Edges]
// order, with its rate over the replications rs.
func transitionRows(spec *model.Spec, rs []*Result) []TransitionRow {
	edges := spec.Edges()
	out := make([]TransitionRow, len(edges))
	for k, e := range edges {
		xs := make([]float64, len(rs))
		for i, r := range rs {
			if k < len(r.Transitions) {
				xs[i] = float64(r.Transitions[k]) / r.Measured * 24
			}
		}
		out[k] = TransitionRow{From: spec.StatusName(e.From), To: spec.StatusName(e.To),
			Op: spec.Ops[e.Op].Name, Kind: e.Kind.String(), PerDay: estimate(xs)}
	}
	return out
}
