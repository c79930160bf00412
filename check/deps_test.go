package check

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImports keeps check independent of the simulator and of the
// commands: it may import the model, and nothing else of the project.
func TestImports(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		if strings.HasPrefix(p, "evsim/") && p != "evsim/check" && p != "evsim/model" {
			t.Errorf("check imports %s", p)
		}
	}
}
