// Package cli holds the conventions every command of evsim follows, so
// that check, graph and sim (alone or as evsim subcommands) behave alike:
//
//   - -h prints the help on standard output and exits 0;
//   - a usage error prints one line naming the bad flag or argument, and a
//     pointer to -h, on standard error and exits 2;
//   - -version prints the module version and revision of the build and
//     exits 0;
//   - "-" as an output file means standard output;
//   - a directory named for output is created if missing.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/evsim/evsim/internal/version"
)

// Exit statuses shared by the commands.
const (
	ExitOK         = 0
	ExitFailed     = 1 // a property violated, a difference found
	ExitUsage      = 2 // usage, input or I/O error
	ExitIncomplete = 3 // stopped early: a budget or an interrupt
)

// Stdout is the output file name that means standard output.
const Stdout = "-"

// Parse adds -version to fs and parses args. fs's own output and Usage are
// replaced: on -h (or -help) it calls usage with stdout, on -version it
// prints [version.Info.Long] on stdout; both return done with ExitOK. A
// parse error is printed on stderr as "prog: error" with a pointer to
// "prog -h", and returns done with ExitUsage. Otherwise done is false and
// the command goes on.
func Parse(fs *flag.FlagSet, prog string, args []string, stdout, stderr io.Writer, usage func(w io.Writer)) (exit int, done bool) {
	showVersion := fs.Bool("version", false, "print the version of evsim (module version and revision) and exit")
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			usage(stdout)
			return ExitOK, true
		}
		return UsageError(stderr, prog, "%v", err), true
	}
	if *showVersion {
		fmt.Fprint(stdout, version.Read().Long("evsim"))
		return ExitOK, true
	}
	return ExitOK, false
}

// UsageError prints "prog: message" and a pointer to "prog -h" on stderr
// and returns ExitUsage.
func UsageError(stderr io.Writer, prog, format string, a ...any) int {
	fmt.Fprintf(stderr, "%s: %s\nrun %s -h for the flags and their values\n", prog, fmt.Sprintf(format, a...), prog)
	return ExitUsage
}

// EnsureDir creates the directory dir, and its parents, if missing. It is
// an error if dir exists and is not a directory.
func EnsureDir(dir string) error {
	if fi, err := os.Stat(dir); err == nil {
		if !fi.IsDir() {
			return fmt.Errorf("%s: not a directory", dir)
		}
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return nil
}

// Version is the version of the running build in one short string, as the
// reports carry it: "v1.2.0", or "(devel) 3f2a9c1d0b7e" in a checkout.
func Version() string { return version.Read().Short() }
