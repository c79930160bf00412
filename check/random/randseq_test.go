package random

import (
	"bytes"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/leanovate/gopter"

	"github.com/evsim/evsim/model"
)

// TestDefaultSpecKeepsEveryProperty runs the random sequences of every
// setup against the default spec. A failure is kept in testdata/regress,
// where TestRegressions replays it on every run.
func TestDefaultSpecKeepsEveryProperty(t *testing.T) {
	seed, sequences, steps := budget(t)
	for i, su := range Setups() {
		t.Run(su.Name, func(t *testing.T) {
			s := seed + int64(i)
			t.Logf("seed %d (replay: %s)", s, replayLine(seed, sequences, steps))
			r, err := New(model.Default(), su, Options{Seed: s, Sequences: sequences, Steps: steps})
			if err != nil {
				t.Fatal(err)
			}
			var report bytes.Buffer
			r.Properties().TestingRun(t, gopter.NewFormatedReporter(false, 100, &report))
			t.Log(strings.TrimSpace(report.String()))
			r.Minimize()
			res := r.Result()
			if f := res.Failure; f != nil {
				seq := &Sequence{Spec: "default", Setup: su.Name, Seed: s, Violates: f.ShrunkViolation.Property, Actions: f.Shrunk}
				path := filepath.Join("testdata", "regress", fmt.Sprintf("default-%s-%d.txt", su.Name, s))
				if err := writeFileAtomic(path, seq.Format()); err != nil {
					t.Error(err)
				}
				t.Fatalf("sequence %d broke %s; shrunk to %d steps, kept in %s:\n%s",
					f.Sequence, f.ShrunkViolation.String(), len(f.Shrunk), path, strings.Join(f.Shrunk, "\n"))
			}
			if res.Sequences != sequences || res.Coverage.Steps != sequences*steps {
				t.Errorf("ran %d sequences, %d steps; want %d, %d", res.Sequences, res.Coverage.Steps, sequences, sequences*steps)
			}
			if sequences*steps >= 40000 {
				checkCoverage(t, r.System(), su, res.Coverage)
			}
			t.Logf("coverage: %d statuses, operations %v, attachments %v, sizes %v",
				len(res.Coverage.Statuses), res.Coverage.Started, res.Coverage.MaxAttachments[:len(su.Config.Disks)], res.Coverage.MaxSize[:len(su.Config.Disks)])
		})
	}
}

// checkCoverage asserts that the sequences went deep: the attachment limit
// of a shared disk, sizes at their limits, every status of the spec.
func checkCoverage(t *testing.T, sys *model.System, su Setup, c Coverage) {
	t.Helper()
	switch su.Name {
	case "shared16", "shared17":
		if c.MaxAttachments[0] != model.DocSharedAttachments {
			t.Errorf("shared disk d0 reached %d attachments; want %d", c.MaxAttachments[0], model.DocSharedAttachments)
		}
		if c.MaxSize[1] != model.DocDataSize || c.MaxSize[2] != model.DocSystemSize {
			t.Errorf("sizes reached %d and %d GiB; want %d and %d", c.MaxSize[1], c.MaxSize[2], model.DocDataSize, model.DocSystemSize)
		}
	case "eight-disks", "default":
		if len(c.Statuses) != len(sys.Spec.Statuses) {
			t.Errorf("reached %d statuses %v; want all %d", len(c.Statuses), c.Statuses, len(sys.Spec.Statuses))
		}
		if len(c.Started) != len(sys.Spec.Ops) {
			t.Errorf("started %d operations %v; want all %d", len(c.Started), c.Started, len(sys.Spec.Ops))
		}
	}
	if su.Name == "eight-disks" {
		for d, want := range map[int]uint32{2: model.DocSystemSize, 5: model.DocDataSize} {
			if c.MaxSize[d] != want {
				t.Errorf("d%d reached %d GiB; want %d", d, c.MaxSize[d], want)
			}
		}
		for d := range su.Config.Disks {
			if c.MaxSnapshots[d] != su.Config.Bounds.Snapshots || c.MaxBackups[d] != su.Config.Bounds.Backups {
				t.Errorf("d%d reached %d snapshots, %d backups; want %d, %d", d, c.MaxSnapshots[d], c.MaxBackups[d], su.Config.Bounds.Snapshots, su.Config.Bounds.Backups)
			}
		}
	}
}

// TestShrinksToMinimalStory plants a bug (a mutant spec) and checks that
// the failure shrinks to the known shortest story, by gopter's shrinking
// alone where it gets there.
func TestShrinksToMinimalStory(t *testing.T) {
	const seed = 1
	tests := []struct {
		mutant      string
		want        []string
		gopterAlone bool
	}{
		{
			mutant: "detach-last-stays-in-use",
			want: []string{
				"start create d0", "succeed create d0",
				"start attach d0 s0", "succeed attach d0",
				"start detach d0 s0", "succeed detach d0",
			},
			gopterAlone: true,
		},
		{
			mutant: "non-shared-attaches-twice",
			want: []string{
				"start create d1", "succeed create d1",
				"start attach d1 s0", "succeed attach d1",
				"start attach d1 s1", "succeed attach d1",
			},
		},
		{
			mutant: "size-shrinks",
			want:   []string{"start create d0", "succeed create d0", "start expand d0", "succeed expand d0"},
		},
	}
	su, _ := SetupByName("default")
	for _, tt := range tests {
		t.Run(tt.mutant, func(t *testing.T) {
			m := mutantByName(t, tt.mutant)
			r, err := New(m.spec, su, Options{Seed: seed, Sequences: 200, Steps: 200, Only: []string{m.breaks}})
			if err != nil {
				t.Fatal(err)
			}
			res := r.Run(nil)
			f := res.Failure
			if f == nil || res.Passed {
				t.Fatalf("seed %d: mutant not caught (gopter passed: %v)", seed, res.Passed)
			}
			t.Logf("seed %d: found in sequence %d with %d steps, gopter shrank it to %d, then %d", seed, f.Sequence, len(f.Found), f.GopterShrunk, len(f.Shrunk))
			if !slices.Equal(f.Shrunk, tt.want) {
				t.Errorf("shrunk to\n  %s\nwant\n  %s", strings.Join(f.Shrunk, "\n  "), strings.Join(tt.want, "\n  "))
			}
			if f.ShrunkViolation.Property != m.breaks {
				t.Errorf("shrunk sequence breaks %s; want %s", f.ShrunkViolation.Property, m.breaks)
			}
			if len(f.Found) <= len(f.Shrunk) {
				t.Errorf("found %d steps, shrunk %d: nothing was shrunk", len(f.Found), len(f.Shrunk))
			}
			if tt.gopterAlone && f.GopterShrunk != len(tt.want) {
				t.Errorf("gopter alone shrank to %d steps; want %d", f.GopterShrunk, len(tt.want))
			}
		})
	}
}

// TestStepShrinksItsFields checks that a generated step shrinks its
// fields (kind, operation, disk rank, argument rank) towards zero, which
// a generator built with Map instead of gopter.DeriveGen would not do.
func TestStepShrinksItsFields(t *testing.T) {
	r, err := New(model.Default(), Setups()[1], Options{})
	if err != nil {
		t.Fatal(err)
	}
	sys := r.System()
	st := sys.Init()[0]
	create, _ := sys.Spec.OpByName("create")
	attach, _ := sys.Spec.OpByName("attach")
	for _, a := range []model.Action{{Kind: model.Start, Op: create, Disk: 0, Arg: model.NoArg}, {Kind: model.Succeed, Op: create, Disk: 0, Arg: model.NoArg}} {
		st, _ = sys.Next(st, a)
	}
	// Draw until the generator picks "start attach d0 s9": rank 9.
	params := gopter.DefaultGenParameters()
	params.Rng.Seed(3)
	g := r.genStep(st)
	for i := 0; i < 10000; i++ {
		res := g(params)
		v, _ := res.Retrieve()
		s := v.(*step)
		a, ok := resolve(sys, &st, s)
		if !ok {
			t.Fatalf("generated step %s stands for no enabled action", s)
		}
		if a.Kind != model.Start || a.Op != attach || a.Arg != 9 {
			continue
		}
		var got []string
		shrink := res.Shrinker(v)
		for x, ok := shrink(); ok; x, ok = shrink() {
			c := x.(*step)
			if b, ok := resolve(sys, &st, c); ok {
				got = append(got, sys.FormatAction(b))
			}
		}
		// The operation shrinks to create and create_from_backup, which
		// take no argument rank 9; the argument rank 9 shrinks to 0, 5, 7
		// and 8 (gopter halves the distance to zero).
		want := []string{"start attach d0 s0", "start attach d0 s5", "start attach d0 s7", "start attach d0 s8"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("enabled shrinks of start attach d0 s9: %q; want %q", got, want)
		}
		return
	}
	t.Fatal("generator never drew start attach d0 s9")
}

// TestRanksRoundTrip checks that every enabled action, turned into a
// symbolic step, resolves to itself, in states along random walks.
func TestRanksRoundTrip(t *testing.T) {
	for _, su := range Setups() {
		r, err := New(model.Default(), su, Options{})
		if err != nil {
			t.Fatal(err)
		}
		sys := r.System()
		st := sys.Init()[0]
		for i := 0; i < 300; i++ {
			acts := sys.Actions(&st, nil)
			for _, a := range acts {
				s := symbolic(r, &st, a)
				if b, ok := resolve(sys, &st, s); !ok || b != a {
					t.Fatalf("%s: %s became %s, resolved to %s (%v)", su.Name, sys.FormatAction(a), s, sys.FormatAction(b), ok)
				}
			}
			st, _ = sys.Next(st, acts[(i*7919)%len(acts)])
		}
	}
}

// TestSameSeedSameResult runs a mutant twice with one seed: the failure,
// its shrinking and the coverage are the same.
func TestSameSeedSameResult(t *testing.T) {
	m := mutantByName(t, "rollback-other-snapshot")
	run := func() *Result {
		r, err := New(m.spec, mutantSetup(m.name), Options{Seed: 42, Sequences: 50, Steps: 100})
		if err != nil {
			t.Fatal(err)
		}
		return r.Run(nil)
	}
	a, b := run(), run()
	if a.Failure == nil {
		t.Fatal("mutant not caught")
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("two runs with seed 42 differ:\n%+v\n%+v", a.Failure, b.Failure)
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	su := Setups()[0]
	if _, err := New(model.Default(), su, Options{Only: []string{"no-such-rule"}}); err == nil || !strings.Contains(err.Error(), `unknown property "no-such-rule"`) {
		t.Errorf("unknown property: got %v", err)
	}
	if _, err := New(model.Default(), su, Options{Steps: -1}); err == nil {
		t.Error("negative steps accepted")
	}
	bad := su
	bad.Config.Servers = 40
	if _, err := New(model.Default(), bad, Options{}); err == nil || !strings.Contains(err.Error(), "random: setup default:") {
		t.Errorf("40 servers: got %v", err)
	}
	if _, err := SetupByName("nope"); err == nil {
		t.Error("unknown setup accepted")
	}
}
