package simcli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/evsim/evsim/cmd/internal/browsertest"
)

// TestHTMLReport writes the HTML report of a run with -exact, checks that
// it fetches nothing, and opens it in headless Chromium: no console
// errors, every table and picture drawn, the exact answers beside the
// simulated ones.
func TestHTMLReport(t *testing.T) {
	file := filepath.Join(t.TempDir(), "new", "run.html")
	code, _, errs := runCmd(t, "-scenario", "markov-check", "-exact", "-horizon", "40d", "-replications", "2", "-progress", "never", "-html", file)
	if code != exitOK && code != exitDiff {
		t.Fatalf("exit %d: %s", code, errs)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range regexp.MustCompile(`(?i)(?:src|href)\s*=\s*"([^"#][^"]*)"`).FindAllStringSubmatch(string(data), -1) {
		t.Errorf("the report refers to %q", bad[1])
	}
	browsertest.Chromium(t)
	p := browsertest.Open(t, file)
	for _, id := range []string{"statuses", "operations", "tickets", "pool", "fleet", "exact"} {
		if n := browsertest.Eval[int](t, p, `document.querySelectorAll("#`+id+` tr").length`); n < 2 {
			t.Errorf("table %s has %d rows", id, n)
		}
	}
	// Each exact row: simulated a ± b, an exact figure, a diff.
	row := browsertest.Eval[[]string](t, p, `Array.from(document.querySelectorAll("#exact tr")[1].cells).map(c => c.textContent)`)
	if len(row) != 6 || !strings.Contains(row[1], "±") || row[2] == "" || row[3] == "" {
		t.Errorf("first exact row %q", row)
	}
	sizes := browsertest.Eval[[]float64](t, p, `Array.from(document.querySelectorAll("figure svg")).map(s => s.getBoundingClientRect().width * s.getBoundingClientRect().height)`)
	if len(sizes) != 4 {
		t.Errorf("%d pictures, want 4", len(sizes))
	}
	for i, a := range sizes {
		if a < 100*100 {
			t.Errorf("picture %d drawn %.0f px²", i, a)
		}
	}
	t.Logf("screenshot: %s", p.Screenshot(t, "sim-report.png"))
	if errs := p.Errors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}
