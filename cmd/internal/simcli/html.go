package simcli

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"math"

	"github.com/evsim/evsim/cmd/internal/cli"
	"github.com/evsim/evsim/sim/plots"
)

// The HTML report of a run (-html FILE): one self-contained file (inline
// style and SVG; nothing fetched) with the summary tables and their 95%
// intervals, the pictures of the run, and with -exact the exact answers
// beside the simulated ones.

//go:embed report.html.tmpl
var htmlTemplate string

var reportTmpl = template.Must(template.New("sim").Parse(htmlTemplate))

// htmlTable is one table of the page: its first column is text, the
// others are figures aligned right.
type htmlTable struct {
	ID    string
	Title string
	Note  string
	Text  int // leading text columns (0 means 1); the others are figures
	Head  []string
	Rows  [][]string
	Flags []bool // per row: flagged (an exact answer beyond chance)
}

type htmlPlot struct {
	Name string
	SVG  template.HTML
}

type htmlPage struct {
	Style     template.CSS
	Version   string
	Rep       *report
	Measured  string
	Tables    []htmlTable
	Reasons   []string // why there is no exact answer
	Plots     []htmlPlot
	PlotError string
}

// renderHTML renders the HTML report of rep.
func renderHTML(rep *report) ([]byte, error) {
	s := rep.Summary
	page := htmlPage{Style: template.CSS(cli.HTMLStyle), Version: cli.Version(), Rep: rep,
		Measured: fmt.Sprintf("%s, %s measured each after a %s warm-up, seed %d, %s events",
			plural(s.Replications, "replication"), hours(s.Measured), hours(s.Warmup), s.Seed, group(float64(s.Events), 0))}
	if s.Replications > 0 {
		st := htmlTable{ID: "statuses", Title: "Disks per status", Note: "time-weighted mean", Text: 2, Head: []string{"status", "class", "disks", "share"}}
		for _, row := range s.Statuses {
			st.Rows = append(st.Rows, []string{row.Name, row.Class, est(row.Disks), pct(row.Share)})
		}
		ops := htmlTable{ID: "operations", Title: "Operations per day", Text: 2, Head: []string{"operation", "by", "started", "failed", "rejected by the model"}}
		for _, row := range s.Ops {
			ops.Rows = append(ops.Rows, []string{row.Name, row.Actor, est(row.Started), est(row.Failed), est(row.Rejected)})
		}
		t := s.Tickets
		tk := htmlTable{ID: "tickets", Title: fmt.Sprintf("Tickets to customer service (%s)", plural(t.Agents, "agent")), Head: []string{"", ""}, Rows: [][]string{
			{"opened per day", est(t.Opened)}, {"closed per day", est(t.Closed)},
			{"wait for an agent: mean", estHours(t.WaitMean)},
			{"wait: median / p95 / p99", estHours(t.WaitP50) + " / " + estHours(t.WaitP95) + " / " + estHours(t.WaitP99)},
			{"ticket open to resolved: mean", estHours(t.Resolution)}, {"agent utilisation", pct(t.Utilisation)}}}
		p := s.Pool
		capacity, ranOut := "unlimited", "never"
		if p.CapacityGiB > 0 {
			capacity = group(p.CapacityGiB, 0) + " GiB"
		}
		if p.RanOut > 0 {
			ranOut = fmt.Sprintf("in %d of %d replications, first at %s", p.RanOut, s.Replications, estHours(p.RanOutAt))
		}
		pool := htmlTable{ID: "pool", Title: "Storage pool", Head: []string{"", ""}, Rows: [][]string{
			{"capacity", capacity}, {"used at the end", est(p.Used) + " GiB"}, {"peak", est(p.Peak) + " GiB"},
			{"requests refused for room, per day", est(p.Refused)}, {"ran out", ranOut}}}
		fleet := htmlTable{ID: "fleet", Title: "Fleet", Head: []string{"", ""}, Rows: [][]string{
			{"disks at the end", est(s.Disks)}, {"created per day", est(s.Created)}, {"deleted per day", est(s.Deleted)}}}
		page.Tables = append(page.Tables, st, ops, tk, pool, fleet)
		if x := rep.Exact; x != nil && x.Markovian {
			ex := htmlTable{ID: "exact", Title: fmt.Sprintf("Exact answers beside the simulated ones (Markov chain of one disk, %d states)", x.States),
				Note: fmt.Sprintf("diff: (simulated - exact) in half-widths of the 95%% interval; beyond ±%s (99.9%% with a Bonferroni correction) is flagged", trim(x.Bound)),
				Head: []string{"status", "simulated", "exact", "diff", "at the horizon", "in the long run"}}
			for _, st := range x.Statuses {
				diff, flagged := "-", false
				if st.DiffCI != nil {
					diff = fmt.Sprintf("%+.2f", *st.DiffCI)
					flagged = math.Abs(*st.DiffCI) > x.Bound
				}
				steady := "-"
				switch {
				case st.Grows:
					steady = "grows without bound"
				case st.Steady != nil:
					steady = exactNum(*st.Steady)
				}
				ex.Rows = append(ex.Rows, []string{st.Name, est(st.Simulated), exactNum(st.Exact), diff, exactNum(st.AtHorizon), steady})
				ex.Flags = append(ex.Flags, flagged)
			}
			page.Tables = append(page.Tables, ex)
		} else if x != nil {
			page.Reasons = x.Reasons
		}
		pics, err := plots.Render(s, rep.Scenario, "svg")
		if err != nil {
			page.PlotError = err.Error()
		}
		for _, f := range pics {
			page.Plots = append(page.Plots, htmlPlot{Name: f.Name, SVG: cli.InlineSVG(f.Data)})
		}
	}
	var b bytes.Buffer
	if err := reportTmpl.Execute(&b, page); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
