package sim

import "context"

// RunOneGlobal runs replication i with every event in one global queue,
// the design the engine is measured against.
func RunOneGlobal(ctx context.Context, cfg *Config, i int) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	r := newRep(newPlan(cfg), i)
	r.global = true
	return r.run(ctx, nil), nil
}
