package sim

import (
	"github.com/evsim/evsim/model"
)

func opID(spec *model.Spec, name string) model.OpID {
	id, ok := spec.OpByName(name)
	if !ok {
		panic("no operation " + name)
	}
	return id
}

func stID(spec *model.Spec, name string) model.StatusID {
	id, ok := spec.StatusByName(name)
	if !ok {
		panic("no status " + name)
	}
	return id
}

// busyConfig exercises every operation of the default spec: high rates,
// short durations, frequent failures, the FAQ's remedies and an operator
// team. Rates are per disk per day, times in hours.
func busyConfig(spec *model.Spec) *Config {
	c := NewConfig(spec)
	c.Horizon = 24 * 30
	c.Disks = 20
	c.InUse = 0.5
	c.Shared = 0.3
	c.System = 0.3
	c.Size = LogNormalDist(50, 1)
	c.ServersStopped = 0.5
	c.CreationsPerDay = 2
	for _, m := range []string{"create", "create_from_image", "create_from_backup"} {
		c.CreationMix = append(c.CreationMix, CreationShare{Op: opID(spec, m), Weight: 1})
	}
	rates := map[string]float64{
		"attach": 4, "detach": 4, "expand": 1, "delete": 0.2, "create_backup": 2,
		"restore_backup": 0.5, "rollback": 0.5, "create_image": 0.5, "create_transfer": 0.3,
		"accept_transfer": 2, "cancel_transfer": 2, "create_snapshot": 2, "delete_snapshot": 1,
	}
	for n, r := range rates {
		c.Rates[opID(spec, n)] = r
	}
	for _, o := range spec.Ops {
		if !o.Instant() {
			c.Failure[opID(spec, o.Name)] = 0.1
		}
	}
	for i, s := range spec.Statuses {
		if s.Class == model.Transitional {
			c.Durations[i] = LogNormalDist(0.2, 0.5)
		}
	}
	c.OpDuration[opID(spec, "create_backup")] = ExpDist(1)
	c.Remedies[stID(spec, "Error")] = Remedy{By: ByCustomer, Ops: []model.OpID{opID(spec, "delete")}, After: ExpDist(2), Recreate: true}
	c.Remedies[stID(spec, "Rollback failed")] = Remedy{By: ByCustomer, Ops: []model.OpID{opID(spec, "rollback")}, After: ExpDist(1)}
	for _, s := range []string{"Expansion failed", "Restoration failed"} {
		c.Remedies[stID(spec, s)] = Remedy{By: ByOperator, Ops: []model.OpID{opID(spec, "reset_status")}}
	}
	c.Remedies[stID(spec, "Deletion failed")] = Remedy{By: ByOperator, Ops: []model.OpID{opID(spec, "force_delete"), opID(spec, "reset_status")}}
	c.Agents = 2
	c.Service = WeibullDist(1.5, 3)
	return c
}
