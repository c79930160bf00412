package random

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evsim/evsim/model"
)

// TestRegressions replays every sequence kept in testdata/regress. On the
// spec it was found with (a mutant) it must still break the property it
// broke, at its last step; on the default spec no property may break,
// whether the spec accepts every action or refuses one on the way.
func TestRegressions(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "regress", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no regression sequences (%v)", err)
	}
	mutants := map[string]mutant{}
	for _, m := range loadMutants(t) {
		mutants[m.name] = m
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".txt"), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			seq, err := ParseSequence(f, data)
			if err != nil {
				t.Fatal(err)
			}
			su, err := SetupByName(seq.Setup)
			if err != nil {
				t.Fatal(err)
			}
			if seq.Spec != "default" {
				m, ok := mutants[seq.Spec]
				if !ok {
					t.Fatalf("%s: unknown spec %q", f, seq.Spec)
				}
				// Only the recorded property: a mutant may break another
				// one on the way (rollback from In-use is also a start
				// Table 1 does not list).
				r, err := New(m.spec, su, Options{Only: []string{seq.Violates}})
				if err != nil {
					t.Fatal(err)
				}
				res, err := r.Replay(f, seq)
				if err != nil {
					t.Fatal(err)
				}
				if res.Violation == nil || res.Violation.Property != seq.Violates || res.At != len(seq.Actions)-1 {
					t.Errorf("on %s: got %+v (violation %v); want %s broken at the last step", seq.Spec, res, res.Violation, seq.Violates)
				}
			}
			r, err := New(model.Default(), su, Options{})
			if err != nil {
				t.Fatal(err)
			}
			res, err := r.Replay(f, seq)
			if err != nil {
				t.Fatal(err)
			}
			if res.Violation != nil {
				t.Errorf("default spec breaks %s at step %d (%s)", res.Violation, res.At+1, seq.Actions[res.At])
			}
			if seq.Spec != "default" && res.Rejected < 0 && seq.Violates != model.PropNoDeadlock && seq.Violates != model.PropTransitionalLeft {
				// A mutant's story is one the default spec refuses, or one
				// whose last state it does not reach.
				t.Logf("default spec accepts all %d actions", res.Applied)
			}
			if res.Rejected >= 0 {
				t.Logf("default spec refuses step %d: %s", res.Rejected+1, seq.Actions[res.Rejected])
			}
		})
	}
}

func TestParseActionRoundTrip(t *testing.T) {
	for _, su := range Setups() {
		sys, err := model.NewSystem(model.Default(), su.Config)
		if err != nil {
			t.Fatal(err)
		}
		st := sys.Init()[0]
		for i := 0; i < 200; i++ {
			acts := sys.Actions(&st, nil)
			for _, a := range acts {
				text := sys.FormatAction(a)
				b, err := ParseAction(sys, text)
				if err != nil || b != a {
					t.Fatalf("%s: %q parsed to %+v, %v; want %+v", su.Name, text, b, err, a)
				}
			}
			st, _ = sys.Next(st, acts[(i*31)%len(acts)])
		}
	}
}

func TestParseErrors(t *testing.T) {
	sys, err := model.NewSystem(model.Default(), model.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	actions := []struct{ in, want string }{
		{"", "empty action"},
		{"jump create d0", `unknown action kind "jump"`},
		{"start fly d0", `unknown operation "fly"`},
		{"start create d9", `"d9" is not a disk, want d0 to d1`},
		{"start attach d0", "start attach takes 4 words, got 3"},
		{"start attach d0 s2", `"s2" is not a server, want s0 to s1`},
		{"start rollback d0 s0", `"s0" is not a snapshot, want snapshot-of-d0 to snapshot-of-d1`},
		{"succeed create d0 s0", "succeed create takes 3 words, got 4"},
		{"power-off", "power-off takes one server"},
		{"power-on s01", `"s01" is not a server`},
		{"succeed", "succeed takes an operation and a disk"},
	}
	for _, tt := range actions {
		_, err := ParseAction(sys, tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseAction(%q): got %v; want an error containing %q", tt.in, err, tt.want)
		}
	}
	files := []struct{ name, in, want string }{
		{"no-spec", "# setup: default\nstart create d0\n", "no-spec:1:1: spec: missing"},
		{"no-setup", "# spec: default\nstart create d0\n", "no-setup:1:1: setup: missing"},
		{"empty", "# spec: default\n# setup: default\n", "empty:1:1: actions: none"},
		{"twice", "# spec: default\n# spec: other\n", "twice:2:1: spec: given twice"},
		{"seed", "# spec: default\n  # seed: x1\n", `seed:2:3: seed: "x1" is not a number`},
	}
	for _, tt := range files {
		_, err := ParseSequence(tt.name, []byte(tt.in))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseSequence(%s): got %v; want an error containing %q", tt.name, err, tt.want)
		}
	}
	// A malformed action names its line.
	seq, err := ParseSequence("bad", []byte("# spec: default\n# setup: default\nstart create d0\n\nstart create d7\n"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(model.Default(), Setups()[0], Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Replay("bad", seq); err == nil || !strings.HasPrefix(err.Error(), "bad:5:1: action: ") {
		t.Errorf("Replay: got %v; want an error at bad:5:1", err)
	}
}

func TestSequenceFormatRoundTrip(t *testing.T) {
	in := &Sequence{Spec: "size-shrinks", Setup: "default", Seed: -7, Violates: "size-never-shrinks",
		Actions: []string{"start create d0", "succeed create d0"}}
	out, err := ParseSequence("x", in.Format())
	if err != nil {
		t.Fatal(err)
	}
	if out.Spec != in.Spec || out.Setup != in.Setup || out.Seed != in.Seed || out.Violates != in.Violates ||
		strings.Join(out.Actions, "|") != strings.Join(in.Actions, "|") {
		t.Errorf("round trip: got %+v; want %+v", out, in)
	}
}

// FuzzParseSequence: the parser never panics, and what it accepts formats
// back to text it parses to the same sequence.
func FuzzParseSequence(f *testing.F) {
	f.Add([]byte("# spec: default\n# setup: default\n# seed: 3\nstart create d0\nsucceed create d0\n"))
	f.Add([]byte("# spec: x\n# setup: shared17\n# violates: attachment-limit\n  start attach d0 s16 \r\n"))
	f.Add([]byte("#spec:a\n#setup:b\n#seed:-1\n\n\npower-off s0"))
	f.Add([]byte("# spec: default\n# seed: 99999999999999999999\n"))
	sys, err := model.NewSystem(model.Default(), Setups()[3].Config)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		seq, err := ParseSequence("fuzz", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz:") {
				t.Fatalf("error without position: %v", err)
			}
			return
		}
		again, err := ParseSequence("again", seq.Format())
		if err != nil {
			t.Fatalf("formatted sequence does not parse: %v\n%s", err, seq.Format())
		}
		if again.Spec != seq.Spec || again.Setup != seq.Setup || again.Seed != seq.Seed ||
			strings.Join(again.Actions, "\n") != strings.Join(seq.Actions, "\n") {
			t.Fatalf("round trip changed the sequence: %+v -> %+v", seq, again)
		}
		for _, text := range seq.Actions {
			if a, err := ParseAction(sys, text); err == nil && sys.FormatAction(a) != text {
				t.Fatalf("ParseAction(%q) formats back as %q", text, sys.FormatAction(a))
			}
		}
	})
}
