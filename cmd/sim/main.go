// Command sim runs a fleet-scale discrete-event simulation of the EVS disk
// status graph and prints what it measured: disks per status, operations
// and failures per day, tickets and waiting times, and the storage pool,
// each with a 95% confidence interval over replications.
//
// Usage:
//
//	sim [flags]
//	sim merge [flags] SHARD.json...
//
// With no flags it runs the embedded baseline scenario. -scenario takes the
// name of an embedded scenario (-list shows them) or a YAML file. The seed
// and a command line that reproduces the run go to stderr; the summary
// (a table, or JSON with -format json) goes to stdout. -plot DIR writes
// pictures of the run (occupancy, occupancy-non-stable, tickets, pool).
//
// -shard i/n runs only shard i (from 0) of n of the replications, with the
// random streams they have in a whole run, and writes a shard file (JSON)
// to stdout; sim merge combines the shard files of one run into the
// summary the whole run gives, byte for byte, and refuses shards of
// different runs.
//
// -exact adds, where the scenario's disks form a Markov chain, the exact
// expected occupancy beside the simulated one (and otherwise the reasons
// there is none). -sweep PATH=v1,v2,... (or from:to:steps; several make
// a grid) runs the scenario for each value of a figure named by its path
// in the scenario file and prints a table of the outputs that matter, and
// -sweep-plot draws it.
//
// Exit status: 0 done, 2 bad usage, input or I/O error, 3 stopped early
// (Ctrl-C): what was simulated so far is written, marked partial.
package main

import (
	"os"

	"github.com/evsim/evsim/cmd/internal/simcli"
)

func main() {
	os.Exit(simcli.Run(os.Args[1:], os.Stdout, os.Stderr))
}
