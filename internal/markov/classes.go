package markov

import (
	"fmt"
	"slices"
	"strings"

	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/graph/topo"
)

// structure is the communicating-class decomposition of a chain's rate graph
// (an edge i->j for every positive rate).
type structure struct {
	closed    [][]int // closed classes, each sorted, ordered by first state
	transient []int   // states in no closed class, sorted
}

func (s structure) irreducible() bool {
	return len(s.closed) == 1 && len(s.transient) == 0
}

// structure finds the strongly connected components of the rate graph with
// gonum's topo.TarjanSCC; a component is closed when no positive rate leaves it.
func (c *Chain) structure() structure {
	n := len(c.names)
	g := simple.NewDirectedGraph()
	for i := range n {
		g.AddNode(simple.Node(i))
	}
	for i := range n {
		for j, r := range c.rate[i] {
			if r > 0 && i != j {
				g.SetEdge(g.NewEdge(simple.Node(i), simple.Node(j)))
			}
		}
	}
	comp := make([]int, n)
	var sccs [][]int
	for k, nodes := range topo.TarjanSCC(g) {
		idx := make([]int, len(nodes))
		for m, nd := range nodes {
			idx[m] = int(nd.ID())
			comp[idx[m]] = k
		}
		slices.Sort(idx)
		sccs = append(sccs, idx)
	}
	var s structure
	for k, idx := range sccs {
		closed := true
		for _, i := range idx {
			for j, r := range c.rate[i] {
				if r > 0 && comp[j] != k {
					closed = false
				}
			}
		}
		if closed {
			s.closed = append(s.closed, idx)
		} else {
			s.transient = append(s.transient, idx...)
		}
	}
	slices.SortFunc(s.closed, func(a, b []int) int { return a[0] - b[0] })
	slices.Sort(s.transient)
	return s
}

// Classes returns the closed communicating classes of the chain (each in
// state order, classes ordered by their first state) and the transient
// states (those in no closed class). The chain is irreducible exactly when
// there is one closed class and no transient state.
func (c *Chain) Classes() (closed [][]string, transient []string) {
	s := c.structure()
	for _, idx := range s.closed {
		closed = append(closed, c.namesOf(idx))
	}
	return closed, c.namesOf(s.transient)
}

// describe renders the class structure for error messages, for example
// "closed classes {a, b}, {c}; transient states {d}".
func (c *Chain) describe(s structure) string {
	var b strings.Builder
	set := func(idx []int) string {
		return "{" + strings.Join(c.namesOf(idx), ", ") + "}"
	}
	if len(s.closed) == 1 {
		b.WriteString("closed class ")
	} else {
		b.WriteString("closed classes ")
	}
	for k, idx := range s.closed {
		if k > 0 {
			b.WriteString(", ")
		}
		b.WriteString(set(idx))
	}
	if len(s.transient) > 0 {
		fmt.Fprintf(&b, "; transient states %s", set(s.transient))
	}
	return b.String()
}
