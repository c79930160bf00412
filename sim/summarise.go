package sim

import "fmt"

// Summarise combines the results of every replication of cfg, in
// replication order, into the summary [Run] gives: results[i] must be
// replication i (nil for one that did not run). Results from [RunRange]
// on several machines, put together in order, give the same summary,
// byte for byte once encoded, as one Run of the whole.
func Summarise(cfg *Config, results []*Result) (*Summary, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if len(results) != cfg.Replications {
		return nil, fmt.Errorf("sim: %d results for %d replications", len(results), cfg.Replications)
	}
	nSt, nOps := len(cfg.Spec.Statuses), len(cfg.Spec.Ops)
	nEdges := len(cfg.Spec.Edges())
	for i, r := range results {
		if r == nil {
			continue
		}
		if r.Replication != i {
			return nil, fmt.Errorf("sim: result %d is replication %d", i, r.Replication)
		}
		if (r.Measured > 0 && len(r.Occupancy) != nSt) || len(r.Started) != nOps || len(r.Failed) != nOps ||
			len(r.Rejected) != nOps || len(r.Transitions) != nEdges {
			return nil, fmt.Errorf("sim: replication %d: its counts do not fit the spec (%d statuses, %d operations, %d edges)", i, nSt, nOps, nEdges)
		}
		for _, row := range r.Series.Status {
			if len(row) != nSt {
				return nil, fmt.Errorf("sim: replication %d: its time series does not fit the spec's %d statuses", i, nSt)
			}
		}
		n := len(r.Series.Time)
		if len(r.Series.Status) != n || len(r.Series.Disks) != n || len(r.Series.PoolUsed) != n || len(r.Series.TicketsOpen) != n {
			return nil, fmt.Errorf("sim: replication %d: its time series have different lengths", i)
		}
	}
	return summarise(cfg, results), nil
}
