// Package atomicfile writes a file whole or not at all: into a temporary
// file beside it, then renamed into place, so that a reader, an interrupted
// run or a failed write never leaves it half-written.
package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
)

// Write writes data to name with permissions 0644, replacing any file
// there only once data is entirely written. On error, name is untouched
// and no temporary file is left.
func Write(name string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
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
