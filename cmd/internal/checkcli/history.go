package checkcli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"text/tabwriter"

	chist "github.com/evsim/evsim/check/history"
	"github.com/evsim/evsim/cmd/internal/cli"
	"github.com/evsim/evsim/model"
	mh "github.com/evsim/evsim/model/history"
)

// historyReport is the result of -history with what was checked.
type historyReport struct {
	SchemaVersion int    `json:"schema_version"`
	EvsimVersion  string `json:"evsim_version"`
	Spec          string `json:"spec"`
	*chist.Report
}

// runHistory validates an observed history against the spec: exit 0 when
// every pair of observations is explained, 1 on any violation, 2 when the
// history cannot be read.
func runHistory(o *options, spec *model.Spec, specName string, stdout, stderr io.Writer) int {
	format, err := mh.ParseFormat(o.historyFormat)
	if err != nil {
		fmt.Fprintf(stderr, "check: -history-format: %v\n", err)
		return exitBadInput
	}
	var in io.Reader
	name := o.history
	if name == "-" {
		in, name = os.Stdin, "stdin"
	} else {
		f, err := os.Open(o.history)
		if err != nil {
			fmt.Fprintf(stderr, "check: -history: %v\n", err)
			return exitBadInput
		}
		defer f.Close()
		in = f
	}
	r, err := mh.NewReader(name, in, spec, mh.Options{Format: format, Lenient: o.lenient})
	if err != nil {
		fmt.Fprintf(stderr, "check: %v\n", err)
		return exitBadInput
	}
	v, err := chist.New(spec, chist.Options{MaxMissed: o.missed})
	if err != nil {
		fmt.Fprintf(stderr, "check: %v\n", err)
		return exitBadInput
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rep, err := v.ValidateContext(ctx, r)
	if err != nil {
		fmt.Fprintf(stderr, "check: %v\n", err)
		return exitBadInput
	}
	out := historyReport{SchemaVersion: reportSchemaVersion, EvsimVersion: cli.Version(), Spec: specName, Report: rep}
	switch o.format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(out); err != nil {
			fmt.Fprintf(stderr, "check: %v\n", err)
			return exitBadInput
		}
	default:
		writeHistoryText(stdout, &out, o.missed)
	}
	if n := r.SkippedRows(); n > 0 {
		fmt.Fprintf(stderr, "check: -lenient: skipped %d bad row(s) of %s\n", n, name)
	}
	if o.junit != "" {
		if err := writeHistoryJUnit(o.junit, &out); err != nil {
			fmt.Fprintf(stderr, "check: %v\n", err)
			return exitBadInput
		}
	}
	if rep.Incomplete {
		fmt.Fprintf(stderr, "check: interrupted after %d observations: the report covers those\n", rep.Observations)
		return exitIncomplete
	}
	if rep.Violations > 0 {
		return exitViolated
	}
	return exitHolds
}

func list(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

func writeHistoryText(w io.Writer, o *historyReport, missed int) {
	r := o.Report
	fmt.Fprintf(w, "history  %s (%s, %d observations of %d disks)\n", r.File, r.Format, r.Observations, r.Disks)
	fmt.Fprintf(w, "spec     %s\n", o.Spec)
	allowed := "any number of missed statuses between two observations"
	if missed >= 0 {
		allowed = fmt.Sprintf("at most %d missed status(es) between two observations", missed)
	}
	fmt.Fprintf(w, "allowed  %s\n", allowed)
	if r.Incomplete {
		fmt.Fprintf(w, "result   INCOMPLETE: interrupted; %d violation(s) in the %d observations read\n\n", r.Violations, r.Observations)
	} else if r.Violations == 0 {
		fmt.Fprintf(w, "result   EXPLAINED: every pair of observations is a path of the model\n\n")
	} else {
		fmt.Fprintf(w, "result   VIOLATED: %d observation(s) or pair(s) the model does not explain\n\n", r.Violations)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "disks\t%d\n", r.Disks)
	fmt.Fprintf(tw, "observations\t%d\n", r.Observations)
	fmt.Fprintf(tw, "pairs\t%d\n", r.Pairs)
	fmt.Fprintf(tw, "explained\t%d (%d only through statuses no observation shows)\n", r.Explained, r.MissedPolls)
	fmt.Fprintf(tw, "violations\t%d\n", r.Violations)
	skipped := 0
	for _, s := range r.Skipped {
		skipped += s.Count
	}
	if skipped > 0 {
		var parts []string
		for _, s := range r.Skipped {
			parts = append(parts, fmt.Sprintf("%s %d", s.Reason, s.Count))
		}
		fmt.Fprintf(tw, "skipped rows\t%d (%s)\n", skipped, strings.Join(parts, ", "))
	}
	tw.Flush()
	for _, s := range r.Skipped {
		for _, e := range s.First {
			fmt.Fprintf(w, "  skipped: %s\n", e)
		}
	}
	if len(r.Listed) > 0 {
		fmt.Fprintln(w)
		for _, x := range r.Listed {
			if x.Kind == "pair" {
				fmt.Fprintf(w, "%s:%d: disk %s: %s (line %d, %s) -> %s (%s) after %s\n", r.File, x.Line, x.Disk,
					seenText(x.From), x.From.Line, x.From.Time, seenText(&x.To), x.To.Time, x.Gap)
			} else {
				fmt.Fprintf(w, "%s:%d: disk %s: %s (%s)\n", r.File, x.Line, x.Disk, seenText(&x.To), x.To.Time)
			}
			fmt.Fprintf(w, "    %s\n", x.Why)
			if x.Nearest != "" {
				fmt.Fprintf(w, "    nearest: %s\n", x.Nearest)
			}
			if x.Rule != "" {
				fmt.Fprintf(w, "    breaks rule %d %s: %s\n", x.RuleNumber, x.Rule, x.RuleDetail)
			}
		}
		if r.Violations > len(r.Listed) {
			fmt.Fprintf(w, "(and %d more; -format json lists the first %d too)\n", r.Violations-len(r.Listed), len(r.Listed))
		}
	}
	if len(r.Missed) > 0 {
		fmt.Fprintf(w, "\nExplained through statuses no observation shows (consistent with missed polls)\n")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "pairs\tpath\n")
		for _, m := range r.Missed {
			fmt.Fprintf(tw, "%d\t%s\n", m.Pairs, m.Path)
		}
		tw.Flush()
	}
	fmt.Fprintf(w, "\nCoverage\n")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "statuses the fleet used\t%s\n", list(r.StatusesUsed))
	fmt.Fprintf(tw, "  that the model never reaches\t%s\n", list(r.StatusesNotInModel))
	fmt.Fprintf(tw, "statuses the model reaches, never seen\t%s\n", list(r.StatusesUnused))
	fmt.Fprintf(tw, "operations the fleet used\t%s\n", list(r.OpsUsed))
	fmt.Fprintf(tw, "operations the model allows, never seen\t%s\n", list(r.OpsUnused))
	fmt.Fprintf(tw, "operations no status change shows\t%s\n", list(r.OpsInvisible))
	tw.Flush()
}

func seenText(s *chist.Seen) string {
	t := s.Status
	var attrs []string
	if s.Attachments >= 0 {
		attrs = append(attrs, fmt.Sprintf("%d attachment(s)", s.Attachments))
	}
	if s.Size > 0 {
		attrs = append(attrs, fmt.Sprintf("%d GiB", s.Size))
	}
	if len(attrs) > 0 {
		t += " [" + strings.Join(attrs, ", ") + "]"
	}
	return t
}

// writeHistoryJUnit writes one test case per disk with a violation (its
// violations in the failure) and one passing case for the disks without.
func writeHistoryJUnit(name string, o *historyReport) error {
	r := o.Report
	class := "history." + strings.TrimSuffix(filepath.Base(r.File), filepath.Ext(r.File))
	suite := cli.JUnitSuite{Name: "history " + filepath.Base(r.File), Package: "evsim.history"}
	byDisk := map[string][]chist.Violation{}
	var disks []string
	for _, x := range r.Listed {
		if _, ok := byDisk[x.Disk]; !ok {
			disks = append(disks, x.Disk)
		}
		byDisk[x.Disk] = append(byDisk[x.Disk], x)
	}
	sort.Strings(disks)
	for _, d := range disks {
		var b strings.Builder
		for _, x := range byDisk[d] {
			fmt.Fprintf(&b, "%s:%d: %s\n", r.File, x.Line, x.Why)
			if x.Nearest != "" {
				fmt.Fprintf(&b, "  nearest: %s\n", x.Nearest)
			}
			if x.Rule != "" {
				fmt.Fprintf(&b, "  breaks rule %d %s: %s\n", x.RuleNumber, x.Rule, x.RuleDetail)
			}
		}
		first := byDisk[d][0]
		suite.Cases = append(suite.Cases, cli.JUnitCase{Name: "disk " + d, ClassName: class,
			Failure: &cli.JUnitProblem{Message: fmt.Sprintf("%s:%d: %s", r.File, first.Line, first.Why), Type: "violation", Text: b.String()}})
	}
	if hidden := r.Violations - len(r.Listed); hidden > 0 {
		suite.Cases = append(suite.Cases, cli.JUnitCase{Name: "further violations", ClassName: class,
			Failure: &cli.JUnitProblem{Message: fmt.Sprintf("%d more violations beyond the first %d listed", hidden, len(r.Listed)), Type: "violation"}})
	}
	suite.Cases = append(suite.Cases, cli.JUnitCase{Name: fmt.Sprintf("%d other disks", r.Disks-len(disks)), ClassName: class})
	if r.Incomplete {
		suite.Cases = append(suite.Cases, cli.JUnitCase{Name: "the rest of the history", ClassName: class,
			Skipped: &cli.JUnitSkipped{Message: fmt.Sprintf("interrupted after %d observations", r.Observations)}})
	}
	data, err := cli.MarshalJUnit([]cli.JUnitSuite{suite})
	if err != nil {
		return err
	}
	return writeFile(name, data)
}

// historyFlags declares the flags of -history.
func historyFlags(fs *flag.FlagSet, o *options) {
	fs.StringVar(&o.history, "history", "", "instead of exploring, check the observed status history in `file` (polled CSV or JSON Lines, or volume notifications; - for stdin) against the model: exit 1 on any pair of observations no path explains")
	fs.StringVar(&o.historyFormat, "history-format", "auto", "format of -history: auto (from the first line), csv, jsonl or notifications")
	fs.BoolVar(&o.lenient, "lenient", false, "with -history: skip bad rows and count them instead of stopping at the first")
	fs.IntVar(&o.missed, "missed", -1, "with -history: most statuses a pair of observations may skip (a poll missed them); -1 any, 0 for a change log where every row is a change")
}
