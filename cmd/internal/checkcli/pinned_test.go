package checkcli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evsim/evsim/model"
)

// writeSpec writes a copy of the embedded spec with one edit.
func writeSpec(t *testing.T, old, new string) string {
	t.Helper()
	src := string(model.DefaultSpecSource())
	if n := strings.Count(src, old); n != 1 {
		t.Fatalf("%q occurs %d times in the spec", old, n)
	}
	path := filepath.Join(t.TempDir(), "spec.yaml")
	if err := os.WriteFile(path, []byte(strings.Replace(src, old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// verdicts runs the check with -format json and returns the verdict of
// each property and the violations' details.
func pinVerdicts(t *testing.T, args ...string) (int, map[string]string, map[string]string) {
	t.Helper()
	code, out, errs := runCheck(t, append([]string{"-format", "json", "-progress=false"}, args...)...)
	var rep struct {
		Properties []struct{ Name, Verdict string }
		Violations []struct{ Property, Detail string }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("exit %d, stderr %q: %v", code, errs, err)
	}
	v, d := map[string]string{}, map[string]string{}
	for _, p := range rep.Properties {
		v[p.Name] = p.Verdict
	}
	for _, x := range rep.Violations {
		d[x.Property] = x.Detail
	}
	return code, v, d
}

// A spec that marks a new edge listed in Table 1 fails against the pinned
// page, unless the page changes with it (-page) or the comparison is
// turned off (-page none).
func TestPinnedPage(t *testing.T) {
	small := []string{"-disks", "shared:10", "-servers", "1", "-snapshots", "1", "-backups", "1", "-size-steps", "1"}
	spec := writeSpec(t, "  - name: create_image\n    title: Creating an image\n    actor: customer\n    from:\n      - status: Available\n",
		"  - name: create_image\n    title: Creating an image\n    table_name: Creating images\n    actor: customer\n    from:\n      - status: Available\n        table: listed\n")
	_, v, d := pinVerdicts(t, append(small, "-spec", spec)...)
	if v[PropTableMatchesPage] != "violated" || !strings.Contains(d[PropTableMatchesPage], `evs_01_0040.rst:31:182: Available: allowed operation missing: the model has "Creating images", the page does not`) {
		t.Errorf("against the pinned page: %s: %q", v[PropTableMatchesPage], d[PropTableMatchesPage])
	}
	if _, v, _ := pinVerdicts(t, append(small, "-spec", spec, "-page", "none")...); v[PropTableMatchesPage] != "" {
		t.Errorf("-page none still compares: %q", v[PropTableMatchesPage])
	}
	// The unchanged spec agrees with the pinned page, and the exit status
	// follows the property.
	same := writeSpec(t, "name: evs\n", "name: evs-copy\n")
	if code, v, _ := pinVerdicts(t, "-spec", same); code != 0 || v[PropTableMatchesPage] != "holds" {
		t.Errorf("the embedded spec against the pinned page: exit %d, %q", code, v[PropTableMatchesPage])
	}
	// A drifted copy of the page fails the embedded spec too.
	page := editPage(t, "The EVS disk is being deleted.", "The EVS disk is being removed.")
	code, v, d := pinVerdicts(t, "-page", page)
	if code != 1 || v[PropTableMatchesPage] != "violated" || !strings.Contains(d[PropTableMatchesPage], "Deleting: description differs") {
		t.Errorf("a drifted page: exit %d, %s: %q", code, v[PropTableMatchesPage], d[PropTableMatchesPage])
	}
	if code, _, errs := runCheck(t, "-page", filepath.Join(t.TempDir(), "missing.rst")); code != 2 || !strings.Contains(errs, "-page:") {
		t.Errorf("a page that cannot be read: exit %d, %q", code, errs)
	}
}

// A finding that appears or disappears fails against the pinned list.
func TestPinnedFindings(t *testing.T) {
	small := []string{"-disks", "shared:10", "-servers", "1", "-snapshots", "1", "-backups", "1", "-size-steps", "1"}
	list := filepath.Join(t.TempDir(), "findings.txt")
	if code, _, errs := runCheck(t, append(small, "-progress=false", "-write-findings", list)...); code > 1 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	data, err := os.ReadFile(list)
	if err != nil {
		t.Fatal(err)
	}
	if _, v, _ := pinVerdicts(t, append(small, "-findings", list)...); v[PropFindingsPinned] != "holds" {
		t.Errorf("against its own list: %q", v[PropFindingsPinned])
	}
	const stuck = "operator-only: no customer operation moves a disk out of Deletion failed; only the operator does (reset_status, force_delete)"
	if !strings.Contains(string(data), stuck+"\n") {
		t.Fatalf("the list lacks %q:\n%s", stuck, data)
	}
	// A spec that lets the customer delete from Deletion failed removes
	// that finding: it disappears from the list.
	spec := writeSpec(t, "      - status: Rollback failed\n        when: [not_attached, no_backup_in_progress]\n        table: listed\n        basis: {tag: table, ref: \"Table 1, Rollback failed row\"}\n",
		"      - status: Rollback failed\n        when: [not_attached, no_backup_in_progress]\n        table: listed\n        basis: {tag: table, ref: \"Table 1, Rollback failed row\"}\n      - status: Deletion failed\n        basis: {tag: inferred, reason: a test}\n")
	code, v, d := pinVerdicts(t, append(small, "-spec", spec, "-findings", list, "-page", "none")...)
	if code != 1 || v[PropFindingsPinned] != "violated" || !strings.Contains(d[PropFindingsPinned], "disappeared: "+stuck) {
		t.Errorf("a finding removed: exit %d, %s: %q", code, v[PropFindingsPinned], d[PropFindingsPinned])
	}
}
