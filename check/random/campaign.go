package random

import (
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/evsim/evsim/model"
)

// CampaignOptions say how a [Campaign] runs: a fleet of the user's choice,
// many sequences, several workers, a time budget.
type CampaignOptions struct {
	// Seed fixes every sequence; the result does not depend on Workers.
	Seed int64
	// Sequences is the number of sequences to run; 0 runs until Time is
	// spent (one of the two must be set).
	Sequences int
	// Steps is the length of every sequence (default 200).
	Steps int
	// Time, if not zero, stops the campaign after this long: no batch of
	// sequences starts after it, and the result covers the batches
	// before the first one that did not finish.
	Time time.Duration
	// Workers is the number of goroutines running batches (default 1).
	Workers int
	// Weights bias the actions drawn (default: the weights of the
	// default setup).
	Weights Weights
	// Progress, if set, is called about every second from a goroutine of
	// its own.
	Progress func(CampaignProgress)
	// Stop, if not nil, ends the campaign early when closed (an
	// interrupt), as Time does.
	Stop <-chan struct{}
}

// CampaignProgress is a snapshot of a running campaign.
type CampaignProgress struct {
	Sequences int // finished
	Steps     int
	Elapsed   time.Duration
}

// CampaignResult is the outcome of a campaign.
type CampaignResult struct {
	Seed int64
	// Sequences and Steps are the sequences and steps run, up to and
	// including the failing sequence, in the batches the result covers.
	Sequences, Steps int
	// Planned is the number of sequences asked for (0: as many as Time
	// allows).
	Planned int
	// Failure is the first failure in the order of the sequences (not of
	// the clock), shrunk; nil when every sequence kept every property.
	Failure *Failure
	// FailingBatch and BatchSeed locate the failure: the batch of
	// [BatchSize] sequences it is in, and that batch's seed for [New].
	FailingBatch int
	BatchSeed    int64
	Coverage     Coverage
	// Stopped is "" when the campaign ran every sequence asked for (or
	// found a failure), "time" when Time ran out first, "interrupt" when
	// Stop was closed.
	Stopped string
	Elapsed time.Duration
}

// BatchSize is the number of sequences of one batch: the unit of work of a
// campaign's workers, each run by gopter with a seed of its own.
const BatchSize = 16

// BatchSeed returns the seed of batch b of a campaign with seed seed
// (SplitMix64 of both).
func BatchSeed(seed int64, b int) int64 {
	z := uint64(seed) + uint64(b+1)*0x9E3779B97F4A7C15
	z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
	z = (z ^ z>>27) * 0x94D049BB133111EB
	return int64((z ^ z>>31) >> 1)
}

type batchOut struct {
	done bool
	res  *Result
}

// Campaign runs random sequences of cfg against spec in batches of
// [BatchSize], on several workers, and returns the first failure in the
// order of the sequences, shrunk, and the coverage of every sequence
// before it. Batch b runs with seed [BatchSeed](opt.Seed, b), whatever
// worker runs it, and the batches are combined in order: the same seed
// gives the same result with any number of workers (unless Time or Stop
// cut the campaign short, which depends on the clock).
func Campaign(spec *model.Spec, cfg model.Config, opt CampaignOptions) (*CampaignResult, error) {
	if opt.Sequences < 0 || opt.Steps < 0 || opt.Workers < 0 || opt.Time < 0 {
		return nil, errors.New("random: sequences, steps, workers and time must not be negative")
	}
	if opt.Sequences == 0 && opt.Time == 0 && opt.Stop == nil {
		return nil, errors.New("random: give a number of sequences or a time budget")
	}
	if opt.Steps == 0 {
		opt.Steps = 200
	}
	workers := max(opt.Workers, 1)
	setup := Setup{Name: "fleet", Config: cfg, Weights: opt.Weights}
	// Check the fleet once, before any worker starts.
	if _, err := New(spec, setup, Options{Seed: opt.Seed, Sequences: 1, Steps: opt.Steps}); err != nil {
		return nil, err
	}
	nb := -1 // unbounded
	if opt.Sequences > 0 {
		nb = (opt.Sequences + BatchSize - 1) / BatchSize
	}
	start := time.Now()
	var deadline <-chan time.Time
	if opt.Time > 0 {
		t := time.NewTimer(opt.Time)
		defer t.Stop()
		deadline = t.C
	}
	var (
		mu      sync.Mutex
		outs    []batchOut
		next    int
		failed  = -1 // smallest failing batch
		stopped string
		seqs    atomic.Int64
		steps   atomic.Int64
	)
	stopCh := make(chan struct{})
	var stopOnce sync.Once
	halt := func(why string) {
		stopOnce.Do(func() {
			mu.Lock()
			stopped = why
			mu.Unlock()
			close(stopCh)
		})
	}
	watchDone := make(chan struct{})
	interrupt := opt.Stop // nil: never
	go func() {
		interrupt := interrupt
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-watchDone:
				return
			case <-deadline:
				halt("time")
				deadline = nil
			case <-interrupt:
				halt("interrupt")
				interrupt = nil
			case <-tick.C:
				if opt.Progress != nil {
					opt.Progress(CampaignProgress{Sequences: int(seqs.Load()), Steps: int(steps.Load()), Elapsed: time.Since(start)})
				}
			}
		}
	}()
	var wg sync.WaitGroup
	var firstErr error
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stopCh:
					return
				case <-interrupt:
					halt("interrupt")
					return
				default:
				}
				mu.Lock()
				b := next
				if (nb >= 0 && b >= nb) || (failed >= 0 && b > failed) || firstErr != nil {
					mu.Unlock()
					return
				}
				next++
				outs = append(outs, batchOut{})
				mu.Unlock()
				n := BatchSize
				if nb >= 0 && b == nb-1 && opt.Sequences%BatchSize != 0 {
					n = opt.Sequences % BatchSize
				}
				r, err := New(spec, setup, Options{Seed: BatchSeed(opt.Seed, b), Sequences: n, Steps: opt.Steps})
				if err != nil {
					mu.Lock()
					firstErr = err
					mu.Unlock()
					return
				}
				res := r.Run(nil)
				seqs.Add(int64(res.Sequences))
				steps.Add(int64(res.Coverage.Steps))
				mu.Lock()
				outs[b] = batchOut{done: true, res: res}
				if res.Failure != nil && (failed < 0 || b < failed) {
					failed = b
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(watchDone)
	if firstErr != nil {
		return nil, firstErr
	}
	out := &CampaignResult{Seed: opt.Seed, Planned: opt.Sequences, FailingBatch: -1, Elapsed: time.Since(start)}
	var cov []Coverage
	complete := true
	for b := range outs {
		o := outs[b]
		if !o.done {
			complete = false
			break
		}
		out.Sequences += o.res.Sequences
		out.Steps += o.res.Coverage.Steps
		cov = append(cov, o.res.Coverage)
		if o.res.Failure != nil {
			out.Failure = o.res.Failure
			out.Failure.Sequence += b * BatchSize
			out.FailingBatch, out.BatchSeed = b, BatchSeed(opt.Seed, b)
			break
		}
	}
	if out.Failure == nil && !(complete && nb >= 0 && len(outs) == nb) {
		out.Stopped = stopped
		if out.Stopped == "" {
			out.Stopped = "time"
		}
	}
	out.Coverage = mergeCoverage(spec, cov)
	return out, nil
}

// mergeCoverage adds up the coverage of several runs.
func mergeCoverage(spec *model.Spec, cs []Coverage) Coverage {
	n := len(spec.Ops)
	out := Coverage{StatusSteps: make([]uint64, len(spec.Statuses)+1),
		OpStarted: make([]uint64, n), OpSucceeded: make([]uint64, n), OpFailed: make([]uint64, n)}
	statuses, started, witnessed := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, c := range cs {
		out.Steps += c.Steps
		for d := range c.MaxAttachments {
			out.MaxAttachments[d] = max(out.MaxAttachments[d], c.MaxAttachments[d])
			out.MaxSize[d] = max(out.MaxSize[d], c.MaxSize[d])
			out.MaxSnapshots[d] = max(out.MaxSnapshots[d], c.MaxSnapshots[d])
			out.MaxBackups[d] = max(out.MaxBackups[d], c.MaxBackups[d])
		}
		for i, v := range c.StatusSteps {
			out.StatusSteps[i] += v
		}
		for i := range c.OpStarted {
			out.OpStarted[i] += c.OpStarted[i]
			out.OpSucceeded[i] += c.OpSucceeded[i]
			out.OpFailed[i] += c.OpFailed[i]
		}
		out.PowerOff += c.PowerOff
		out.PowerOn += c.PowerOn
		for _, s := range c.Statuses {
			statuses[s] = true
		}
		for _, s := range c.Started {
			started[s] = true
		}
		for _, s := range c.Witnessed {
			witnessed[s] = true
		}
	}
	for _, s := range spec.Statuses {
		if statuses[s.Name] {
			out.Statuses = append(out.Statuses, s.Name)
		}
	}
	for _, o := range spec.Ops {
		if started[o.Name] {
			out.Started = append(out.Started, o.Name)
		}
	}
	for name := range witnessed {
		out.Witnessed = append(out.Witnessed, name)
	}
	slices.Sort(out.Witnessed)
	return out
}
