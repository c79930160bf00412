package graphcli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every file graph reads has a size bound, checked before it is parsed.
func TestInputFilesBounded(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.json")
	if err := sparse(big, MaxTraceBytes+1); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"trace", []string{"-trace", big}, "-trace: " + big + ": is 67108865 bytes; at most 67108864 bytes is allowed"},
		{"weights", []string{"-weights", big}, "-weights: " + big + ": is 67108865 bytes; at most 67108864 bytes is allowed"},
		{"spec", []string{"-spec", big}, big + ": is 64 MiB; at most 256 KiB is allowed"},
		{"trace directory", []string{"-trace", dir}, "is a directory; want a file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := run(tc.args, &out, &errb); code != 2 {
				t.Fatalf("exit %d, want 2; stderr %s", code, errb.String())
			}
			if !strings.Contains(errb.String(), tc.want) {
				t.Errorf("stderr %q, want it to contain %q", errb.String(), tc.want)
			}
		})
	}
}

// sparse makes a file of size bytes that takes no room on disk.
func sparse(path string, size int64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := f.Truncate(size); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
