package check

import (
	"testing"

	"evsim/model"
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
			for b.Loop() {
				res, err = Explore(m, Options{})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(res.States), "states")
			b.ReportMetric(float64(res.States)*float64(b.N)/b.Elapsed().Seconds(), "states/s")
			b.ReportMetric(float64(res.Bytes)/float64(res.States), "bytes/state")
		})
	}
}
