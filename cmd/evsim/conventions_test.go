package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConventions holds every command to the same conventions: -h prints
// the help on stdout only (exit 0), a bad flag or argument is a usage
// error on stderr only (exit 2), -version prints the version on stdout.
func TestConventions(t *testing.T) {
	for _, cmd := range [][]string{{"check"}, {"graph"}, {"sim"}, {"sim", "merge"}, {"sim", "fit"}} {
		name := strings.Join(cmd, " ")
		valued := "-o" // a flag that takes a value
		if name == "check" {
			valued = "-spec"
		}
		t.Run(name, func(t *testing.T) {
			for _, tc := range []struct {
				args       []string
				code       int
				stdout     string // "" means stdout must be empty
				stderr     string // "" means stderr must be empty
				stdoutNone bool
			}{
				{[]string{"-h"}, 0, "usage: " + name, "", false},
				{[]string{"-help"}, 0, "-version", "", false},
				{[]string{"-version"}, 0, "evsim ", "", false},
				{[]string{"-no-such-flag"}, 2, "", name + ": flag provided but not defined: -no-such-flag\nrun " + name + " -h", true},
				{[]string{valued}, 2, "", "flag needs an argument: " + valued, true},
			} {
				var out, errb bytes.Buffer
				code := run(append(append([]string{}, cmd...), tc.args...), &out, &errb)
				if code != tc.code {
					t.Errorf("%v: exit %d, want %d (stderr %q)", tc.args, code, tc.code, errb.String())
				}
				if tc.stdoutNone && out.Len() != 0 {
					t.Errorf("%v: stdout %q, want nothing", tc.args, out.String())
				}
				if !strings.Contains(out.String(), tc.stdout) {
					t.Errorf("%v: stdout %q lacks %q", tc.args, out.String(), tc.stdout)
				}
				if tc.stderr == "" && errb.Len() != 0 {
					t.Errorf("%v: stderr %q, want nothing", tc.args, errb.String())
				}
				if !strings.Contains(errb.String(), tc.stderr) {
					t.Errorf("%v: stderr %q lacks %q", tc.args, errb.String(), tc.stderr)
				}
			}
		})
	}
	var out, errb bytes.Buffer
	if code := run([]string{"-version"}, &out, &errb); code != 0 || !strings.HasPrefix(out.String(), "evsim ") || !strings.Contains(out.String(), "module   github.com/evsim/evsim") {
		t.Errorf("evsim -version: exit %d, %q", code, out.String())
	}
}

// TestOutputPaths: "-o -" is stdout, and directories named for output are
// created if missing.
func TestOutputPaths(t *testing.T) {
	var a, b, errb bytes.Buffer
	if code := run([]string{"graph", "-format", "mermaid", "-o", "-"}, &a, &errb); code != 0 {
		t.Fatalf("graph -o -: exit %d: %s", code, errb.String())
	}
	if code := run([]string{"graph", "-format", "mermaid"}, &b, &errb); code != 0 || a.String() != b.String() {
		t.Errorf("graph -o - printed %d bytes, graph alone %d: want the same", a.Len(), b.Len())
	}
	dir := t.TempDir()
	svg := filepath.Join(dir, "new", "deeper", "statuses.svg")
	if code := run([]string{"graph", "-o", svg}, &a, &errb); code != 0 {
		t.Fatalf("graph -o %s: exit %d: %s", svg, code, errb.String())
	}
	if _, err := os.Stat(svg); err != nil {
		t.Error(err)
	}
	outDir, plotDir := filepath.Join(dir, "run", "out"), filepath.Join(dir, "run", "plots")
	a.Reset()
	if code := run([]string{"sim", "-horizon", "40d", "-replications", "1", "-progress", "never", "-o", outDir, "-plot", plotDir, "-plot-format", "svg"}, &a, &errb); code != 0 {
		t.Fatalf("sim: exit %d: %s", code, errb.String())
	}
	for _, f := range []string{filepath.Join(outDir, "summary.json"), filepath.Join(plotDir, "pool.svg")} {
		if _, err := os.Stat(f); err != nil {
			t.Error(err)
		}
	}
}
