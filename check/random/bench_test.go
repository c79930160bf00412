package random

import (
	"testing"

	"github.com/evsim/evsim/model"
)

// BenchmarkSequences measures random sequences on the default spec: steps
// drawn, applied and checked (every property) per second, per setup.
func BenchmarkSequences(b *testing.B) {
	for _, su := range Setups() {
		b.Run(su.Name, func(b *testing.B) {
			steps := 0
			for i := 0; b.Loop(); i++ {
				r, err := New(model.Default(), su, Options{Seed: int64(i), Sequences: 20, Steps: 200})
				if err != nil {
					b.Fatal(err)
				}
				res := r.Run(nil)
				if res.Failure != nil {
					b.Fatal(res.Failure.ShrunkViolation.String())
				}
				steps += res.Coverage.Steps
			}
			b.ReportMetric(float64(steps)/b.Elapsed().Seconds(), "steps/s")
		})
	}
}

// BenchmarkShrink measures finding and shrinking the failure of the
// shared-exceeds-16 mutant on 17 servers (a story of 36 steps).
func BenchmarkShrink(b *testing.B) {
	data := mustMutantSpec(b, "shared-exceeds-16")
	su, _ := SetupByName("shared17")
	for i := 0; b.Loop(); i++ {
		r, err := New(data, su, Options{Seed: int64(i), Only: []string{"attachment-limit"}})
		if err != nil {
			b.Fatal(err)
		}
		if res := r.Run(nil); res.Failure == nil {
			b.Fatal("not caught")
		}
	}
}
