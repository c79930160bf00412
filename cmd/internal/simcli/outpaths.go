package simcli

import (
	"github.com/evsim/evsim/internal/atomicfile"
)

// checkOutputPaths checks, before a run starts, that every file named by
// a flag can be written (its directory exists and takes a file), so that a
// mistyped path is an error at once rather than a run lost at its end.
// flags maps each flag name to its path; empty paths are skipped.
func checkOutputPaths(flags ...[2]string) error {
	for _, f := range flags {
		if f[1] == "" {
			continue
		}
		if err := atomicfile.Check(f[1]); err != nil {
			return &outPathError{flag: f[0], err: err}
		}
	}
	return nil
}

type outPathError struct {
	flag string
	err  error
}

func (e *outPathError) Error() string { return "sim: -" + e.flag + ": " + e.err.Error() }

// partialCSVMark is the first line of the CSV of a run stopped early: a
// comment line (read as such by spreadsheet imports and by csv readers
// with a comment character, such as pandas' comment="#"), so that a
// partial series is never taken for a whole one.
const partialCSVMark = "# partial: the run was stopped early; the series covers what was simulated"
