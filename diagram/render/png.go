package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"strconv"
	"strings"

	"github.com/fogleman/gg"
	"github.com/goccy/go-graphviz"
	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
)

// maxPixels bounds the picture size (width*height) PNG will allocate.
const maxPixels = 100 << 20

// PNG returns a correct PNG picture of the DOT document at the given scale
// (1.0 = 72 dpi points -> pixels; use e.g. 2.0 by default in callers).
//
// Graphviz lays the graph out (under the package lock); the picture is then
// drawn from the layout's xdot operations without the lock. As in the SVG,
// the graph's size attribute scales the picture and rotate=90 (landscape)
// turns it; the picture is then (SVG width x height in points) * scale
// pixels. Images in labels (the image attribute) are not drawn.
func PNG(ctx context.Context, dot []byte, scale float64) ([]byte, error) {
	if !(scale > 0) || math.IsInf(scale, 0) {
		return nil, fmt.Errorf("render: scale must be a positive number, not %v", scale)
	}
	data, err := layout(ctx, dot, graphviz.Format("json"))
	if err != nil {
		return nil, err
	}
	g, err := parseLayout(data)
	if err != nil {
		return nil, err
	}
	img, err := draw(g, scale)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	// Zlib's fastest level: half the time of the default for about 4% more
	// bytes on diagrams like these.
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("render: encode png: %w", err)
	}
	return buf.Bytes(), nil
}

// Dash patterns of Graphviz's SVG output, in points.
var (
	dashedPattern = []float64{5, 2}
	dottedPattern = []float64{1, 5}
)

// paint is a solid colour or, for fills, a gradient.
type paint struct {
	color color.NRGBA
	grad  *xop // the C/c operation holding a linear or radial gradient
}

// state is the xdot drawing state; each drawing attribute starts afresh.
type state struct {
	pen, fill paint
	width     float64   // line width, points
	dash      []float64 // points; nil for solid
	fontSize  float64   // points
	fontFace  string
	fontChars int
}

func initialState() state {
	black := paint{color: color.NRGBA{A: 255}}
	return state{pen: black, fill: black, width: 1, fontSize: 14, fontFace: "Times-Roman"}
}

// painter replays xdot operations onto a canvas. Graphviz coordinates are
// points with y up; the canvas has pixels with y down.
type painter struct {
	dc     *gg.Context
	img    *image.RGBA
	scale  float64
	minX   float64 // Graphviz x at the canvas's left edge
	maxY   float64 // Graphviz y at the canvas's top edge
	faces  faceCache
	failed error
}

func (p *painter) xy(pt []float64) (float64, float64) {
	if len(pt) < 2 {
		return 0, 0
	}
	return (pt[0] - p.minX) * p.scale, (p.maxY - pt[1]) * p.scale
}

// draw paints the laid-out graph the way Graphviz emits it: background and
// graph label, clusters (parents before children), then every node followed
// by its out-edges' heads and the edges themselves.
func draw(g *jsonGraph, scale float64) (*image.RGBA, error) {
	bb, err := parseBB(g.BB)
	if err != nil {
		return nil, err
	}
	padX, padY := parsePad(g.Pad)
	wPt, hPt := bb.urx-bb.llx+2*padX, bb.ury-bb.lly+2*padY
	turned := g.landscape()
	if turned {
		scale *= zoom(g.Size, hPt, wPt)
	} else {
		scale *= zoom(g.Size, wPt, hPt)
	}
	w, h := int(math.Ceil(wPt*scale)), int(math.Ceil(hPt*scale))
	if w <= 0 || h <= 0 {
		return nil, fmt.Errorf("render: bad bounding box %q", g.BB)
	}
	if float64(w)*float64(h) > maxPixels {
		return nil, fmt.Errorf("render: picture of %dx%d pixels is too large; lower the scale", w, h)
	}
	dc := gg.NewContext(w, h)
	img, ok := dc.Image().(*image.RGBA)
	if !ok {
		return nil, errors.New("render: canvas is not rgba")
	}
	p := &painter{dc: dc, img: img, scale: scale, minX: bb.llx - padX, maxY: bb.ury + padY, faces: faceCache{}}
	defer p.faces.close()

	// The background covers the padding too, as in Graphviz's own output;
	// the layout only gives it as a polygon over the bounding box.
	bgOps := p.background(g.Draw)
	p.run(bgOps)
	p.run(g.LDraw)

	n := g.SubgraphCount
	objs := make(map[int]*jsonObject, len(g.Objects))
	for i := range g.Objects {
		o := &g.Objects[i]
		objs[o.GVID] = o
	}
	for id := 0; id < n; id++ {
		if o := objs[id]; o != nil {
			p.run(o.Draw)
			p.run(o.LDraw)
		}
	}
	out := make(map[int][]*jsonEdge)
	for i := range g.Edges {
		e := &g.Edges[i]
		out[e.Tail] = append(out[e.Tail], e)
	}
	done := make(map[int]bool)
	node := func(id int) {
		if o := objs[id]; o != nil && id >= n && !done[id] {
			done[id] = true
			p.run(o.Draw)
			p.run(o.LDraw)
		}
	}
	for i := range g.Objects {
		id := g.Objects[i].GVID
		if id < n {
			continue
		}
		node(id)
		for _, e := range out[id] {
			node(e.Head)
			p.run(e.Draw)
			p.run(e.TDraw)
			p.run(e.HDraw)
			p.run(e.LDraw)
			p.run(e.TLDraw)
			p.run(e.HLDraw)
		}
	}
	if p.failed != nil {
		return nil, p.failed
	}
	if turned {
		return turnLeft(img), nil
	}
	return img, nil
}

// turnLeft returns img turned 90 degrees counter-clockwise, as Graphviz
// turns landscape drawings.
func turnLeft(img *image.RGBA) *image.RGBA {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	out := image.NewRGBA(image.Rect(0, 0, h, w))
	for y := 0; y < w; y++ {
		for x := 0; x < h; x++ {
			// out(x, y) shows img(w-1-y, x)
			si := img.PixOffset(b.Min.X+w-1-y, b.Min.Y+x)
			di := out.PixOffset(x, y)
			copy(out.Pix[di:di+4], img.Pix[si:si+4])
		}
	}
	return out
}

// background fills the whole canvas with the graph's background colour and
// returns the graph's operations without the background polygon.
func (p *painter) background(ops []xop) []xop {
	bg := color.NRGBA{R: 255, G: 255, B: 255, A: 255}
	for i, op := range ops {
		if op.Op == "C" {
			bg = parseColor(op.Color)
			if op.Grad != "" && op.Grad != "none" && len(op.Stops) > 0 {
				bg = parseColor(op.Stops[0].Color)
			}
		}
		if op.Op == "P" {
			rest := make([]xop, 0, len(ops)-1)
			rest = append(rest, ops[:i]...)
			ops = append(rest, ops[i+1:]...)
			break
		}
	}
	p.dc.SetColor(bg)
	p.dc.Clear()
	return ops
}

// run replays one drawing attribute's operations.
func (p *painter) run(ops []xop) {
	st := initialState()
	for i := range ops {
		op := &ops[i]
		switch op.Op {
		case "c":
			st.pen = toPaint(op)
		case "C":
			st.fill = toPaint(op)
		case "S":
			applyStyle(&st, op.Style)
		case "F":
			st.fontSize, st.fontFace = op.Size, op.Face
		case "t":
			st.fontChars = op.FontChar
		case "E", "e":
			if len(op.Rect) == 4 {
				p.ellipse(op.Rect)
				p.paintPath(&st, op.Op == "E")
			}
		case "P", "p":
			if p.polygon(op.Points) {
				p.paintPath(&st, op.Op == "P")
			}
		case "L":
			if p.polyline(op.Points) {
				p.paintPath(&st, false)
			}
		case "B", "b":
			// Graphviz's json writer spells a filled Bezier "B" and an
			// open one "b", the other way round from the xdot text format.
			if p.bezier(op.Points) {
				filled := op.Op == "B"
				if first, last := op.Points[0], op.Points[len(op.Points)-1]; filled && !samePoint(first, last) {
					p.dc.LineTo(p.xy(first))
				}
				p.paintPath(&st, filled)
			}
		case "T":
			p.text(&st, op)
		}
		// "I" (images) is not supported and skipped.
	}
}

func (p *painter) polyline(pts [][]float64) bool {
	if len(pts) < 2 {
		return false
	}
	p.dc.MoveTo(p.xy(pts[0]))
	for _, pt := range pts[1:] {
		p.dc.LineTo(p.xy(pt))
	}
	return true
}

// polygon adds a closed polygon. The outline starts and ends halfway along
// the first side, so that every corner gets a proper join: the stroker
// treats the path as open, and its two ends meet flush there.
func (p *painter) polygon(pts [][]float64) bool {
	if len(pts) < 2 || len(pts[0]) < 2 || len(pts[1]) < 2 {
		return false
	}
	mid := []float64{(pts[0][0] + pts[1][0]) / 2, (pts[0][1] + pts[1][1]) / 2}
	p.dc.MoveTo(p.xy(mid))
	for _, pt := range pts[1:] {
		p.dc.LineTo(p.xy(pt))
	}
	p.dc.LineTo(p.xy(pts[0]))
	p.dc.LineTo(p.xy(mid))
	return true
}

// ellipse adds an ellipse (centre and radii in rect) as four cubic arcs.
func (p *painter) ellipse(rect []float64) {
	const k = 0.5522847498307936 // 4/3 * (sqrt(2) - 1)
	cx, cy := p.xy(rect[:2])
	rx, ry := rect[2]*p.scale, rect[3]*p.scale
	dc := p.dc
	dc.MoveTo(cx+rx, cy)
	dc.CubicTo(cx+rx, cy+k*ry, cx+k*rx, cy+ry, cx, cy+ry)
	dc.CubicTo(cx-k*rx, cy+ry, cx-rx, cy+k*ry, cx-rx, cy)
	dc.CubicTo(cx-rx, cy-k*ry, cx-k*rx, cy-ry, cx, cy-ry)
	dc.CubicTo(cx+k*rx, cy-ry, cx+rx, cy-k*ry, cx+rx, cy)
}

// bezier adds a piecewise cubic Bezier curve: a start point, then three
// points (two controls and an end) per piece.
func (p *painter) bezier(pts [][]float64) bool {
	if len(pts) < 4 {
		return false
	}
	p.dc.MoveTo(p.xy(pts[0]))
	for i := 1; i+2 < len(pts); i += 3 {
		x1, y1 := p.xy(pts[i])
		x2, y2 := p.xy(pts[i+1])
		x3, y3 := p.xy(pts[i+2])
		p.dc.CubicTo(x1, y1, x2, y2, x3, y3)
	}
	return true
}

// paintPath fills (if asked) and then outlines the current path, as xdot's
// filled shapes are drawn with an outline in the pen colour. Lines end
// square (butt caps, as in Graphviz's SVG); closed shapes are built so that
// their outline's two ends meet flush on a straight or smooth stretch.
func (p *painter) paintPath(st *state, filled bool) {
	dc := p.dc
	if filled {
		dc.SetFillStyle(p.pattern(st.fill))
		dc.FillPreserve()
	}
	if st.width > 0 && (st.pen.grad != nil || st.pen.color.A > 0) {
		dc.SetStrokeStyle(gg.NewSolidPattern(st.pen.color))
		dc.SetLineWidth(st.width * p.scale)
		dc.SetLineCapButt()
		dc.SetLineJoinRound()
		if st.dash != nil {
			d := make([]float64, len(st.dash))
			for i, v := range st.dash {
				d[i] = v * p.scale
			}
			dc.SetDash(d...)
		} else {
			dc.SetDash()
		}
		dc.StrokePreserve()
	}
	dc.ClearPath()
}

func (p *painter) pattern(pt paint) gg.Pattern {
	op := pt.grad
	if op == nil {
		return gg.NewSolidPattern(pt.color)
	}
	var g gg.Gradient
	switch {
	case op.Grad == "linear" && len(op.P0) >= 2 && len(op.P1) >= 2:
		x0, y0 := p.xy(op.P0)
		x1, y1 := p.xy(op.P1)
		g = gg.NewLinearGradient(x0, y0, x1, y1)
	case op.Grad == "radial" && len(op.P0) >= 3 && len(op.P1) >= 3:
		x0, y0 := p.xy(op.P0)
		x1, y1 := p.xy(op.P1)
		g = gg.NewRadialGradient(x0, y0, op.P0[2]*p.scale, x1, y1, op.P1[2]*p.scale)
	default:
		return gg.NewSolidPattern(pt.color)
	}
	for _, s := range op.Stops {
		g.AddColorStop(s.Frac, parseColor(s.Color))
	}
	return g
}

// text draws one line of a label. xdot gives the baseline point, the
// alignment and the width Graphviz reserved; text that would come out wider
// than that (an unknown font) is set smaller so that it stays in its box.
func (p *painter) text(st *state, op *xop) {
	if op.Text == "" || st.fontSize <= 0 || len(op.Pt) < 2 {
		return
	}
	f, err := fontFor(st.fontFace, st.fontChars)
	if err != nil {
		p.fail(err)
		return
	}
	size := st.fontSize
	if st.fontChars&(8|16) != 0 { // superscript, subscript
		size *= 0.8
	}
	px := size * p.scale
	face, err := p.faces.face(f, px)
	if err != nil {
		p.fail(err)
		return
	}
	w := fixedToFloat(font.MeasureString(face, op.Text))
	if want := op.Width * p.scale; want > 0 && w > want*1.03 {
		px *= want / w
		if face, err = p.faces.face(f, px); err != nil {
			p.fail(err)
			return
		}
		w = fixedToFloat(font.MeasureString(face, op.Text))
	}
	x, y := p.xy(op.Pt)
	switch op.Align {
	case "c":
		x -= w / 2
	case "r":
		x -= w
	}
	switch {
	case st.fontChars&8 != 0:
		y -= 0.4 * px
	case st.fontChars&16 != 0:
		y += 0.2 * px
	}
	d := font.Drawer{
		Dst:  p.img,
		Src:  image.NewUniform(st.pen.color),
		Face: face,
		Dot:  fixed.Point26_6{X: floatToFixed(x), Y: floatToFixed(y)},
	}
	d.DrawString(op.Text)
	if st.fontChars&(4|32) != 0 {
		lw := math.Max(px/14, 1)
		p.dc.SetStrokeStyle(gg.NewSolidPattern(st.pen.color))
		p.dc.SetLineWidth(lw)
		p.dc.SetDash()
		if st.fontChars&4 != 0 { // underline
			p.dc.DrawLine(x, y+px*0.12, x+w, y+px*0.12)
			p.dc.Stroke()
		}
		if st.fontChars&32 != 0 { // strike-through
			p.dc.DrawLine(x, y-px*0.3, x+w, y-px*0.3)
			p.dc.Stroke()
		}
	}
}

func (p *painter) fail(err error) {
	if p.failed == nil {
		p.failed = err
	}
}

// samePoint reports whether two xdot points are the same; a zero-length
// closing segment would upset the stroker.
func samePoint(a, b []float64) bool {
	return len(a) >= 2 && len(b) >= 2 && a[0] == b[0] && a[1] == b[1]
}

func fixedToFloat(v fixed.Int26_6) float64 { return float64(v) / 64 }
func floatToFixed(v float64) fixed.Int26_6 { return fixed.Int26_6(math.Round(v * 64)) }

// applyStyle applies an xdot style operation such as "dashed", "bold" or
// "setlinewidth(2)".
func applyStyle(st *state, style string) {
	for _, s := range splitStyle(style) {
		switch {
		case s == "solid":
			st.dash = nil
		case s == "dashed":
			st.dash = dashedPattern
		case s == "dotted":
			st.dash = dottedPattern
		case s == "bold":
			st.width = 2
		case strings.HasPrefix(s, "setlinewidth(") && strings.HasSuffix(s, ")"):
			v, err := strconv.ParseFloat(strings.TrimSpace(s[len("setlinewidth("):len(s)-1]), 64)
			if err == nil && v >= 0 {
				st.width = v
			}
		}
	}
}

// splitStyle splits a style list at commas outside parentheses.
func splitStyle(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	return append(out, strings.TrimSpace(s[start:]))
}

func toPaint(op *xop) paint {
	if op.Grad == "linear" || op.Grad == "radial" {
		c := color.NRGBA{A: 255}
		if len(op.Stops) > 0 {
			c = parseColor(op.Stops[0].Color)
		}
		return paint{color: c, grad: op}
	}
	return paint{color: parseColor(op.Color)}
}

// parseColor reads xdot's "#rrggbb" or "#rrggbbaa"; a few names are also
// understood, and anything else is black.
func parseColor(s string) color.NRGBA {
	s = strings.TrimSpace(strings.ToLower(s))
	switch s {
	case "transparent", "none", "invis":
		return color.NRGBA{}
	case "white":
		return color.NRGBA{255, 255, 255, 255}
	case "black", "":
		return color.NRGBA{A: 255}
	}
	if strings.HasPrefix(s, "#") && (len(s) == 7 || len(s) == 9) {
		v, err := strconv.ParseUint(s[1:], 16, 32)
		if err == nil {
			if len(s) == 7 {
				return color.NRGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 255}
			}
			return color.NRGBA{uint8(v >> 24), uint8(v >> 16), uint8(v >> 8), uint8(v)}
		}
	}
	return color.NRGBA{A: 255}
}
