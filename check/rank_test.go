package check

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/evsim/evsim/model"
)

// tinyConfig is the default fleet on one server with one size step: a few
// ten thousand states, so that every mutant can be checked the slow way
// too.
func tinyConfig() model.Config {
	cfg := smallConfig()
	cfg.Bounds.SizeSteps = 1
	return cfg
}

// TestReachAgainstReverseGraph compares, on the default spec and the
// mutants that touch the graph rules, with and without symmetry, the sets
// of states from which the graph rules' targets can be reached: computed
// by Result.CanReach (with one and two workers, with and without the
// operator's edges), and by a breadth-first search on the reverse graph.
// Where the ranks show a target reachable from every state, it must be.
func TestReachAgainstReverseGraph(t *testing.T) {
	twoServers := tinyConfig()
	twoServers.Servers = 2
	twoServers.Power = false
	cases := []struct {
		spec string
		cfg  model.Config
		sym  bool
		full bool // every option, not only skip 0 with two workers
	}{
		{"", tinyConfig(), false, true},
		{"", twoServers, true, true},
		{"uploading-no-way-out", tinyConfig(), false, true},
		{"uploading-no-way-out", twoServers, true, false},
		{"detach-last-stays-in-use", tinyConfig(), false, false},
		{"rollback-other-snapshot", tinyConfig(), false, false},
		{"deletion-failed-allows-delete", twoServers, true, false},
	}
	shownSome := false
	for _, tc := range cases {
		spec := model.Default()
		if tc.spec != "" {
			spec = mutant(t, tc.spec)
		}
		name := fmt.Sprintf("%q servers %d symmetry %v", tc.spec, tc.cfg.Servers, tc.sym)
		m := mustModel(t, mustSys(t, spec, tc.cfg), tc.sym)
		targets := graphTargets(m)
		m.rank = newRankTables(m, targets)
		if m.rank == nil {
			t.Fatalf("%s: no rank tables", name)
		}
		res := explore(t, m, Options{Workers: 2})
		shown := rankShown(m, res)
		g, err := res.Graph()
		if err != nil {
			t.Fatal(err)
		}
		for ti := range targets {
			target := NewBitset(res.States)
			for i := 0; i < res.States; i++ {
				key := res.Key(uint32(i))
				all := true
				for d := 0; d < m.l.nd && all; d++ {
					all = targets[ti](&m.l, (key>>m.l.base[d])&m.l.mask[d])
				}
				if all {
					target.Add(uint32(i))
				}
			}
			for _, skip := range []uint8{0, LabelOperator} {
				if skip != 0 && !tc.full {
					continue
				}
				want := g.CanReach(target, skip)
				for _, workers := range []int{1, 2} {
					if workers == 1 && !tc.full {
						continue
					}
					for _, tight := range []bool{false, true} {
						if tight && (workers == 1 || !tc.full) {
							continue
						}
						// Tight: no room for edges, so sweeps decide.
						res.opt.Workers, res.opt.MaxMemory = workers, 0
						if tight {
							res.opt.MaxMemory = res.Bytes + 1
						}
						got, err := res.CanReach(target, skip)
						if err != nil {
							t.Fatal(err)
						}
						for i := range want {
							if got[i] != want[i] {
								t.Fatalf("%s target %d skip %d workers %d tight %v: CanReach gives %d states, the reverse graph %d",
									name, ti, skip, workers, tight, got.Count(), want.Count())
							}
						}
					}
				}
				if skip == 0 && shown[ti] {
					shownSome = true
					if want.Count() != res.States {
						t.Errorf("%s target %d: the ranks show it reachable from every state; %d of %d can reach it",
							name, ti, want.Count(), res.States)
					}
				}
			}
		}
		if tc.spec == "" && tc.cfg.Power && (!shown[0] || !shown[1]) {
			t.Errorf("%s: the ranks do not show the graph rules (%v)", name, shown)
		}
	}
	if !shownSome {
		t.Error("the ranks showed nothing")
	}
}

// TestRankEscape gives the searches forward from stuck states every
// state outside a target: they show the target reachable when it is, and
// fail when a state cannot reach it.
func TestRankEscape(t *testing.T) {
	for _, tc := range []struct {
		spec  string
		holds bool
	}{{"", true}, {"uploading-no-way-out", false}} {
		spec := model.Default()
		if tc.spec != "" {
			spec = mutant(t, tc.spec)
		}
		m := mustModel(t, mustSys(t, spec, tinyConfig()), true)
		m.rank = newRankTables(m, graphTargets(m))
		res := explore(t, m, Options{})
		for ti := 0; ti < m.rank.nt; ti++ {
			var f []uint32
			for i := 0; i < res.States; i++ {
				if m.rank.rank(&m.l, res.Key(uint32(i)), ti) > 0 {
					f = append(f, uint32(i))
				}
			}
			budget := res.States * 64
			if got := rankEscape(m, res, m.rank, ti, f, &budget); got != tc.holds {
				t.Errorf("%q target %d: %d stuck states: escape %v, want %v", tc.spec, ti, len(f), got, tc.holds)
			}
			budget = 0
			if len(f) > 0 && rankEscape(m, res, m.rank, ti, f, &budget) {
				t.Errorf("%q target %d: escape within no budget", tc.spec, ti)
			}
		}
	}
}

// TestRankPass checks the ranks without the successor cache, where the
// search notes nothing and a pass over the states after it decides: the
// same verdicts as the notes of the search.
func TestRankPass(t *testing.T) {
	twoServers := tinyConfig()
	twoServers.Servers = 2
	twoServers.Power = false
	for _, tc := range []struct {
		spec string
		cfg  model.Config
		sym  bool
		want []bool
	}{
		{"", tinyConfig(), false, []bool{true, true}},
		{"", twoServers, true, nil},
		{"uploading-no-way-out", tinyConfig(), false, []bool{false, false}},
	} {
		spec := model.Default()
		if tc.spec != "" {
			spec = mutant(t, tc.spec)
		}
		var got [2][]bool
		for i, direct := range []bool{false, true} {
			m := mustModel(t, mustSys(t, spec, tc.cfg), tc.sym)
			m.direct = direct
			m.rank = newRankTables(m, graphTargets(m))
			res := explore(t, m, Options{})
			got[i] = rankShown(m, res)
		}
		if !reflect.DeepEqual(got[0], got[1]) {
			t.Errorf("%q symmetry %v: noted by the search %v, by a pass %v", tc.spec, tc.sym, got[0], got[1])
		}
		if tc.want != nil && !reflect.DeepEqual(got[1], tc.want) {
			t.Errorf("%q symmetry %v: shown %v, want %v", tc.spec, tc.sym, got[1], tc.want)
		}
	}
}
