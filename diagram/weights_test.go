package diagram

import (
	"strings"
	"testing"

	"github.com/evsim/evsim/model"
)

func TestWidthMonotone(t *testing.T) {
	prev := Width(0, 100)
	if prev != 1 {
		t.Errorf("Width(0) = %v, want 1", prev)
	}
	for _, v := range []float64{0.001, 0.01, 0.5, 1, 3, 10, 99, 100} {
		w := Width(v, 100)
		if !(w > prev) {
			t.Errorf("Width(%v) = %v, not above %v", v, w, prev)
		}
		prev = w
	}
	if w := Width(100, 100); w != 5.5 {
		t.Errorf("busiest width %v, want 5.5", w)
	}
}

func TestRate(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{{0, "never"}, {1234.5, "1,235/day"}, {2, "2/day"}, {0.5, "3.5/week"}, {0.01, "3.65/year"}} {
		if got := rate(tc.v); got != tc.want {
			t.Errorf("rate(%v) = %q, want %q", tc.v, got, tc.want)
		}
	}
}

func minimalWeights(spec *model.Spec) string {
	var b strings.Builder
	b.WriteString(`{"scenario": "s", "statuses": [`)
	for i, st := range spec.Statuses {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"name": "` + st.Name + `", "disks": {"mean": 1}}`)
	}
	b.WriteString(`], "transitions": [{"from": "(none)", "to": "Creating", "operation": "create", "kind": "start", "per_day": {"mean": 2}}]}`)
	return b.String()
}

func TestParseWeights(t *testing.T) {
	spec := model.Default()
	w, err := ParseWeights("w.json", []byte(minimalWeights(spec)), spec)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := spec.StatusByName("Creating")
	op, _ := spec.OpByName("create")
	if got := w.PerDay[EdgeKey{model.NoDisk, c, op, model.EdgeStart}]; got != 2 || len(w.PerDay) != 1 || w.Disks[0] != 1 {
		t.Errorf("weights %+v", w)
	}
	for _, tc := range []struct{ name, text, want string }{
		{"empty", "", "w.json: not a simulator summary"},
		{"array", "[]", "w.json: not a simulator summary (cmd/sim -format json): want a JSON object, not array"},
		{"wrong type", "{\n  \"scenario\": 3}", `w.json:2:15: scenario: number where the simulator writes a string`},
		{"negative", strings.Replace(minimalWeights(spec), `"mean": 2`, `"mean": -2`, 1), "transitions[0].per_day.mean: want a number of 0 or more"},
		{"missing status", strings.Replace(minimalWeights(spec), `{"name": "In-use", "disks": {"mean": 1}},`, "", 1), "In-use missing"},
		{"duplicate edge", strings.Replace(minimalWeights(spec), `]}`+"", `, {"from": "(none)", "to": "Creating", "operation": "create", "kind": "start", "per_day": {"mean": 2}}]}`, 1), "the same edge twice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseWeights("w.json", []byte(tc.text), spec)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
}

func FuzzParseWeights(f *testing.F) {
	spec := model.Default()
	f.Add(minimalWeights(spec))
	f.Add(`{"scenario": "s", "statuses": [], "transitions": []}`)
	f.Add(`{"statuses": [{"name": "In-use", "disks": {"mean": 1e308}}]}`)
	f.Add("{\n\"scenario\": 1}")
	f.Fuzz(func(t *testing.T, text string) {
		w, err := ParseWeights("f.json", []byte(text), spec)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "diagram: f.json") {
				t.Errorf("error does not name the file: %v", err)
			}
			return
		}
		if len(w.Disks) != len(spec.Statuses) {
			t.Errorf("%d statuses", len(w.Disks))
		}
		g, err := Build(spec, Options{})
		if err != nil {
			t.Fatal(err)
		}
		g.Weights = w
		var b strings.Builder
		if err := g.WriteDOT(&b); err != nil {
			t.Fatal(err)
		}
	})
}
