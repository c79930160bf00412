package simcli

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/evsim/evsim/cmd/internal/cli"
	"github.com/evsim/evsim/model"
	mh "github.com/evsim/evsim/model/history"
	"github.com/evsim/evsim/scenarios"
	"github.com/evsim/evsim/sim/fit"
	"github.com/evsim/evsim/sim/record"
)

// fitCheckEvery is how many rows the fit reads between looks at an
// interrupt.
var fitCheckEvery = 1 << 16

// runFit fits a scenario to an observed history and writes it to stdout
// (or -o): exit 0, or 2 when the history cannot be read.
func runFit(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sim fit", flag.ContinueOnError)
	specFile := fs.String("spec", "", "spec `file` (YAML) the history's statuses resolve against (default: the embedded EVS spec)")
	format := fs.String("history-format", "auto", "format of the history: auto (from the first line), csv, jsonl or notifications")
	lenient := fs.Bool("lenient", false, "skip bad rows and count them instead of stopping at the first")
	poll := fs.String("poll", "", "the history was polled every `interval` (such as 5m); without it every row is a change at its exact time")
	name := fs.String("name", "fitted", "the scenario's name")
	out := fs.String("o", "", "write the scenario to this `file` instead of stdout")
	usage := func(w io.Writer) {
		fmt.Fprintf(w, "usage: sim fit [flags] HISTORY > scenario.yaml\n\nFits a scenario to an observed status history (polled CSV or JSON Lines, or volume\nnotifications; - for stdin): request rates, durations (exponential, lognormal or Weibull,\nchosen by AIC), failure probabilities, customers' reaction times and fleet growth, each\nwith its observations and 95%% interval in a comment. cmd/sim -scenario loads it as it is.\n\nFlags:\n")
		fs.PrintDefaults()
		fmt.Fprintf(w, "\nExit status: 0 done, 2 usage, input or I/O error.\n")
	}
	if code, done := cli.Parse(fs, "sim fit", args, stdout, stderr, usage); done {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(stderr, "sim fit: want one history file (see -h)\n")
		return exitUsage
	}
	spec := model.Default()
	if *specFile != "" {
		data, err := os.ReadFile(*specFile)
		if err != nil {
			fmt.Fprintf(stderr, "sim fit: %v\n", err)
			return exitUsage
		}
		if spec, err = model.Load(*specFile, data); err != nil {
			fmt.Fprintf(stderr, "%v\n", err)
			return exitUsage
		}
	}
	hf, err := mh.ParseFormat(*format)
	if err != nil {
		fmt.Fprintf(stderr, "sim fit: -history-format: %v\n", err)
		return exitUsage
	}
	var opt fit.Options
	if *poll != "" {
		h, ok := parseDuration(*poll)
		if !ok || h <= 0 {
			fmt.Fprintf(stderr, "sim fit: -poll %q; want a duration with a unit, such as 5m or 1h\n", *poll)
			return exitUsage
		}
		opt.Poll = time.Duration(h * float64(time.Hour))
	}
	file := fs.Arg(0)
	var in io.Reader
	if file == "-" {
		in, file = os.Stdin, "stdin"
	} else {
		f, err := os.Open(file)
		if err != nil {
			fmt.Fprintf(stderr, "sim fit: %v\n", err)
			return exitUsage
		}
		defer f.Close()
		in = f
	}
	r, err := mh.NewReader(file, in, spec, mh.Options{Format: hf, Lenient: *lenient})
	if err != nil {
		fmt.Fprintf(stderr, "sim fit: %v\n", err)
		return exitUsage
	}
	f := fit.New(spec, opt)
	f.SetEventOps(eventOps(spec))
	ctx, stop := interrupt()
	defer stop()
	partial := false
	for n := 0; ; n++ {
		if n%fitCheckEvery == fitCheckEvery-1 && ctx.Err() != nil {
			partial = true
			break
		}
		o, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Fprintf(stderr, "sim fit: %v\n", err)
			return exitUsage
		}
		f.Observe(o)
	}
	if r.Rows() == 0 {
		fmt.Fprintf(stderr, "sim fit: %s: no observation to fit\n", file)
		return exitUsage
	}
	if n := r.SkippedRows(); n > 0 {
		var parts []string
		for _, s := range r.Skipped() {
			parts = append(parts, fmt.Sprintf("%s %d", s.Reason, s.Count))
		}
		fmt.Fprintf(stderr, "sim fit: -lenient: skipped %d bad row(s) of %s (%s)\n", n, file, strings.Join(parts, ", "))
	}
	res := f.Result()
	res.File = filepath.Base(file)
	text := res.Scenario(spec, *name)
	if partial {
		text = append([]byte(fmt.Sprintf("# PARTIAL: interrupted after %d observations; the figures cover those only.\n", r.Rows())), text...)
	}
	// The scenario must load as it is; a failure here is a bug of fit.
	if _, err := scenarios.Load(res.File, text, spec); err != nil {
		fmt.Fprintf(stderr, "sim fit: the fitted scenario does not load (please report): %v\n", err)
		return exitUsage
	}
	if *out != "" {
		if err := writeAtomic(*out, func(w io.Writer) error { _, err := w.Write(text); return err }); err != nil {
			fmt.Fprintf(stderr, "sim fit: %v\n", err)
			return exitUsage
		}
		fmt.Fprintf(stderr, "sim fit: wrote %s\n", *out)
		if partial {
			fmt.Fprintf(stderr, "sim fit: interrupted after %d observations: the scenario covers those (marked PARTIAL)\n", r.Rows())
			return exitPartial
		}
		return exitOK
	}
	if _, err := stdout.Write(text); err != nil {
		fmt.Fprintf(stderr, "sim fit: %v\n", err)
		return exitUsage
	}
	if partial {
		fmt.Fprintf(stderr, "sim fit: interrupted after %d observations: the scenario covers those (marked PARTIAL)\n", r.Rows())
		return exitPartial
	}
	return exitOK
}

// eventOps maps each notification event base to the operations it may
// stand for, by the names sim -notifications gives them.
func eventOps(spec *model.Spec) map[string][]model.OpID {
	m := map[string][]model.OpID{}
	for i := range spec.Ops {
		a := model.Action{Kind: model.Succeed, Op: model.OpID(i)}
		ev := record.EventName(spec, a, true)
		base := strings.TrimSuffix(ev, ".end")
		m[base] = append(m[base], model.OpID(i))
	}
	return m
}
