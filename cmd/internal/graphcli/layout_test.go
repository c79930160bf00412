package graphcli

import (
	"regexp"
	"strconv"
	"testing"
)

// nodeX returns the x coordinate of each node's first text in an SVG
// drawn by Graphviz, by node name.
func nodeX(t *testing.T, svg []byte) map[string]float64 {
	t.Helper()
	re := regexp.MustCompile(`(?s)<g id="node\d+" class="node">\s*<title>([^<]+)</title>.*?<text[^>]* x="([-0-9.]+)"`)
	out := map[string]float64{}
	for _, m := range re.FindAllSubmatch(svg, -1) {
		x, err := strconv.ParseFloat(string(m[2]), 64)
		if err != nil {
			t.Fatal(err)
		}
		out[string(m[1])] = x
	}
	return out
}

// TestLayoutColumns lays the full view and two filtered views out and
// checks the columns a reader relies on: the work in progress between
// Available and In-use, the failed statuses right of In-use.
func TestLayoutColumns(t *testing.T) {
	for _, tt := range []struct {
		name   string
		args   []string
		work   []string
		failed []string
	}{
		{"full", nil, []string{"attaching", "detaching", "expanding", "uploading", "deleting"}, []string{"error", "expansion_failed", "deletion_failed"}},
		{"attach, detach", []string{"-ops", "attach,detach"}, []string{"attaching", "detaching"}, nil},
		{"expand, delete", []string{"-ops", "expand,delete"}, []string{"expanding", "deleting"}, []string{"expansion_failed", "deletion_failed", "error"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			x := nodeX(t, runOK(t, append([]string{"-format", "svg"}, tt.args...)...))
			for _, n := range append(append([]string{"available", "in_use"}, tt.work...), tt.failed...) {
				if _, ok := x[n]; !ok {
					t.Fatalf("node %s not found in the SVG", n)
				}
			}
			for _, w := range tt.work {
				if !(x["available"] < x[w] && x[w] < x["in_use"]) {
					t.Errorf("%s at x=%v, want between Available (%v) and In-use (%v)", w, x[w], x["available"], x["in_use"])
				}
			}
			for _, f := range tt.failed {
				if !(x[f] > x["in_use"]) {
					t.Errorf("%s at x=%v, want right of In-use (%v)", f, x[f], x["in_use"])
				}
			}
		})
	}
}
