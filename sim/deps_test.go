package sim

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImports keeps the direction of imports: the simulator depends on the
// model, never on the checker, the scenarios or the commands.
func TestImports(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "evsim/sim").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		if strings.HasPrefix(p, "evsim/") && p != "evsim/sim" && p != "evsim/model" {
			t.Errorf("sim imports %s", p)
		}
	}
}
