package simcli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evsim/evsim/cmd/internal/schematest"
)

// TestJSONValidates checks the summary (stdout and summary.json of -o,
// with -exact) and the sweep against their schemas.
func TestJSONValidates(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runCmd(t, "-scenario", "markov-check", "-exact", "-horizon", "40d", "-replications", "2", "-progress", "never", "-format", "json", "-o", dir)
	if code != exitOK && code != exitDiff {
		t.Fatalf("exit %d: %s", code, errs)
	}
	m := schematest.MustJSON(t, "sim-summary.schema.json", []byte(out))
	if m["schema_version"] != float64(reportSchemaVersion) || m["evsim_version"] == "" || m["exact"] == nil {
		t.Errorf("schema_version %v, evsim_version %v, exact %v", m["schema_version"], m["evsim_version"], m["exact"] != nil)
	}
	file, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	schematest.MustJSON(t, "sim-summary.schema.json", file)

	code, out, errs = runCmd(t, "-sweep", "operator.agents=1,2", "-horizon", "40d", "-replications", "2", "-progress", "never", "-format", "json")
	if code != exitOK {
		t.Fatalf("sweep: exit %d: %s", code, errs)
	}
	schematest.MustJSON(t, "sim-sweep.schema.json", []byte(out))
	bad := strings.Replace(out, `"pool_ran_out": `, `"pool_ran_out": -1, "was": `, 1)
	if err := schematest.JSON(t, "sim-sweep.schema.json", []byte(bad)); err == nil {
		t.Error("a sweep with a negative count validates")
	}
}
