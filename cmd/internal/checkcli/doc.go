// Package checkcli is the check command: cmd/check runs it alone and
// cmd/evsim as its check subcommand. [Run] takes the arguments and the
// output streams and returns the exit status, so the tests call it
// directly.
package checkcli
