package checkcli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/evsim/evsim/check"
	"github.com/evsim/evsim/check/random"
	"github.com/evsim/evsim/cmd/internal/cli"
	"github.com/evsim/evsim/model"
)

// isRandom reports whether args ask for random checking: -random or
// -random=true among them (before a "--").
func isRandom(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		if !strings.HasPrefix(a, "-") {
			continue
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if name == "random" {
			if !hasVal {
				return true
			}
			b, err := strconv.ParseBool(val)
			return err == nil && b
		}
	}
	return false
}

type randomOptions struct {
	spec, format, junit string
	disks               []model.DiskConfig
	servers             int
	snapshots, backups  int
	sizeSteps           int
	operator, power     bool
	workers             int
	progress            bool

	seed      int64
	seedText  string
	sequences int
	steps     int
	budget    time.Duration
	replay    string
}

const randomUsage = `usage: check -random [flags]

Runs random sequences of operations, completions, failures, operator actions
and power switching on a fleet of up to 64 disks and 32 servers (gopter),
checks every invariant and step rule of the spec after every step, and
shrinks the first failure to a short story with a command that replays it.
A random run can refute a rule, not prove it: see the properties table.
Exit status: 0 no sequence broke a property, 1 a property is violated,
2 bad input, 3 stopped early (-time before -sequences, or an interrupt).

flags:
`

func parseRandomFlags(args []string, stderr io.Writer) (*randomOptions, error) {
	o := &randomOptions{}
	fs := flag.NewFlagSet("check -random", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, randomUsage)
		fs.PrintDefaults()
	}
	def := model.DefaultConfig()
	fs.Bool("random", true, "run random sequences instead of an exhaustive search")
	fs.StringVar(&o.spec, "spec", "", "spec `file` (YAML) to check instead of the embedded EVS spec")
	fs.StringVar(&o.format, "format", "text", "report format: text or json")
	fs.StringVar(&o.junit, "junit", "", "also write a JUnit XML `file`, one test case per property")
	disks := fs.String("disks", formatDisks(def.Disks), strings.Replace(disksHelp, "under -symmetry", "under -symmetry (up to 64 disks here)", 1))
	fs.IntVar(&o.servers, "servers", def.Servers, "number of servers (0 to 32)")
	fs.IntVar(&o.snapshots, "snapshots", def.Bounds.Snapshots, "most snapshots per disk (0: up to 255)")
	fs.IntVar(&o.backups, "backups", def.Bounds.Backups, "most backups per disk (0: up to 255)")
	fs.IntVar(&o.sizeSteps, "size-steps", def.Bounds.SizeSteps, "most size steps away from a disk's size at creation (0: no bound)")
	fs.BoolVar(&o.operator, "operator", def.Operator, "the operator (customer service) may act: true or false")
	fs.BoolVar(&o.power, "power", def.Power, "servers may be powered off and on: true or false")
	fs.IntVar(&o.workers, "workers", 0, "goroutines running sequences (0: GOMAXPROCS); the result does not depend on it")
	fs.BoolVar(&o.progress, "progress", true, "report progress on stderr every second: true or false")
	fs.StringVar(&o.seedText, "seed", "1", "`seed` of the sequences (a number), or random to draw one from the clock (printed)")
	fs.IntVar(&o.sequences, "sequences", 1000, "number of sequences (0: as many as -time allows)")
	fs.IntVar(&o.steps, "steps", 200, "steps per sequence")
	fs.DurationVar(&o.budget, "time", 0, "stop after this `duration` (such as 30s or 10m; 0: no limit); stopping before -sequences exits 3")
	fs.StringVar(&o.replay, "replay", "", "instead of random sequences, replay this `story`: actions separated by ';', as a failure prints them")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q; every input is a flag (see check -random -h)", fs.Arg(0))
	}
	switch o.format {
	case "text", "json":
	default:
		return nil, fmt.Errorf("-format %q: want text or json", o.format)
	}
	var err error
	if o.disks, err = parseDisks(*disks); err != nil {
		return nil, fmt.Errorf("-disks: %w", err)
	}
	for _, c := range []struct {
		name string
		v    int
	}{{"servers", o.servers}, {"snapshots", o.snapshots}, {"backups", o.backups}, {"size-steps", o.sizeSteps}, {"workers", o.workers}, {"sequences", o.sequences}, {"steps", o.steps}} {
		if c.v < 0 {
			return nil, fmt.Errorf("-%s %d: must not be negative", c.name, c.v)
		}
	}
	if o.snapshots > 255 || o.backups > 255 {
		return nil, fmt.Errorf("-snapshots and -backups: at most 255")
	}
	if o.steps == 0 {
		return nil, errors.New("-steps 0: want at least 1 step per sequence")
	}
	if o.budget < 0 {
		return nil, fmt.Errorf("-time %s: must not be negative", o.budget)
	}
	if o.sequences == 0 && o.budget == 0 && o.replay == "" {
		return nil, errors.New("-sequences 0 runs until -time is spent: give -time too (such as -time 10m)")
	}
	if o.seedText == "random" {
		o.seed = time.Now().UnixNano() & (1<<62 - 1)
	} else if o.seed, err = strconv.ParseInt(o.seedText, 10, 64); err != nil {
		return nil, fmt.Errorf("-seed %q: want a whole number, or random", o.seedText)
	}
	return o, nil
}

// randomOutput is the report of a random run, for text and JSON.
type randomOutput struct {
	Spec       string             `json:"spec"`
	Config     configJSON         `json:"config"`
	Mode       string             `json:"mode"` // random or replay
	Result     string             `json:"result"`
	Stop       string             `json:"stop"` // complete, time or interrupt
	Hint       string             `json:"hint,omitempty"`
	Seed       int64              `json:"seed"`
	Planned    int                `json:"planned_sequences"`
	Sequences  int                `json:"sequences"`
	StepsEach  int                `json:"steps_per_sequence"`
	Steps      int                `json:"steps"`
	Properties []check.PropResult `json:"properties"`
	Notes      map[string]string  `json:"notes"` // per property: what the run concluded and why
	Violations []randomViolation  `json:"violations"`
	Coverage   randomCoverage     `json:"coverage"`
	Unreached  []string           `json:"unreached"` // statuses and operations no step reached
	Seconds    float64            `json:"-"`
	Workers    int                `json:"-"`
	sys        *model.System
	cov        random.Coverage
}

type randomViolation struct {
	check.Counterexample
	Sequence    int    `json:"sequence,omitempty"` // the failing sequence (1 for the first)
	FoundSteps  int    `json:"found_steps,omitempty"`
	ShrunkSteps int    `json:"shrunk_steps"`
	Replay      string `json:"replay"` // a command that replays the shrunk story
}

type randomCoverage struct {
	Statuses   []randomStatus  `json:"statuses"`
	Operations []check.OpCount `json:"operations"`
	PowerOff   uint64          `json:"power_off"`
	PowerOn    uint64          `json:"power_on"`
}

type randomStatus struct {
	Status string `json:"status"`
	Steps  uint64 `json:"steps"` // steps after which some disk had it
}

func runRandom(args []string, stdout, stderr io.Writer) int {
	o, err := parseRandomFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitHolds
	}
	if err != nil {
		fmt.Fprintf(stderr, "check: %v\n", err)
		return exitBadInput
	}
	specName := model.DefaultSpecName
	spec := model.Default()
	if o.spec != "" {
		data, err := os.ReadFile(o.spec)
		if err != nil {
			fmt.Fprintf(stderr, "check: %v\n", err)
			return exitBadInput
		}
		spec, err = model.Load(o.spec, data)
		if err != nil {
			fmt.Fprintf(stderr, "%v\n", err)
			return exitBadInput
		}
		specName = o.spec
	}
	cfg := model.Config{
		Disks:    o.disks,
		Servers:  o.servers,
		Bounds:   model.Bounds{Snapshots: o.snapshots, Backups: o.backups, SizeSteps: o.sizeSteps},
		Operator: o.operator,
		Power:    o.power,
	}
	sys, err := model.NewSystem(spec, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "%v\n", err)
		return exitBadInput
	}
	workers := o.workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	out := &randomOutput{Spec: specName, Config: describeRandomConfig(cfg, workers), Seed: o.seed,
		StepsEach: o.steps, Workers: workers, sys: sys, Notes: map[string]string{}, Violations: []randomViolation{}}
	start := time.Now()
	if o.replay != "" {
		if code := replayStory(o, spec, sys, out, stderr); code != 0 {
			return code
		}
	} else {
		if o.seedText == "random" {
			fmt.Fprintf(stderr, "check: seed %d\n", o.seed)
		}
		ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
		defer cancel()
		var prog *progress
		copt := random.CampaignOptions{Seed: o.seed, Sequences: o.sequences, Steps: o.steps, Time: o.budget,
			Workers: workers, Stop: ctx.Done()}
		if o.progress {
			prog = newProgress(stderr)
			copt.Progress = func(p random.CampaignProgress) {
				prog.line(fmt.Sprintf("check: %d sequences, %d steps, %.0f steps/s, %s", p.Sequences, p.Steps,
					float64(p.Steps)/max(p.Elapsed.Seconds(), 1e-9), p.Elapsed.Truncate(time.Second)))
			}
		}
		res, err := random.Campaign(spec, cfg, copt)
		prog.finish()
		if err != nil {
			fmt.Fprintf(stderr, "check: %v\n", err)
			return exitBadInput
		}
		out.Mode = "random"
		out.Planned, out.Sequences, out.Steps = res.Planned, res.Sequences, res.Steps
		out.cov = res.Coverage
		out.Stop = "complete"
		if res.Stopped != "" {
			out.Stop = res.Stopped
		}
		if res.Failure != nil {
			v := randomViolation{Sequence: res.Failure.Sequence, FoundSteps: len(res.Failure.Found)}
			v.Counterexample = story(sys, res.Failure.ShrunkViolation, res.Failure.Shrunk)
			v.ShrunkSteps = len(res.Failure.Shrunk)
			v.Replay = replayCommand(o, res.Failure.Shrunk)
			out.Violations = append(out.Violations, v)
		}
	}
	out.Seconds = time.Since(start).Seconds()
	verdicts(out)
	switch o.format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			fmt.Fprintf(stderr, "check: %v\n", err)
			return exitBadInput
		}
	default:
		if err := writeRandomText(stdout, out); err != nil {
			fmt.Fprintf(stderr, "check: %v\n", err)
			return exitBadInput
		}
	}
	if o.junit != "" {
		if err := writeRandomJUnit(o.junit, out); err != nil {
			fmt.Fprintf(stderr, "check: %v\n", err)
			return exitBadInput
		}
	}
	switch {
	case out.Result == check.ResultViolated:
		return exitViolated
	case out.Stop != "complete" && !(out.Stop == "time" && out.Planned == 0):
		fmt.Fprintf(stderr, "check: incomplete: %s\n", out.Hint)
		return exitIncomplete
	}
	return exitHolds
}

// replayStory replays o.replay and fills out; it returns a non-zero exit
// status on bad input.
func replayStory(o *randomOptions, spec *model.Spec, sys *model.System, out *randomOutput, stderr io.Writer) int {
	seq := &random.Sequence{Spec: "replay", Setup: "fleet"}
	for i, a := range strings.Split(o.replay, ";") {
		a = strings.Join(strings.Fields(a), " ")
		if a == "" {
			continue
		}
		seq.Actions = append(seq.Actions, a)
		seq.Lines = append(seq.Lines, i+1)
	}
	if len(seq.Actions) == 0 {
		fmt.Fprintf(stderr, "check: -replay: no action, want actions separated by ';' such as \"start create d0; succeed create d0\"\n")
		return exitBadInput
	}
	r, err := random.New(spec, random.Setup{Name: "fleet", Config: sys.Config}, random.Options{})
	if err != nil {
		fmt.Fprintf(stderr, "check: %v\n", err)
		return exitBadInput
	}
	for i, a := range seq.Actions {
		if _, err := random.ParseAction(sys, a); err != nil {
			fmt.Fprintf(stderr, "check: -replay: action %d %q: %v\n", i+1, a, err)
			return exitBadInput
		}
	}
	rr, err := r.Replay("-replay", seq)
	if err != nil {
		fmt.Fprintf(stderr, "check: %v\n", err)
		return exitBadInput
	}
	if rr.Rejected >= 0 {
		fmt.Fprintf(stderr, "check: -replay: action %d %q is not enabled after the actions before it (the spec or fleet differs from the run that printed it)\n", rr.Rejected+1, seq.Actions[rr.Rejected])
		return exitBadInput
	}
	out.Mode = "replay"
	out.Stop = "complete"
	out.Planned, out.Sequences, out.Steps = 1, 1, rr.Applied
	out.cov = r.Result().Coverage
	if rr.Violation != nil {
		shrunk := seq.Actions[:rr.At+1]
		v := randomViolation{Sequence: 1, ShrunkSteps: len(shrunk), Replay: replayCommand(o, shrunk)}
		v.Counterexample = story(sys, *rr.Violation, shrunk)
		out.Violations = append(out.Violations, v)
	}
	return 0
}

// story turns a failing sequence into a counterexample with its trace.
func story(sys *model.System, v random.Violation, acts []string) check.Counterexample {
	c := check.Counterexample{Property: v.Property, Detail: v.Message, Trace: []check.TraceStep{}}
	st := sys.Init()[0]
	for _, text := range acts {
		a, err := random.ParseAction(sys, text)
		if err != nil {
			break
		}
		next, ok := sys.Next(st, a)
		if !ok {
			break
		}
		c.Trace = append(c.Trace, check.NewTraceStep(sys, &st, a, &next))
		st = next
	}
	c.Final = sys.FormatState(&st)
	return c
}

// replayCommand is a command line that replays acts on the same spec and
// fleet.
func replayCommand(o *randomOptions, acts []string) string {
	parts := []string{"check", "-random"}
	if o.spec != "" {
		parts = append(parts, "-spec", shellQuote(o.spec))
	}
	parts = append(parts,
		"-disks", shellQuote(formatDisksCompact(o.disks)),
		"-servers", strconv.Itoa(o.servers),
		"-snapshots", strconv.Itoa(o.snapshots),
		"-backups", strconv.Itoa(o.backups),
		"-size-steps", strconv.Itoa(o.sizeSteps),
		"-operator="+strconv.FormatBool(o.operator),
		"-power="+strconv.FormatBool(o.power),
		"-replay", shellQuote(strings.Join(acts, "; ")))
	return strings.Join(parts, " ")
}

// formatDisksCompact is formatDisks with runs of equal disks written
// N*KIND:SIZE, as -disks reads them.
func formatDisksCompact(ds []model.DiskConfig) string {
	var parts []string
	for i := 0; i < len(ds); {
		j := i
		for j < len(ds) && ds[j] == ds[i] {
			j++
		}
		one := formatDisks(ds[i : i+1])
		if j-i > 1 {
			one = fmt.Sprintf("%d*%s", j-i, one)
		}
		parts = append(parts, one)
		i = j
	}
	return strings.Join(parts, ",")
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	safe := s != ""
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("-_./:,=+*", c)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func describeRandomConfig(cfg model.Config, workers int) configJSON {
	return configJSON{Disks: formatDisksCompact(cfg.Disks), Servers: cfg.Servers, Snapshots: cfg.Bounds.Snapshots,
		Backups: cfg.Bounds.Backups, SizeSteps: cfg.Bounds.SizeSteps, Operator: cfg.Operator, Power: cfg.Power,
		Workers: workers}
}

// verdicts sets the verdict of every property of the spec from what the
// random run saw, with a note on what it can conclude.
func verdicts(out *randomOutput) {
	sys := out.sys
	spec := sys.Spec
	cov := out.cov
	violated := map[string]string{}
	for _, v := range out.Violations {
		violated[v.Property] = v.Detail
	}
	witnessed := map[string]bool{}
	for _, n := range cov.Witnessed {
		witnessed[n] = true
	}
	// Statuses and operations never reached.
	reached := map[string]bool{}
	for _, s := range cov.Statuses {
		reached[s] = true
	}
	for _, s := range cov.Started {
		reached["op:"+s] = true
	}
	out.Unreached = []string{}
	for _, s := range spec.Statuses {
		if !reached[s.Name] {
			out.Unreached = append(out.Unreached, s.Name)
		}
	}
	for _, op := range spec.Ops {
		if !reached["op:"+op.Name] && (op.Actor != model.Operator || sys.Config.Operator) {
			out.Unreached = append(out.Unreached, op.Name)
		}
	}
	decided := !(out.Stop != "complete" && !(out.Stop == "time" && out.Planned == 0))
	anyViolated := false
	for _, p := range sys.Properties() {
		v, note := check.Unknown, ""
		switch {
		case violated[p.Name] != "":
			v, note = check.Violated, "broken by the story below"
		case p.Kind == model.Invariant || p.Kind == model.StepRule:
			v, note = check.Holds, "no step broke it"
		case p.Kind == model.Possible && witnessed[p.Name]:
			v, note = check.Holds, "witnessed by a step"
		case p.Kind == model.Possible:
			note = "no step witnessed it; exhaustive search can tell whether one exists"
		case p.Name == model.PropNoDeadlock && sys.Config.Operator && sys.Config.Power:
			v, note = check.Holds, "after every step, every disk had an action that moves it (with every server off if need be)"
		case p.Name == model.PropNoDeadlock:
			note = "checked only with the operator and power switching (-operator and -power), which are the ways out of failed statuses"
		case p.Name == model.PropEveryStatus && len(out.Unreached) == 0:
			v, note = check.Holds, "every status and operation was reached"
		case p.Name == model.PropEveryStatus:
			note = "not reached at random: " + strings.Join(out.Unreached, ", ") + "; exhaustive search can tell whether they are reachable"
		case p.Name == model.PropTransitionalLeft:
			note = "a disk stuck in a transitional status breaks no-deadlock; a cycle among transitional statuses needs exhaustive search"
		case p.Name == model.PropDeletable:
			note = "needs every path from every state: exhaustive search only"
		default:
			note = "a graph rule: exhaustive search only"
		}
		if v == check.Holds && !decided && p.Kind != model.Possible && p.Name != model.PropEveryStatus {
			note += "; in the sequences run before the stop"
		}
		out.Properties = append(out.Properties, check.PropResult{Name: p.Name, Number: p.Number, Kind: p.Kind.String(),
			Summary: p.Summary, Verdict: v, Holds: v == check.Holds})
		out.Notes[p.Name] = note
		if v == check.Violated {
			anyViolated = true
		}
	}
	out.Result = check.ResultHolds
	switch {
	case anyViolated:
		out.Result = check.ResultViolated
	case !decided:
		out.Result = check.ResultIncomplete
		out.Hint = fmt.Sprintf("stopped (%s) after %d of %d sequences; raise -time, or lower -sequences", out.Stop, out.Sequences, out.Planned)
	}
	// Coverage table.
	for i, s := range spec.Statuses {
		out.Coverage.Statuses = append(out.Coverage.Statuses, randomStatus{s.Name, at(cov.StatusSteps, i)})
	}
	out.Coverage.Statuses = append(out.Coverage.Statuses, randomStatus{spec.StatusName(model.Gone), at(cov.StatusSteps, len(spec.Statuses))})
	for i := range spec.Ops {
		op := &spec.Ops[i]
		shape := "steps"
		switch {
		case op.Background:
			shape = "background"
		case op.Instant():
			shape = "instant"
		}
		out.Coverage.Operations = append(out.Coverage.Operations, check.OpCount{Op: op.Name, Actor: op.Actor.String(), Shape: shape,
			Started: at(cov.OpStarted, i), Succeeded: at(cov.OpSucceeded, i), Failed: at(cov.OpFailed, i)})
	}
	out.Coverage.PowerOff, out.Coverage.PowerOn = cov.PowerOff, cov.PowerOn
}

func at(xs []uint64, i int) uint64 {
	if i < len(xs) {
		return xs[i]
	}
	return 0
}

func writeRandomText(w io.Writer, o *randomOutput) error {
	bw := bufio.NewWriter(w)
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
	if o.Mode == "replay" {
		fmt.Fprintf(bw, "run            replay of a story of %d action(s)\n", o.Steps)
	} else {
		fmt.Fprintf(bw, "run            random sequences of %d steps, seed %d, %d worker(s)\n", o.StepsEach, o.Seed, o.Workers)
	}
	fmt.Fprintln(bw)
	fmt.Fprintf(bw, "result         %s", strings.ToUpper(o.Result))
	if o.Stop != "complete" {
		fmt.Fprintf(bw, " (stopped at %s)", o.Stop)
	}
	fmt.Fprintln(bw)
	if o.Mode != "replay" {
		planned := "as many as -time allows"
		if o.Planned > 0 {
			planned = fmt.Sprintf("of %d", o.Planned)
		}
		fmt.Fprintf(bw, "sequences      %d (%s)\n", o.Sequences, planned)
	}
	fmt.Fprintf(bw, "steps          %d\n", o.Steps)
	fmt.Fprintf(bw, "time           %.2f s (%.0f steps/s)\n", o.Seconds, float64(o.Steps)/max(o.Seconds, 1e-9))
	if o.Hint != "" {
		fmt.Fprintf(bw, "to go on       %s\n", o.Hint)
	}

	fmt.Fprintf(bw, "\nproperties (holds: no step broke it; a random run refutes rules, it does not prove them)\n")
	tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  #\tproperty\tkind\tverdict\tnote\n")
	for _, p := range o.Properties {
		num := "-"
		if p.Number > 0 {
			num = fmt.Sprint(p.Number)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", num, p.Name, p.Kind, p.Verdict, o.Notes[p.Name])
	}
	tw.Flush()

	fmt.Fprintf(bw, "\ncoverage: steps after which some disk has the status\n")
	rows := [][]string{{"status", "steps"}}
	for _, s := range o.Coverage.Statuses {
		rows = append(rows, []string{s.Status, fmt.Sprint(s.Steps)})
	}
	table(bw, rows, 1)
	fmt.Fprintf(bw, "\ncoverage: steps per operation\n")
	rows = [][]string{{"operation", "actor", "started", "succeeded", "failed"}}
	for _, op := range o.Coverage.Operations {
		sc, fl := fmt.Sprint(op.Succeeded), fmt.Sprint(op.Failed)
		if op.Shape == "instant" {
			sc, fl = "-", "-"
		}
		rows = append(rows, []string{op.Op, op.Actor, fmt.Sprint(op.Started), sc, fl})
	}
	rows = append(rows, []string{"power-off", "customer", fmt.Sprint(o.Coverage.PowerOff), "-", "-"})
	rows = append(rows, []string{"power-on", "customer", fmt.Sprint(o.Coverage.PowerOn), "-", "-"})
	table(bw, rows, 2)
	if len(o.Unreached) > 0 {
		fmt.Fprintf(bw, "  never reached: %s\n", strings.Join(o.Unreached, ", "))
	}

	for _, v := range o.Violations {
		fmt.Fprintf(bw, "\nVIOLATED %s: %s\n", v.Property, v.Detail)
		switch {
		case o.Mode == "replay":
			fmt.Fprintf(bw, "story (%d steps):\n", v.ShrunkSteps)
		default:
			fmt.Fprintf(bw, "shrunk story (%d steps; sequence %d broke it after %d steps):\n", v.ShrunkSteps, v.Sequence, v.FoundSteps)
		}
		writeTrace(bw, v.Trace)
		fmt.Fprintf(bw, "  final state: %s\n", v.Final)
		fmt.Fprintf(bw, "replay with:\n  %s\n", v.Replay)
	}
	return bw.Flush()
}

// writeRandomJUnit writes one test case per property: a failure for a
// violated one, skipped for one a random run cannot decide.
func writeRandomJUnit(name string, o *randomOutput) error {
	base := strings.TrimSuffix(filepath.Base(o.Spec), filepath.Ext(o.Spec))
	suite := cli.JUnitSuite{Name: "check -random " + filepath.Base(o.Spec), Package: "evsim.check.random"}
	detail := map[string]randomViolation{}
	for _, v := range o.Violations {
		detail[v.Property] = v
	}
	for _, p := range o.Properties {
		c := cli.JUnitCase{Name: p.Name, ClassName: "check.random." + base}
		switch p.Verdict {
		case check.Violated:
			v := detail[p.Name]
			var b strings.Builder
			b.WriteString(v.Detail + "\n")
			writeTrace(&b, v.Trace)
			b.WriteString("replay with: " + v.Replay + "\n")
			c.Failure = &cli.JUnitProblem{Message: v.Detail, Type: "violated", Text: b.String()}
		case check.Unknown:
			c.Skipped = &cli.JUnitSkipped{Message: o.Notes[p.Name]}
		}
		suite.Cases = append(suite.Cases, c)
	}
	data, err := cli.MarshalJUnit([]cli.JUnitSuite{suite})
	if err != nil {
		return err
	}
	return writeFile(name, data)
}

// line prints one progress line.
func (p *progress) line(s string) {
	if p.tty {
		fmt.Fprintf(p.w, "\r\033[K%s", s)
		p.drawn = true
		return
	}
	fmt.Fprintln(p.w, s)
}
