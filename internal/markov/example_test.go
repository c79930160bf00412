package markov_test

import (
	"fmt"

	"github.com/evsim/evsim/internal/markov"
)

// A disk that is attached (Available -> In-use) at 2 per hour and detached
// (In-use -> Available) at 0.5 per hour.
func Example() {
	c, err := markov.New([]string{"Available", "In-use"})
	if err != nil {
		panic(err)
	}
	if err := c.AddRate("Available", "In-use", 2); err != nil {
		panic(err)
	}
	if err := c.AddRate("In-use", "Available", 0.5); err != nil {
		panic(err)
	}

	// Long-run fractions: 0.5/2.5 and 2/2.5.
	pi, err := c.SteadyState()
	if err != nil {
		panic(err)
	}
	fmt.Printf("steady state: Available %.4f, In-use %.4f\n", pi[0], pi[1])

	// From Available, after one hour: 0.2 + 0.8·e^{-2.5}.
	p, err := c.Transient([]float64{1, 0}, 1, 0)
	if err != nil {
		panic(err)
	}
	fmt.Printf("after 1h: Available %.4f, In-use %.4f\n", p[0], p[1])

	// Mean time from Available until first In-use: 1/2 hour.
	mean, _, err := c.MeanTimeToAbsorption([]float64{1, 0}, []string{"In-use"})
	if err != nil {
		panic(err)
	}
	fmt.Printf("mean time to In-use: %.4f h\n", mean)
	// Output:
	// steady state: Available 0.2000, In-use 0.8000
	// after 1h: Available 0.2657, In-use 0.7343
	// mean time to In-use: 0.5000 h
}
