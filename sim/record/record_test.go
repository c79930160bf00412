package record

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/evsim/evsim/model"
	mh "github.com/evsim/evsim/model/history"
	"github.com/evsim/evsim/sim"
)

// testConfig is a small fleet where every status of the default spec is
// busy.
func testConfig(spec *model.Spec) *sim.Config {
	c := sim.NewConfig(spec)
	c.Horizon, c.Warmup, c.Disks, c.InUse, c.Shared, c.System = 30*24, 24, 50, 0.6, 0.2, 0.3
	c.ServersStopped = 0.3
	op := func(n string) model.OpID { id, _ := spec.OpByName(n); return id }
	st := func(n string) model.StatusID { id, _ := spec.StatusByName(n); return id }
	for n, r := range map[string]float64{"attach": 0.5, "detach": 0.3, "expand": 0.1, "delete": 0.05, "create_image": 0.1, "rollback": 0.1,
		"create_snapshot": 0.2, "restore_backup": 0.1, "create_backup": 0.2, "create_transfer": 0.05, "accept_transfer": 1, "cancel_transfer": 1} {
		c.Rates[op(n)] = r
	}
	c.CreationsPerDay = 2
	c.CreationMix = []sim.CreationShare{{Op: op("create"), Weight: 1}, {Op: op("create_from_image"), Weight: 1}}
	for i := range spec.Statuses {
		c.Durations[i] = sim.ExpDist(0.5)
	}
	c.OpDuration[op("create_backup")] = sim.ExpDist(1)
	for n, p := range map[string]float64{"create": 0.1, "create_from_image": 0.1, "attach": 0.1, "detach": 0.1, "expand": 0.2, "delete": 0.2, "rollback": 0.2, "create_image": 0.1, "restore_backup": 0.2} {
		c.Failure[op(n)] = p
	}
	c.Remedies[st("Error")] = sim.Remedy{By: sim.ByCustomer, Ops: []model.OpID{op("delete")}, After: sim.ExpDist(5)}
	c.Remedies[st("Rollback failed")] = sim.Remedy{By: sim.ByCustomer, Ops: []model.OpID{op("rollback")}, After: sim.ExpDist(2)}
	for _, s := range []string{"Deletion failed", "Expansion failed", "Restoration failed"} {
		c.Remedies[st(s)] = sim.Remedy{By: sim.ByOperator, Ops: []model.OpID{op("reset_status"), op("force_delete")}}
	}
	c.Agents, c.Service = 1, sim.ExpDist(4)
	return c
}

func TestRecordReadsBack(t *testing.T) {
	spec := model.Default()
	cfg := testConfig(spec)
	for _, tc := range []struct {
		name   string
		poll   float64
		format mh.Format
	}{{"changes csv", 0, mh.PolledCSV}, {"notifications", 0, mh.Notifications}, {"polls jsonl", 1, mh.PolledJSON}} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			w, _ := mh.NewWriter(&buf, spec, tc.format)
			n := 0
			err := Record(context.Background(), cfg, Options{Poll: tc.poll}, func(d string, o mh.Observation) error {
				n++
				return w.Write(d, o)
			})
			if err != nil {
				t.Fatal(err)
			}
			w.Flush()
			r, err := mh.NewReader("h", &buf, spec, mh.Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := 0
			for {
				_, err := r.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				got++
			}
			if got != n || n < 1000 || r.Format() != tc.format {
				t.Errorf("read %d of %d rows (%s)", got, n, r.Format())
			}
			t.Logf("%d rows of %d disks", n, r.Disks())
		})
	}
}
