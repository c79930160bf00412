package model

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// hostileSpecs are files built to make a loader hang or exhaust memory:
// each must be refused quickly with an error that points at it.
var hostileSpecs = []struct {
	file string
	want string // in the error
	line int    // of the first error; 0 for the whole file
}{
	{"alias-bomb.yaml", "expands to more than 200000 values", 15},
	{"deep-flow.yaml", "nested more than 64 levels deep", 3},
	{"deep-block.yaml", "nested more than 64 levels deep", 67},
	{"many-statuses.yaml", "statuses: more than 30 entries; at most 30 are allowed", 34},
	{"oversize.yaml", "the spec is 300 KiB; at most 256 KiB is allowed", 0},
}

func TestLoadHostile(t *testing.T) {
	for _, tc := range hostileSpecs {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join("testdata", "hostile", tc.file)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Load(path, data)
			if err == nil {
				t.Fatal("loaded; want an error")
			}
			el, ok := err.(ErrorList)
			if !ok || len(el) == 0 {
				t.Fatalf("got %T %v, want an ErrorList", err, err)
			}
			if !strings.Contains(el[0].Error(), tc.want) {
				t.Errorf("got %q, want it to contain %q", el[0].Error(), tc.want)
			}
			if el[0].Line != tc.line {
				t.Errorf("got line %d, want %d (%v)", el[0].Line, tc.line, el[0])
			}
			if !strings.HasPrefix(el[0].Error(), path) {
				t.Errorf("got %q, want it to start with the file name", el[0].Error())
			}
		})
	}
}

// BenchmarkLoadHostile reports how long each hostile file takes to be
// refused (each under a millisecond to a few tens of milliseconds; before
// the bounds, minutes).
func BenchmarkLoadHostile(b *testing.B) {
	for _, tc := range hostileSpecs {
		data, err := os.ReadFile(filepath.Join("testdata", "hostile", tc.file))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(strings.TrimSuffix(tc.file, ".yaml"), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := Load(tc.file, data); err == nil {
					b.Fatal("loaded")
				}
			}
		})
	}
}

func TestLoadByteOrderMark(t *testing.T) {
	s, err := Load("bom.yaml", append([]byte("\xef\xbb\xbf"), DefaultSpecSource()...))
	if err != nil {
		t.Fatalf("a spec with a UTF-8 byte-order mark: %v", err)
	}
	if len(s.Statuses) != len(Default().Statuses) {
		t.Errorf("got %d statuses, want %d", len(s.Statuses), len(Default().Statuses))
	}
}

// An anchor and its aliases in moderation are fine: the bound counts the
// expansion, not the use of aliases.
func TestLoadAliasesAllowed(t *testing.T) {
	const ref = `basis: {tag: docs, ref: "EVS API reference, disk status appendix (evs_04_0040)"}`
	spec := DefaultSpecSource()
	if bytes.Count(spec, []byte(ref)) < 2 {
		t.Fatal("the embedded spec no longer has two equal docs bases")
	}
	spec = bytes.Replace(spec, []byte(ref), []byte("basis: &api {tag: docs, ref: \"EVS API reference, disk status appendix (evs_04_0040)\"}"), 1)
	spec = bytes.Replace(spec, []byte(ref), []byte("basis: *api"), 1)
	if _, err := Load("aliases.yaml", spec); err != nil {
		t.Fatalf("a spec with an anchor and an alias: %v", err)
	}
}

func TestLoadWholeNumbers(t *testing.T) {
	src := bytes.Replace(DefaultSpecSource(), []byte("  attachments: 1 "), []byte("  attachments: 1.5 "), 1)
	if bytes.Equal(src, DefaultSpecSource()) {
		t.Fatal("the embedded spec has no attachments: 1 line")
	}
	_, err := Load("x.yaml", src)
	if err == nil || !strings.Contains(err.Error(), "limits.attachments: 1.5 is not a whole number") {
		t.Errorf("got %v, want limits.attachments: 1.5 is not a whole number", err)
	}
}
