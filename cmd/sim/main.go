// Command sim runs a fleet-scale discrete-event simulation of the EVS disk
// status graph and prints what it measured: disks per status, operations
// and failures per day, tickets and waiting times, and the storage pool,
// each with a 95% confidence interval over replications.
//
// Usage:
//
//	sim [flags]
//
// With no flags it runs the embedded baseline scenario. -scenario takes the
// name of an embedded scenario (-list shows them) or a YAML file. The seed
// and a command line that reproduces the run go to stderr; the summary
// (a table, or JSON with -format json) goes to stdout.
//
// Exit status: 0 done, 2 bad usage, input or I/O error, 3 stopped early
// (Ctrl-C): what was simulated so far is written, marked partial.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
