package diagram

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/evsim/evsim/model"
)

// EdgeKey names one edge of a spec: [model.Edge] without its basis.
type EdgeKey struct {
	From, To model.StatusID
	Op       model.OpID
	Kind     model.EdgeKind
}

// Weights are what a fleet did on the diagram: how often it took each
// edge of the spec, per day, and how many disks sat in each status on
// average. A diagram built with weights ([Graph.Weights]) draws each
// arrow with a width and a label by its traffic, each status with its
// mean occupancy, and what never happened faint.
type Weights struct {
	Source   string              // where the figures come from, for the title
	PerDay   map[EdgeKey]float64 // transitions per day; an edge absent took none
	Disks    []float64           // per status, in spec order: mean disks
	Scenario string
}

// simOutput is the part of a simulator's JSON summary the weights need.
type simOutput struct {
	Scenario *string `json:"scenario"`
	Statuses []struct {
		Name  string        `json:"name"`
		Disks *jsonEstimate `json:"disks"`
	} `json:"statuses"`
	Transitions []struct {
		From   string        `json:"from"`
		To     string        `json:"to"`
		Op     string        `json:"operation"`
		Kind   string        `json:"kind"`
		PerDay *jsonEstimate `json:"per_day"`
	} `json:"transitions"`
}

type jsonEstimate struct {
	Mean *float64 `json:"mean"`
}

// ParseWeights reads the JSON summary of a simulator run (cmd/sim -format
// json) of spec. Errors name the file, and the line and column where the
// JSON is malformed; a summary of another spec (a status or an edge the
// spec does not have, or one it has missing) is an error too.
func ParseWeights(file string, data []byte, spec *model.Spec) (*Weights, error) {
	var out simOutput
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&out); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			l, c := lineCol(data, se.Offset-1) // Offset is just past the bad byte
			return nil, fmt.Errorf("diagram: %s:%d:%d: not valid JSON: %v", file, l, c, err)
		case errors.As(err, &te) && te.Field == "":
			return nil, fmt.Errorf("diagram: %s: not a simulator summary (cmd/sim -format json): want a JSON object, not %s", file, te.Value)
		case errors.As(err, &te):
			l, c := lineCol(data, te.Offset-1)
			return nil, fmt.Errorf("diagram: %s:%d:%d: %s: %s where the simulator writes a %s", file, l, c, te.Field, te.Value, te.Type.Kind())
		}
		return nil, fmt.Errorf("diagram: %s: not a simulator summary: %v", file, err)
	}
	if out.Scenario == nil || out.Statuses == nil || out.Transitions == nil {
		return nil, fmt.Errorf("diagram: %s: not a simulator summary (cmd/sim -format json): want the fields scenario, statuses and transitions", file)
	}
	w := &Weights{Source: file, Scenario: *out.Scenario, PerDay: map[EdgeKey]float64{}, Disks: make([]float64, len(spec.Statuses))}
	seen := make([]bool, len(spec.Statuses))
	for i, st := range out.Statuses {
		id, ok := spec.StatusByName(st.Name)
		if !ok {
			return nil, fmt.Errorf("diagram: %s: statuses[%d].name: %q is not a status of spec %s: the summary comes from another spec", file, i, st.Name, specName(spec))
		}
		if st.Disks == nil || st.Disks.Mean == nil || !(*st.Disks.Mean >= 0) || math.IsInf(*st.Disks.Mean, 0) {
			return nil, fmt.Errorf("diagram: %s: statuses[%d].disks.mean: want a number of 0 or more", file, i)
		}
		if seen[id] {
			return nil, fmt.Errorf("diagram: %s: statuses[%d].name: %q twice", file, i, st.Name)
		}
		seen[id] = true
		w.Disks[id] = *st.Disks.Mean
	}
	var missing []string
	for i, ok := range seen {
		if !ok {
			missing = append(missing, spec.Statuses[i].Name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("diagram: %s: statuses: %s missing: the summary comes from another spec", file, strings.Join(missing, ", "))
	}
	edges := map[EdgeKey]bool{}
	for _, e := range spec.Edges() {
		edges[EdgeKey{e.From, e.To, e.Op, e.Kind}] = true
	}
	status := func(name string) (model.StatusID, bool) {
		switch name {
		case spec.StatusName(model.NoDisk):
			return model.NoDisk, true
		case spec.StatusName(model.Gone):
			return model.Gone, true
		}
		return spec.StatusByName(name)
	}
	for i, t := range out.Transitions {
		from, ok1 := status(t.From)
		to, ok2 := status(t.To)
		op, ok3 := spec.OpByName(t.Op)
		kind, ok4 := edgeKind(t.Kind)
		k := EdgeKey{from, to, op, kind}
		if !ok1 || !ok2 || !ok3 || !ok4 || !edges[k] {
			return nil, fmt.Errorf("diagram: %s: transitions[%d]: %s from %q to %q by %s is not an edge of spec %s: the summary comes from another spec", file, i, t.Kind, t.From, t.To, t.Op, specName(spec))
		}
		if t.PerDay == nil || t.PerDay.Mean == nil || !(*t.PerDay.Mean >= 0) || math.IsInf(*t.PerDay.Mean, 0) {
			return nil, fmt.Errorf("diagram: %s: transitions[%d].per_day.mean: want a number of 0 or more", file, i)
		}
		if _, dup := w.PerDay[k]; dup {
			return nil, fmt.Errorf("diagram: %s: transitions[%d]: the same edge twice", file, i)
		}
		w.PerDay[k] = *t.PerDay.Mean
	}
	return w, nil
}

func specName(spec *model.Spec) string {
	if spec.Name == "" {
		return "(embedded)"
	}
	return spec.Name
}

func edgeKind(s string) (model.EdgeKind, bool) {
	for k := model.EdgeStart; k <= model.EdgeFailure; k++ {
		if k.String() == s {
			return k, true
		}
	}
	return 0, false
}

// lineCol converts a byte offset of data to a 1-based line and column.
func lineCol(data []byte, off int64) (int, int) {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(off) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}

// arrowPerDay is the traffic of an arrow: the sum over its edges.
func (w *Weights) arrowPerDay(a *Arrow) float64 {
	var sum float64
	for _, e := range a.Edges {
		sum += w.PerDay[EdgeKey{e.From, e.To, e.Op, e.Kind}]
	}
	return sum
}

// traffic returns the transitions per day of each arrow of g: the sum over
// its edges. An arrow that stands for no edge of its own (the one into a
// decision node of Figure 1) carries what leaves the node it enters.
func (w *Weights) traffic(g *Graph) []float64 {
	out := make([]float64, len(g.Arrows))
	leaving := map[string]float64{}
	for i := range g.Arrows {
		out[i] = w.arrowPerDay(&g.Arrows[i])
		leaving[g.Arrows[i].From] += out[i]
	}
	for i, a := range g.Arrows {
		if len(a.Edges) == 0 {
			out[i] = leaving[a.To]
		}
	}
	return out
}

// Width is the pen width of an arrow taken perDay times a day when the
// busiest takes most: 1 for none, growing with the logarithm of the
// traffic up to 5.5, so that an arrow taken a thousand times a day and one
// taken once a week both show.
func Width(perDay, most float64) float64 {
	if !(perDay > 0) || !(most > 0) {
		return 1
	}
	return 1 + 4.5*math.Log1p(perDay)/math.Log1p(most)
}

// rate renders a per-day figure for a label.
func rate(v float64) string {
	switch {
	case v == 0:
		return "never"
	case v >= 1:
		return count(v) + "/day"
	case v*7 >= 1:
		return trimNum(v*7) + "/week"
	}
	return trimNum(v*365) + "/year"
}

// count renders v with three significant digits and thousands separators.
func count(v float64) string {
	if v < 1000 {
		return trimNum(v)
	}
	s := strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func trimNum(v float64) string {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 3, 64), 64)
	return strconv.FormatFloat(r, 'f', -1, 64)
}

// disks renders a mean occupancy for a status label.
func disks(v float64) string {
	switch {
	case v == 0:
		return "never occupied"
	case v == 1:
		return "1 disk"
	}
	return count(v) + " disks"
}

// faint turns "#rrggbb" into a quarter-opaque "#rrggbb40".
func faint(c string) string {
	if len(c) == 7 {
		return c + "40"
	}
	return c
}
