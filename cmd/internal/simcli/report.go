package simcli

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/evsim/evsim/cmd/internal/cli"
	"github.com/evsim/evsim/model"
	"github.com/evsim/evsim/sim"
)

// report is the artefact: the scenario and what the run measured.
type report struct {
	SchemaVersion int    `json:"schema_version"` // of docs/schemas/sim-summary.schema.json
	EvsimVersion  string `json:"evsim_version"`
	Scenario      string `json:"scenario"`
	Description   string `json:"description,omitempty"`
	*sim.Summary
	Exact *exactReport `json:"exact,omitempty"`
	spec  *model.Spec
}

func writeJSON(w io.Writer, r *report) error {
	r.SchemaVersion, r.EvsimVersion = reportSchemaVersion, cli.Version()
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding JSON: %w", err)
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}

// writeCSV writes the time series: one row per sample time, the mean over
// replications of the disks in each status, the pool and the open tickets.
func writeCSV(w io.Writer, r *report) {
	if r.Summary != nil && r.Summary.Partial {
		fmt.Fprintln(w, partialCSVMark)
	}
	cols := []string{"time_h", "disks", "pool_used_gib", "tickets_open"}
	for _, n := range r.StatusNames {
		cols = append(cols, csvField(n))
	}
	fmt.Fprintln(w, strings.Join(cols, ","))
	for _, p := range r.Series {
		row := []string{num(p.Time), num(p.Disks), num(p.PoolUsed), num(p.TicketsOpen)}
		for _, v := range p.Status {
			row = append(row, num(v))
		}
		fmt.Fprintln(w, strings.Join(row, ","))
	}
}

func csvField(s string) string {
	if strings.ContainsAny(s, ",\"\n") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// group writes n with thousands separators and the given decimals.
func group(v float64, dec int) string {
	s := strconv.FormatFloat(math.Abs(v), 'f', dec, 64)
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i:]
	}
	var b strings.Builder
	if v < 0 && s != strconv.FormatFloat(0, 'f', dec, 64) {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String() + frac
}

// decimals picks how many decimals show a value and its interval sensibly.
func decimals(v float64) int {
	a := math.Abs(v)
	switch {
	case a == 0:
		return 0
	case a >= 100:
		return 0
	case a >= 10:
		return 1
	case a >= 1:
		return 2
	case a >= 0.01:
		return 3
	}
	return 4
}

// est renders an estimate as "mean ± half-width".
func est(e sim.Estimate) string {
	if e.N == 0 {
		return "-"
	}
	d := decimals(e.Mean)
	if e.N < 2 {
		return group(e.Mean, d)
	}
	return group(e.Mean, d) + " ± " + group(e.HalfWidth, d)
}

func pct(e sim.Estimate) string {
	if e.N == 0 {
		return "-"
	}
	m, h := e.Mean*100, e.HalfWidth*100
	d := 2
	if m < 0.005 && h < 0.005 {
		return "<0.01%"
	}
	if e.N < 2 {
		return strconv.FormatFloat(m, 'f', d, 64) + "%"
	}
	return strconv.FormatFloat(m, 'f', d, 64) + "% ± " + strconv.FormatFloat(h, 'f', d, 64)
}

// hours renders a time given in hours with a readable unit.
func hours(h float64) string {
	switch {
	case h == 0:
		return "0"
	case h >= 48:
		return trim(h/24) + "d"
	case h >= 1:
		return trim(h) + "h"
	case h >= 1.0/60:
		return trim(h*60) + "m"
	}
	return trim(h*3600) + "s"
}

// trim renders v with three significant digits at most, no trailing zeros.
func trim(v float64) string {
	if v == 0 {
		return "0"
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 3, 64), 64)
	return strconv.FormatFloat(r, 'f', -1, 64)
}

func estHours(e sim.Estimate) string {
	if e.N == 0 {
		return "-"
	}
	if e.N < 2 {
		return hours(e.Mean)
	}
	return hours(e.Mean) + " ± " + sameUnit(e.HalfWidth, e.Mean)
}

// sameUnit renders h in the unit hours picks for ref.
func sameUnit(h, ref float64) string {
	switch {
	case h == 0:
		return "0"
	case ref >= 48:
		return trim(h/24) + "d"
	case ref >= 1:
		return trim(h) + "h"
	case ref >= 1.0/60:
		return trim(h*60) + "m"
	}
	return trim(h*3600) + "s"
}

func writeTable(w io.Writer, r *report) {
	s := r.Summary
	title := "scenario " + r.Scenario
	if r.Description != "" {
		title += ": " + r.Description
	}
	fmt.Fprintln(w, title)
	if s.Partial {
		fmt.Fprintln(w, "PARTIAL: the run was stopped early; figures cover what was simulated.")
	}
	fmt.Fprintf(w, "%s, %s measured each after a %s warm-up, seed %d, %s events.\n",
		plural(s.Replications, "replication"), hours(s.Measured), hours(s.Warmup), s.Seed, group(float64(s.Events), 0))
	fmt.Fprintln(w, "a ± b: mean over replications and the half-width of its 95% confidence interval.")
	if s.Replications == 0 {
		fmt.Fprintln(w, "\nnothing was measured: the run stopped before the end of the warm-up.")
		return
	}

	fmt.Fprintln(w, "\nDisks per status (time-weighted mean)")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "status\tclass\tdisks\tshare")
	for _, row := range s.Statuses {
		if row.Disks.Mean == 0 && row.Disks.HalfWidth == 0 {
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", row.Name, row.Class, est(row.Disks), pct(row.Share))
	}
	tw.Flush()
	if hidden := zeroStatuses(s); hidden != "" {
		fmt.Fprintf(w, "never occupied: %s\n", hidden)
	}

	fmt.Fprintln(w, "\nOperations per day")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "operation\tby\tstarted\tfailed\trejected by the model")
	for _, row := range s.Ops {
		if row.Started.Mean == 0 && row.Rejected.Mean == 0 {
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", row.Name, row.Actor, est(row.Started), est(row.Failed), est(row.Rejected))
	}
	tw.Flush()

	t := s.Tickets
	agents := "agents"
	if t.Agents == 1 {
		agents = "agent"
	}
	fmt.Fprintf(w, "\nTickets to customer service (%d %s)\n", t.Agents, agents)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "opened per day\t%s\n", est(t.Opened))
	fmt.Fprintf(tw, "closed per day\t%s\n", est(t.Closed))
	fmt.Fprintf(tw, "wait for an agent: mean\t%s\n", estHours(t.WaitMean))
	fmt.Fprintf(tw, "  median / p95 / p99\t%s / %s / %s\n", estHours(t.WaitP50), estHours(t.WaitP95), estHours(t.WaitP99))
	fmt.Fprintf(tw, "ticket open to resolved: mean\t%s\n", estHours(t.Resolution))
	fmt.Fprintf(tw, "agent utilisation\t%s\n", pct(t.Utilisation))
	tw.Flush()

	p := s.Pool
	fmt.Fprintln(w, "\nStorage pool")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if p.CapacityGiB == 0 {
		fmt.Fprintf(tw, "capacity\tunlimited\n")
	} else {
		fmt.Fprintf(tw, "capacity\t%s GiB\n", group(p.CapacityGiB, 0))
	}
	fmt.Fprintf(tw, "used at the end\t%s GiB\n", est(p.Used))
	fmt.Fprintf(tw, "peak\t%s GiB\n", est(p.Peak))
	fmt.Fprintf(tw, "requests refused for room, per day\t%s\n", est(p.Refused))
	if p.RanOut == 0 {
		fmt.Fprintf(tw, "ran out\tnever\n")
	} else {
		fmt.Fprintf(tw, "ran out\tin %d of %d replications, first at %s\n", p.RanOut, s.Replications, estHours(p.RanOutAt))
	}
	tw.Flush()

	fmt.Fprintln(w, "\nFleet")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "disks at the end\t%s\n", est(s.Disks))
	fmt.Fprintf(tw, "created per day\t%s\n", est(s.Created))
	fmt.Fprintf(tw, "deleted per day\t%s\n", est(s.Deleted))
	tw.Flush()
}

func zeroStatuses(s *sim.Summary) string {
	var out []string
	for _, row := range s.Statuses {
		if row.Disks.Mean == 0 && row.Disks.HalfWidth == 0 {
			out = append(out, row.Name)
		}
	}
	return strings.Join(out, ", ")
}
