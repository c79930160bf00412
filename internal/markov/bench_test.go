package markov

import (
	"math/rand/v2"
	"testing"
)

// A 20-state chain: a cycle plus rates on about 30% of the ordered pairs;
// its largest exit rate q is about 20 per hour.
func benchChain(b *testing.B) *Chain {
	return randomChain(b, rand.New(rand.NewPCG(20, 20)), 20, 0.3)
}

func BenchmarkSteadyState(b *testing.B) {
	c := benchChain(b)
	for b.Loop() {
		if _, err := c.SteadyState(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTransient(b *testing.B) {
	c := benchChain(b)
	p0 := make([]float64, 20)
	p0[0] = 1
	for _, bc := range []struct {
		name string
		t    float64
	}{
		{"t=0.5h", 0.5}, // q*t ≈ 10: a short window, no detection
		{"t=10h", 10},   // q*t ≈ 200
		{"t=1e4h", 1e4}, // q*t ≈ 2e5: stops at the limit long before the window
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := c.Transient(p0, bc.t, 0); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
