package sweep

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Series is one line of a panel: a mean with the half-width of its 95%
// interval at each x. A NaN mean is a point with nothing measured.
type Series struct {
	Label  string
	Dashed bool // a computed line, drawn dashed without points or bars
	X      []float64
	Mean   []float64
	Half   []float64
}

// Panel is one output of a sweep against the swept parameter.
type Panel struct {
	Title  string
	YLabel string // with the unit
	Series []Series
}

// Figure is a sweep drawn as panels stacked in a column sharing the x
// axis. Ticks, when set, label the x positions TickAt (the swept values
// as written, at their numeric positions or at 0, 1, ... for words).
type Figure struct {
	Title  string
	XLabel string
	Ticks  []string
	TickAt []float64
	Panels []Panel
}

// colours are distinguishable for most readers (Okabe-Ito).
var colours = []color.RGBA{
	{0, 114, 178, 255}, {213, 94, 0, 255}, {0, 158, 115, 255}, {204, 121, 167, 255},
	{230, 159, 0, 255}, {86, 180, 233, 255}, {0, 0, 0, 255},
}

type errPoints struct {
	plotter.XYs
	plotter.YErrors
}

// Plot renders f as "png" or "svg" (format, without a dot). The same
// figure gives the same bytes.
func Plot(f *Figure, format string) ([]byte, error) {
	if len(f.Panels) == 0 {
		return nil, fmt.Errorf("sweep: plot: nothing to draw")
	}
	w := 16 * vg.Centimeter
	h := vg.Length(len(f.Panels))*5.5*vg.Centimeter + vg.Centimeter
	var plots [][]*plot.Plot
	for pi, pn := range f.Panels {
		p := plot.New()
		p.Title.Text = pn.Title
		if pi == 0 && f.Title != "" {
			p.Title.Text = f.Title + "\n" + pn.Title
		}
		p.X.Label.Text = f.XLabel
		p.Y.Label.Text = pn.YLabel
		p.Add(plotter.NewGrid())
		p.Y.Tick.Marker = yTicks{}
		if f.Ticks != nil {
			var ticks []plot.Tick
			for i, t := range f.Ticks {
				x := float64(i)
				if i < len(f.TickAt) {
					x = f.TickAt[i]
				}
				ticks = append(ticks, plot.Tick{Value: x, Label: t})
			}
			p.X.Tick.Marker = plot.ConstantTicks(ticks)
		}
		ymin, ymax := math.Inf(1), math.Inf(-1)
		xmin, xmax := math.Inf(1), math.Inf(-1)
		for _, x := range f.TickAt {
			xmin, xmax = math.Min(xmin, x), math.Max(xmax, x)
		}
		for si, s := range pn.Series {
			var pts errPoints
			for i := range s.X {
				if math.IsNaN(s.Mean[i]) {
					continue
				}
				hw := s.Half[i]
				if math.IsNaN(hw) {
					hw = 0
				}
				pts.XYs = append(pts.XYs, plotter.XY{X: s.X[i], Y: s.Mean[i]})
				pts.YErrors = append(pts.YErrors, struct{ Low, High float64 }{hw, hw})
				ymin, ymax = math.Min(ymin, s.Mean[i]-hw), math.Max(ymax, s.Mean[i]+hw)
				xmin, xmax = math.Min(xmin, s.X[i]), math.Max(xmax, s.X[i])
			}
			if len(pts.XYs) == 0 {
				continue
			}
			c := colours[si%len(colours)]
			line, err := plotter.NewLine(pts.XYs)
			if err != nil {
				return nil, fmt.Errorf("sweep: plot: %w", err)
			}
			line.Color = c
			line.Width = vg.Points(1.2)
			if s.Dashed {
				line.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
			}
			sc, err := plotter.NewScatter(pts.XYs)
			if err != nil {
				return nil, fmt.Errorf("sweep: plot: %w", err)
			}
			sc.Color = c
			sc.Shape = draw.CircleGlyph{}
			sc.Radius = vg.Points(2.5)
			if s.Dashed {
				// A computed line: no points or bars to hide the measured ones.
				p.Add(line)
				if len(pn.Series) > 1 {
					p.Legend.Add(s.Label, line)
				}
				continue
			}
			eb, err := plotter.NewYErrorBars(pts)
			if err != nil {
				return nil, fmt.Errorf("sweep: plot: %w", err)
			}
			eb.Color = c
			eb.LineStyle.Width = vg.Points(1)
			p.Add(line, eb, sc)
			if len(pn.Series) > 1 {
				p.Legend.Add(s.Label, line, sc)
			}
		}
		if math.IsInf(ymin, 0) {
			p.Add(noData{})
			ymin, ymax = 0, 1
		}
		ymin = math.Min(ymin, 0)
		if ymax <= ymin {
			ymax = ymin + 1
		}
		// Room above the data for the legend, which sits at the top.
		top := ymax
		if len(pn.Series) > 1 {
			top = ymax + (ymax-ymin)*0.12*float64(len(pn.Series)+1)
		}
		p.Y.Min, p.Y.Max = ymin, top+(top-ymin)*0.04
		if !math.IsInf(xmin, 0) {
			pad := (xmax - xmin) * 0.05
			if pad == 0 {
				pad = 0.5
			}
			p.X.Min, p.X.Max = xmin-pad, xmax+pad
		}
		p.Legend.Top, p.Legend.Left = true, true
		p.Legend.XOffs = vg.Millimeter
		plots = append(plots, []*plot.Plot{p})
	}
	var buf bytes.Buffer
	switch strings.ToLower(format) {
	case "png":
		img := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(96))
		dc := draw.New(img)
		drawAll(plots, dc)
		if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&buf); err != nil {
			return nil, fmt.Errorf("sweep: plot: %w", err)
		}
	case "svg":
		img := vgsvg.New(w, h)
		dc := draw.New(img)
		drawAll(plots, dc)
		if _, err := img.WriteTo(&buf); err != nil {
			return nil, fmt.Errorf("sweep: plot: %w", err)
		}
	default:
		return nil, fmt.Errorf("sweep: plot: format %q; want png or svg", format)
	}
	return buf.Bytes(), nil
}

func drawAll(plots [][]*plot.Plot, dc draw.Canvas) {
	tiles := draw.Tiles{Rows: len(plots), Cols: 1, PadY: vg.Centimeter * 0.4, PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2, PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 4}
	canvases := plot.Align(plots, tiles, dc)
	for i := range plots {
		plots[i][0].Draw(canvases[i][0])
	}
}

// noData writes "nothing measured" in a panel without points.
type noData struct{}

func (noData) Plot(c draw.Canvas, p *plot.Plot) {
	sty := p.Title.TextStyle
	sty.Font.Size = vg.Points(10)
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
	c.FillText(sty, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: (c.Min.Y + c.Max.Y) / 2}, "nothing measured")
}

// yTicks label four to ten round values over the y range (1, 2 or 5 times
// a power of ten apart), with an unlabelled tick between two labels: the
// default marker labels as few as two on a panel this short.
type yTicks struct{}

func (yTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) {
		return []plot.Tick{{Value: lo, Label: strconv.FormatFloat(lo, 'g', 4, 64)}}
	}
	// The largest round step that labels four values or more.
	count := func(step float64) int {
		return int(math.Floor(hi/step+1e-9) - math.Ceil(lo/step-1e-9) + 1)
	}
	p := math.Pow(10, math.Ceil(math.Log10(hi-lo)))
	step := p
	for k := 0; k < 12 && count(step) < 4; k++ {
		for _, m := range []float64{0.5, 0.4, 0.5} { // 1 -> 0.5 -> 0.2 -> 0.1
			if count(step) >= 4 {
				break
			}
			step *= m
		}
	}
	decimals := max(0, -int(math.Floor(math.Log10(step)+1e-9)))
	var ts []plot.Tick
	half := step / 2
	for k := math.Ceil(lo/half - 1e-9); k*half <= hi*(1+1e-12)+half*1e-9; k++ {
		v := k * half
		if math.Abs(v) < half*1e-9 {
			v = 0
		}
		t := plot.Tick{Value: v}
		if int64(k)%2 == 0 {
			t.Label = strconv.FormatFloat(v, 'f', decimals, 64)
		}
		ts = append(ts, t)
	}
	return ts
}
