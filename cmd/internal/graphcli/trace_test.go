package graphcli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	detachLastSpec   = "../../../model/testdata/mutants/detach-last-stays-in-use.yaml"
	detachLastReport = "../../../diagram/testdata/check-detach-last.json"
)

func TestTraceGolden(t *testing.T) {
	golden(t, "trace-figure1.dot", runOK(t, "-spec", detachLastSpec, "-trace", detachLastReport, "-view", "figure1"))
	golden(t, "trace-full.dot", runOK(t, "-spec", detachLastSpec, "-trace", detachLastReport))
}

// TestTraceTellsTheStory: every arrow of the counterexample is coloured
// and numbered, in order, and every other arrow is faint.
func TestTraceTellsTheStory(t *testing.T) {
	dot := string(runOK(t, "-spec", detachLastSpec, "-trace", detachLastReport, "-view", "figure1"))
	want := map[string]string{
		"start -> creating":      "step 1",
		"available -> attaching": "step 3",
		"attaching -> in_use":    "step 4",
		"in_use -> detaching":    "step 5",
		"detaching -> in_use":    "step 6",
	}
	var coloured, faint int
	for _, line := range strings.Split(dot, "\n") {
		if !strings.Contains(line, " -> ") {
			continue
		}
		if strings.Contains(line, `color="#e8590c"`) {
			coloured++
		} else {
			faint++
		}
		for arrow, step := range want {
			if strings.HasPrefix(strings.TrimSpace(line), arrow+" ") {
				if !strings.Contains(line, `label="`+step) || !strings.Contains(line, `color="#e8590c"`) {
					t.Errorf("arrow %s: want %q in trace colour, got %s", arrow, step, line)
				}
				delete(want, arrow)
			}
		}
	}
	if len(want) > 0 {
		t.Errorf("arrows missing from the picture: %v", want)
	}
	if coloured != 7 || faint == 0 {
		t.Errorf("got %d coloured and %d faint arrows, want 7 (the six steps and the arrow into the decision) and some faint", coloured, faint)
	}
	if !strings.Contains(dot, `counterexample to available-means-unattached: d0 is In-use with no attachment\l`) ||
		!strings.Contains(dot, `6. succeed detach d0: Detaching -> In-use\l`) {
		t.Error("the title does not tell the story step by step")
	}
}

func TestTraceSVGAndPNG(t *testing.T) {
	svg := runOK(t, "-spec", detachLastSpec, "-trace", detachLastReport, "-format", "svg")
	if !bytes.Contains(svg, []byte("step 6")) || !bytes.Contains(svg, []byte("#e8590c")) {
		t.Error("the SVG does not carry the trace")
	}
	png := runOK(t, "-spec", detachLastSpec, "-trace", detachLastReport, "-view", "figure1", "-format", "png")
	if !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Error("no PNG")
	}
}

func TestTraceErrors(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out.svg")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown property", []string{"-spec", detachLastSpec, "-trace", detachLastReport, "-property", "size-never-shrinks"},
			`no counterexample for "size-never-shrinks"; the report has one for available-means-unattached`},
		{"every property holds", []string{"-trace", "../../../diagram/testdata/check-holds.json"}, "the report has no counterexample: every property holds"},
		{"report of another spec", []string{"-trace", "../../../diagram/testdata/check-error-attach.json"}, "draw the report with the spec it was checked against (-spec)"},
		{"not a report", []string{"-trace", "testdata/weights.json"}, "not a report of cmd/check -format json"},
		{"missing file", []string{"-trace", filepath.Join(dir, "nope.json")}, "-trace: open"},
		{"mermaid", []string{"-spec", detachLastSpec, "-trace", detachLastReport, "-format", "mermaid"}, "-trace draws on the picture: use -format dot, svg or png"},
		{"property without trace", []string{"-property", "attachment-limit"}, "-property names the counterexample to draw: it needs -trace"},
		{"with weights", []string{"-spec", detachLastSpec, "-trace", detachLastReport, "-weights", "testdata/weights.json"}, "use one of them"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := append(append([]string(nil), tc.args...), "-o", out)
			if code := run(args, &stdout, &stderr); code != 2 {
				t.Fatalf("exit %d, want 2; stderr: %s", code, stderr.String())
			}
			if !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("stderr %q does not say %q", stderr.String(), tc.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("something was written to -o")
			}
		})
	}
}

// TestTraceLeavesTheView: the README's example (a shared In-use disk
// expanded, drawn on Figure 1, which has no expansion of an In-use disk)
// falls back to the full view and says so, so that the violating step is
// on the picture.
func TestTraceLeavesTheView(t *testing.T) {
	spec := "../../../model/testdata/mutants/shared-in-use-expands.yaml"
	report := filepath.Join(t.TempDir(), "report.json")
	rep := []byte(`{"spec": "shared-in-use-expands.yaml", "violations": [{"property": "shared-in-use-never-expands",
  "detail": "shared disk d0 went from In-use to Expanding", "trace": [
  {"action": "start create d0", "op": "create", "disk": 0, "server": -1, "from": "(none)", "to": "Creating"},
  {"action": "succeed create d0", "op": "create", "disk": 0, "server": -1, "from": "Creating", "to": "Available"},
  {"action": "start attach d0 s0", "op": "attach", "disk": 0, "server": 0, "from": "Available", "to": "Attaching"},
  {"action": "succeed attach d0", "op": "attach", "disk": 0, "server": 0, "from": "Attaching", "to": "In-use"},
  {"action": "start expand d0", "op": "expand", "disk": 0, "server": -1, "from": "In-use", "to": "Expanding"}]}]}`)
	if err := os.WriteFile(report, rep, 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := run([]string{"-spec", spec, "-trace", report, "-view", "figure1"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(errb.String(), "step 5 (start expand d0: In-use -> Expanding) of the counterexample not in view figure1: drawing the full view instead") {
		t.Errorf("stderr %q does not say the view changed", errb.String())
	}
	dot := out.String()
	if strings.Contains(dot, "not in this view") || !strings.Contains(dot, "EVS disk statuses") {
		t.Error("the picture is not the full view with every step")
	}
	found := false
	for _, line := range strings.Split(dot, "\n") {
		if strings.Contains(line, "step 5") && strings.Contains(line, `color="#e8590c"`) && strings.Contains(line, "expanding") {
			found = true
		}
	}
	if !found {
		t.Error("no coloured arrow labelled step 5 into Expanding")
	}
}
