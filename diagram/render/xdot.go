package render

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// jsonGraph is the part of Graphviz's "json" output that drawing needs.
// Objects hold the subgraphs (the first SubgraphCount entries) and then the
// nodes; an object's index is its _gvid, which edges use for tail and head.
type jsonGraph struct {
	Draw          []xop        `json:"_draw_"`
	LDraw         []xop        `json:"_ldraw_"`
	BB            string       `json:"bb"`
	Pad           string       `json:"pad"`
	Size          string       `json:"size"`
	Rotate        string       `json:"rotate"`
	Landscape     string       `json:"landscape"`
	SubgraphCount int          `json:"_subgraph_cnt"`
	Objects       []jsonObject `json:"objects"`
	Edges         []jsonEdge   `json:"edges"`
}

type jsonObject struct {
	GVID   int    `json:"_gvid"`
	Name   string `json:"name"`
	Draw   []xop  `json:"_draw_"`
	LDraw  []xop  `json:"_ldraw_"`
	Pos    string `json:"pos"`    // node centre, points
	Width  string `json:"width"`  // node width, inches
	Height string `json:"height"` // node height, inches
}

type jsonEdge struct {
	GVID   int   `json:"_gvid"`
	Tail   int   `json:"tail"`
	Head   int   `json:"head"`
	Draw   []xop `json:"_draw_"`
	LDraw  []xop `json:"_ldraw_"`
	HDraw  []xop `json:"_hdraw_"`
	TDraw  []xop `json:"_tdraw_"`
	HLDraw []xop `json:"_hldraw_"`
	TLDraw []xop `json:"_tldraw_"`
}

// xop is one xdot drawing operation as the json format spells it.
type xop struct {
	Op string `json:"op"`

	// c, C: pen and fill colour, possibly a gradient.
	Grad  string     `json:"grad"`
	Color string     `json:"color"`
	P0    []float64  `json:"p0"`
	P1    []float64  `json:"p1"`
	Stops []gradStop `json:"stops"`

	// E, e: ellipse centre and radii.
	Rect []float64 `json:"rect"`
	// P, p, L, B, b: points.
	Points [][]float64 `json:"points"`

	// T: text.
	Pt    []float64 `json:"pt"`
	Align string    `json:"align"`
	Width float64   `json:"width"`
	Text  string    `json:"text"`

	// F: font.
	Size float64 `json:"size"`
	Face string  `json:"face"`
	// t: font characteristics (bold 1, italic 2, underline 4, superscript 8,
	// subscript 16, strike-through 32).
	FontChar int `json:"fontchar"`

	// S: style.
	Style string `json:"style"`
}

type gradStop struct {
	Frac  float64 `json:"frac"`
	Color string  `json:"color"`
}

func parseLayout(data []byte) (*jsonGraph, error) {
	var g jsonGraph
	if err := json.Unmarshal(data, &g); err != nil {
		return nil, fmt.Errorf("render: decode layout: %w", err)
	}
	return &g, nil
}

// box is a rectangle in Graphviz coordinates (points, y up).
type box struct{ llx, lly, urx, ury float64 }

func parseBB(s string) (box, error) {
	f, err := parseFloats(s, 4)
	if err != nil {
		return box{}, fmt.Errorf("render: bad bounding box %q: %w", s, err)
	}
	return box{f[0], f[1], f[2], f[3]}, nil
}

// parseFloats parses n comma-separated numbers.
func parseFloats(s string, n int) ([]float64, error) {
	parts := strings.Split(s, ",")
	if len(parts) != n {
		return nil, fmt.Errorf("want %d numbers, got %d", n, len(parts))
	}
	out := make([]float64, n)
	for i, p := range parts {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// parsePad reads the graph's pad attribute (inches, "x" or "x,y"); Graphviz
// pads by 4 points on each side when it is not set.
func parsePad(s string) (x, y float64) {
	const def = 4.0
	s = strings.TrimSuffix(strings.TrimSpace(s), "!")
	if s == "" {
		return def, def
	}
	parts := strings.Split(s, ",")
	vx, err := strconv.ParseFloat(strings.TrimSpace(parts[0]), 64)
	if err != nil || vx < 0 {
		return def, def
	}
	vy := vx
	if len(parts) > 1 {
		if v, err := strconv.ParseFloat(strings.TrimSpace(parts[1]), 64); err == nil && v >= 0 {
			vy = v
		}
	}
	return vx * 72, vy * 72
}

// parseSize reads the graph's size attribute (inches, "w,h" or "w", with an
// optional "!"), in points; ok is false when it is not set or not valid.
func parseSize(s string) (w, h float64, fill, ok bool) {
	s = strings.TrimSpace(s)
	if strings.HasSuffix(s, "!") {
		fill = true
		s = strings.TrimSpace(strings.TrimSuffix(s, "!"))
	}
	if s == "" {
		return 0, 0, false, false
	}
	parts := strings.Split(s, ",")
	if len(parts) > 2 {
		return 0, 0, false, false
	}
	w, err := strconv.ParseFloat(strings.TrimSpace(parts[0]), 64)
	if err != nil {
		return 0, 0, false, false
	}
	h = w
	if len(parts) == 2 {
		if h, err = strconv.ParseFloat(strings.TrimSpace(parts[1]), 64); err != nil {
			return 0, 0, false, false
		}
	}
	if !(w > 0.001) || !(h > 0.001) || math.IsInf(w, 0) || math.IsInf(h, 0) {
		return 0, 0, false, false
	}
	return w * 72, h * 72, fill, true
}

// zoom is the factor by which Graphviz scales a drawing of w by h points
// to honour the graph's size attribute: down when the drawing is larger
// than the size, up (with "!") when it is smaller in both directions.
func zoom(size string, w, h float64) float64 {
	sw, sh, fill, ok := parseSize(size)
	if !ok || w <= 0 || h <= 0 {
		return 1
	}
	if w > sw || h > sh || (fill && w < sw && h < sh) {
		return math.Min(sw/w, sh/h)
	}
	return 1
}

// landscape reports whether the graph is drawn turned by 90 degrees.
func (g *jsonGraph) landscape() bool {
	if strings.TrimSpace(g.Rotate) == "90" {
		return true
	}
	switch strings.ToLower(strings.TrimSpace(g.Landscape)) {
	case "true", "yes", "1":
		return true
	}
	return false
}
