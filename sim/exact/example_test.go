package exact_test

import (
	"fmt"
	"strings"

	"github.com/evsim/evsim/model"
	"github.com/evsim/evsim/scenarios"
	"github.com/evsim/evsim/sim/exact"
)

// Build solves a scenario's chain: the expected disks per status over the
// simulator's measured window, and how a new disk's life ends.
func ExampleBuild() {
	spec := model.Default()
	sc, err := scenarios.Get("markov-check", spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	f, err := exact.Build(sc.Config)
	if err != nil {
		fmt.Println(err)
		return
	}
	mean := f.WindowMean(sc.Config.Warmup, sc.Config.Horizon)
	for _, name := range []string{"In-use", "Expanding", "Expansion failed"} {
		id, _ := spec.StatusByName(name)
		fmt.Printf("%s: %.2f disks\n", name, mean[id])
	}
	ends, life, _, _ := f.Endings()
	for _, e := range ends {
		name := "deleted"
		if e.Status != model.Gone {
			name = spec.StatusName(e.Status)
		}
		fmt.Printf("ends %s: %.1f%%\n", name, 100*e.Probability)
	}
	fmt.Printf("mean life: %.0f days\n", life/24)
	// Output:
	// In-use: 734.88 disks
	// Expanding: 1.31 disks
	// Expansion failed: 58.47 disks
	// ends Deletion failed: 8.6%
	// ends Expansion failed: 17.9%
	// ends deleted: 73.5%
	// mean life: 283 days
}

// A scenario whose disks interact has no exact answer; the error says why.
func ExampleNotMarkovianError() {
	sc, err := scenarios.Get("pool-crunch", model.Default())
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = exact.Build(sc.Config)
	if nm, ok := err.(*exact.NotMarkovianError); ok {
		for _, r := range nm.Reasons {
			if strings.Contains(r, "pool") {
				fmt.Println(r)
			}
		}
	}
	// Output:
	// the pool is finite (pool.capacity_gib): whether a creation or an expansion gets room depends on the other disks
}
