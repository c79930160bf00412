// Package readfile reads an input file with a bound on its size, so that a
// huge or endless input (a mistaken path, a device, a hostile file) is
// refused at once rather than read into memory.
package readfile

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// ErrTooLarge is wrapped by the error of [Read] for a file above its bound.
var ErrTooLarge = errors.New("file too large")

// Read returns the contents of path, or an error if path is a directory
// or holds more than max bytes. The size is checked before reading where
// the file system knows it, and the read stops after max+1 bytes in any
// case (a pipe or a growing file). Errors name path and say what is
// allowed: "out: is a directory; want a file", "big.yaml: is 5 MiB; at
// most 256 KiB is allowed".
func Read(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return nil, fmt.Errorf("%s: is a directory; want a file", path)
	}
	if st.Mode().IsRegular() && st.Size() > max {
		return nil, tooLarge(path, st.Size(), max)
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%s: more than %s; at most %s is allowed: %w", path, Size(max), Size(max), ErrTooLarge)
	}
	return data, nil
}

func tooLarge(path string, size, max int64) error {
	got, most := Size(size), Size(max)
	if got == most { // just over: the rounded sizes would read the same
		got, most = fmt.Sprintf("%d bytes", size), fmt.Sprintf("%d bytes", max)
	}
	return fmt.Errorf("%s: is %s; at most %s is allowed: %w", path, got, most, ErrTooLarge)
}

// Size renders a number of bytes for people: "512 bytes", "1 KiB",
// "1.5 MiB", "4 GiB", with at most one decimal, dropped when it is zero.
func Size(n int64) string {
	if n < 1024 && n > -1024 {
		return fmt.Sprintf("%d bytes", n)
	}
	units := []string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	v, u := float64(n)/1024, 0
	for u < len(units)-1 && (v >= 1024 || v <= -1024) {
		v /= 1024
		u++
	}
	s := fmt.Sprintf("%.1f", v)
	if len(s) > 2 && s[len(s)-2:] == ".0" {
		s = s[:len(s)-2]
	}
	return s + " " + units[u]
}
