package exact

import "testing"

// BenchmarkBuild measures building markov-check's chain (states/s).
func BenchmarkBuild(b *testing.B) {
	cfg := load(b, "markov-check")
	var n int
	for b.Loop() {
		f, err := Build(cfg)
		if err != nil {
			b.Fatal(err)
		}
		n = f.States()
	}
	b.ReportMetric(float64(n), "states")
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "states/s")
}

// BenchmarkWindowMean measures the exact window mean of markov-check:
// two exponentials of a matrix three times the chain's size.
func BenchmarkWindowMean(b *testing.B) {
	cfg := load(b, "markov-check")
	for b.Loop() {
		f, err := Build(cfg)
		if err != nil {
			b.Fatal(err)
		}
		f.WindowMean(cfg.Warmup, cfg.Horizon)
	}
}
