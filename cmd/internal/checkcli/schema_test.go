package checkcli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evsim/evsim/cmd/internal/schematest"
)

// reportCases are runs of check whose reports cover every result: holds,
// violated (with traces), incomplete, and -docs agreeing and differing.
func reportCases(t *testing.T) []struct {
	name string
	args []string
	code int
} {
	differing := editPage(t, "The EVS disk is being deleted.", "The EVS disk is being removed.")
	return []struct {
		name string
		args []string
		code int
	}{
		{"holds", []string{"-disks", "shared:10", "-servers", "2"}, exitHolds},
		{"violated", []string{"-spec", "../../../model/testdata/mutants/size-shrinks.yaml", "-servers", "1"}, exitViolated},
		{"incomplete", []string{"-max-states", "1000"}, exitIncomplete},
		{"docs agree", []string{"-docs", pageFixture}, exitHolds},
		{"docs differ", []string{"-docs", differing}, exitViolated},
	}
}

// TestJUnitValidates checks every kind of JUnit report against the
// Jenkins xUnit and the Ant schemas.
func TestJUnitValidates(t *testing.T) {
	schematest.XMLLint(t)
	dir := t.TempDir()
	for _, tc := range reportCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".xml")
			if code, _, errs := runCheck(t, append(tc.args, "-junit", file)...); code != tc.code {
				t.Fatalf("exit %d, want %d: %s", code, tc.code, errs)
			}
			schematest.MustJUnit(t, file)
			data, _ := os.ReadFile(file)
			if !strings.Contains(string(data), `<property name="evsim.version" value="`) {
				t.Error("no evsim.version property")
			}
		})
	}
	// The validator is not a rubber stamp: the shape check wrote before
	// (a <testsuite> root without errors, hostname or timestamp) fails.
	old := filepath.Join(dir, "old.xml")
	os.WriteFile(old, []byte(`<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="docs page.rst" tests="1" failures="0"><testcase name="In-use" classname="table1"></testcase></testsuite>
`), 0o644)
	for _, xsd := range schematest.JUnitSchemas {
		if err := schematest.XML(t, xsd, old); err == nil {
			t.Errorf("the old shape validates against %s", xsd)
		}
	}
}

// TestJSONValidates checks every kind of JSON report against its schema.
func TestJSONValidates(t *testing.T) {
	for _, tc := range reportCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := runCheck(t, append(tc.args, "-format", "json")...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d: %s", code, tc.code, errs)
			}
			schema := "check-report.schema.json"
			if strings.HasPrefix(tc.name, "docs") {
				schema = "check-docs-report.schema.json"
			}
			m := schematest.MustJSON(t, schema, []byte(out))
			if m["schema_version"] != float64(reportSchemaVersion) || m["evsim_version"] == "" {
				t.Errorf("schema_version %v, evsim_version %v", m["schema_version"], m["evsim_version"])
			}
		})
	}
	_, out, _ := runCheck(t, "-max-states", "1000", "-format", "json")
	bad := strings.Replace(out, `"result": "incomplete"`, `"result": "maybe"`, 1)
	if err := schematest.JSON(t, "check-report.schema.json", []byte(bad)); err == nil {
		t.Error(`a report with "result": "maybe" validates`)
	}
}
