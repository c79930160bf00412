package readfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.txt")
	if err := os.WriteFile(small, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		path string
		max  int64
		want string // in the error; "" for success
	}{
		{"fits", small, 5, ""},
		{"too large", small, 4, "small.txt: is 5 bytes; at most 4 bytes is allowed"},
		{"directory", dir, 100, "is a directory; want a file"},
		{"missing", filepath.Join(dir, "nope"), 100, "no such file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data, err := Read(tc.path, tc.max)
			if tc.want == "" {
				if err != nil || string(data) != "hello" {
					t.Fatalf("got %q, %v; want hello", data, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
			if tc.name == "too large" && !errors.Is(err, ErrTooLarge) {
				t.Errorf("got %v, want it to wrap ErrTooLarge", err)
			}
		})
	}
}

// A device or a pipe has no size to check first: the read itself stops.
func TestReadEndless(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	_, err := Read("/dev/zero", 1<<20)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("got %v, want ErrTooLarge", err)
	}
}

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0 bytes", 1023: "1023 bytes", 1024: "1 KiB", 1536: "1.5 KiB",
		256 << 10: "256 KiB", 1 << 20: "1 MiB", 5<<20 + 1<<19: "5.5 MiB", 4 << 30: "4 GiB",
	} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}
