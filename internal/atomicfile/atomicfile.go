// Package atomicfile writes a file whole or not at all: into a temporary
// file beside it, then renamed into place, so that a reader, an interrupted
// run or a failed write never leaves it half-written.
package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Write writes data to name with permissions 0644, replacing any file
// there only once data is entirely written. On error, name is untouched
// and no temporary file is left.
func Write(name string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", name, dirError(name, err))
	}
	tmp := f.Name()
	werr := f.Chmod(0o644)
	if werr == nil {
		_, werr = f.Write(data)
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp, name)
	}
	if werr != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", name, werr)
	}
	return nil
}

// dirError rewords the failure to create the temporary file beside name in
// terms of what the user gave: the directory of name, not the hidden
// temporary file ("directory out does not exist").
func dirError(name string, err error) error {
	dir := filepath.Dir(name)
	st, serr := os.Stat(dir)
	switch {
	case errors.Is(serr, fs.ErrNotExist):
		return fmt.Errorf("directory %s does not exist", dir)
	case serr == nil && !st.IsDir():
		return fmt.Errorf("%s is not a directory", dir)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("cannot create a file in directory %s: %w", dir, pe.Err)
	}
	return err
}

// Check reports whether name could be written by [Write]: that its
// directory exists and takes a new file, and that name is not a
// directory. It writes nothing that stays. A command checks its output
// paths with it before a long run, so that a mistyped path does not lose
// the run.
func Check(name string) error {
	if st, err := os.Stat(name); err == nil && st.IsDir() {
		return fmt.Errorf("writing %s: is a directory; want a file name", name)
	}
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", name, dirError(name, err))
	}
	f.Close()
	os.Remove(f.Name())
	return nil
}
