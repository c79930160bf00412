package checkcli

import (
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"time"

	"github.com/evsim/evsim/check"
)

// The memory budget of -max-memory holds for the whole process, with three
// guards: the checker keeps the structures it counts (state store,
// pending successors, graph) to check.AccountedBytes of the budget; the
// garbage collector gets a soft limit at 7/8 of it, so that it works
// harder before the heap grows there; and a watch samples the process's
// memory every 20 ms and stops the search (exit status 3, with the report
// so far) when it passes 15/16 of it.

// processBytes is the memory the Go runtime holds from the system: every
// class of memory it has mapped, less what it has returned.
func processBytes(s []metrics.Sample) int64 {
	metrics.Read(s)
	total := int64(s[0].Value.Uint64())
	released := int64(s[1].Value.Uint64())
	return total - released
}

func memorySamples() []metrics.Sample {
	return []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
}

// memoryWatch guards a budget of bytes while a search runs.
type memoryWatch struct {
	over    chan struct{}
	done    chan struct{}
	wg      sync.WaitGroup
	peak    int64 // the most processBytes seen
	mu      sync.Mutex
	prevGC  int64
	stopped bool
}

// watchMemory sets the garbage collector's soft limit under budget and
// starts sampling the process's memory; it closes the returned watch's
// over channel (for check.Options.OverBudget) when the memory passes
// 15/16 of budget. Call stop when the search is over.
func watchMemory(budget int64) *memoryWatch {
	w := &memoryWatch{over: make(chan struct{}), done: make(chan struct{})}
	w.prevGC = debug.SetMemoryLimit(budget - budget/8)
	stopAt := budget - budget/16
	s := memorySamples()
	w.sample(s, stopAt)
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		s := memorySamples()
		for {
			select {
			case <-w.done:
				w.sample(s, stopAt)
				return
			case <-t.C:
				w.sample(s, stopAt)
			}
		}
	}()
	return w
}

func (w *memoryWatch) sample(s []metrics.Sample, stopAt int64) {
	b := processBytes(s)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.peak = max(w.peak, b)
	if b > stopAt && !w.stopped {
		w.stopped = true
		close(w.over)
	}
}

// stop ends the watch, restores the garbage collector's limit and returns
// the peak memory seen.
func (w *memoryWatch) stop() int64 {
	close(w.done)
	w.wg.Wait()
	debug.SetMemoryLimit(w.prevGC)
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.peak
}

// budgetOptions sets the memory fields of copt for a process budget.
func budgetOptions(copt *check.Config, budget int64, w *memoryWatch) {
	copt.MaxMemory = check.AccountedBytes(budget)
	copt.Budget = budget
	copt.OverBudget = w.over
}

// peakMemory is the most memory the process held during the last search
// run with a budget, for tests.
var peakMemory int64
