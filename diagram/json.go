package diagram

import (
	"encoding/json"
	"io"

	"github.com/evsim/evsim/model"
)

// JSONBasis is the source of an edge or of an allowed operation.
type JSONBasis struct {
	Tag    string `json:"tag"`
	Ref    string `json:"ref,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// JSONAllowed is one way an operation may start from a status.
type JSONAllowed struct {
	Operation string    `json:"operation"`
	Title     string    `json:"title"`
	TableName string    `json:"table_name,omitempty"` // Table 1's wording
	Actor     string    `json:"actor"`
	When      []string  `json:"when"`  // conditions, all of which must hold
	Table     string    `json:"table"` // how Table 1 mentions it: listed, note, none
	Note      string    `json:"note,omitempty"`
	Basis     JSONBasis `json:"basis"`
}

// JSONStatus is one status with its allowed operations.
type JSONStatus struct {
	Name        string        `json:"name"`
	Code        string        `json:"code"`
	Class       string        `json:"class"`
	Group       string        `json:"group"`
	Description string        `json:"description"`
	Notes       []string      `json:"notes,omitempty"`
	Allowed     []JSONAllowed `json:"allowed"`
	Disks       *float64      `json:"disks,omitempty"` // with weights: mean disks
}

// JSONEdge is one arrow of the model: "(none)" is the start, "(deleted)"
// the end.
type JSONEdge struct {
	From      string    `json:"from"`
	To        string    `json:"to"`
	Operation string    `json:"operation"`
	Kind      string    `json:"kind"` // start, advance, success, failure
	Actor     string    `json:"actor"`
	When      []string  `json:"when,omitempty"`
	Table     string    `json:"table,omitempty"` // start edges: listed, note, none
	Basis     JSONBasis `json:"basis"`
	PerDay    *float64  `json:"per_day,omitempty"` // with weights: transitions per day
}

// JSONDoc is what [Graph.WriteJSON] writes.
type JSONDoc struct {
	Spec     string       `json:"spec"`
	View     string       `json:"view"`
	Statuses []JSONStatus `json:"statuses"`
	Edges    []JSONEdge   `json:"edges"`
}

func jsonBasis(b model.Basis) JSONBasis {
	return JSONBasis{Tag: b.Tag.String(), Ref: b.Ref, Reason: b.Reason}
}

func condNames(cs []model.Cond) []string {
	out := make([]string, 0, len(cs))
	for _, c := range cs {
		out = append(out, c.String())
	}
	return out
}

// JSON returns the document [Graph.WriteJSON] writes: the statuses of the
// view in spec order, each with the operations of the view that may start
// there (in spec order, every from entry with its conditions), and the
// model edges the view draws, in the order of [model.Spec.Edges].
func (g *Graph) JSON() JSONDoc {
	spec := g.Spec
	doc := JSONDoc{Spec: spec.Name, View: g.View.String(), Statuses: []JSONStatus{}, Edges: []JSONEdge{}}
	for _, n := range g.Nodes {
		if n.Kind != NodeStatus {
			continue
		}
		st := &spec.Statuses[n.Status]
		js := JSONStatus{Name: st.Name, Code: st.Code, Class: st.Class.String(), Group: n.Group,
			Description: st.Description, Notes: st.Notes, Allowed: []JSONAllowed{}}
		if g.Weights != nil {
			v := g.Weights.Disks[n.Status]
			js.Disks = &v
		}
		for oi := range spec.Ops {
			if !g.ops[oi] {
				continue
			}
			op := &spec.Ops[oi]
			for _, f := range op.From {
				if f.Status != n.Status {
					continue
				}
				js.Allowed = append(js.Allowed, JSONAllowed{Operation: op.Name, Title: op.Title, TableName: op.TableName,
					Actor: op.Actor.String(), When: condNames(f.When), Table: f.Table.String(), Note: f.Note, Basis: jsonBasis(f.Basis)})
			}
		}
		doc.Statuses = append(doc.Statuses, js)
	}
	var edges []model.Edge
	for _, a := range g.Arrows {
		edges = append(edges, a.Edges...)
	}
	model.SortEdges(edges)
	for _, e := range edges {
		op := &spec.Ops[e.Op]
		je := JSONEdge{From: spec.StatusName(e.From), To: spec.StatusName(e.To), Operation: op.Name, Kind: e.Kind.String(),
			Actor: op.Actor.String(), When: condNames(e.When), Basis: jsonBasis(e.Basis)}
		if e.Kind == model.EdgeStart {
			je.Table = e.Table.String()
		}
		if len(je.When) == 0 {
			je.When = nil
		}
		if g.Weights != nil {
			v := g.Weights.PerDay[EdgeKey{e.From, e.To, e.Op, e.Kind}]
			je.PerDay = &v
		}
		doc.Edges = append(doc.Edges, je)
	}
	return doc
}

// WriteJSON writes [Graph.JSON] as indented JSON.
func (g *Graph) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(g.JSON())
}
