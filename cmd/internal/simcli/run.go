package simcli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/evsim/evsim/cmd/internal/cli"
	"github.com/evsim/evsim/model"
	"github.com/evsim/evsim/scenarios"
	"github.com/evsim/evsim/sim"
)

const (
	exitOK      = 0
	exitDiff    = 1
	exitUsage   = 2
	exitPartial = 3
)

// interrupt is the context run stops on; tests replace it.
var interrupt = func() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "merge" {
		return runMerge(args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "fit" {
		return runFit(args[1:], stdout, stderr)
	}
	fs := flag.NewFlagSet("sim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	scenario := fs.String("scenario", "baseline", "embedded scenario name (see -list) or YAML file")
	seed := fs.Uint64("seed", 0, "master seed (default: the scenario's)")
	reps := fs.Int("replications", 0, "number of replications (default: the scenario's)")
	workers := fs.Int("workers", 0, "replications run at once (default: one per CPU); the result does not depend on it")
	horizon := fs.String("horizon", "", "simulated time, such as 90d or 2000h (default: the scenario's)")
	format := fs.String("format", "table", "output format: table or json")
	csvFile := fs.String("csv", "", "write the time series (mean over replications) to this CSV file")
	outDir := fs.String("o", "", "write summary.txt, summary.json and series.csv into this `directory` (created if missing)")
	list := fs.Bool("list", false, "list the embedded scenarios and exit")
	progress := fs.String("progress", "auto", "progress on stderr: auto (runs over a second), always or never")
	var pf plotFlags
	pf.register(fs)
	var hist historyFlags
	hist.register(fs)
	var shard shardFlag
	fs.Var(&shard, "shard", "run only shard `i/n` of the replications (i from 0 to n-1) and write a shard file (JSON) to stdout; combine the shards with sim merge")
	withExact := fs.Bool("exact", false, "print the exact answer of the disks' Markov chain beside the simulated occupancy, or why there is none;\nexit status 1 if they disagree beyond chance")
	exactAt := fs.String("exact-at", "", "with -exact: also the exact disks per status at these times, such as 10d,60d")
	var sweeps sweepFlag
	fs.Var(&sweeps, "sweep", "run the scenario for each value of a scenario path: PATH=v1,v2,... or PATH=from:to:steps;\ntwo -sweep flags (or P1=...;P2=...) give a grid")
	sweepPlot := fs.String("sweep-plot", "", "with -sweep: draw the outputs against the first parameter into this .png or .svg file")
	usage := func(w io.Writer) {
		fmt.Fprintf(w, "usage: sim [flags]\n       sim merge [flags] SHARD.json...\n       sim fit [flags] HISTORY\n\nSimulates a fleet of EVS disks following the model's status graph.\nScenarios: %s.\n\nFlags:\n", strings.Join(scenarios.Names(), ", "))
		fs.PrintDefaults()
		fmt.Fprintf(w, "\nExit status: 0 done, 1 exact and simulated disagree (-exact), 2 usage, input or I/O error, 3 stopped early (output marked partial).\n")
	}
	if code, done := cli.Parse(fs, "sim", args, stdout, stderr, usage); done {
		return code
	}
	if fs.NArg() > 0 {
		return cli.UsageError(stderr, "sim", "unexpected argument %q; want flags only", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if *list {
		spec := model.Default()
		for _, n := range scenarios.Names() {
			sc, err := scenarios.Get(n, spec)
			desc := ""
			if err == nil {
				desc = sc.Description
			}
			fmt.Fprintf(stdout, "%-20s %s\n", n, desc)
		}
		return exitOK
	}
	if *format != "table" && *format != "json" {
		fmt.Fprintf(stderr, "sim: -format %q; want table or json\n", *format)
		return exitUsage
	}
	if *progress != "auto" && *progress != "always" && *progress != "never" {
		fmt.Fprintf(stderr, "sim: -progress %q; want auto, always or never\n", *progress)
		return exitUsage
	}
	if *workers < 0 {
		fmt.Fprintf(stderr, "sim: -workers %d; want 0 (one per CPU) or more\n", *workers)
		return exitUsage
	}
	sc, err := scenarios.Open(*scenario, model.Default())
	if err != nil {
		fmt.Fprintf(stderr, "sim: %v\n", err)
		return exitUsage
	}
	cfg := sc.Config
	if set["seed"] {
		cfg.Seed = *seed
	}
	if set["replications"] {
		if *reps < 1 || *reps > 10000 {
			fmt.Fprintf(stderr, "sim: -replications %d; want 1 to 10000\n", *reps)
			return exitUsage
		}
		cfg.Replications = *reps
	}
	if set["horizon"] {
		h, ok := parseDuration(*horizon)
		if !ok || h <= cfg.Warmup || h > 100*8760 {
			fmt.Fprintf(stderr, "sim: -horizon %q; want a duration with a unit (such as 90d or 2000h) longer than the warm-up (%s) and at most 100 years\n", *horizon, hours(cfg.Warmup))
			return exitUsage
		}
		cfg.Horizon = h
	}
	if err := cfg.Validate(); err != nil {
		fmt.Fprintf(stderr, "%v\n", err)
		return exitUsage
	}
	if err := pf.check(); err != nil {
		fmt.Fprintf(stderr, "%v\n", err)
		return exitUsage
	}
	if err := checkDir("sim", "o", *outDir); err != nil {
		fmt.Fprintf(stderr, "%v\n", err)
		return exitUsage
	}
	if err := checkOutputPaths([2]string{"csv", *csvFile}, [2]string{"sweep-plot", *sweepPlot}); err != nil {
		fmt.Fprintf(stderr, "%v\n", err)
		return exitUsage
	}
	if hist.set() {
		ctx, stop := interrupt()
		defer stop()
		return runHistory(ctx, &hist, cfg, stderr)
	}
	if shard.set {
		for _, f := range []string{"format", "csv", "o", "plot", "plot-format", "html", "exact", "exact-at", "sweep", "sweep-plot"} {
			if set[f] {
				fmt.Fprintf(stderr, "sim: -%s does not go with -shard: a shard writes its file to stdout; give -%s to sim merge\n", f, f)
				return exitUsage
			}
		}
		return runShard(shard, *scenario, sc, cfg, *workers, *progress, stdout, stderr)
	}
	if len(sweeps) > 0 {
		if *exactAt != "" || *csvFile != "" || *outDir != "" || set["plot"] || set["html"] {
			fmt.Fprintf(stderr, "sim: -sweep takes neither -exact-at, -csv, -o, -plot nor -html; want -format, -exact and -sweep-plot\n")
			return exitUsage
		}
		ctx, stop := interrupt()
		defer stop()
		return runSweep(ctx, &sweepRun{ref: *scenario, name: sc.Name, params: sweeps, workers: *workers, format: *format, exact: *withExact,
			plot: *sweepPlot, stdout: stdout, stderr: stderr, override: func(c *sim.Config) {
				if set["seed"] {
					c.Seed = cfg.Seed
				}
				if set["replications"] {
					c.Replications = cfg.Replications
				}
				if set["horizon"] {
					c.Horizon = cfg.Horizon
				}
			}})
	}
	if *sweepPlot != "" {
		fmt.Fprintf(stderr, "sim: -sweep-plot needs -sweep\n")
		return exitUsage
	}
	exactTimes, err := parseTimes(*exactAt, *withExact, cfg.Horizon)
	if err != nil {
		fmt.Fprintf(stderr, "sim: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(stderr, "sim: scenario %s, seed %d, %s of %s\n", sc.Name, cfg.Seed, plural(cfg.Replications, "replication"), hours(cfg.Horizon))
	fmt.Fprintf(stderr, "sim: reproduce with: go run ./cmd/sim -scenario %s -seed %d -replications %d -horizon %s\n",
		*scenario, cfg.Seed, cfg.Replications, hoursFlag(cfg.Horizon))

	ctx, stop := interrupt()
	defer stop()
	var done atomic.Int64 // simulated minutes
	total := float64(cfg.Replications) * cfg.Horizon
	bar := startProgress(stderr, *progress, total, &done)
	start := time.Now()
	cpu0, cpuOK := cpuTime()
	sum, err := sim.Run(ctx, cfg, sim.Options{Workers: *workers, Progress: func(h float64) {
		done.Add(int64(math.Round(h * 60)))
	}})
	bar.stop()
	if err != nil {
		fmt.Fprintf(stderr, "sim: %v\n", err)
		return exitUsage
	}
	elapsed := time.Since(start)
	cpu1, _ := cpuTime()
	rep := &report{Scenario: sc.Name, Description: sc.Description, Summary: sum, spec: cfg.Spec}
	if *withExact {
		if rep.Exact, err = buildExact(cfg, sum, exactTimes); err != nil {
			fmt.Fprintf(stderr, "sim: %v\n", err)
			return exitUsage
		}
	}
	out := outputs{prog: "sim", csvFile: *csvFile, outDir: *outDir, format: *format, plots: &pf}
	if code := out.write(rep, stdout, stderr); code != exitOK {
		return code
	}
	fmt.Fprintln(stderr, rateLine(sum.Events, elapsed, cpu1-cpu0, cpuOK))
	if sum.Partial {
		fmt.Fprintf(stderr, "sim: stopped early; the output covers what was simulated and is marked partial\n")
		return exitPartial
	}
	if rep.Exact != nil && len(rep.Exact.Flagged) > 0 {
		fmt.Fprintf(stderr, "sim: simulated and exact occupancy disagree beyond chance in %s\n", strings.Join(rep.Exact.Flagged, ", "))
		return exitDiff
	}
	return exitOK
}

// rateLine says how fast the replications ran: events over the wall time
// of the run (all workers together, start-up and output excluded) and
// over the CPU time the run used.
func rateLine(events int64, wall, cpu time.Duration, cpuOK bool) string {
	line := fmt.Sprintf("sim: %d events in %.2fs of wall time: %.1f million per second of wall time (all workers together)",
		events, wall.Seconds(), float64(events)/wall.Seconds()/1e6)
	if cpuOK && cpu > 0 {
		line += fmt.Sprintf(", %.1f million per CPU-second (%.2f CPU-seconds)", float64(events)/cpu.Seconds()/1e6, cpu.Seconds())
	}
	return line
}

func sortedNames(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func parseDuration(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 2 {
		return 0, false
	}
	mult := map[byte]float64{'s': 1.0 / 3600, 'm': 1.0 / 60, 'h': 1, 'd': 24, 'w': 168}
	m, ok := mult[s[len(s)-1]]
	if !ok {
		return 0, false
	}
	v, err := strconv.ParseFloat(s[:len(s)-1], 64)
	if err != nil || !(v > 0) || math.IsInf(v, 0) {
		return 0, false
	}
	return v * m, true
}

// hoursFlag renders hours as a -horizon value that parses back exactly.
func hoursFlag(h float64) string {
	if d := h / 24; d == math.Trunc(d) {
		return strconv.FormatFloat(d, 'f', -1, 64) + "d"
	}
	return strconv.FormatFloat(h, 'f', -1, 64) + "h"
}

// progressBar shows a bar with an ETA on stderr once a run has lasted a
// second: redrawn on a terminal, one plain line every few seconds
// otherwise.
type progressBar struct {
	quit chan struct{}
	wg   sync.WaitGroup
}

func startProgress(w io.Writer, mode string, totalHours float64, done *atomic.Int64) *progressBar {
	pb := &progressBar{quit: make(chan struct{})}
	f, isFile := w.(*os.File)
	if mode == "never" || (mode == "auto" && !isFile) {
		return pb
	}
	terminal := false
	if isFile {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			terminal = true
		}
	}
	total := int64(math.Round(totalHours * 60))
	pb.wg.Add(1)
	go func() {
		defer pb.wg.Done()
		delay := time.Second
		if mode == "always" {
			delay = 0
		}
		select {
		case <-pb.quit:
			return
		case <-time.After(delay):
		}
		opts := []mpb.ContainerOption{mpb.WithOutput(w), mpb.WithWidth(40)}
		if !terminal {
			opts = append(opts, mpb.WithAutoRefresh(), mpb.WithRefreshRate(5*time.Second))
		}
		p := mpb.New(opts...)
		bar := p.AddBar(total,
			mpb.PrependDecorators(decor.Name("simulating "), decor.Percentage(decor.WCSyncSpace)),
			mpb.AppendDecorators(decor.Name("ETA "), decor.AverageETA(decor.ET_STYLE_GO)),
		)
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-pb.quit:
				if cur := done.Load(); cur >= total {
					bar.SetCurrent(total)
				} else {
					bar.SetCurrent(cur)
					bar.Abort(false)
				}
				p.Wait()
				return
			case <-tick.C:
				bar.SetCurrent(min(done.Load(), total-1))
			}
		}
	}()
	return pb
}

func (pb *progressBar) stop() {
	close(pb.quit)
	pb.wg.Wait()
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// Run runs the command with args (without the program name), writing its
// output to stdout and its progress and errors to stderr, and returns the
// exit status.
func Run(args []string, stdout, stderr io.Writer) int { return run(args, stdout, stderr) }
