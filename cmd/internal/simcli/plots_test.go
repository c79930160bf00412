package simcli

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func TestPlotFlag(t *testing.T) {
	dir := t.TempDir()
	code, _, errs := runCmd(t, "-horizon", "40d", "-replications", "2", "-plot", dir, "-progress", "never")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	if got, want := strings.Join(names, " "), "occupancy-non-stable.png occupancy.png pool.png tickets.png"; got != want {
		t.Fatalf("files %q, want %q (no temporary files left)", got, want)
	}
	data, err := os.ReadFile(filepath.Join(dir, "pool.png"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(bytes.NewReader(data)); err != nil {
		t.Errorf("pool.png: %v", err)
	}

	svg := t.TempDir()
	if code, _, errs := runCmd(t, "-horizon", "40d", "-replications", "1", "-plot", svg, "-plot-format", "svg", "-progress", "never"); code != exitOK {
		t.Fatalf("svg: exit %d: %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(svg, "occupancy.svg")); err != nil {
		t.Error(err)
	}
}

func TestPlotFlagErrors(t *testing.T) {
	dir := t.TempDir()
	aFile := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(aFile, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"format", []string{"-plot", dir, "-plot-format", "gif"}, `-plot-format "gif"; want png or svg`},
		{"not a directory", []string{"-plot", aFile}, "not a directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errs := runCmd(t, append(tc.args, "-horizon", "40d", "-replications", "1")...)
			if code != exitUsage || !strings.Contains(errs, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", code, errs, tc.want)
			}
		})
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("%d files written on error", len(ents))
	}
}
