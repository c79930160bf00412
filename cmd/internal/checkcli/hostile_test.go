package checkcli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every file check reads has a size bound, checked before it is parsed,
// and a directory is refused as such.
func TestInputFilesBounded(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, []byte("name: x\n"+strings.Repeat("# padding\n", 30_000)), 0o644); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(dir, "page.rst")
	if err := os.WriteFile(page, make([]byte, maxDocsBytes+1), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"spec too large", []string{"-spec", big}, "big.yaml: is 293 KiB; at most 256 KiB is allowed"},
		{"spec is a directory", []string{"-spec", dir}, "is a directory; want a file"},
		{"docs page too large", []string{"-docs", page}, "page.rst: is 4194305 bytes; at most 4194304 bytes is allowed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCheck(t, tc.args...)
			if code != exitBadInput {
				t.Fatalf("exit %d, want %d; stderr %s", code, exitBadInput, stderr)
			}
			if !strings.Contains(stderr, tc.want) {
				t.Errorf("stderr %q, want it to contain %q", stderr, tc.want)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
		})
	}
}

// A size in -disks beyond the spec's limits is bad input naming the
// limit, not a violated property.
func TestDiskSizeBeyondLimit(t *testing.T) {
	for _, tc := range []struct {
		disks, want string
	}{
		{"shared:999999999", "check: -disks: disk 1: size 999999999 GiB is above the largest a data disk may have; want 1 to 32768 (the spec's limits.data_size)"},
		{"data:10,system:1025", "disk 2: size 1025 GiB is above the largest a system disk may have; want 1 to 1024 (the spec's limits.system_size)"},
	} {
		code, stdout, stderr := runCheck(t, "-disks", tc.disks)
		if code != exitBadInput {
			t.Errorf("-disks %s: exit %d, want %d", tc.disks, code, exitBadInput)
		}
		if !strings.Contains(stderr, tc.want) || stdout != "" {
			t.Errorf("-disks %s: stderr %q, want %q and no report", tc.disks, stderr, tc.want)
		}
	}
	if code, _, stderr := runCheck(t, "-disks", "data:32768,system:1024", "-max-states", "10"); code == exitBadInput {
		t.Errorf("sizes at the limits refused: %s", stderr)
	}
}

// A small -max-memory is shown as given, not rounded down to "0 MiB".
func TestMaxMemoryShownAsGiven(t *testing.T) {
	code, _, stderr := runCheck(t, "-max-memory", "1KiB")
	if code != exitIncomplete {
		t.Fatalf("exit %d, want %d", code, exitIncomplete)
	}
	if !strings.Contains(stderr, "stopped at -max-memory 1 KiB") {
		t.Errorf("stderr %q, want it to say 1 KiB", stderr)
	}
}
