// Command graph draws the EVS disk status diagram and regenerates Table 1
// of the EVS Disk Status page from the model, so that neither can drift
// from it.
//
// With no arguments it prints the full status diagram as Graphviz DOT on
// standard output. -format (or the extension of -o) picks DOT, SVG, PNG,
// Mermaid, Table 1 as reStructuredText or Markdown, or JSON; -view figure1
// reproduces Figure 1 of the page; -ops, -actor and -statuses draw a part of
// the graph; -spec draws a spec file of one's own; -weights draws the
// traffic of a simulator run (the JSON summary of sim -format json) on the
// diagram; -trace draws a counterexample of the model checker (the JSON
// report of check -format json) as numbered, coloured arrows. Run graph -h
// for every value.
//
// Exit status: 0 when the output is written, 2 for a usage, input or I/O
// error (nothing is written to -o then).
package main

import (
	"os"

	"github.com/evsim/evsim/cmd/internal/graphcli"
)

func main() {
	os.Exit(graphcli.Run(os.Args[1:], os.Stdout, os.Stderr))
}
