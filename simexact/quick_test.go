package simexact

import (
	"context"
	"fmt"
	"testing"

	"evsim/model"
	"evsim/scenarios"
	"evsim/sim"
)

func TestQuick(t *testing.T) {
	sc, err := scenarios.Get("markov-check", model.Default())
	if err != nil {
		t.Fatal(err)
	}
	f, err := Build(sc.Config)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("states %d", f.States())
	ex := f.WindowMean(sc.Config.Warmup, sc.Config.Horizon)
	sum, err := sim.Run(context.Background(), sc.Config, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range sum.Statuses {
		d := (row.Disks.Mean - ex[i]) / row.Disks.HalfWidth
		fmt.Printf("%-20s %12.4f ± %8.4f  exact %12.4f  %6.2f\n", row.Name, row.Disks.Mean, row.Disks.HalfWidth, ex[i], d)
	}
	fmt.Println(f.Endings())
	for _, s := range f.Absorbing() {
		m, _ := f.MeanTimeTo(s)
		fmt.Println("absorbing", s, m)
	}
}
