package simcli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every file sim reads has a size bound, checked before it is parsed; a
// directory given as a scenario is named as such.
func TestInputFilesBounded(t *testing.T) {
	dir := t.TempDir()
	shard := filepath.Join(dir, "shard-0.json")
	f, err := os.Create(shard)
	if err == nil {
		err = f.Truncate(maxShardBytes + 1) // sparse: no room on disk
		f.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, []byte("horizon: 10d\n"+strings.Repeat("# padding\n", 30_000)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"merge", shard}, "shard-0.json: is 1073741825 bytes; at most 1073741824 bytes is allowed"},
		{[]string{"-scenario", big}, "big.yaml: is 293 KiB; at most 256 KiB is allowed"},
		{[]string{"-scenario", dir}, dir + ": is a directory; want a scenario file, or one of baseline"},
		{[]string{"-sweep", "fleet.disks=10,20", "-scenario", big}, "big.yaml: is 293 KiB; at most 256 KiB is allowed"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, stdout, stderr := runCmd(t, tc.args...)
			if code != exitUsage {
				t.Fatalf("exit %d, want %d; stderr %s", code, exitUsage, stderr)
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
