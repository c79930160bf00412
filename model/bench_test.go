package model

import "testing"

func BenchmarkLoadDefault(b *testing.B) {
	src := DefaultSpecSource()
	for b.Loop() {
		if _, err := Load("evs.yaml", src); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSuccessors measures the successor function on the default
// system: actions listed and applied per second along a fixed walk.
func BenchmarkSuccessors(b *testing.B) {
	sys, err := NewSystem(Default(), DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	st := sys.Init()[0]
	var buf []Action
	n := 0
	for b.Loop() {
		buf = sys.Actions(&st, buf[:0])
		for _, a := range buf {
			next := st
			sys.Apply(&next, a)
			n++
		}
		st, _ = sys.Next(st, buf[n%len(buf)])
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "successors/s")
}
