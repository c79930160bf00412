package sim_test

import (
	"context"
	"testing"

	"github.com/evsim/evsim/model"
	"github.com/evsim/evsim/scenarios"
	"github.com/evsim/evsim/sim"
)

// TestTransitionCounts: every status change of a run is an edge of the
// spec, and the counts agree with the operation counters.
func TestTransitionCounts(t *testing.T) {
	spec := model.Default()
	edges := spec.Edges()
	for _, name := range []string{"baseline", "pool-crunch", "understaffed"} {
		t.Run(name, func(t *testing.T) {
			sc, err := scenarios.Get(name, spec)
			if err != nil {
				t.Fatal(err)
			}
			cfg := *sc.Config
			cfg.Disks, cfg.Replications, cfg.Horizon = 2000, 2, 120*24
			cfg.CreationsPerDay /= 10
			s, err := sim.Run(context.Background(), &cfg, sim.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Transitions) != len(edges) {
				t.Fatalf("%d transition rows, want %d (one per edge)", len(s.Transitions), len(edges))
			}
			for _, r := range s.Results {
				if r.Unmatched != 0 {
					t.Errorf("replication %d: %d status changes no edge draws", r.Replication, r.Unmatched)
				}
				starts := make([]int64, len(spec.Ops))
				fails := make([]int64, len(spec.Ops))
				var total, created int64
				for k, e := range edges {
					c := r.Transitions[k]
					total += c
					switch e.Kind {
					case model.EdgeStart:
						starts[e.Op] += c
						if e.From == model.NoDisk {
							created += c
						}
					case model.EdgeFailure:
						fails[e.Op] += c
					}
				}
				if total == 0 {
					t.Fatalf("replication %d: no transition counted", r.Replication)
				}
				if created != r.Created {
					t.Errorf("replication %d: %d creation edges, %d disks created", r.Replication, created, r.Created)
				}
				for op := range spec.Ops {
					// Started counts starts that leave the status unchanged
					// too, which draw no edge; Failed counts background
					// failures, which draw none either.
					if starts[op] > r.Started[op] || fails[op] > r.Failed[op] {
						t.Errorf("replication %d, %s: %d start and %d failure edges; %d started, %d failed",
							r.Replication, spec.Ops[op].Name, starts[op], fails[op], r.Started[op], r.Failed[op])
					}
					if !spec.Ops[op].Background && len(spec.Ops[op].Steps) > 0 && starts[op] != r.Started[op] {
						t.Errorf("replication %d, %s: %d start edges, %d started", r.Replication, spec.Ops[op].Name, starts[op], r.Started[op])
					}
				}
			}
		})
	}
}
