package plots

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/evsim/evsim/sim"
)

// File is one picture: a file name (with the format's extension) that
// says what it shows, and its bytes.
type File struct {
	Name string
	Data []byte
}

// Formats are the picture formats [Render] writes.
var Formats = []string{"png", "svg"}

// The size of every picture (96 pixels per inch in PNG: 960 by 528) and
// the column beside the plotting area that holds the legend.
const (
	Width       = 10 * vg.Inch
	Height      = 5.5 * vg.Inch
	legendWidth = 2.7 * vg.Inch
	maxPoints   = 2000 // points of a distribution curve at most
)

// Render draws every picture of the run s of the named scenario, in
// format ("png" or "svg"), in a fixed order: occupancy,
// occupancy-non-stable, tickets, pool. A summary that measured nothing
// (no replication reached the end of its warm-up) is an error.
func Render(s *sim.Summary, scenario, format string) ([]File, error) {
	if !validFormat(format) {
		return nil, fmt.Errorf("plots: format %q; want %s", format, strings.Join(Formats, " or "))
	}
	if s.Replications == 0 || len(s.Series) == 0 {
		return nil, fmt.Errorf("plots: the run measured nothing: no replication reached the end of its warm-up")
	}
	figs := []*figure{
		occupancyFigure(s, scenario, false),
		occupancyFigure(s, scenario, true),
		ticketsFigure(s, scenario),
		poolFigure(s, scenario),
	}
	var out []File
	for _, f := range figs {
		data, err := f.render(format)
		if err != nil {
			return nil, fmt.Errorf("plots: %s: %w", f.name, err)
		}
		out = append(out, File{Name: f.name + "." + format, Data: data})
	}
	return out, nil
}

func validFormat(f string) bool {
	for _, x := range Formats {
		if x == f {
			return true
		}
	}
	return false
}

// panel is one plot of a figure with the legend drawn beside it.
type panel struct {
	p      *plot.Plot
	legend plot.Legend
	names  []string      // the legend's entries, in order (for tests)
	fills  []color.Color // the fill colours of a stack's bands, top first (for tests)
}

func newPanel(title, xLabel, yLabel string) *panel {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(13)
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	p.X.Label.TextStyle.Font.Size = vg.Points(11)
	p.Y.Label.TextStyle.Font.Size = vg.Points(11)
	p.X.Tick.Marker = groupedTicks{}
	p.Y.Tick.Marker = groupedTicks{}
	p.Add(plotter.NewGrid())
	l := plot.NewLegend()
	l.Top, l.Left = true, true
	l.TextStyle.Font.Size = vg.Points(10)
	l.ThumbnailWidth = 0.3 * vg.Inch
	l.Padding = vg.Points(2)
	return &panel{p: p, legend: l}
}

func (pn *panel) add(name string, th ...plot.Thumbnailer) {
	pn.legend.Add(name, th...)
	pn.names = append(pn.names, name)
}

// figure is one picture: panels stacked top to bottom, equal heights.
type figure struct {
	name   string
	panels []*panel
}

func (f *figure) render(format string) ([]byte, error) {
	cw, err := draw.NewFormattedCanvas(Width, Height, format)
	if err != nil {
		return nil, err
	}
	dc := draw.New(cw)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	pad := 0.12 * vg.Inch
	area := dc.Rectangle
	area.Min.X += pad
	area.Max.X -= pad
	area.Min.Y += pad
	area.Max.Y -= pad
	ph := (area.Max.Y - area.Min.Y) / vg.Length(len(f.panels))
	for i, pn := range f.panels {
		top := area.Max.Y - vg.Length(i)*ph
		cell := draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{
			Min: vg.Point{X: area.Min.X, Y: top - ph + pad/2},
			Max: vg.Point{X: area.Max.X - legendWidth, Y: top},
		}}
		pn.p.Draw(cell)
		lg := draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{
			Min: vg.Point{X: area.Max.X - legendWidth + pad, Y: top - ph},
			Max: vg.Point{X: area.Max.X, Y: top - 0.35*vg.Inch},
		}}
		pn.legend.Draw(lg)
	}
	var buf bytes.Buffer
	if _, err := cw.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// days converts hours to days, the unit of every time axis.
func days(h float64) float64 { return h / 24 }

const timeLabel = "time (days)"

// warmupMarker draws the end of the warm-up as a dashed vertical line
// from 0 to top, with its legend entry.
func warmupMarker(pn *panel, s *sim.Summary, top float64) {
	if s.Warmup <= 0 {
		return
	}
	x := days(s.Warmup)
	l, _ := plotter.NewLine(plotter.XYs{{X: x, Y: 0}, {X: x, Y: top}})
	l.Color = color.Gray{Y: 0x55}
	l.Width = vg.Points(1)
	l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	pn.p.Add(l)
	pn.add("warm-up ends (day "+num(x)+")", l)
}

// yRange sets the vertical axis from 0 to a little above top.
func yRange(p *plot.Plot, top float64) float64 {
	if !(top > 0) {
		top = 1
	}
	top *= 1.08
	p.Y.Min, p.Y.Max = 0, top
	return top
}

// xRange sets the time axis to the span of the series.
func xRange(p *plot.Plot, s *sim.Summary) {
	p.X.Min = 0
	p.X.Max = days(s.Series[len(s.Series)-1].Time)
	if p.X.Max <= 0 {
		p.X.Max = 1
	}
}

// groupedTicks label about six round values over the range (1, 2 or 5
// times a power of ten apart), with thousands separators, and put four
// unlabelled ticks between them.
type groupedTicks struct{}

func (groupedTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) {
		return []plot.Tick{{Value: lo, Label: num(lo)}}
	}
	raw := (hi - lo) / 6
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * p
	for _, m := range []float64{1, 2, 5} {
		if m*p >= raw {
			step = m * p
			break
		}
	}
	var ts []plot.Tick
	minor := step / 5
	for k := math.Ceil(lo / minor); k*minor <= hi*(1+1e-12); k++ {
		v := k * minor
		if math.Abs(v) < minor*1e-9 {
			v = 0
		}
		t := plot.Tick{Value: v}
		if r := math.Round(v / step); math.Abs(v/step-r) < 1e-9 {
			t.Label = num(r * step)
		}
		ts = append(ts, t)
	}
	return ts
}

// num renders v for a label: thousands separators, three significant
// digits below 1000.
func num(v float64) string {
	if v == 0 {
		return "0"
	}
	a := math.Abs(v)
	if a >= 1000 {
		s := strconv.FormatFloat(math.Round(a), 'f', 0, 64)
		var b strings.Builder
		if v < 0 {
			b.WriteByte('-')
		}
		for i, c := range s {
			if i > 0 && (len(s)-i)%3 == 0 {
				b.WriteByte(',')
			}
			b.WriteRune(c)
		}
		return b.String()
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 3, 64), 64)
	return strconv.FormatFloat(r, 'f', -1, 64)
}

// estimate renders a mean with its 95% half-width, both with the
// decimals that show three significant digits of the mean.
func estimate(e sim.Estimate, scale float64) string {
	m, h := e.Mean*scale, e.HalfWidth*scale
	if e.N < 2 || h == 0 || math.Abs(m) >= 1000 {
		if e.N >= 2 && h != 0 {
			return num(m) + " ± " + num(h)
		}
		return num(m)
	}
	d := 0
	if a := math.Abs(m); a > 0 {
		d = max(0, 2-int(math.Floor(math.Log10(a))))
	}
	return strconv.FormatFloat(m, 'f', d, 64) + " ± " + strconv.FormatFloat(h, 'f', d, 64)
}

// replicationLines adds one thin grey line per replication.
func replicationLines(pn *panel, s *sim.Summary, y func(r *sim.Result, j int) float64) {
	for _, r := range s.Results {
		xy := make(plotter.XYs, len(r.Series.Time))
		for j, t := range r.Series.Time {
			xy[j] = plotter.XY{X: days(t), Y: y(r, j)}
		}
		l, err := plotter.NewLine(xy)
		if err != nil {
			continue
		}
		l.Color = color.Gray{Y: 0xbb}
		l.Width = vg.Points(0.6)
		pn.p.Add(l)
	}
	if len(s.Results) > 1 {
		l, _ := plotter.NewLine(plotter.XYs{{}, {X: 1}})
		l.Color = color.Gray{Y: 0xbb}
		l.Width = vg.Points(1)
		pn.add("each replication", l)
	}
}

// ecdf returns the empirical distribution of xs (sorted, not empty) as
// the corners of a step curve drawn horizontal then vertical: the share of
// values at or below each value, at most maxPoints points.
func ecdf(xs []float64) plotter.XYs {
	n := len(xs)
	out := plotter.XYs{{X: xs[0], Y: 0}}
	k := min(n, maxPoints)
	for q := range k {
		x := xs[q*(n-1)/max(k-1, 1)]
		j := sort.Search(n, func(i int) bool { return xs[i] > x }) // values <= x
		pt := plotter.XY{X: x, Y: float64(j) / float64(n)}
		if last := out[len(out)-1]; last != pt {
			out = append(out, pt)
		}
	}
	return out
}

func sortedCopy(xs []float64) []float64 {
	out := append([]float64(nil), xs...)
	sort.Float64s(out)
	return out
}

// nothing is a legend thumbnail that draws nothing: a line of text.
type nothing struct{}

func (nothing) Thumbnail(*draw.Canvas) {}

// addNote writes text in the middle of the panel's plotting area.
func addNote(pn *panel, s *sim.Summary, yTop float64, text string) {
	x := (pn.p.X.Min + pn.p.X.Max) / 2
	l, err := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{{X: x, Y: yTop / 2}}, Labels: []string{text}})
	if err != nil {
		return
	}
	l.TextStyle[0].XAlign = draw.XCenter
	l.TextStyle[0].Font.Size = vg.Points(12)
	l.TextStyle[0].Color = color.Gray{Y: 0x44}
	pn.p.Add(l)
}
