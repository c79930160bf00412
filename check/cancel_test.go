package check

import (
	"testing"

	"github.com/evsim/evsim/model"
)

// TestCancel: a closed Cancel stops the search with Interrupted, and Check
// reports what the levels done show, every undecided property unknown.
func TestCancel(t *testing.T) {
	sys := mustSys(t, model.Default(), model.DefaultConfig())
	closed := make(chan struct{})
	close(closed)
	rep, err := Check(sys, Config{Symmetry: true, Options: Options{Workers: 2, Cancel: closed}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Stop != "interrupted" || rep.Result != ResultIncomplete || rep.Hint == "" {
		t.Errorf("stop %q, result %q, hint %q; want interrupted, incomplete and a hint", rep.Stop, rep.Result, rep.Hint)
	}
	for _, p := range rep.Properties {
		if p.Verdict == Holds && p.Kind != "possible" {
			t.Errorf("%s holds after an interrupt before the first level", p.Name)
		}
	}

	// Cancelled after some levels: the states of those levels are kept.
	cancel := make(chan struct{})
	done := false
	m, err := NewSystemModel(sys, true)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Explore(m, Options{Workers: 2, Cancel: cancel, ProgressEvery: 1, Progress: func(p Progress) {
		if !done && p.Depth >= 3 {
			done = true
			close(cancel)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stop != Interrupted || res.States == 0 {
		t.Errorf("stop %v after %d states; want interrupted with the states of the levels done", res.Stop, res.States)
	}
}
