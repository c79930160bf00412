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
