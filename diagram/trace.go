package diagram

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/evsim/evsim/model"
)

// Trace is a counterexample of the model checker drawn on the diagram: the
// arrows its steps take are coloured and numbered in order, the others
// drawn faint, so that a reader sees the story on the familiar picture.
type Trace struct {
	Source   string // the report it comes from
	Property string
	Detail   string
	Steps    []TraceStep
}

// TraceStep is one step of a trace. Steps that change no status (a
// snapshot, a backup, a server's power) have OnDiagram false.
type TraceStep struct {
	N         int // 1-based, in trace order
	Action    string
	From, To  string // status names as the report gives them
	Edge      EdgeKey
	OnDiagram bool
}

// checkReport is the part of cmd/check's JSON report a trace needs.
type checkReport struct {
	Spec       *string `json:"spec"`
	Violations []struct {
		Property string `json:"property"`
		Detail   string `json:"detail"`
		Trace    []struct {
			Action string `json:"action"`
			Op     string `json:"op"`
			From   string `json:"from"`
			To     string `json:"to"`
		} `json:"trace"`
	} `json:"violations"`
}

// ParseTrace reads the JSON report of cmd/check (-format json) of spec and
// returns the counterexample of property, or of the first violated
// property when property is empty. Errors name the file; a report of
// another spec (an unknown status or operation) is an error, and so is a
// property with no counterexample, which lists those that have one.
func ParseTrace(file string, data []byte, spec *model.Spec, property string) (*Trace, error) {
	var rep checkReport
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&rep); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line, col := lineCol(data, se.Offset-1) // Offset is just past the bad byte
			return nil, fmt.Errorf("diagram: %s:%d:%d: %v", file, line, col, err)
		}
		return nil, fmt.Errorf("diagram: %s: not a report of cmd/check -format json: %v", file, err)
	}
	if rep.Spec == nil {
		return nil, fmt.Errorf("diagram: %s: not a report of cmd/check -format json (no spec field)", file)
	}
	if len(rep.Violations) == 0 {
		return nil, fmt.Errorf("diagram: %s: the report has no counterexample: every property holds", file)
	}
	vi := 0
	if property != "" {
		vi = -1
		var names []string
		for i, v := range rep.Violations {
			names = append(names, v.Property)
			if v.Property == property {
				vi = i
			}
		}
		if vi < 0 {
			return nil, fmt.Errorf("diagram: %s: no counterexample for %q; the report has one for %s", file, property, strings.Join(names, ", "))
		}
	}
	v := rep.Violations[vi]
	status := func(name string) (model.StatusID, bool) {
		switch name {
		case spec.StatusName(model.NoDisk):
			return model.NoDisk, true
		case spec.StatusName(model.Gone):
			return model.Gone, true
		}
		return spec.StatusByName(name)
	}
	edges := map[EdgeKey]bool{}
	for _, e := range spec.Edges() {
		edges[EdgeKey{e.From, e.To, e.Op, e.Kind}] = true
	}
	t := &Trace{Source: file, Property: v.Property, Detail: v.Detail}
	for i, s := range v.Trace {
		step := TraceStep{N: i + 1, Action: s.Action, From: s.From, To: s.To}
		at := fmt.Sprintf("diagram: %s: violations[%d].trace[%d]", file, vi, i)
		from, ok1 := status(s.From)
		to, ok2 := status(s.To)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("%s: status %q or %q is not in spec %s; draw the report with the spec it was checked against (-spec)", at, s.From, s.To, spec.File)
		}
		kind := strings.SplitN(s.Action, " ", 2)[0]
		if s.Op == "" || from == to || strings.HasPrefix(kind, "bg-") || strings.HasPrefix(kind, "power-") {
			t.Steps = append(t.Steps, step) // changes no status: not an arrow
			continue
		}
		op, ok := spec.OpByName(s.Op)
		if !ok {
			return nil, fmt.Errorf("%s: operation %q is not in spec %s; draw the report with the spec it was checked against (-spec)", at, s.Op, spec.File)
		}
		var kinds []model.EdgeKind
		switch kind {
		case "start":
			kinds = []model.EdgeKind{model.EdgeStart}
		case "succeed":
			kinds = []model.EdgeKind{model.EdgeSuccess, model.EdgeAdvance}
		case "fail":
			kinds = []model.EdgeKind{model.EdgeFailure}
		default:
			return nil, fmt.Errorf("%s: unknown action %q", at, s.Action)
		}
		for _, k := range kinds {
			key := EdgeKey{from, to, op, k}
			if edges[key] {
				step.Edge, step.OnDiagram = key, true
				break
			}
		}
		if !step.OnDiagram {
			return nil, fmt.Errorf("%s: %s from %s to %s is no edge of spec %s; draw the report with the spec it was checked against (-spec)", at, s.Action, s.From, s.To, spec.File)
		}
		t.Steps = append(t.Steps, step)
	}
	return t, nil
}

// steps returns, for each arrow of g, the steps that take it, in order. An
// arrow that stands for no edge of its own (the one into a decision node
// of Figure 1) is taken by the steps that take an arrow leaving that node.
func (t *Trace) steps(g *Graph) [][]int {
	out := make([][]int, len(g.Arrows))
	leaving := map[string][]int{}
	for i := range g.Arrows {
		out[i] = t.numbers(&g.Arrows[i])
		leaving[g.Arrows[i].From] = append(leaving[g.Arrows[i].From], out[i]...)
	}
	for i, a := range g.Arrows {
		if len(a.Edges) == 0 {
			out[i] = append([]int(nil), leaving[a.To]...)
			sort.Ints(out[i])
		}
	}
	return out
}

// numbers returns the steps that take arrow a, in order.
func (t *Trace) numbers(a *Arrow) []int {
	var out []int
	for _, s := range t.Steps {
		if !s.OnDiagram {
			continue
		}
		for _, e := range a.Edges {
			if (EdgeKey{e.From, e.To, e.Op, e.Kind}) == s.Edge {
				out = append(out, s.N)
				break
			}
		}
	}
	return out
}

// caption is the story of the trace, a line a step, left-justified for DOT.
func (t *Trace) caption(g *Graph) string {
	var b strings.Builder
	fmt.Fprintf(&b, "counterexample to %s: %s%s", t.Property, t.Detail, leftNL)
	for _, s := range t.Steps {
		fmt.Fprintf(&b, "%d. %s: %s -> %s", s.N, s.Action, s.From, s.To)
		if s.OnDiagram && !t.drawn(g, s) {
			b.WriteString(" (not in this view)")
		}
		b.WriteString(leftNL)
	}
	return b.String()
}

// Undrawn returns the steps of t that take an arrow of the model which g
// does not draw (a view or a filter left it out), in order.
func (t *Trace) Undrawn(g *Graph) []TraceStep {
	var out []TraceStep
	for _, s := range t.Steps {
		if s.OnDiagram && !t.drawn(g, s) {
			out = append(out, s)
		}
	}
	return out
}

// drawn reports whether a step's arrow is part of g.
func (t *Trace) drawn(g *Graph, s TraceStep) bool {
	for i := range g.Arrows {
		for _, e := range g.Arrows[i].Edges {
			if (EdgeKey{e.From, e.To, e.Op, e.Kind}) == s.Edge {
				return true
			}
		}
	}
	return false
}

// traceColor is the colour of the arrows a trace takes.
const traceColor = "#e8590c"

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}
