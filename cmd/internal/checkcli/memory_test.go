package checkcli

import (
	"runtime/debug"
	"strings"
	"testing"

	"github.com/evsim/evsim/check"
)

// -max-memory bounds the whole process: a search that would need far more
// stops (exit status 3, the report so far) with the process's memory, as
// the runtime measures it, under the budget throughout.
func TestMaxMemoryHoldsForTheProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("a search of several seconds")
	}
	const budget = 32 << 20
	debug.FreeOSMemory() // what earlier tests left is not this search's
	code, stdout, stderr := runCheck(t, "-disks", "2*shared:10,system:1023", "-servers", "3", "-max-memory", "32MiB")
	if code != exitIncomplete {
		t.Fatalf("exit %d, want %d; stderr %s", code, exitIncomplete, stderr)
	}
	if !strings.Contains(stdout, "INCOMPLETE (stopped at max-memory)") || !strings.Contains(stderr, "stopped at -max-memory 32 MiB") {
		t.Errorf("the report does not say it stopped at the budget:\n%s\n%s", stdout, stderr)
	}
	if peakMemory <= 0 || peakMemory > budget {
		t.Errorf("peak memory %.1f MiB, want at most the budget, %d MiB", float64(peakMemory)/(1<<20), budget>>20)
	}
	t.Logf("peak %.1f MiB under a budget of %d MiB", float64(peakMemory)/(1<<20), budget>>20)
}

func TestAccountedBytes(t *testing.T) {
	for budget, want := range map[int64]int64{0: 0, 1 << 10: 1, 32 << 20: 8 << 20, 1 << 30: 768 << 20, 4 << 30: 3 << 30} {
		if got := check.AccountedBytes(budget); got != want {
			t.Errorf("AccountedBytes(%d) = %d, want %d", budget, got, want)
		}
	}
}
