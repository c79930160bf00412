package sim

import (
	"context"
	"fmt"
	"runtime"
	"sync"
)

// Options control how a run is carried out; none of them changes its
// result.
type Options struct {
	// Workers is the number of replications run at once; 0 means one per
	// CPU. The result is the same whatever the number.
	Workers int
	// Progress, if set, is called after each window of each replication
	// with the hours it simulated; calls come from several goroutines.
	Progress func(hours float64)
	// Trace, if set, is called with every transition of every disk, from
	// the goroutine of its replication. It slows the run down a lot: it is
	// meant for conformance tests on small fleets.
	Trace func(replication int, ev TraceEvent)
}

// Run simulates cfg.Replications replications of the fleet and combines
// them in replication order. Replication i draws from streams derived
// from (cfg.Seed, i) alone (one per disk, see the package comment), so the
// result depends on the config only.
//
// When ctx is cancelled, the replications under way stop at the end of
// their current window and those not started are skipped; the summary of
// what was simulated is returned with Partial set, and a nil error.
func Run(ctx context.Context, cfg *Config, opt Options) (*Summary, error) {
	results, err := RunRange(ctx, cfg, opt, 0, cfg.Replications)
	if err != nil {
		return nil, err
	}
	return summarise(cfg, results), nil
}

// RunRange simulates replications lo to hi-1 of cfg, each exactly as
// [Run] would (replication i draws from streams derived from (cfg.Seed,
// i)), and
// returns their results in replication order; a replication skipped
// because ctx was cancelled is nil. [Summarise] combines results gathered
// this way, from one machine or many, into the summary Run gives.
func RunRange(ctx context.Context, cfg *Config, opt Options, lo, hi int) ([]*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if lo < 0 || hi > cfg.Replications || lo > hi {
		return nil, fmt.Errorf("sim: replications %d to %d; want a range within 0 to %d", lo, hi-1, cfg.Replications-1)
	}
	results := make([]*Result, hi-lo)
	if hi == lo {
		return results, nil
	}
	p := newPlan(cfg)
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, hi-lo)
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				if ctx.Err() != nil {
					continue
				}
				r := newRep(p, i)
				if opt.Trace != nil {
					r.trace = func(ev TraceEvent) { opt.Trace(i, ev) }
				}
				results[i-lo] = r.run(ctx, opt.Progress)
			}
		}()
	}
	for i := lo; i < hi; i++ {
		if ctx.Err() != nil {
			break
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return results, nil
}

// RunOne simulates replication i of cfg alone, as [Run] would.
func RunOne(ctx context.Context, cfg *Config, i int) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return newRep(newPlan(cfg), i).run(ctx, nil), nil
}
