package history

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/evsim/evsim/model"
	mh "github.com/evsim/evsim/model/history"
	"github.com/evsim/evsim/sim"
	"github.com/evsim/evsim/sim/record"
)

// busyConfig is a small fleet of spec where every status is busy; with
// noErrorRemedy nobody acts on a disk in Error, so that the customers'
// requests reach it.
func busyConfig(spec *model.Spec, noErrorRemedy bool) *sim.Config {
	c := sim.NewConfig(spec)
	c.Horizon, c.Warmup, c.Disks, c.InUse, c.Shared, c.System = 30*24, 24, 60, 0.6, 0.2, 0.3
	c.ServersStopped = 0.3
	op := func(n string) model.OpID { id, _ := spec.OpByName(n); return id }
	st := func(n string) model.StatusID { id, _ := spec.StatusByName(n); return id }
	for n, r := range map[string]float64{"attach": 0.5, "detach": 0.3, "expand": 0.1, "delete": 0.05, "create_image": 0.1, "rollback": 0.1,
		"create_snapshot": 0.2, "restore_backup": 0.1, "create_backup": 0.2, "create_transfer": 0.05, "accept_transfer": 1, "cancel_transfer": 1} {
		c.Rates[op(n)] = r
	}
	c.CreationsPerDay = 3
	c.CreationMix = []sim.CreationShare{{Op: op("create"), Weight: 1}, {Op: op("create_from_image"), Weight: 1}, {Op: op("create_from_backup"), Weight: 0.2}}
	for i := range spec.Statuses {
		c.Durations[i] = sim.ExpDist(0.5)
	}
	c.OpDuration[op("create_backup")] = sim.ExpDist(1)
	for n, p := range map[string]float64{"create": 0.2, "create_from_image": 0.2, "create_from_backup": 0.2, "attach": 0.1, "detach": 0.1, "expand": 0.2,
		"delete": 0.2, "rollback": 0.2, "create_image": 0.1, "restore_backup": 0.2, "force_delete": 0.1} {
		c.Failure[op(n)] = p
	}
	if !noErrorRemedy {
		c.Remedies[st("Error")] = sim.Remedy{By: sim.ByCustomer, Ops: []model.OpID{op("delete")}, After: sim.ExpDist(5)}
	}
	c.Remedies[st("Rollback failed")] = sim.Remedy{By: sim.ByCustomer, Ops: []model.OpID{op("rollback")}, After: sim.ExpDist(2)}
	for _, s := range []string{"Deletion failed", "Expansion failed", "Restoration failed"} {
		c.Remedies[st(s)] = sim.Remedy{By: sim.ByOperator, Ops: []model.OpID{op("force_delete"), op("reset_status")}}
	}
	c.Agents, c.Service = 1, sim.ExpDist(4)
	return c
}

// simulated writes the history of cfg in format f (every change, or a
// poll every poll hours).
func simulated(t *testing.T, cfg *sim.Config, f mh.Format, poll float64) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := mh.NewWriter(&buf, cfg.Spec, f)
	if err != nil {
		t.Fatal(err)
	}
	if err := record.Record(context.Background(), cfg, record.Options{Poll: poll}, w.Write); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestSimulatedHistoryExplained: every pair of a simulated history of the
// default spec is a path of the model, with no status missed in a change
// log and in notifications, and through missed statuses in polls.
func TestSimulatedHistoryExplained(t *testing.T) {
	spec := model.Default()
	cfg := busyConfig(spec, false)
	for _, tc := range []struct {
		name   string
		format mh.Format
		poll   float64
		missed int
	}{{"change log", mh.PolledCSV, 0, 0}, {"notifications", mh.Notifications, 0, 0}, {"polls", mh.PolledJSON, 1, -1}} {
		t.Run(tc.name, func(t *testing.T) {
			rep := validate(t, spec, "sim", simulated(t, cfg, tc.format, tc.poll), tc.missed)
			if rep.Violations != 0 {
				t.Fatalf("%d violations; first %+v", rep.Violations, rep.Listed[0])
			}
			if rep.Pairs < 1000 || len(rep.StatusesUnused) > 0 {
				t.Errorf("%d pairs; statuses never seen: %v", rep.Pairs, rep.StatusesUnused)
			}
			if tc.poll > 0 && rep.MissedPolls == 0 {
				t.Errorf("polls every %gh missed no status", tc.poll)
			}
			t.Logf("%d observations, %d pairs, %d through missed statuses; operations used %v", rep.Observations, rep.Pairs, rep.MissedPolls, rep.OpsUsed)
		})
	}
}

// TestMutantHistoryFlagged: a fleet that follows a mutant spec letting
// attach start from Error is caught by the default spec with the rule the
// mutant breaks.
func TestMutantHistoryFlagged(t *testing.T) {
	data, err := os.ReadFile("../../model/testdata/mutants/error-allows-attach.yaml")
	if err != nil {
		t.Fatal(err)
	}
	mutant, err := model.Load("error-allows-attach.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	hist := simulated(t, busyConfig(mutant, true), mh.PolledCSV, 0)
	rep := validate(t, model.Default(), "mutant.csv", hist, 0)
	if rep.Violations == 0 {
		t.Fatal("the mutant's history was explained")
	}
	for _, x := range rep.Listed {
		if x.Kind != "pair" || x.Rule != "table-operations-only-where-listed" || x.From.Status != "Error" || x.To.Status != "Attaching" {
			t.Errorf("violation %s:%d %s: %s (rule %q)", rep.File, x.Line, x.To.Status, x.Why, x.Rule)
		}
	}
	// The mutant's own spec explains its history.
	if rep := validate(t, mutant, "mutant.csv", hist, 0); rep.Violations != 0 {
		t.Errorf("the mutant spec does not explain its own history: %+v", rep.Listed[0])
	}
}

// TestEditedHistoryFlagged: one row of a simulated change log edited to
// jump from Error to In-use is flagged at its line.
func TestEditedHistoryFlagged(t *testing.T) {
	spec := model.Default()
	hist := simulated(t, busyConfig(spec, false), mh.PolledCSV, 0)
	lines := strings.Split(string(hist), "\n")
	last := map[string]string{} // disk -> status of its previous row
	edited := 0
	for i, l := range lines[1:] {
		f := strings.Split(l, ",")
		if len(f) < 7 {
			continue
		}
		if last[f[1]] == "error" {
			f[2], f[4] = "in-use", "1"
			lines[i+1] = strings.Join(f, ",")
			edited = i + 2
			break
		}
		last[f[1]] = f[2]
	}
	if edited == 0 {
		t.Fatal("no disk went through Error")
	}
	for _, missed := range []int{0, 1} {
		rep := validate(t, spec, "edited.csv", []byte(strings.Join(lines, "\n")), missed)
		// The pair after the edited row may be unexplained too.
		if rep.Violations < 1 || rep.Violations > 2 || rep.Listed[0].Line != edited || rep.Listed[0].Rule != "table-operations-only-where-listed" {
			var got []string
			for _, x := range rep.Listed {
				got = append(got, fmt.Sprintf("%d: %s (%s)", x.Line, x.Why, x.Rule))
			}
			t.Errorf("missed %d: %d violations %v; want the first at line %d", missed, rep.Violations, got, edited)
		}
	}
}
