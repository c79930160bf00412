package main

import (
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
	buildOut  []byte
)

// evsimBinary builds evsim once per test run as the Dockerfile does
// (CGO_ENABLED=0, stamped with the version-control revision) and returns
// its path.
func evsimBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "evsim-bin")
		if buildErr != nil {
			return
		}
		build := exec.Command("go", "build", "-buildvcs=true", "-o", filepath.Join(buildDir, "evsim"), ".")
		build.Env = append(os.Environ(), "CGO_ENABLED=0")
		buildOut, buildErr = build.CombinedOutput()
	})
	if buildErr != nil {
		t.Fatalf("go build: %v\n%s", buildErr, buildOut)
	}
	return filepath.Join(buildDir, "evsim")
}

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// TestInstalledBinary builds evsim as the Dockerfile does (CGO_ENABLED=0,
// with the version-control stamp) and checks that -version names the
// revision of the checkout and that the binary is static: it has no
// program interpreter (dynamic loader) and needs no shared library, so it
// runs on a scratch or distroless image.
func TestInstalledBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("no git")
	}
	rev, err := exec.Command(git, "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skipf("not a git checkout: %v", err)
	}
	// The go command stamps the revision only where .git is a directory
	// (a clone), not a file (a git worktree).
	top, _ := exec.Command(git, "rev-parse", "--show-toplevel").Output()
	fi, err := os.Stat(filepath.Join(strings.TrimSpace(string(top)), ".git"))
	stamped := err == nil && fi.IsDir()
	bin := evsimBinary(t)
	out, err := exec.Command(bin, "-version").Output()
	if err != nil {
		t.Fatalf("evsim -version: %v", err)
	}
	if want := "revision " + strings.TrimSpace(string(rev)); stamped && !strings.Contains(string(out), want) {
		t.Errorf("evsim -version printed\n%s\nwant a line with %q", out, want)
	}
	// Built in a clone, the go command stamps a pseudo-version from the
	// revision (v0.0.0-DATE-REV); elsewhere the version is (devel).
	first, _, _ := strings.Cut(string(out), "\n")
	if v, ok := strings.CutPrefix(first, "evsim "); !ok || v != "(devel)" && !strings.HasPrefix(v, "v") {
		t.Errorf("evsim -version printed\n%s\nwant evsim (devel) or evsim vX.Y.Z first", out)
	}
	if stamped && !strings.Contains(first, strings.TrimSpace(string(rev))[:12]) && first != "evsim (devel)" {
		t.Errorf("evsim -version's first line %q names neither (devel) nor revision %.12s", first, rev)
	}
	for _, sub := range []string{"check", "graph", "sim"} {
		o, err := exec.Command(bin, sub, "-version").Output()
		if err != nil || string(o) != string(out) {
			t.Errorf("evsim %s -version: %v\n%s\nwant the same as evsim -version", sub, err, o)
		}
	}
	f, err := elf.Open(bin)
	if err != nil {
		t.Skipf("not an ELF binary on this system: %v", err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("the binary asks for a dynamic loader (PT_INTERP): not static")
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("the binary needs shared libraries %v: not static", libs)
	}
}
