package model

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImports keeps the model at the bottom of the project: it imports
// nothing of its own repository, and no rendering, simulation or test
// library.
func TestImports(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		if (strings.HasPrefix(p, "evsim/") && p != "evsim/model") ||
			strings.Contains(p, "graphviz") || strings.Contains(p, "gopter") || strings.Contains(p, "gonum") {
			t.Errorf("model imports %s", p)
		}
	}
}
