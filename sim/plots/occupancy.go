package plots

import (
	"image/color"
	"sort"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/evsim/evsim/model"
	"github.com/evsim/evsim/sim"
)

// layer is one band of a stacked area: a status, or the sum of several.
type layer struct {
	name   string
	color  color.Color
	values []float64 // per sample
	mean   sim.Estimate
}

// occupancyFigure stacks the disks per status over time. The full picture
// draws each stable status and one band for every other status together;
// nonStable draws the statuses of the other classes that held a disk at
// some sample time, each in its own band.
func occupancyFigure(s *sim.Summary, scenario string, nonStable bool) *figure {
	type st struct {
		idx   int
		class model.Class
	}
	var sts []st
	for i, row := range s.Statuses {
		c, _ := classOf(row.Class)
		sts = append(sts, st{i, c})
	}
	sort.SliceStable(sts, func(a, b int) bool { return sts[a].class < sts[b].class })
	perClass := map[model.Class]int{}
	for _, x := range sts {
		perClass[x.class]++
	}
	seen := map[model.Class]int{}
	colorOf := map[int]color.Color{}
	for _, x := range sts {
		colorOf[x.idx] = shade(x.class, seen[x.class], perClass[x.class])
		seen[x.class]++
	}
	n := len(s.Series)
	column := func(i int) []float64 {
		v := make([]float64, n)
		for j, p := range s.Series {
			v[j] = p.Status[i]
		}
		return v
	}
	var layers []layer
	other := layer{name: "all other statuses", color: color.RGBA{R: 0xb0, G: 0xb6, B: 0xbc, A: 0xff}, values: make([]float64, n)}
	hidden := 0
	for _, x := range sts {
		v := column(x.idx)
		row := s.Statuses[x.idx]
		switch {
		case !nonStable && x.class == model.Stable:
			layers = append(layers, layer{name: row.Name, color: colorOf[x.idx], values: v, mean: row.Disks})
		case !nonStable:
			for j := range v {
				other.values[j] += v[j]
			}
			other.mean.Mean += row.Disks.Mean
		case x.class != model.Stable:
			if max0(v) == 0 {
				hidden++
				continue
			}
			layers = append(layers, layer{name: row.Name, color: colorOf[x.idx], values: v, mean: row.Disks})
		}
	}
	title := scenario + ": disks per status"
	name := "occupancy"
	if nonStable {
		for k := range layers {
			layers[k].color = distinctColor(k)
		}
		// A few disks pass through these statuses at any time: a sample
		// finds 0, 1 or 2 of them, and the stack would be noise. The
		// rolling mean over a window shows how their level changes.
		k := smoothWindow(s)
		for i := range layers {
			layers[i].values = rolling(layers[i].values, k)
		}
		title = scenario + ": disks per status, stable ones left out (mean over " + num(days(float64(k)*sampleStep(s))) + " days)"
		name = "occupancy-non-stable"
	} else {
		other.name = "every other status"
		layers = append(layers, other)
	}
	pn := newPanel(title, timeLabel, "disks (mean over replications)")
	xRange(pn.p, s)
	// Cumulative tops, bottom layer first.
	tops := make([][]float64, len(layers))
	acc := make([]float64, n)
	for k, l := range layers {
		for j := range acc {
			acc[j] += l.values[j]
		}
		tops[k] = append([]float64(nil), acc...)
	}
	top := max0(acc)
	yTop := yRange(pn.p, top)
	// Drawn top layer first, each filled down to 0, so that the layers
	// below paint over the lower part.
	lines := make([]*plotter.Line, len(layers))
	for k := len(layers) - 1; k >= 0; k-- {
		xy := make(plotter.XYs, n)
		for j, p := range s.Series {
			xy[j] = plotter.XY{X: days(p.Time), Y: tops[k][j]}
		}
		l, err := plotter.NewLine(xy)
		if err != nil {
			continue
		}
		l.FillColor = layers[k].color
		l.Color = color.White
		l.Width = vg.Points(0.4)
		pn.p.Add(l)
		lines[k] = l
		pn.fills = append(pn.fills, layers[k].color)
	}
	// Legend from the top of the stack down, with the mean occupancy.
	pn.add("status (mean disks ± 95% CI):", nothing{})
	for k := len(layers) - 1; k >= 0; k-- {
		if lines[k] == nil {
			continue
		}
		pn.add(layers[k].name+" ("+estimate(layers[k].mean, 1)+")", lines[k])
		if !nonStable && k == len(layers)-1 {
			pn.add("  (see occupancy-non-stable)", nothing{})
		}
	}
	if nonStable && len(layers) == 0 {
		addNote(pn, s, yTop, "no disk was outside the stable statuses at a sample time")
	}
	warmupMarker(pn, s, yTop)
	if hidden > 0 {
		pn.add("("+num(float64(hidden))+" more: never occupied)", nothing{})
	}
	return &figure{name: name, panels: []*panel{pn}}
}

func max0(v []float64) float64 {
	m := 0.0
	for _, x := range v {
		m = max(m, x)
	}
	return m
}

// sampleStep returns the hours between samples.
func sampleStep(s *sim.Summary) float64 {
	if len(s.Series) < 2 {
		return 1
	}
	return s.Series[1].Time - s.Series[0].Time
}

// smoothWindow returns the number of samples the non-stable picture
// averages over: a thirtieth of the run, at least one sample.
func smoothWindow(s *sim.Summary) int {
	return max(1, len(s.Series)/30)
}

// rolling returns the trailing mean of v over k samples (fewer at the
// start).
func rolling(v []float64, k int) []float64 {
	out := make([]float64, len(v))
	var sum float64
	for j, x := range v {
		sum += x
		if j >= k {
			sum -= v[j-k]
		}
		out[j] = sum / float64(min(j+1, k))
	}
	return out
}
