package check

import (
	"encoding/json"
	"os"
	"testing"

	"evsim/model"
)

func TestTry(t *testing.T) {
	for _, sym := range []bool{false, true} {
		sys, _ := model.NewSystem(model.Default(), model.DefaultConfig())
		rep, err := Check(sys, Config{Symmetry: sym})
		if err != nil {
			t.Fatal(err)
		}
		e := json.NewEncoder(os.Stdout)
		e.SetIndent("", " ")
		rep.Coverage = Coverage{}
		e.Encode(rep)
		t.Logf("sym=%v states=%d full=%d trans=%d depth=%d %.2fs", sym, rep.States, rep.FullStates, rep.Transitions, rep.Depth, rep.Seconds)
	}
}
