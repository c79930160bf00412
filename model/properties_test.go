package model

import (
	"strings"
	"testing"
)

func property(t *testing.T, sys *System, name string) Property {
	t.Helper()
	for _, p := range sys.Properties() {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no property %q", name)
	return Property{}
}

func status(t *testing.T, name string) StatusID {
	t.Helper()
	id, ok := Default().StatusByName(name)
	if !ok {
		t.Fatalf("no status %q", name)
	}
	return id
}

func TestPropertiesCiteTheirSource(t *testing.T) {
	sys := testSystem(t, DefaultConfig())
	numbers := map[int]bool{}
	for _, p := range sys.Properties() {
		if p.Name == "" || p.Summary == "" || p.Source == "" {
			t.Errorf("property %+v lacks a name, summary or source", p.Name)
		}
		set := 0
		for _, f := range []bool{p.State != nil, p.Step != nil, p.Witness != nil} {
			if f {
				set++
			}
		}
		if (p.Kind == GraphRule) != (set == 0) || set > 1 {
			t.Errorf("property %s of kind %s has %d predicates", p.Name, p.Kind, set)
		}
		numbers[p.Number] = true
	}
	for n := 1; n <= 10; n++ {
		if !numbers[n] {
			t.Errorf("no property numbered %d", n)
		}
	}
}

// TestInvariants holds each state rule to a good state and a hand-built
// bad one.
func TestInvariants(t *testing.T) {
	sys := testSystem(t, threeDisks())
	good := do(t, sys, sys.Init()[0],
		"start create d0", "succeed create d0", "start attach d0 s0", "succeed attach d0", "start attach d0 s1", "succeed attach d0",
		"start create d2", "succeed create d2")
	tests := []struct {
		rule   string
		break_ func(st *State)
		want   string
	}{
		{"attachment-limit", func(st *State) { st.Disks[2].Status = status(t, "In-use"); st.Disks[2].Attached = 0b11 },
			"non-shared disk d2 has 2 attachments, more than 1"},
		{"attachment-limit", func(st *State) { st.Disks[0].Attached = 1<<17 - 1 },
			"shared disk d0 has 17 attachments, more than 16"},
		{"available-means-unattached", func(st *State) { st.Disks[2].Attached = 0b100 },
			"d2 is Available with 1 attachment(s)"},
		{"available-means-unattached", func(st *State) { st.Disks[0].Attached = 0 },
			"d0 is In-use with no attachment"},
		{"size-within-limit", func(st *State) { st.Disks[2].Size = DocDataSize + 1 },
			"d2 is 32769 GiB, more than 32768 GiB"},
		{"size-within-limit", func(st *State) {
			st.Disks[1] = Disk{Status: status(t, "Available"), Op: NoOp, Bg: NoOp, System: true, Size: DocSystemSize + 1}
		}, "d1 is 1025 GiB, more than 1024 GiB"},
	}
	for _, tc := range tests {
		t.Run(tc.rule, func(t *testing.T) {
			p := property(t, sys, tc.rule)
			if msg := p.State(sys, &good); msg != "" {
				t.Fatalf("holds on a good state? got %q", msg)
			}
			bad := good
			tc.break_(&bad)
			if msg := p.State(sys, &bad); msg != tc.want {
				t.Errorf("got %q, want %q", msg, tc.want)
			}
		})
	}
}

// TestStepRules holds each transition rule to a good transition and a
// hand-built bad one.
func TestStepRules(t *testing.T) {
	sys := testSystem(t, threeDisks())
	init := sys.Init()[0]
	shared := do(t, sys, init, "start create d0", "succeed create d0", "start attach d0 s0", "succeed attach d0")
	plain := do(t, sys, init, "start create d2", "succeed create d2", "start create d0", "succeed create d0", "start create_snapshot d0")
	startOf := func(st State, text string) (State, Action, State) {
		a := act(t, sys, &st, text)
		next, ok := sys.Next(st, a)
		if !ok {
			t.Fatalf("%q not enabled", text)
		}
		return st, a, next
	}
	with := func(st State, a Action, next State, f func(from, to *State)) (State, Action, State) {
		f(&st, &next)
		return st, a, next
	}
	expanding, deleting, rolling := status(t, "Expanding"), status(t, "Deleting"), status(t, "Rolling back")
	tests := []struct {
		rule      string
		goodF     State
		goodA     string
		bad       func() (State, Action, State)
		wantSubst string
	}{
		{"shared-in-use-never-expands", plain, "start expand d0",
			func() (State, Action, State) {
				f, a, n := startOf(plain, "start expand d0")
				return with(f, a, n, func(from, to *State) { *from = shared; to.Disks[0] = shared.Disks[0]; to.Disks[0].Status = expanding })
			}, "shared disk d0 went from In-use to Expanding"},
		{"rollback-only-from-available-or-rollback-failed", plain, "start rollback d0 snapshot-of-d0",
			func() (State, Action, State) {
				f, a, n := startOf(plain, "start rollback d0 snapshot-of-d0")
				a.Arg = 2
				return f, a, n
			}, "d0 rolled back with a snapshot of d2"},
		{"rollback-only-from-available-or-rollback-failed", plain, "start rollback d0 snapshot-of-d0",
			func() (State, Action, State) {
				f, a, n := startOf(shared, "start create_backup d0" /* any start of d0 */)
				_ = n
				n = f
				n.Disks[0].Status = rolling
				return f, a, n
			}, "d0 started rolling back from In-use"},
		{"attached-disk-never-deleted", plain, "start delete d2",
			func() (State, Action, State) {
				f, a, n := startOf(plain, "start delete d2")
				f.Disks[2].Attached, n.Disks[2].Attached = 1, 1
				n.Disks[2].Status = deleting
				return f, a, n
			}, "d2 started deleting while attached to 1 server(s)"},
		{"size-never-shrinks", plain, "start expand d2",
			func() (State, Action, State) {
				f, a, n := startOf(plain, "start expand d2")
				n.Disks[2].Size = f.Disks[2].Size - 1
				return f, a, n
			}, "d2 shrank from 40 GiB to 39 GiB"},
		{"table-operations-only-where-listed", plain, "start attach d2 s0",
			func() (State, Action, State) {
				f := do(t, sys, init, "start create d2", "fail create d2")
				attach, _ := sys.Spec.OpByName("attach")
				a := Action{Start, attach, 2, 0}
				return f, a, f
			}, `"Attaching" started on d2 in Error, whose Table 1 row does not allow it`},
	}
	for _, tc := range tests {
		t.Run(tc.rule, func(t *testing.T) {
			p := property(t, sys, tc.rule)
			f, a, n := startOf(tc.goodF, tc.goodA)
			if msg := p.Step(sys, &f, a, &n); msg != "" {
				t.Fatalf("fails on a good transition: %q", msg)
			}
			f, a, n = tc.bad()
			if msg := p.Step(sys, &f, a, &n); !strings.Contains(msg, tc.wantSubst) {
				t.Errorf("got %q, want %q", msg, tc.wantSubst)
			}
		})
	}
	t.Run("shared-in-use-may-attach", func(t *testing.T) {
		p := property(t, sys, "shared-in-use-may-attach")
		f, a, n := startOf(shared, "start attach d0 s1")
		if !p.Witness(sys, &f, a, &n) {
			t.Error("a shared In-use attach is not a witness")
		}
		f, a, n = startOf(plain, "start attach d2 s0")
		if p.Witness(sys, &f, a, &n) {
			t.Error("an Available attach is a witness")
		}
	})
}

// TestRulesHoldOnTheDefaultSystem walks the default system's whole reachable
// graph and checks every state and step rule on every transition.
func TestRulesHoldOnTheDefaultSystem(t *testing.T) {
	if testing.Short() {
		t.Skip("explores half a million states")
	}
	sys := testSystem(t, DefaultConfig())
	if found := naiveSearch(t, sys, "", 10_000_000); len(found) > 0 {
		t.Errorf("the default spec violates %v", found)
	}
}
