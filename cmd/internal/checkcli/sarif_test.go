package checkcli

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/evsim/evsim/cmd/internal/schematest"
)

const shrinks = "../../../model/testdata/mutants/size-shrinks.yaml"

// sarifResults validates out against the SARIF 2.1.0 schema and returns
// its results.
func sarifResults(t *testing.T, out string) []sarifResult {
	t.Helper()
	schematest.MustJSON(t, "sarif-schema-2.1.0.json", []byte(out))
	var l sarifLog
	if err := json.Unmarshal([]byte(out), &l); err != nil {
		t.Fatal(err)
	}
	if len(l.Runs) != 1 || l.Runs[0].Tool.Driver.Name != "evsim" || l.Runs[0].Tool.Driver.Version == "" {
		t.Fatalf("runs %+v", l.Runs)
	}
	for _, r := range l.Runs[0].Results {
		if l.Runs[0].Tool.Driver.Rules[r.RuleIndex].ID != r.RuleID {
			t.Errorf("result %s: ruleIndex %d names rule %s", r.RuleID, r.RuleIndex, l.Runs[0].Tool.Driver.Rules[r.RuleIndex].ID)
		}
	}
	return l.Runs[0].Results
}

// lineOf returns line n (from 1) of file.
func lineOf(t *testing.T, file string, n int) string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	if n < 1 || n > len(lines) {
		t.Fatalf("%s has no line %d", file, n)
	}
	return lines[n-1]
}

func TestSARIF(t *testing.T) {
	code, out, errs := runCheck(t, "-spec", shrinks, "-servers", "1", "-format", "sarif")
	if code != exitViolated {
		t.Fatalf("exit %d: %s", code, errs)
	}
	found := false
	for _, r := range sarifResults(t, out) {
		if r.RuleID != "size-never-shrinks" {
			continue
		}
		found = true
		loc := r.Locations[0].Physical
		if !strings.HasSuffix(loc.Artifact.URI, "model/testdata/mutants/size-shrinks.yaml") || strings.Contains(loc.Artifact.URI, "..") {
			t.Errorf("artifact %+v", loc.Artifact)
		}
		// The shrinking expansion: the result points at the operation.
		if line := lineOf(t, shrinks, loc.Region.StartLine); !strings.Contains(line, "name: expand") {
			t.Errorf("result at line %d %q; want the expand operation", loc.Region.StartLine, line)
		}
		if len(r.CodeFlows) != 1 || len(r.CodeFlows[0].ThreadFlows[0].Locations) != 4 {
			t.Errorf("code flows %+v; want the 4 steps of the trace", r.CodeFlows)
		}
	}
	if !found {
		t.Error("no result for size-never-shrinks")
	}

	// The embedded spec: everything holds, findings are notes in model/evs.yaml.
	code, out, _ = runCheck(t, "-disks", "shared:10", "-format", "sarif")
	if code != exitHolds {
		t.Fatalf("exit %d", code)
	}
	for _, r := range sarifResults(t, out) {
		if r.Level != "note" || r.Locations[0].Physical.Artifact.URI != "model/evs.yaml" {
			t.Errorf("result %s: level %s at %+v; want notes in model/evs.yaml", r.RuleID, r.Level, r.Locations[0].Physical.Artifact)
		}
	}
}

func TestDocsSARIF(t *testing.T) {
	page := editPage(t, "The EVS disk is being deleted.", "The EVS disk is being removed.")
	_, js, _ := runCheck(t, "-docs", page, "-format", "json")
	var rep docsReport
	if err := json.Unmarshal([]byte(js), &rep); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runCheck(t, "-docs", page, "-format", "sarif")
	if code != exitViolated {
		t.Fatalf("exit %d", code)
	}
	rs := sarifResults(t, out)
	if len(rs) != len(rep.Differences) || len(rs) == 0 {
		t.Fatalf("%d results for %d differences", len(rs), len(rep.Differences))
	}
	for i, r := range rs {
		d := rep.Differences[i]
		reg := r.Locations[0].Physical.Region
		if reg.StartLine != d.Line || reg.StartColumn != d.Col || r.Level != "error" {
			t.Errorf("result %d at %d:%d (%s); want %d:%d, error", i, reg.StartLine, reg.StartColumn, r.Level, d.Line, d.Col)
		}
		if !strings.Contains(lineOf(t, page, reg.StartLine), "removed") {
			t.Errorf("line %d of the page is not the edited one", reg.StartLine)
		}
	}
}

var annotation = regexp.MustCompile(`^::(error|warning|notice) file=([^,]+),line=(\d+),col=(\d+),title=([^:]*)::(.+)$`)

func TestGitHubAnnotations(t *testing.T) {
	code, out, _ := runCheck(t, "-spec", shrinks, "-servers", "1", "-format", "github")
	if code != exitViolated || !strings.Contains(out, "result         VIOLATED") {
		t.Fatalf("exit %d; want 1 and the text report:\n%s", code, out)
	}
	var got []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "::") {
			m := annotation.FindStringSubmatch(l)
			if m == nil {
				t.Errorf("malformed annotation %q", l)
				continue
			}
			got = append(got, m[5])
			if strings.Contains(m[5], "size-never-shrinks") && !strings.Contains(lineOf(t, shrinks, atoi(m[3])), "name: expand") {
				t.Errorf("annotation at line %s; want the expand operation", m[3])
			}
		}
	}
	if len(got) != 2 || !strings.Contains(strings.Join(got, " "), "size-never-shrinks") {
		t.Errorf("annotations %v; want one per violated property", got)
	}
	page := editPage(t, "The EVS disk is being deleted.", "The EVS disk is being removed.")
	_, out, _ = runCheck(t, "-docs", page, "-format", "github")
	if n := strings.Count(out, "\n::error file="); n != 1 {
		t.Errorf("%d annotations for one difference:\n%s", n, out)
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}
