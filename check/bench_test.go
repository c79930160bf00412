package check

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"syscall"
	"testing"
	"time"

	"github.com/evsim/evsim/model"
)

// benchConfig is the default configuration with a third server: over a
// million states without symmetry reduction.
func benchConfig() model.Config {
	cfg := model.DefaultConfig()
	cfg.Servers = 3
	return cfg
}

func BenchmarkExplore(b *testing.B) {
	for _, sym := range []bool{false, true} {
		name := "full"
		if sym {
			name = "symmetry"
		}
		b.Run(name, func(b *testing.B) {
			sys, err := model.NewSystem(model.Default(), benchConfig())
			if err != nil {
				b.Fatal(err)
			}
			m, err := NewSystemModel(sys, sym)
			if err != nil {
				b.Fatal(err)
			}
			var res *Result
			cpu0 := cpuTime()
			for b.Loop() {
				res, err = Explore(m, Options{})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(res.States), "states")
			b.ReportMetric(float64(res.States)*float64(b.N)/b.Elapsed().Seconds(), "states/s")
			b.ReportMetric(float64(res.Bytes)/float64(res.States), "bytes/state")
			// Processor time, not wall time: on a shared machine it shows
			// the explorer's own cost.
			b.ReportMetric(float64(res.States)*float64(b.N)/(cpuTime()-cpu0).Seconds(), "states/cpu-s")
		})
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkCheck runs the whole check (search, graph rules, findings,
// traces) without symmetry reduction on the default fleet and on the
// default fleet with two snapshots and two backups per disk, with one and
// two workers. It reports states per CPU-second of the whole run, the
// phases' seconds, and the peak memory per state: the most the Go runtime
// held (runtime/metrics, sampled every 10 ms, memory returned to the
// system left out) over the states stored.
func BenchmarkCheck(b *testing.B) {
	fleets := []struct {
		name             string
		snapshots, backs int
	}{{"default", 1, 1}, {"snap2back2", 2, 2}}
	for _, f := range fleets {
		for _, workers := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/workers=%d", f.name, workers), func(b *testing.B) {
				cfg := model.DefaultConfig()
				cfg.Bounds.Snapshots, cfg.Bounds.Backups = f.snapshots, f.backs
				sys, err := model.NewSystem(model.Default(), cfg)
				if err != nil {
					b.Fatal(err)
				}
				var rep *Report
				var cpu time.Duration
				var peak uint64
				var search, graph, trace float64
				for b.Loop() {
					runtime.GC()
					debug.FreeOSMemory()
					stop := sampleMemory(&peak)
					cpu0 := cpuTime()
					rep, err = Check(sys, Config{Options: Options{Workers: workers}})
					cpu += cpuTime() - cpu0
					stop()
					if err != nil {
						b.Fatal(err)
					}
					if rep.Result != ResultHolds {
						b.Fatalf("result %s", rep.Result)
					}
					search += rep.SearchSecs
					graph += rep.GraphSecs
					trace += rep.TraceSecs
				}
				n := float64(b.N)
				b.ReportMetric(float64(rep.States), "states")
				b.ReportMetric(float64(rep.States)*n/cpu.Seconds(), "states/cpu-s")
				b.ReportMetric(cpu.Seconds()/n, "cpu-s/op")
				b.ReportMetric(search/n, "search-s/op")
				b.ReportMetric(graph/n, "graph-s/op")
				b.ReportMetric(trace/n, "trace-s/op")
				b.ReportMetric(float64(peak)/float64(rep.States), "peak-bytes/state")
			})
		}
	}
}

// sampleMemory records in *peak, until the returned function is called,
// the most memory the runtime holds from the system.
func sampleMemory(peak *uint64) (stop func()) {
	samples := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	read := func() {
		metrics.Read(samples)
		if v := samples[0].Value.Uint64() - samples[1].Value.Uint64(); v > *peak {
			*peak = v
		}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				read()
			}
		}
	}()
	return func() {
		close(done)
		<-finished
		read()
	}
}
