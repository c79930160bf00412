package scenarios

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evsim/evsim/model"
)

var hostileScenarios = []struct {
	file string
	want string
	line int
}{
	{"alias-bomb.yaml", "expands to more than 200000 values", 11},
	{"deep-flow.yaml", "nested more than 64 levels deep", 3},
	{"many-keys.yaml", `key "op1000": more than 1000 keys in one mapping; at most 1000 are allowed`, 1004},
	{"many-rates.yaml", "rates: more than 60 entries; at most 60 are allowed", 3},
}

func TestLoadHostile(t *testing.T) {
	for _, tc := range hostileScenarios {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join("testdata", "hostile", tc.file)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Load(path, data, model.Default())
			el, ok := err.(model.ErrorList)
			if !ok || len(el) == 0 {
				t.Fatalf("got %T %v, want a model.ErrorList", err, err)
			}
			if !strings.Contains(el[0].Error(), tc.want) {
				t.Errorf("got %q, want it to contain %q", el[0].Error(), tc.want)
			}
			if el[0].Line != tc.line {
				t.Errorf("got line %d, want %d (%v)", el[0].Line, tc.line, el[0])
			}
		})
	}
}

func BenchmarkLoadHostile(b *testing.B) {
	spec := model.Default()
	for _, tc := range hostileScenarios {
		data, err := os.ReadFile(filepath.Join("testdata", "hostile", tc.file))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(strings.TrimSuffix(tc.file, ".yaml"), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := Load(tc.file, data, spec); err == nil {
					b.Fatal("loaded")
				}
			}
		})
	}
}

// Every mistake of a long file is not worth reporting: the loader stops
// collecting at maxErrors, so that placing them stays linear.
func TestLoadManyErrors(t *testing.T) {
	var b strings.Builder
	b.WriteString("horizon: 1d\nfleet:\n  disks: 10\ngrowth:\n  creations_per_day: 1\n  mix:\n")
	for i := range 5000 {
		b.WriteString(fmt.Sprintf("    nosuch%d: 1\n", i))
	}
	_, err := Load("mix.yaml", []byte(b.String()), model.Default())
	el, ok := err.(model.ErrorList)
	if !ok {
		t.Fatalf("got %T %v, want a model.ErrorList", err, err)
	}
	if len(el) > maxErrors {
		t.Errorf("got %d errors, want at most %d", len(el), maxErrors)
	}
}

func TestLoadByteOrderMark(t *testing.T) {
	data, err := files.ReadFile("baseline.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Load("bom.yaml", append([]byte("\xef\xbb\xbf"), data...), model.Default()); err != nil {
		t.Fatalf("a scenario with a UTF-8 byte-order mark: %v", err)
	}
}

// Errors that say what the user did.
func TestLoadSaysWhatIsWrong(t *testing.T) {
	for _, tc := range []struct {
		src, want string
	}{
		{"horizon: 10d\nfleet:\n  disks: 200.5\n", "x.yaml:3:10: fleet.disks: 200.5 is not a whole number; want a whole number, such as 200"},
		{"horizon: 10d\nsample_interval: 1ns\nfleet:\n  disks: 20\n", `x.yaml:2:18: sample_interval: "1ns" is too short: durations are in seconds or longer`},
		{"horizon: 10d\nsample_interval: 5ms\nfleet:\n  disks: 20\n", `sample_interval: "5ms" is too short`},
	} {
		_, err := Load("x.yaml", []byte(tc.src), model.Default())
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want %q", tc.src, err, tc.want)
		}
	}
	src, err := files.ReadFile("markov-check.yaml")
	if err != nil {
		t.Fatal(err)
	}
	src = []byte(strings.Replace(string(src), "disks: 1000\n", "disks: 1000.0\n", 1))
	if sc, err := Load("x.yaml", src, model.Default()); err != nil || sc.Config.Disks != 1000 {
		t.Errorf("a whole number written 1000.0: %v", err)
	}
}

// The direct error comes first, its consequences after it.
func TestLoadCauseBeforeConsequences(t *testing.T) {
	src, err := files.ReadFile("baseline.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ old, new, first string }{
		{"  agents: 2 ", "  agents: -2 ", "operator.agents: -2 is out of range"},
		{"  Creating: {", "  Creatin: {", `durations.Creatin: unknown status or operation "Creatin"`},
	} {
		if !strings.Contains(string(src), tc.old) {
			t.Fatalf("baseline.yaml has no %q", tc.old)
		}
		_, err := Load("b.yaml", []byte(strings.Replace(string(src), tc.old, tc.new, 1)), model.Default())
		el, ok := err.(model.ErrorList)
		if !ok || len(el) < 2 {
			t.Fatalf("%s: got %v, want the error and its consequences", tc.new, err)
		}
		if !strings.Contains(el[0].Error(), tc.first) {
			t.Errorf("%s: first error %q, want %q", tc.new, el[0], tc.first)
		}
	}
}
