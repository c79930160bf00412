package plots

import (
	"image/color"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/evsim/evsim/sim"
)

// operatorColor is the colour of the operator's arrows in the diagram.
var operatorColor = color.RGBA{R: 0x7d, G: 0x3c, B: 0x98, A: 0xff}

// ticketsFigure draws the backlog of open tickets over time (top) and the
// distribution of the waits for an agent, pooled over the replications
// (bottom).
func ticketsFigure(s *sim.Summary, scenario string) *figure {
	agents := num(float64(s.Tickets.Agents)) + " agents"
	if s.Tickets.Agents == 1 {
		agents = "1 agent"
	}
	top := newPanel(scenario+": open tickets (waiting or being worked on), "+agents, timeLabel, "open tickets")
	xRange(top.p, s)
	replicationLines(top, s, func(r *sim.Result, j int) float64 { return float64(r.Series.TicketsOpen[j]) })
	peak := 0.0
	for _, r := range s.Results {
		for _, v := range r.Series.TicketsOpen {
			peak = max(peak, float64(v))
		}
	}
	xy := make(plotter.XYs, len(s.Series))
	for j, p := range s.Series {
		xy[j] = plotter.XY{X: days(p.Time), Y: p.TicketsOpen}
	}
	mean, _ := plotter.NewLine(xy)
	mean.Color = operatorColor
	mean.Width = vg.Points(1.8)
	top.p.Add(mean)
	top.add("mean over replications", mean)
	top.add("opened per day: "+estimate(s.Tickets.Opened, 1), nothing{})
	yTop := yRange(top.p, peak)
	warmupMarker(top, s, yTop)

	var waits []float64
	for _, r := range s.Results {
		waits = append(waits, r.Waits...)
	}
	unit, scale := "hours", 1.0
	if t := s.Tickets.WaitP99.Mean; t > 0 && t < 2 {
		unit, scale = "minutes", 60
	} else if t >= 72 {
		unit, scale = "days", 1.0/24
	}
	bottom := newPanel("share of tickets that waited for an agent at most a given time ("+num(float64(len(waits)))+" tickets measured)",
		"wait ("+unit+")", "share of tickets")
	bottom.p.Y.Min, bottom.p.Y.Max = 0, 1.05
	if len(waits) == 0 {
		bottom.p.X.Min, bottom.p.X.Max = 0, 1
		addNote(bottom, s, 1.05, "no ticket was opened while measuring")
		return &figure{name: "tickets", panels: []*panel{top, bottom}}
	}
	w := sortedCopy(waits)
	for i := range w {
		w[i] *= scale
	}
	curve := ecdf(w)
	hi := w[len(w)-1]
	if hi <= 0 {
		hi = 1
	}
	// The curve runs on to the right edge at 1.
	curve = append(curve, plotter.XY{X: hi * 1.02, Y: 1})
	bottom.p.X.Min, bottom.p.X.Max = 0, hi*1.02
	l, _ := plotter.NewLine(curve)
	l.StepStyle = plotter.PostStep
	l.Color = operatorColor
	l.Width = vg.Points(1.8)
	bottom.p.Add(l)
	bottom.add("all replications pooled", l)
	zero := 0
	for _, x := range w {
		if x == 0 {
			zero++
		}
	}
	bottom.add(num(100*float64(zero)/float64(len(w)))+"% taken at once (no wait)", nothing{})
	for _, q := range []struct {
		name string
		e    sim.Estimate
		dash []vg.Length
	}{
		{"median", s.Tickets.WaitP50, nil},
		{"p95", s.Tickets.WaitP95, []vg.Length{vg.Points(5), vg.Points(3)}},
		{"p99", s.Tickets.WaitP99, []vg.Length{vg.Points(1.5), vg.Points(2.5)}},
	} {
		if q.e.N == 0 {
			continue
		}
		x := q.e.Mean * scale
		v, _ := plotter.NewLine(plotter.XYs{{X: x, Y: 0}, {X: x, Y: 1.05}})
		v.Color = color.Gray{Y: 0x33}
		v.Width = vg.Points(1)
		v.Dashes = q.dash
		bottom.p.Add(v)
		bottom.add(q.name+": "+estimate(q.e, scale)+" "+short(unit), v)
	}
	bottom.add("(mean over replications ± 95% CI)", nothing{})
	return &figure{name: "tickets", panels: []*panel{top, bottom}}
}

func short(unit string) string {
	switch unit {
	case "minutes":
		return "min"
	case "hours":
		return "h"
	}
	return "d"
}
