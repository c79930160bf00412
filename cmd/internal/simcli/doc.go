// Package simcli is the sim command: cmd/sim runs it alone and cmd/evsim
// as its sim subcommand. [Run] takes the arguments and the output streams
// and returns the exit status, so the tests call it directly.
package simcli
