package graphcli

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestWeightsGolden(t *testing.T) {
	golden(t, "weighted.dot", runOK(t, "-weights", "testdata/weights.json"))
	golden(t, "weighted-figure1.dot", runOK(t, "-weights", "testdata/weights.json", "-view", "figure1"))
}

// penwidths maps each arrow line of a DOT text containing key to its pen
// width (1 when none is set).
func penwidth(t *testing.T, dot, key string) float64 {
	t.Helper()
	for _, line := range strings.Split(dot, "\n") {
		if strings.Contains(line, "->") && strings.Contains(line, key) {
			m := regexp.MustCompile(`penwidth="([0-9.]+)"`).FindStringSubmatch(line)
			if m == nil {
				return 1
			}
			v, err := strconv.ParseFloat(m[1], 64)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
	}
	t.Fatalf("no arrow with %q", key)
	return 0
}

// TestWeightsWidthsMonotone: a busier arrow is drawn wider; one never
// taken is faint and of the base width.
func TestWeightsWidthsMonotone(t *testing.T) {
	dot := string(runOK(t, "-weights", "testdata/weights.json"))
	// From the fixture: attach starts 120/day, creations 40/day, creations
	// failing 0.5/day, deletions of disks in Error 0.01/day.
	attach := penwidth(t, dot, "120/day")
	create := penwidth(t, dot, "40/day")
	failed := penwidth(t, dot, `failed\n3.5/week`)
	rare := penwidth(t, dot, "3.65/year")
	if !(attach > create && create > failed && failed > rare && rare > 1) {
		t.Errorf("widths 120/day %v, 40/day %v, 0.5/day %v, 0.01/day %v: want strictly decreasing, above 1", attach, create, failed, rare)
	}
	if !strings.Contains(dot, `never`) || !strings.Contains(dot, `color="#1f5fa840"`) {
		t.Error("arrows never taken are not drawn faint and labelled never")
	}
	if !strings.Contains(dot, `In-use\n18,000 disks`) || !strings.Contains(dot, "never occupied") {
		t.Error("statuses lack their mean occupancy or the never-occupied mark")
	}
}

func TestWeightsFormats(t *testing.T) {
	mmd := string(runOK(t, "-weights", "testdata/weights.json", "-format", "mermaid"))
	if !strings.Contains(mmd, "(120/day)") || !strings.Contains(mmd, `"In-use (18,000 disks)"`) {
		t.Errorf("mermaid lacks the weights:\n%s", mmd)
	}
	js := string(runOK(t, "-weights", "testdata/weights.json", "-format", "json"))
	if !strings.Contains(js, `"per_day": 120`) || !strings.Contains(js, `"disks": 18000`) {
		t.Error("json lacks the weights")
	}
	svg := runOK(t, "-weights", "testdata/weights.json", "-format", "svg")
	if !bytes.Contains(svg, []byte("120/day")) {
		t.Error("svg lacks the weights")
	}
}

func TestWeightsErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	fixture, err := os.ReadFile("testdata/weights.json")
	if err != nil {
		t.Fatal(err)
	}
	other := write("other.json", strings.Replace(string(fixture), `"Available"`, `"Idle"`, 1))
	badEdge := write("edge.json", strings.Replace(string(fixture), `"operation": "attach"`, `"operation": "detach"`, 1))
	syntax := write("syntax.json", "{\n  \"scenario\": \"x\",\n  \"statuses\": [,]\n}\n")
	out := filepath.Join(dir, "out.dot")
	for _, tc := range []struct {
		name, file, want string
	}{
		{"missing", filepath.Join(dir, "nope.json"), "no such file"},
		{"syntax", syntax, "syntax.json:3:16: not valid JSON"},
		{"graph json, not a simulator summary", "testdata/full.json", "full.json: not a simulator summary (cmd/sim -format json)"},
		{"another spec", other, `statuses[1].name: "Idle" is not a status of spec`},
		{"edge of another spec", badEdge, "is not an edge of spec"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var o, e bytes.Buffer
			code := run([]string{"-weights", tc.file, "-o", out}, &o, &e)
			if code != 2 || !strings.Contains(e.String(), tc.want) || !strings.Contains(e.String(), "-weights") {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, e.String(), tc.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("output written on error")
			}
		})
	}
	var o, e bytes.Buffer
	if code := run([]string{"-weights", "testdata/weights.json", "-format", "rst"}, &o, &e); code != 2 || !strings.Contains(e.String(), "-weights") {
		t.Errorf("rst with -weights: exit %d, %q", code, e.String())
	}
}
