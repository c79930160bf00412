package graphcli

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var viewBox = regexp.MustCompile(`viewBox="0\.00 0\.00 ([0-9.]+) ([0-9.]+)"`)

// svgSize returns the width and height of an SVG picture in points.
func svgSize(t *testing.T, svg []byte) (w, h float64) {
	t.Helper()
	m := viewBox.FindSubmatch(svg)
	if m == nil {
		t.Fatal("no viewBox in the SVG")
	}
	w, _ = strconv.ParseFloat(string(m[1]), 64)
	h, _ = strconv.ParseFloat(string(m[2]), 64)
	return w, h
}

// TestPageFit: -title, -rankdir and -size reach the picture.
func TestPageFit(t *testing.T) {
	plain := runOK(t, "-format", "svg")
	if !strings.Contains(string(plain), ">EVS disk statuses</text>") {
		t.Fatal("the default picture has no title")
	}
	if svg := runOK(t, "-format", "svg", "-title", ""); strings.Contains(string(svg), ">EVS disk statuses</text>") {
		t.Error(`-title "" keeps the title`)
	}
	if svg := runOK(t, "-format", "svg", "-title", "Disk statuses"); !strings.Contains(string(svg), ">Disk statuses</text>") {
		t.Error("-title does not replace the title")
	}
	if dot := runOK(t, "-rankdir", "TB"); !strings.Contains(string(dot), `rankdir="TB"`) && !strings.Contains(string(dot), "rankdir=TB") {
		t.Error("-rankdir TB is not in the DOT")
	}
	w, _ := svgSize(t, plain)
	sw, sh := svgSize(t, runOK(t, "-format", "svg", "-size", "8.3,11.7"))
	if sw > 8.3*72+1 || sh > 11.7*72+1 || sw >= w {
		t.Errorf("-size 8.3,11.7: %.0f x %.0f pt (the full view %.0f wide); want at most %.0f x %.0f", sw, sh, w, 8.3*72, 11.7*72)
	}
	for _, tc := range []struct{ args []string }{
		{[]string{"-format", "rst", "-title", "x"}},
		{[]string{"-format", "mermaid", "-rankdir", "TB"}},
		{[]string{"-rankdir", "up"}},
		{[]string{"-size", "A4"}},
	} {
		var out, errb strings.Builder
		if code := run(tc.args, &out, &errb); code != 2 || out.Len() != 0 {
			t.Errorf("%v: exit %d, stdout %d bytes; want 2 and nothing", tc.args, code, out.Len())
		}
	}
}

var fontSize = regexp.MustCompile(`font-size="([0-9.]+)"`)

// TestPartsFitAColumn: each part of the life cycle, drawn 800 pixels wide,
// has no text smaller than 7.5 pixels (the full view's labels are about 5).
func TestPartsFitAColumn(t *testing.T) {
	px := func(svg []byte) float64 {
		w, _ := svgSize(t, svg)
		smallest := 1e9
		for _, m := range fontSize.FindAllSubmatch(svg, -1) {
			v, _ := strconv.ParseFloat(string(m[1]), 64)
			smallest = min(smallest, v)
		}
		return smallest * 800 / w
	}
	if full := px(runOK(t, "-format", "svg")); full > 6 {
		t.Errorf("the full view's smallest text at 800 px: %.1f px; the test expects it unreadable", full)
	}
	for _, p := range parts {
		svg := runOK(t, "-view", p.name, "-format", "svg")
		if got := px(svg); got < 7.5 {
			t.Errorf("-view %s: smallest text %.1f px at 800 px wide; want at least 7.5", p.name, got)
		}
		for _, op := range p.ops {
			if !strings.Contains(string(svg), "</svg>") || op == "" {
				t.Errorf("-view %s: no picture", p.name)
			}
		}
	}
	if dot := runOK(t, "-view", "creation"); !strings.Contains(string(dot), `rankdir="TB"`) && !strings.Contains(string(dot), "rankdir=TB") {
		t.Error("-view creation is not laid out top to bottom")
	}
	runOK(t, "-view", "creation", "-format", "mermaid")
}
