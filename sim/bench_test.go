package sim_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/evsim/evsim/model"
	"github.com/evsim/evsim/scenarios"
	"github.com/evsim/evsim/sim"
)

// BenchmarkMillion runs the million scenario (the baseline's rates on
// 1,000,000 disks for one simulated year): one replication on one worker,
// then two replications on two workers at once. It reports events per second (wall clock, and per CPU-second of the
// process) and the bytes the run holds per disk: the peak
// growth of the live heap over the run, sampled after every simulated day,
// divided by the disks it ever held.
//
//	go test -run XXX -bench Million -benchtime 1x -count 3 ./sim/
func BenchmarkMillion(b *testing.B) {
	sc, err := scenarios.Get("million", model.Default())
	if err != nil {
		b.Fatal(err)
	}
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			cfg := *sc.Config
			cfg.Replications = workers // one replication per worker
			var events, slots int64
			var elapsed, cpu time.Duration
			var peak uint64
			for b.Loop() {
				runtime.GC()
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				base := ms.HeapAlloc
				peak = 0
				var mu sync.Mutex
				start, cpu0 := time.Now(), cpuTime()
				sum, err := sim.Run(context.Background(), &cfg, sim.Options{Workers: workers, Progress: func(float64) {
					mu.Lock()
					defer mu.Unlock()
					runtime.ReadMemStats(&ms)
					if ms.HeapAlloc > base && ms.HeapAlloc-base > peak {
						peak = ms.HeapAlloc - base
					}
				}})
				elapsed += time.Since(start)
				cpu += cpuTime() - cpu0
				if err != nil {
					b.Fatal(err)
				}
				events += sum.Events
				slots = 0
				for _, r := range sum.Results {
					slots += r.Slots
				}
			}
			b.ReportMetric(float64(events)/elapsed.Seconds(), "events/s")
			b.ReportMetric(float64(events)/cpu.Seconds(), "events/cpu-s")
			b.ReportMetric(float64(peak)/float64(slots), "B/disk")
			b.ReportMetric(float64(events)/float64(b.N), "events/op")
		})
	}
}

// cpuTime returns the CPU time the process has used, user and system: on a
// machine shared with other work it shows what the run costs when the
// wall clock does not.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkQueueDesign compares, on the million scenario cut to 30 days,
// the engine's design (each disk advanced on its own, a queue for coupling
// events only) with one global queue of every disk's next event.
//
//	go test -run XXX -bench QueueDesign -benchtime 1x -count 3 ./sim/
func BenchmarkQueueDesign(b *testing.B) {
	sc, err := scenarios.Get("million", model.Default())
	if err != nil {
		b.Fatal(err)
	}
	cfg := sc.Config
	cfg.Replications, cfg.Horizon, cfg.Warmup = 1, 30*24, 0
	for _, design := range []string{"trajectories", "global-queue"} {
		b.Run(design, func(b *testing.B) {
			var events int64
			var elapsed time.Duration
			for b.Loop() {
				start := time.Now()
				var res *sim.Result
				var err error
				if design == "global-queue" {
					res, err = sim.RunOneGlobal(context.Background(), cfg, 0)
				} else {
					res, err = sim.RunOne(context.Background(), cfg, 0)
				}
				elapsed += time.Since(start)
				if err != nil {
					b.Fatal(err)
				}
				events += res.Events
			}
			b.ReportMetric(float64(events)/elapsed.Seconds(), "events/s")
		})
	}
}

// BenchmarkMemory runs every shipped scenario scaled to EVSIM_BENCH_DISKS
// starting disks (1,000,000 by default; growth, the operator team and a
// finite pool scaled alike), one replication, and reports the peak growth
// of the live heap over the run, sampled after every window, per starting
// disk and per disk slot the run ever held. EVSIM_BENCH_SCENARIOS, a
// comma-separated list, picks scenarios.
//
//	go test -run XXX -bench Memory -benchtime 1x ./sim/
//	EVSIM_BENCH_DISKS=10000000 go test -run XXX -bench Memory -benchtime 1x -timeout 2h ./sim/
func BenchmarkMemory(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("EVSIM_BENCH_DISKS")); err == nil && v > 0 {
		n = v
	}
	names := scenarios.Names()
	if v := os.Getenv("EVSIM_BENCH_SCENARIOS"); v != "" {
		names = strings.Split(v, ",")
	}
	for _, name := range names {
		b.Run(name, func(b *testing.B) {
			sc, err := scenarios.Get(name, model.Default())
			if err != nil {
				b.Fatal(err)
			}
			cfg := *sc.Config
			f := float64(n) / float64(max(cfg.Disks, 1))
			cfg.Disks = n
			cfg.CreationsPerDay *= f
			if cfg.Agents > 0 {
				cfg.Agents = int(math.Ceil(float64(cfg.Agents) * f))
			}
			if !math.IsInf(cfg.PoolGiB, 1) {
				cfg.PoolGiB *= f
			}
			cfg.Replications = 1
			var peak uint64
			var slots, events int64
			for b.Loop() {
				runtime.GC()
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				base := ms.HeapAlloc
				peak = 0
				sum, err := sim.Run(context.Background(), &cfg, sim.Options{Workers: 1, Progress: func(float64) {
					runtime.ReadMemStats(&ms)
					if ms.HeapAlloc > base && ms.HeapAlloc-base > peak {
						peak = ms.HeapAlloc - base
					}
				}})
				if err != nil {
					b.Fatal(err)
				}
				slots, events = sum.Results[0].Slots, sum.Events
			}
			b.ReportMetric(float64(peak)/float64(n), "B/disk")
			b.ReportMetric(float64(peak)/float64(slots), "B/slot")
			b.ReportMetric(float64(slots)/float64(n), "slots/disk")
			b.ReportMetric(float64(events), "events")
		})
	}
}

// BenchmarkAgents runs the baseline (one replication, 20,000 disks, a
// year) with expansions ten times as frequent and failing a fifth of the
// time, about 200 tickets a day, and operator teams of 2,000 and 200,000
// agents: no ticket waits with either, so the results are identical, and
// the time a ticket costs must not grow with the team.
//
//	go test -run XXX -bench Agents -benchtime 1x -count 3 ./sim/
func BenchmarkAgents(b *testing.B) {
	sc, err := scenarios.Get("baseline", model.Default())
	if err != nil {
		b.Fatal(err)
	}
	for _, agents := range []int{2000, 200000} {
		b.Run(fmt.Sprintf("agents=%d", agents), func(b *testing.B) {
			cfg := *sc.Config
			cfg.Replications, cfg.Agents = 1, agents
			expand, _ := cfg.Spec.OpByName("expand")
			cfg.Rates = append([]float64(nil), cfg.Rates...)
			cfg.Failure = append([]float64(nil), cfg.Failure...)
			cfg.Rates[expand], cfg.Failure[expand] = 0.03, 0.2
			var tickets float64
			for b.Loop() {
				sum, err := sim.Run(context.Background(), &cfg, sim.Options{Workers: 1})
				if err != nil {
					b.Fatal(err)
				}
				tickets = sum.Tickets.Opened.Mean
			}
			b.ReportMetric(tickets, "tickets/day")
		})
	}
}
