package diagram

import (
	"os"
	"strings"
	"testing"

	"github.com/evsim/evsim/model"
)

func TestParseTrace(t *testing.T) {
	data, err := os.ReadFile("../model/testdata/mutants/detach-last-stays-in-use.yaml")
	if err != nil {
		t.Fatal(err)
	}
	spec, err := model.Load("detach-last-stays-in-use.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	report, err := os.ReadFile("testdata/check-detach-last.json")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := ParseTrace("check-detach-last.json", report, spec, "")
	if err != nil {
		t.Fatal(err)
	}
	if tr.Property != "available-means-unattached" || len(tr.Steps) != 6 {
		t.Fatalf("got property %q with %d steps, want available-means-unattached with 6", tr.Property, len(tr.Steps))
	}
	detach, _ := spec.OpByName("detach")
	detaching, _ := spec.StatusByName("Detaching")
	inUse, _ := spec.StatusByName("In-use")
	last := tr.Steps[5]
	if want := (EdgeKey{detaching, inUse, detach, model.EdgeSuccess}); !last.OnDiagram || last.Edge != want || last.N != 6 {
		t.Errorf("last step: got %+v, want edge %+v", last, want)
	}
	if first := tr.Steps[0]; first.Edge.From != model.NoDisk || first.Edge.Kind != model.EdgeStart {
		t.Errorf("first step: got %+v, want a start from no disk", first)
	}
	g, err := Build(spec, Options{View: Figure1})
	if err != nil {
		t.Fatal(err)
	}
	for i, nums := range tr.steps(g) {
		a := g.Arrows[i]
		if a.From == "detaching" && a.To == "in_use" && joinInts(nums) != "6" {
			t.Errorf("Detaching to In-use taken by steps %v, want 6", nums)
		}
		if a.To == "error" && len(nums) != 0 {
			t.Errorf("the arrow to Error is taken by steps %v, want none", nums)
		}
	}
}

func TestParseTraceErrors(t *testing.T) {
	spec := model.Default()
	for _, tc := range []struct{ name, data, want string }{
		{"bad json", "{\n  \"spec\": ,\n}", "x.json:2:11:"},
		{"no spec field", `{"violations": []}`, "not a report of cmd/check -format json (no spec field)"},
		{"unknown status", `{"spec": "x", "violations": [{"property": "p", "trace": [{"action": "start create d0", "op": "create", "from": "(none)", "to": "Baking"}]}]}`, `status "(none)" or "Baking" is not in spec`},
		{"unknown action", `{"spec": "x", "violations": [{"property": "p", "trace": [{"action": "jump create d0", "op": "create", "from": "(none)", "to": "Creating"}]}]}`, `unknown action "jump create d0"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseTrace("x.json", []byte(tc.data), spec, "")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
}
