// Command evsim is the one binary of the project: evsim check, evsim graph
// and evsim sim are the commands check, graph and sim, with the same flags
// and the same exit statuses.
//
// Usage:
//
//	evsim check [flags]
//	evsim graph [flags]
//	evsim sim [flags]
//	evsim sim merge [flags] SHARD.json...
//
// Run evsim COMMAND -h for the flags of a command. evsim -version (or
// evsim COMMAND -version) prints the module version and the revision the
// binary was built from.
//
// Every command follows the same conventions: -h prints the help on
// standard output (exit 0); a usage error prints what is wrong on standard
// error (exit 2); "-o -" means standard output; a directory named for
// output is created if missing.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/evsim/evsim/cmd/internal/checkcli"
	"github.com/evsim/evsim/cmd/internal/graphcli"
	"github.com/evsim/evsim/cmd/internal/simcli"
	"github.com/evsim/evsim/internal/version"
)

var commands = []struct {
	name string
	run  func(args []string, stdout, stderr io.Writer) int
	what string
}{
	{"check", checkcli.Run, "explore every reachable state of a fleet and check the rules of the spec"},
	{"graph", graphcli.Run, "draw the status diagram, or print Table 1, from the spec"},
	{"sim", simcli.Run, "simulate a fleet in virtual time, with confidence intervals"},
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		usage(stdout)
		return 0
	case "-version", "--version", "version":
		fmt.Fprint(stdout, version.Read().Long("evsim"))
		return 0
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "evsim: unknown command %q\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: evsim COMMAND [flags]\n\ncommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-6s %s\n", c.name, c.what)
	}
	fmt.Fprintln(w, "\nRun evsim COMMAND -h for the flags of a command, evsim -version for the version.")
}
