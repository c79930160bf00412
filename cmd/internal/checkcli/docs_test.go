package checkcli

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evsim/evsim/cmd/internal/cli"
)

const pageFixture = "../../../diagram/table1/testdata/evs_01_0040.rst"

// editPage writes a copy of the page fixture with one edit.
func editPage(t *testing.T, old, new string) string {
	t.Helper()
	data, err := os.ReadFile(pageFixture)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(data), old); n != 1 {
		t.Fatalf("%q occurs %d times in the page", old, n)
	}
	path := filepath.Join(t.TempDir(), "page.rst")
	if err := os.WriteFile(path, []byte(strings.Replace(string(data), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDocsPageAgrees(t *testing.T) {
	code, out, errs := runCheck(t, "-docs", pageFixture)
	if code != 0 || !strings.Contains(out, "AGREES") {
		t.Fatalf("exit %d, stdout %q, stderr %q: want 0 and AGREES", code, out, errs)
	}
}

func TestDocsDifferences(t *testing.T) {
	errorRow := "| Error                 | An error occurs when you try to create an EVS disk."
	tests := []struct {
		name, old, new string
		want           []string
	}{
		{"an operation swapped", errorRow + strings.Repeat(" ", 96) + "| Deleting ", errorRow + strings.Repeat(" ", 96) + "| Attaching",
			[]string{`:53:179: Error: allowed operation extra: the page has "Attaching", the model does not`,
				`:53:179: Error: allowed operation missing: the model has "Deleting", the page does not`}},
		{"a note reworded", "A shared **In-use** EVS disk cannot be expanded.", "A shared **In-use** EVS disk can be expanded.   ",
			[]string{`In-use: note extra: the page has "A shared **In-use** EVS disk can be expanded."`,
				`In-use: note missing: the model has "A shared **In-use** EVS disk cannot be expanded."`}},
		{"a description changed", "The EVS disk is being deleted.", "The EVS disk is being removed.",
			[]string{`Deleting: description differs: the page has "The EVS disk is being removed.", the model "The EVS disk is being deleted."`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			page := editPage(t, tc.old, tc.new)
			code, out, _ := runCheck(t, "-docs", page)
			if code != 1 {
				t.Fatalf("exit %d, want 1:\n%s", code, out)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, page+":") || !strings.Contains(out, w) {
					t.Errorf("report lacks %q:\n%s", w, out)
				}
			}
			if got := strings.Count(out, page+":"); got != len(tc.want) {
				t.Errorf("got %d differences, want %d:\n%s", got, len(tc.want), out)
			}
		})
	}
}

// TestDocsWithASpecVariant: a spec that changes what Table 1 lists makes
// the unchanged page differ.
func TestDocsWithASpecVariant(t *testing.T) {
	data, err := os.ReadFile("../../../model/evs.yaml")
	if err != nil {
		t.Fatal(err)
	}
	old := "      - status: Error\n        when: [not_attached, no_backup_in_progress]\n        table: listed\n"
	if strings.Count(string(data), old) != 1 {
		t.Fatal("the spec's Error entry of delete moved")
	}
	spec := filepath.Join(t.TempDir(), "variant.yaml")
	os.WriteFile(spec, []byte(strings.Replace(string(data), old, "      - status: Error\n        when: [not_attached, no_backup_in_progress]\n", 1)), 0o644)
	code, out, errs := runCheck(t, "-spec", spec, "-docs", pageFixture, "-format", "json")
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr %s", code, errs)
	}
	var rep docsReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Result != "differs" || len(rep.Differences) != 1 {
		t.Fatalf("got %+v, want one difference", rep)
	}
	d := rep.Differences[0]
	if d.Status != "Error" || d.Field != "allowed operation" || d.Kind != "extra" || d.Page != "Deleting" || d.Line != 53 {
		t.Errorf("got %+v, want the page's extra Deleting in the Error row at line 53", d)
	}
}

func TestDocsJUnit(t *testing.T) {
	page := editPage(t, "The EVS disk is being deleted.", "The EVS disk is being removed.")
	junit := filepath.Join(t.TempDir(), "docs.xml")
	if code, _, _ := runCheck(t, "-docs", page, "-junit", junit); code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	data, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	var suites cli.JUnitSuites
	if err := xml.Unmarshal(data, &suites); err != nil {
		t.Fatal(err)
	}
	if len(suites.Suites) != 1 {
		t.Fatalf("%d suites, want 1", len(suites.Suites))
	}
	s := suites.Suites[0]
	if s.Tests != 18 || s.Failures != 1 {
		t.Errorf("got %d tests and %d failures, want 18 (a row each and one for missing rows) and 1", s.Tests, s.Failures)
	}
	for _, c := range s.Cases {
		if (c.Failure != nil) != (c.Name == "Deleting") {
			t.Errorf("test case %q: failure %v", c.Name, c.Failure != nil)
		}
	}
}

func TestDocsBadPage(t *testing.T) {
	dir := t.TempDir()
	notable := filepath.Join(dir, "notable.rst")
	os.WriteFile(notable, []byte("Title\n=====\n\nNo table here.\n"), 0o644)
	for _, tc := range []struct{ page, want string }{
		{notable, notable + ":1:1: no grid table"},
		{filepath.Join(dir, "missing.rst"), "-docs: open"},
	} {
		code, out, errs := runCheck(t, "-docs", tc.page)
		if code != 2 || out != "" || !strings.Contains(errs, tc.want) {
			t.Errorf("-docs %s: exit %d, stdout %q, stderr %q; want 2, nothing, %q", tc.page, code, out, errs, tc.want)
		}
	}
}
