package simcli

import (
	"context"
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

// An output path that cannot be written is refused before the run, naming
// the user's path (not a temporary file), and nothing is simulated.
func TestOutputPathsCheckedFirst(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "no", "s.csv")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-csv", missing}, "sim: -csv: writing " + missing + ": directory " + filepath.Join(dir, "no") + " does not exist"},
		{[]string{"-csv", dir}, "sim: -csv: writing " + dir + ": is a directory; want a file name"},
		{[]string{"-sweep", "fleet.disks=100,200", "-sweep-plot", filepath.Join(dir, "no", "p.svg")}, "sim: -sweep-plot: writing "},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, stdout, stderr := runCmd(t, append([]string{"-horizon", "40d", "-replications", "1"}, tc.args...)...)
			if code != exitUsage {
				t.Fatalf("exit %d, want %d; stderr %s", code, exitUsage, stderr)
			}
			if !strings.Contains(stderr, tc.want) {
				t.Errorf("stderr %q, want it to contain %q", stderr, tc.want)
			}
			if strings.Contains(stderr, "events in") || strings.Contains(stderr, "sweep point") || stdout != "" {
				t.Errorf("the run started: stdout %q, stderr %q", stdout, stderr)
			}
			if strings.Contains(stderr, ".tmp") {
				t.Errorf("stderr %q names a temporary file", stderr)
			}
		})
	}
}

// A side file that fails at the end (its directory replaced by a file
// during the run, so that it can be neither written nor created) costs
// the file, not the summary.
func TestSummaryKeptWhenAFileFails(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	old := interrupt
	defer func() { interrupt = old }()
	interrupt = func() (context.Context, context.CancelFunc) {
		// After the paths were checked, before the files are written.
		if err := os.Remove(sub); err != nil {
			t.Error(err)
		}
		if err := os.WriteFile(sub, nil, 0o644); err != nil {
			t.Error(err)
		}
		return context.WithCancel(context.Background())
	}
	code, stdout, stderr := runCmd(t, "-scenario", "baseline", "-horizon", "40d", "-replications", "1", "-csv", filepath.Join(sub, "s.csv"))
	if code != exitUsage {
		t.Errorf("exit %d, want %d", code, exitUsage)
	}
	if !strings.Contains(stderr, "s.csv") {
		t.Errorf("stderr %q does not name the file", stderr)
	}
	if !strings.Contains(stdout, "baseline") {
		t.Errorf("summary lost: stdout %q", stdout)
	}
}
