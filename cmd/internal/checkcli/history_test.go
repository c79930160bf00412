package checkcli

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evsim/evsim/cmd/internal/cli"
	"github.com/evsim/evsim/cmd/internal/schematest"
)

const fleetFixture = "../../../check/history/testdata/fleet.csv"

func writeTemp(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestHistoryText(t *testing.T) {
	code, out, errs := runCheck(t, "-history", fleetFixture, "-missed", "1")
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", code, out, errs)
	}
	for _, w := range []string{
		"result   VIOLATED: 1 observation(s) or pair(s)",
		"fleet.csv:10: disk vol-3: Error [0 attachment(s), 20 GiB] (line 7, 2025-03-01T00:05:00Z) -> In-use [1 attachment(s), 20 GiB] (2025-03-01T00:10:00Z) after 5.0m",
		"breaks rule 3 table-operations-only-where-listed",
		"1      In-use -> Detaching -> Available (detach)",
		"operations no status change shows        create_backup, create_snapshot, delete_snapshot",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("report lacks %q:\n%s", w, out)
		}
	}
	code, out, _ = runCheck(t, "-history", fleetFixture)
	if code != 0 || !strings.Contains(out, "EXPLAINED") {
		t.Errorf("any missed statuses: exit %d, want 0\n%s", code, out)
	}
}

func TestHistoryJSONAndJUnit(t *testing.T) {
	junit := filepath.Join(t.TempDir(), "h.xml")
	code, out, _ := runCheck(t, "-history", fleetFixture, "-missed", "1", "-format", "json", "-junit", junit)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	var rep struct {
		Spec       string `json:"spec"`
		Violations int    `json:"violations"`
		Pairs      int    `json:"pairs"`
		Listed     []struct {
			Line int    `json:"line"`
			Disk string `json:"disk"`
			Rule string `json:"rule"`
		} `json:"listed"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `"schema_version": 1`) || !strings.Contains(out, `"evsim_version": "`) {
		t.Error("the history report has no schema_version or evsim_version")
	}
	if rep.Violations != 1 || rep.Pairs != 8 || len(rep.Listed) != 1 || rep.Listed[0].Line != 10 || rep.Listed[0].Rule != "table-operations-only-where-listed" {
		t.Errorf("json report %+v", rep)
	}
	data, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	schematest.MustJUnit(t, junit)
	var suites cli.JUnitSuites
	if err := xml.Unmarshal(data, &suites); err != nil {
		t.Fatal(err)
	}
	s := suites.Suites[0]
	if s.Tests != 2 || s.Failures != 1 || s.Cases[0].Name != "disk vol-3" || s.Cases[1].Name != "2 other disks" {
		t.Errorf("junit %+v", s)
	}
}

func TestHistoryBadInput(t *testing.T) {
	bad := writeTemp(t, "bad.csv", "time,disk,status\n2025-01-01T00:00:00Z,d1,available\n2025-01-01T00:01:00Z,d1,melted\n2025-01-01T00:02:00Z,d1,attaching\n")
	code, out, errs := runCheck(t, "-history", bad)
	if code != 2 || out != "" || !strings.Contains(errs, `bad.csv:3:25: status: unknown status "melted"`) {
		t.Errorf("exit %d, stdout %q, stderr %q; want 2, nothing, the line", code, out, errs)
	}
	code, out, errs = runCheck(t, "-history", bad, "-lenient")
	if code != 0 || !strings.Contains(out, "skipped rows  1 (unknown status 1)") || !strings.Contains(errs, "skipped 1 bad row(s)") {
		t.Errorf("lenient: exit %d\n%s\n%s", code, out, errs)
	}
	code, _, errs = runCheck(t, "-history", filepath.Join(t.TempDir(), "none.csv"))
	if code != 2 || !strings.Contains(errs, "no such file") {
		t.Errorf("missing file: exit %d, %q", code, errs)
	}
	code, _, errs = runCheck(t, "-history", bad, "-history-format", "xml")
	if code != 2 || !strings.Contains(errs, "want one of auto, csv, jsonl, notifications") {
		t.Errorf("bad format: exit %d, %q", code, errs)
	}
}
