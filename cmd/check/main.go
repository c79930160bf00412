// Command check explores every reachable state of a bounded fleet of disks
// and servers under the EVS disk status spec, checks every documented
// property on every state and transition, and prints a report with a
// shortest trace for each violated property.
//
// Usage:
//
//	check [flags]
//
// With no flags it checks the embedded spec with the default configuration:
// a shared 10 GiB data disk and a 1023 GiB system disk, two servers, one
// snapshot, one backup and two size steps per disk, with the operator and
// server power switching. Run check -h for every flag.
//
// Exit status: 0 when every property holds, 1 when one is violated, 2 for
// bad input or an I/O error, 3 when the search stopped before it could
// decide (raise -max-states or -max-memory) or was interrupted (SIGINT or
// SIGTERM: the reports of what was explored are written, marked
// interrupted).
//
// Reports: -format text, json, sarif or github on stdout; -junit FILE and
// -html FILE beside it.
package main

import (
	"os"

	"github.com/evsim/evsim/cmd/internal/checkcli"
)

func main() {
	os.Exit(checkcli.Run(os.Args[1:], os.Stdout, os.Stderr))
}
