package check

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/evsim/evsim/model"
)

// checkWide runs Check with every disk in a word of its own.
func checkWide(t *testing.T, sys *model.System, cfg Config) *Report {
	t.Helper()
	forceWide = true
	defer func() { forceWide = false }()
	m, err := NewSystemModel(sys, cfg.Symmetry)
	if err != nil {
		t.Fatal(err)
	}
	if m.Words() < 2 {
		t.Fatalf("forced wide layout has %d word(s)", m.Words())
	}
	rep, err := Check(sys, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// comparable drops what depends on the packing: memory and time.
func comparableReport(r *Report) Report {
	c := *r
	c.StoreBytes, c.Seconds, c.SearchSecs = 0, 0, 0
	return c
}

// TestWideAgainstOneWord checks the same systems with states packed into
// one word and into one word per disk (interned): the same states in the
// same order, transitions, coverage, verdicts and traces, with one worker
// and with two.
func TestWideAgainstOneWord(t *testing.T) {
	cases := []struct {
		name string
		spec *model.Spec
		sym  bool
	}{
		{"default", model.Default(), true},
		{"default-no-symmetry", model.Default(), false},
		{"delete-attached", mutant(t, "delete-attached"), true},
	}
	cfg := smallConfig()
	cfg.Bounds.SizeSteps = 1
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sys := mustSys(t, c.spec, cfg)
			narrow, err := Check(sys, Config{Symmetry: c.sym, Options: Options{Workers: 2}})
			if err != nil {
				t.Fatal(err)
			}
			workers := []int{2}
			if c.name == "default" {
				workers = []int{1, 2}
			}
			for _, workers := range workers {
				wide := checkWide(t, sys, Config{Symmetry: c.sym, Options: Options{Workers: workers}})
				a, b := comparableReport(narrow), comparableReport(wide)
				if got, want := jsonOf(t, b), jsonOf(t, a); got != want {
					t.Errorf("%d worker(s): wide report differs from the one-word report:\nwide %s\none-word %s", workers, got, want)
				}
			}
		})
	}
}

// TestWideFleet searches a fleet whose state takes more than 64 bits (up
// to 255 snapshots per disk) until a bound, and checks that the memory of
// the intern table counts against -max-memory.
func TestWideFleet(t *testing.T) {
	cfg := model.DefaultConfig()
	cfg.Disks = []model.DiskConfig{{Size: 10}, {Shared: true, Size: 10}, {System: true, Size: 1023}}
	cfg.Servers = 3
	cfg.Bounds.Snapshots = 0
	sys := mustSys(t, model.Default(), cfg)
	m := mustModel(t, sys, true)
	if m.Bits() <= 64 || m.Words() != 2 {
		t.Fatalf("got %d bits in %d words, want more than 64 bits in 2 words", m.Bits(), m.Words())
	}
	rep, err := Check(sys, Config{Symmetry: true, Options: Options{MaxStates: 20000}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Stop != "max-states" || rep.States != 20000 || rep.Bits != m.Bits() {
		t.Errorf("got %s at %d states, %d bits", rep.Stop, rep.States, rep.Bits)
	}
	// Every stored state unpacks to a state whose key is its own.
	res, err := Explore(m, Options{MaxStates: 5000})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < res.States; i++ {
		st := m.State(res.Key(uint32(i)))
		if k := m.Key(&st); k != res.Key(uint32(i)) {
			t.Fatalf("state %d: key %x unpacks to a state of key %x", i, res.Key(uint32(i)), k)
		}
	}
	rep, err = Check(sys, Config{Symmetry: true, Options: Options{MaxMemory: 8 << 20}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Stop != "max-memory" || rep.StoreBytes > 8<<20 || !strings.Contains(rep.Hint, "-max-memory") {
		t.Errorf("got %s with %d bytes, hint %q", rep.Stop, rep.StoreBytes, rep.Hint)
	}
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
