package checkcli

import (
	"bufio"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/evsim/evsim/check"
	"github.com/evsim/evsim/cmd/internal/cli"
	"github.com/evsim/evsim/internal/atomicfile"
)

func writeText(w io.Writer, o *output) error {
	bw := bufio.NewWriter(w)
	r := o.Report
	c := o.Config
	onOff := func(b bool) string {
		if b {
			return "on"
		}
		return "off"
	}
	fmt.Fprintf(bw, "spec           %s\n", o.Spec)
	fmt.Fprintf(bw, "disks          %s\n", c.Disks)
	fmt.Fprintf(bw, "servers        %d\n", c.Servers)
	fmt.Fprintf(bw, "bounds         %d snapshot(s), %d backup(s), %d size step(s) per disk\n", c.Snapshots, c.Backups, c.SizeSteps)
	fmt.Fprintf(bw, "actors         customer, operator %s, power switching %s\n", onOff(c.Operator), onOff(c.Power))
	fmt.Fprintf(bw, "search         breadth-first, %d worker(s), symmetry reduction %s, %d bits per state\n", c.Workers, onOff(c.Symmetry), r.Bits)
	fmt.Fprintln(bw)
	fmt.Fprintf(bw, "result         %s", strings.ToUpper(r.Result))
	switch r.Stop {
	case "complete":
	case check.Interrupted.String():
		fmt.Fprintf(bw, " (interrupted: the figures cover what was explored)")
	default:
		fmt.Fprintf(bw, " (stopped at %s)", r.Stop)
	}
	fmt.Fprintln(bw)
	fmt.Fprintf(bw, "states         %d", r.States)
	if c.Symmetry {
		if r.FullExact {
			fmt.Fprintf(bw, " (%d without symmetry reduction, %.2fx)", r.FullStates, float64(r.FullStates)/float64(max(r.States, 1)))
		} else {
			fmt.Fprintf(bw, " (at least %d without symmetry reduction)", r.FullStates)
		}
	}
	fmt.Fprintln(bw)
	fmt.Fprintf(bw, "transitions    %d\n", r.Transitions)
	fmt.Fprintf(bw, "depth          %d\n", r.Depth)
	fmt.Fprintf(bw, "time           %.2f s: search %.2f s (%.0f states/s), graph rules %.2f s, traces %.2f s\n",
		r.Seconds, r.SearchSecs, float64(r.States)/max(r.SearchSecs, 1e-9), r.GraphSecs, r.TraceSecs)
	fmt.Fprintf(bw, "memory         %.1f MiB state store, %.1f bytes per state\n", float64(r.StoreBytes)/(1<<20), float64(r.StoreBytes)/float64(max(r.States, 1)))
	if r.Hint != "" {
		fmt.Fprintf(bw, "to go on       %s\n", r.Hint)
	}

	fmt.Fprintf(bw, "\nproperties\n")
	tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  #\tproperty\tkind\tverdict\n")
	for _, p := range r.Properties {
		num := "-"
		if p.Number > 0 {
			num = fmt.Sprint(p.Number)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", num, p.Name, p.Kind, p.Verdict)
	}
	tw.Flush()

	stored := ""
	if c.Symmetry {
		stored = " (stored states, one per symmetry class)"
	}
	fmt.Fprintf(bw, "\ncoverage: states in which some disk has the status%s\n", stored)
	rows := [][]string{{"status", "states"}}
	for _, s := range r.Coverage.Statuses {
		rows = append(rows, []string{s.Status, fmt.Sprint(s.States)})
	}
	table(bw, rows, 1)
	fmt.Fprintf(bw, "\ncoverage: transitions per operation%s\n", stored)
	fmt.Fprintf(bw, "  (a running step can always succeed or fail, so succeeded and failed are equal: each\n   counts, over the stored states, the disks running a step of the operation)\n")
	rows = [][]string{{"operation", "actor", "started", "succeeded", "failed"}}
	for _, op := range r.Coverage.Operations {
		sc, fl := fmt.Sprint(op.Succeeded), fmt.Sprint(op.Failed)
		if op.Shape == "instant" {
			sc, fl = "-", "-"
		}
		rows = append(rows, []string{op.Op, op.Actor, fmt.Sprint(op.Started), sc, fl})
	}
	rows = append(rows, []string{"power-off", "customer", fmt.Sprint(r.Coverage.PowerOff), "-", "-"})
	rows = append(rows, []string{"power-on", "customer", fmt.Sprint(r.Coverage.PowerOn), "-", "-"})
	table(bw, rows, 2)

	fmt.Fprintf(bw, "\nfindings\n")
	if len(r.Findings) == 0 {
		fmt.Fprintf(bw, "  none\n")
	}
	for _, f := range r.Findings {
		fmt.Fprintf(bw, "  %s: %s\n", f.Kind, f.Text)
	}

	for _, v := range r.Violations {
		fmt.Fprintf(bw, "\nVIOLATED %s: %s\n", v.Property, v.Detail)
		if len(v.Trace) == 0 {
			continue
		}
		fmt.Fprintf(bw, "shortest trace (%d steps):\n", len(v.Trace))
		writeTrace(bw, v.Trace)
		fmt.Fprintf(bw, "  final state: %s\n", v.Final)
	}
	return bw.Flush()
}

// table prints rows with two spaces of indent, the first text columns
// aligned left and the columns from numeric on aligned right.
func table(w io.Writer, rows [][]string, numeric int) {
	width := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			width[i] = max(width[i], len(c))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			if i < numeric {
				fmt.Fprintf(&b, "  %-*s", width[i], c)
			} else {
				fmt.Fprintf(&b, "  %*s", width[i], c)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

func writeTrace(w io.Writer, trace []check.TraceStep) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  step\taction\tdisk\tserver\tfrom\t\tto\n")
	for i, s := range trace {
		disk, server := "-", "-"
		if s.Disk >= 0 {
			disk = fmt.Sprintf("d%d", s.Disk)
		}
		if s.Server >= 0 {
			server = fmt.Sprintf("s%d", s.Server)
		}
		fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\t%s\t->\t%s\n", i+1, s.Action, disk, server, s.From, s.To)
	}
	tw.Flush()
}

// junitSuite is one test case per property: a violated one fails with
// its counterexample, an undecided one is skipped with the reason.
func junitSuite(o *output) cli.JUnitSuite {
	r := o.Report
	base := strings.TrimSuffix(filepath.Base(o.Spec), filepath.Ext(o.Spec))
	suite := cli.JUnitSuite{Name: "check " + filepath.Base(o.Spec), Package: "evsim.check", Time: cli.Seconds(r.Seconds),
		Properties: []cli.JUnitProperty{{Name: "evsim.result", Value: r.Result}, {Name: "evsim.stop", Value: r.Stop},
			{Name: "evsim.disks", Value: o.Config.Disks}, {Name: "evsim.servers", Value: fmt.Sprint(o.Config.Servers)},
			{Name: "evsim.states", Value: fmt.Sprint(r.States)}}}
	detail := map[string]check.Counterexample{}
	for _, v := range r.Violations {
		detail[v.Property] = v
	}
	for _, p := range r.Properties {
		c := cli.JUnitCase{Name: p.Name, ClassName: "check." + base}
		switch p.Verdict {
		case check.Violated:
			v := detail[p.Name]
			var b strings.Builder
			b.WriteString(v.Detail + "\n")
			writeTrace(&b, v.Trace)
			c.Failure = &cli.JUnitProblem{Message: v.Detail, Type: "violated", Text: b.String()}
		case check.Unknown:
			c.Skipped = &cli.JUnitSkipped{Message: "the search stopped before it could decide: " + r.Hint}
		}
		suite.Cases = append(suite.Cases, c)
	}
	return suite
}

// writeJUnit writes the JUnit report to a temporary file next to name and
// renames it into place.
func writeJUnit(name string, o *output) error {
	data, err := cli.MarshalJUnit([]cli.JUnitSuite{junitSuite(o)})
	if err != nil {
		return err
	}
	return writeFile(name, data)
}

// writeFile writes a report file whole or not at all, creating its
// directory if missing.
func writeFile(name string, data []byte) error {
	if err := cli.EnsureDir(filepath.Dir(name)); err != nil {
		return err
	}
	return atomicfile.Write(name, data)
}
