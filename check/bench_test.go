package check

import (
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
