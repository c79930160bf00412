package random

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/evsim/evsim/model"
)

var update = flag.Bool("update", false, "rewrite the regression sequences in testdata/regress from the mutant runs")

// DefaultSeed is the seed of `go test` when EVSIM_SEED is not set.
const defaultSeed = 20261127

// budget reads the seed and the size of a campaign from the environment:
// EVSIM_SEED (a number, or "random" for one drawn from the clock),
// EVSIM_SEQUENCES and EVSIM_STEPS.
func budget(t *testing.T) (seed int64, sequences, steps int) {
	t.Helper()
	seed, sequences, steps = defaultSeed, 200, 200
	switch v := os.Getenv("EVSIM_SEED"); v {
	case "":
	case "random":
		seed = randomSeed()
	default:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			t.Fatalf("EVSIM_SEED=%q: want a number or \"random\"", v)
		}
		seed = n
	}
	for _, e := range []struct {
		name string
		dst  *int
	}{{"EVSIM_SEQUENCES", &sequences}, {"EVSIM_STEPS", &steps}} {
		if v := os.Getenv(e.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				t.Fatalf("%s=%q: want a positive number", e.name, v)
			}
			*e.dst = n
		}
	}
	return seed, sequences, steps
}

// randomSeed draws the seed of EVSIM_SEED=random once per test binary,
// so that every test of a run uses, and prints, the same one.
var randomSeed = sync.OnceValue(func() int64 { return time.Now().UnixNano() % 1_000_000_000 })

// mutant is one mutant spec of the model package's testdata.
type mutant struct {
	name, breaks string
	spec         *model.Spec
}

func loadMutants(t *testing.T) []mutant {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "model", "testdata", "mutants", "*.yaml"))
	if err != nil || len(files) < 12 {
		t.Fatalf("want at least 12 mutant specs, got %d (%v)", len(files), err)
	}
	var out []mutant
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m := mutant{name: strings.TrimSuffix(filepath.Base(f), ".yaml")}
		sc := bufio.NewScanner(bytes.NewReader(data))
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), "# breaks: "); ok {
				m.breaks = v
			}
		}
		if m.breaks == "" {
			t.Fatalf("%s: no '# breaks:' line", f)
		}
		if m.spec, err = model.Load(filepath.Base(f), data); err != nil {
			t.Fatalf("mutant does not load: %v", err)
		}
		out = append(out, m)
	}
	return out
}

func mutantByName(t *testing.T, name string) mutant {
	t.Helper()
	for _, m := range loadMutants(t) {
		if m.name == name {
			return m
		}
	}
	t.Fatalf("no mutant %s", name)
	return mutant{}
}

func mustMutantSpec(tb testing.TB, name string) *model.Spec {
	tb.Helper()
	f := filepath.Join("..", "..", "model", "testdata", "mutants", name+".yaml")
	data, err := os.ReadFile(f)
	if err != nil {
		tb.Fatal(err)
	}
	spec, err := model.Load(filepath.Base(f), data)
	if err != nil {
		tb.Fatal(err)
	}
	return spec
}

// mutantSetup is the setup a mutant runs on: 17 servers for the shared
// attachment limit, eight disks for every other rule.
func mutantSetup(name string) Setup {
	n := "eight-disks"
	if name == "shared-exceeds-16" {
		n = "shared17"
	}
	s, err := SetupByName(n)
	if err != nil {
		panic(err)
	}
	return s
}

func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func replayLine(seed int64, sequences, steps int) string {
	return fmt.Sprintf("EVSIM_SEED=%d EVSIM_SEQUENCES=%d EVSIM_STEPS=%d go test ./check/random", seed, sequences, steps)
}
