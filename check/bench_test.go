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

// BenchmarkExplore explores the default fleet and the default fleet with a
// third server, without and with symmetry reduction, with the rules of the
// spec (data) and with the Go rules they replaced (go, kept in
// hardcoded_test.go for this comparison): each pair runs one after the
// other, so that their states per second compare within one run.
func BenchmarkExplore(b *testing.B) {
	fleets := []struct {
		name string
		cfg  model.Config
	}{{"default", model.DefaultConfig()}, {"servers-3", benchConfig()}}
	for _, fleet := range fleets {
		for _, sym := range []bool{false, true} {
			name := fleet.name + "/full"
			if sym {
				name = fleet.name + "/symmetry"
			}
			for _, rules := range []string{"data", "go"} {
				b.Run(name+"/"+rules, func(b *testing.B) {
					sys, err := model.NewSystem(model.Default(), fleet.cfg)
					if err != nil {
						b.Fatal(err)
					}
					props := sys.Properties()
					if rules == "go" {
						props = hardCodedProperties(sys)
					}
					m, err := newSystemModel(sys, sym, props)
					if err != nil {
						b.Fatal(err)
					}
					benchExplore(b, m)
				})
			}
		}
	}
}

func benchExplore(b *testing.B, m *SystemModel) {
	var res *Result
	var err error
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
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
