package check

import (
	"strings"
	"testing"

	"github.com/evsim/evsim/model"
)

// TestLeadsTo checks leads-to rules with known answers on one disk and one
// server. From Awaiting transfer the only ways on are accepting and
// cancelling the transfer, both to Available: under fairness Available is
// always reached, although a path that switches the server off and on for
// ever never gets there. From Available, deleting the disk avoids In-use
// for ever. From Creating every path reaches a status that is not
// transitional, which fairness is not needed for.
func TestLeadsTo(t *testing.T) {
	src := string(model.DefaultSpecSource())
	rules := `
  - name: parked-disk-is-released
    kind: leads-to
    summary: A disk in Awaiting transfer ends up Available.
    source: a test
    from: 'disk.status == "Awaiting transfer"'
    to: 'disk.status == "Available"'
  - name: available-leads-to-in-use
    kind: leads-to
    summary: An Available disk ends up In-use.
    source: a test
    from: 'disk.status == "Available"'
    to: 'disk.status == "In-use"'
  - name: creation-ends
    kind: leads-to
    each: fleet
    summary: A disk being created ends up in a status that is not transitional, or deleted.
    source: a test
    from: 'any(disks, .status == "Creating")'
    to: 'all(disks, .class != "transitional")'

operations:
`
	if strings.Count(src, "\noperations:\n") != 1 {
		t.Fatal("the default spec changed; update the test")
	}
	src = strings.Replace(src, "\noperations:\n", rules, 1)
	spec, err := model.Load("leads-to.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	cfg := model.Config{Disks: []model.DiskConfig{{Size: 10}}, Servers: 1, Bounds: model.Bounds{Snapshots: 1, Backups: 1, SizeSteps: 1}, Operator: true, Power: true}
	for _, sym := range []bool{false, true} {
		rep, err := Check(mustSys(t, spec, cfg), Config{Symmetry: sym})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, p := range rep.Properties {
			got[p.Name] = p.Verdict
		}
		want := map[string]string{"parked-disk-is-released": Holds, "available-leads-to-in-use": Violated, "creation-ends": Holds}
		for n, v := range want {
			if got[n] != v {
				t.Errorf("symmetry %v: %s is %s; want %s", sym, n, got[n], v)
			}
		}
		for _, v := range rep.Violations {
			if v.Property != "available-leads-to-in-use" {
				continue
			}
			if n := len(v.Trace); n != 2 || !strings.HasSuffix(v.Final, "d0: Available, 10 GiB; s0: on") {
				t.Errorf("trace of %d steps to %q; want create, succeed, to a fresh Available disk", n, v.Final)
			}
		}
	}
}
