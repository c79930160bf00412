package atomicfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteReplacesWhole(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "out.txt")
	if err := os.WriteFile(name, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Write(name, []byte("new contents")); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(name)
	if err != nil || string(got) != "new contents" {
		t.Fatalf("got %q, %v; want the new contents", got, err)
	}
	if fi, _ := os.Stat(name); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", fi.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("%d entries in the folder, want only the file", len(entries))
	}
}

func TestWriteFailsCleanly(t *testing.T) {
	dir := t.TempDir()
	// A folder where the file should go: the rename fails.
	name := filepath.Join(dir, "taken")
	if err := os.Mkdir(name, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(name, "keep"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(name, []byte("x")); err == nil {
		t.Fatal("writing over a non-empty folder succeeded")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("a temporary file was left: %d entries", len(entries))
	}
	if err := Write(filepath.Join(dir, "missing", "f"), []byte("x")); err == nil {
		t.Error("writing into a missing folder succeeded")
	}
}

// An error names the path the user gave, never the hidden temporary file.
func TestErrorsNameTheUsersPath(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path, want string
	}{
		{"missing directory", filepath.Join(dir, "no", "x.xml"), "writing " + filepath.Join(dir, "no", "x.xml") + ": directory " + filepath.Join(dir, "no") + " does not exist"},
		{"file as directory", filepath.Join(file, "x.xml"), file + " is not a directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for what, err := range map[string]error{"Write": Write(tc.path, []byte("x")), "Check": Check(tc.path)} {
				if err == nil || err.Error() != tc.want && !strings.HasSuffix(err.Error(), tc.want) {
					t.Errorf("%s: got %v, want %q", what, err, tc.want)
				}
				if err != nil && strings.Contains(err.Error(), ".tmp") {
					t.Errorf("%s: %v names the temporary file", what, err)
				}
			}
		})
	}
	if err := Check(dir); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("Check(dir): got %v, want is a directory", err)
	}
	if err := Check(filepath.Join(dir, "ok.csv")); err != nil {
		t.Errorf("Check: %v", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("Check left %d files, want only the one there before", len(ents))
	}
}
