package plots

import (
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/evsim/evsim/model"
	"github.com/evsim/evsim/sim"
)

// poolUnit picks GiB, TiB or PiB so that the axis reads in a few digits.
func poolUnit(hi float64) (string, float64) {
	switch {
	case hi >= 10*1024*1024:
		return "PiB", 1.0 / (1024 * 1024)
	case hi >= 10*1024:
		return "TiB", 1.0 / 1024
	}
	return "GiB", 1
}

// ranOutLabel is the start of the legend entry that marks exhaustion.
const ranOutLabel = "pool first refused room"

// poolFigure draws the storage pool in use over time, its capacity, and
// where each replication's pool first refused room.
func poolFigure(s *sim.Summary, scenario string) *figure {
	hi := s.Pool.CapacityGiB
	for _, r := range s.Results {
		for _, v := range r.Series.PoolUsed {
			hi = max(hi, float64(v))
		}
	}
	unit, scale := poolUnit(hi)
	title := scenario + ": storage pool in use"
	if s.Pool.CapacityGiB == 0 {
		title += " (capacity unlimited)"
	}
	pn := newPanel(title, timeLabel, "in use ("+unit+")")
	xRange(pn.p, s)
	replicationLines(pn, s, func(r *sim.Result, j int) float64 { return float64(r.Series.PoolUsed[j]) * scale })
	xy := make(plotter.XYs, len(s.Series))
	for j, p := range s.Series {
		xy[j] = plotter.XY{X: days(p.Time), Y: p.PoolUsed * scale}
	}
	mean, _ := plotter.NewLine(xy)
	mean.Color = classColor(model.Stable)
	mean.Width = vg.Points(1.8)
	pn.p.Add(mean)
	pn.add("mean over replications", mean)
	pn.add("  used at the end: "+estimate(s.Pool.Used, scale)+" "+unit, nothing{})
	pn.add("  peak: "+estimate(s.Pool.Peak, scale)+" "+unit, nothing{})
	yTop := yRange(pn.p, hi*scale)
	red := classColor(model.Failed)
	if c := s.Pool.CapacityGiB; c > 0 {
		cl, _ := plotter.NewLine(plotter.XYs{{X: pn.p.X.Min, Y: c * scale}, {X: pn.p.X.Max, Y: c * scale}})
		cl.Color = red
		cl.Width = vg.Points(1.2)
		cl.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
		pn.p.Add(cl)
		pn.add("capacity: "+num(c*scale)+" "+unit, cl)
	}
	var marks plotter.XYs
	for _, r := range s.Results {
		if r.PoolExhaustedAt >= 0 {
			marks = append(marks, plotter.XY{X: days(r.PoolExhaustedAt), Y: s.Pool.CapacityGiB * scale})
		}
	}
	if len(marks) > 0 {
		at := s.Pool.RanOutAt
		v, _ := plotter.NewLine(plotter.XYs{{X: days(at.Mean), Y: 0}, {X: days(at.Mean), Y: yTop}})
		v.Color = red
		v.Width = vg.Points(1)
		v.Dashes = []vg.Length{vg.Points(1.5), vg.Points(2.5)}
		pn.p.Add(v)
		sc, _ := plotter.NewScatter(marks)
		sc.GlyphStyle = draw.GlyphStyle{Color: red, Radius: vg.Points(5), Shape: draw.CrossGlyph{}}
		pn.p.Add(sc)
		pn.add(ranOutLabel, sc)
		pn.add("  (in "+num(float64(len(marks)))+" of "+num(float64(s.Replications))+" replications)", nothing{})
		pn.add("mean: day "+estimate(at, 1.0/24), v)
		pn.add("requests refused per day: "+estimate(s.Pool.Refused, 1), nothing{})
	} else if s.Pool.CapacityGiB > 0 {
		pn.add("never ran out", nothing{})
	}
	warmupMarker(pn, s, yTop)
	return &figure{name: "pool", panels: []*panel{pn}}
}
