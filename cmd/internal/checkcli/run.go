package checkcli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/evsim/evsim/check"
	"github.com/evsim/evsim/cmd/internal/cli"
	"github.com/evsim/evsim/internal/readfile"
	"github.com/evsim/evsim/model"
)

// Exit statuses.
const (
	exitHolds      = 0
	exitViolated   = 1
	exitBadInput   = 2
	exitIncomplete = 3
)

const disksHelp = "`list` of disks, comma-separated; each is [N*]KIND[:SIZE]:\n" +
	"KIND is data, shared, system or shared-system, SIZE the size at\n" +
	"creation in GiB (default 10, or 40 for a system disk), N repeats\n" +
	"the disk. Example: 2*shared:10,system:1023. Disks of equal kind and\n" +
	"size are interchangeable under -symmetry"

type options struct {
	spec, format, junit string
	disks               []model.DiskConfig
	servers             int
	snapshots, backups  int
	sizeSteps           int
	operator, power     bool
	symmetry            bool
	workers             int
	maxStates           int
	maxMemory           int64
	progress            bool
	docs                string
	pin                 pinOptions // -page, -findings, -write-findings (pinned.go)
	html                string
	history             string
	historyFormat       string
	lenient             bool
	missed              int
}

func run(args []string, stdout, stderr io.Writer) int {
	if isRandom(args) {
		return runRandom(args, stdout, stderr)
	}
	o, err := parseFlags(args, stdout, stderr)
	var done parseDone
	if errors.As(err, &done) {
		return int(done)
	}
	if err != nil {
		return cli.UsageError(stderr, "check", "%v", err)
	}
	specName := model.DefaultSpecName
	spec := model.Default()
	if o.spec != "" {
		data, err := readfile.Read(o.spec, int64(model.DefaultYAMLLimits.MaxBytes))
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
	if o.docs != "" {
		return runDocs(o, spec, specName, stdout, stderr)
	}
	if err := checkDiskSizes(o.disks, spec.Limits); err != nil {
		fmt.Fprintf(stderr, "check: %v\n", err)
		return exitBadInput
	}
	if o.history != "" {
		return runHistory(o, spec, specName, stdout, stderr)
	}
	page, err := o.pin.loadPage(o.spec != "")
	if err != nil {
		fmt.Fprintf(stderr, "check: %v\n", err)
		return exitBadInput
	}
	var pinned []string
	if o.pin.findings != "" {
		if pinned, err = loadFindings(o.pin.findings); err != nil {
			fmt.Fprintf(stderr, "check: %v\n", err)
			return exitBadInput
		}
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
	copt := check.Config{Symmetry: o.symmetry, Options: check.Options{
		Workers: workers, MaxStates: o.maxStates, MaxMemory: o.maxMemory,
	}}
	var watch *memoryWatch
	if o.maxMemory > 0 {
		watch = watchMemory(o.maxMemory)
		budgetOptions(&copt, o.maxMemory, watch)
	}
	var prog *progress
	if o.progress {
		prog = newProgress(stderr)
		copt.Progress = prog.update
	}
	ctx, stop := interrupt()
	defer stop()
	copt.Cancel = ctx.Done()
	rep, err := check.Check(sys, copt)
	stop()
	prog.finish()
	if watch != nil {
		peakMemory = watch.stop()
	}
	if err != nil {
		fmt.Fprintf(stderr, "%v\n", err)
		return exitBadInput
	}
	if err := o.pin.pin(rep, spec, page, pinned); err != nil {
		fmt.Fprintf(stderr, "check: %v\n", err)
		return exitBadInput
	}
	out := output{SchemaVersion: reportSchemaVersion, EvsimVersion: cli.Version(), Spec: specName, Config: describeConfig(cfg, o, workers), Report: rep}
	code := exitHolds
	switch {
	case rep.Stop == check.Interrupted.String() || rep.Result == check.ResultIncomplete:
		code = exitIncomplete
	case rep.Result == check.ResultViolated:
		code = exitViolated
	}
	switch o.format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			fmt.Fprintf(stderr, "check: %v\n", err)
			return exitBadInput
		}
	case "sarif":
		if err := writeSARIF(stdout, checkSARIF(&out, spec, o.spec == "", code)); err != nil {
			fmt.Fprintf(stderr, "check: %v\n", err)
			return exitBadInput
		}
	default:
		if err := writeText(stdout, &out); err != nil {
			fmt.Fprintf(stderr, "check: %v\n", err)
			return exitBadInput
		}
		if o.format == "github" {
			writeGitHub(stdout, &out, spec, o.spec == "")
		}
	}
	if o.junit != "" {
		if err := writeJUnit(o.junit, &out); err != nil {
			fmt.Fprintf(stderr, "check: %v\n", err)
			return exitBadInput
		}
	}
	if o.html != "" {
		if err := writeHTML(o.html, &out, spec); err != nil {
			fmt.Fprintf(stderr, "check: %v\n", err)
			return exitBadInput
		}
	}
	if rep.Stop == check.Interrupted.String() {
		fmt.Fprintf(stderr, "check: interrupted: the report covers what was explored and is marked incomplete\n")
		return exitIncomplete
	}
	switch rep.Result {
	case check.ResultViolated:
		return exitViolated
	case check.ResultIncomplete:
		fmt.Fprintf(stderr, "check: incomplete: %s\n", rep.Hint)
		return exitIncomplete
	}
	return exitHolds
}

// parseDone is the exit status of a parse that ended the command: -h,
// -version or a usage error already printed.
type parseDone int

func (d parseDone) Error() string { return fmt.Sprintf("exit status %d", int(d)) }

func parseFlags(args []string, stdout, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	usage := func(w io.Writer) {
		fmt.Fprintf(w, "usage: check [flags]\n\nExplores every reachable state of a bounded fleet and checks the spec's properties.\nExit status: 0 every property holds, 1 a property is violated, 2 bad input, 3 incomplete.\n\nWith -docs PAGE.rst it compares the page's status table with the model's Table 1 instead:\nexit 0 when they agree, 1 on any difference (each printed as page:line:col), 2 when the page cannot be read.\n\nWith -random it runs random operation sequences on fleets of up to 64 disks instead (see check -random -h).\n\nWith -history FILE it checks an observed status history of a fleet against the model instead:\nexit 0 when every pair of observations is explained, 1 on any violation, 2 when the history cannot be read.\n\nflags:\n")
		fs.PrintDefaults()
	}
	def := model.DefaultConfig()
	fs.StringVar(&o.spec, "spec", "", "spec `file` (YAML) to check instead of the embedded EVS spec")
	fs.StringVar(&o.format, "format", "text", "report `format`: text, json, sarif (SARIF 2.1.0 for code scanning: results at their line of the spec, or of the page with -docs)\nor github (the text report, then GitHub Actions ::error annotations)")
	fs.StringVar(&o.junit, "junit", "", "also write a JUnit XML `file`, one test case per property")
	disks := fs.String("disks", formatDisks(def.Disks), disksHelp)
	fs.IntVar(&o.servers, "servers", def.Servers, "number of servers (0 to 32; a state of more than 64 bits takes several words and more memory)")
	fs.IntVar(&o.snapshots, "snapshots", def.Bounds.Snapshots, "most snapshots per disk (0: up to 255)")
	fs.IntVar(&o.backups, "backups", def.Bounds.Backups, "most backups per disk (0: up to 255)")
	fs.IntVar(&o.sizeSteps, "size-steps", def.Bounds.SizeSteps, "most size steps away from a disk's size at creation (0: no bound)")
	fs.BoolVar(&o.operator, "operator", def.Operator, "the operator (customer service) may act: true or false")
	fs.BoolVar(&o.power, "power", def.Power, "servers may be powered off and on: true or false")
	fs.BoolVar(&o.symmetry, "symmetry", true, "store one state per class of interchangeable disks and servers: true or false")
	fs.IntVar(&o.workers, "workers", 0, "goroutines exploring (0: GOMAXPROCS)")
	fs.IntVar(&o.maxStates, "max-states", 0, "stop after this many states (0: no bound)")
	mem := fs.String("max-memory", "4GiB", "memory the state store and graph may use: bytes, or a number with KiB, MiB or GiB")
	fs.BoolVar(&o.progress, "progress", true, "report progress on stderr every second: true or false")
	pinFlags(fs, &o.pin)
	fs.Bool("random", false, "run random operation sequences instead of an exhaustive search (see check -random -h)")
	fs.StringVar(&o.docs, "docs", "", "instead of exploring, compare the status table of a documentation `page` (reStructuredText, the grid table of the EVS Disk Status page) with the model's Table 1: exit 1 on any difference")
	historyFlags(fs, o)
	registerReportFlags(fs, o)
	if code, done := cli.Parse(fs, "check", args, stdout, stderr, usage); done {
		return nil, parseDone(code)
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q; every input is a flag", fs.Arg(0))
	}
	switch o.format {
	case "text", "json", "sarif", "github":
	default:
		return nil, fmt.Errorf("-format %q: want text, json, sarif or github", o.format)
	}
	var err error
	if o.disks, err = parseDisks(*disks); err != nil {
		return nil, fmt.Errorf("-disks: %w", err)
	}
	if o.maxMemory, err = parseBytes(*mem); err != nil {
		return nil, fmt.Errorf("-max-memory: %w", err)
	}
	for _, c := range []struct {
		name string
		v    int
	}{{"servers", o.servers}, {"snapshots", o.snapshots}, {"backups", o.backups}, {"size-steps", o.sizeSteps}, {"workers", o.workers}, {"max-states", o.maxStates}} {
		if c.v < 0 {
			return nil, fmt.Errorf("-%s %d: must not be negative", c.name, c.v)
		}
	}
	if o.snapshots > 255 || o.backups > 255 {
		return nil, fmt.Errorf("-snapshots and -backups: at most 255")
	}
	return o, nil
}

// parseDisks reads a -disks list.
func parseDisks(s string) ([]model.DiskConfig, error) {
	var out []model.DiskConfig
	if strings.TrimSpace(s) == "" {
		return nil, errors.New("empty list; want at least one disk, such as data:10")
	}
	for i, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		bad := func(format string, a ...any) error {
			return fmt.Errorf("item %d %q: %s", i+1, item, fmt.Sprintf(format, a...))
		}
		n := 1
		rest := item
		if a, b, ok := strings.Cut(item, "*"); ok {
			v, err := strconv.Atoi(a)
			if err != nil || v < 1 || v > model.MaxDisks {
				return nil, bad("repeat count %q: want 1 to %d", a, model.MaxDisks)
			}
			n, rest = v, b
		}
		kind, size, hasSize := strings.Cut(rest, ":")
		var d model.DiskConfig
		switch kind {
		case "data":
		case "shared":
			d.Shared = true
		case "system":
			d.System = true
		case "shared-system":
			d.Shared, d.System = true, true
		default:
			return nil, bad("unknown kind %q; want data, shared, system or shared-system", kind)
		}
		d.Size = 10
		if d.System {
			d.Size = 40
		}
		if hasSize {
			v, err := strconv.Atoi(size)
			if err != nil || v < 1 {
				return nil, bad("size %q: want a whole number of GiB, at least 1", size)
			}
			d.Size = v
		}
		for j := 0; j < n; j++ {
			out = append(out, d)
		}
	}
	if len(out) > model.MaxDisks {
		return nil, fmt.Errorf("%d disks; at most %d", len(out), model.MaxDisks)
	}
	return out, nil
}

func formatDisks(ds []model.DiskConfig) string {
	var parts []string
	for _, d := range ds {
		kind := "data"
		switch {
		case d.Shared && d.System:
			kind = "shared-system"
		case d.Shared:
			kind = "shared"
		case d.System:
			kind = "system"
		}
		parts = append(parts, fmt.Sprintf("%s:%d", kind, d.Size))
	}
	return strings.Join(parts, ",")
}

// parseBytes reads "4GiB", "512MiB", "1000000".
func parseBytes(s string) (int64, error) {
	mult := int64(1)
	num := s
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40}} {
		if v, ok := strings.CutSuffix(s, u.suffix); ok {
			num, mult = v, u.mult
			break
		}
	}
	v, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
	if err != nil || v < 0 || v > (1<<62)/mult {
		return 0, fmt.Errorf("%q: want a number of bytes, optionally with KiB, MiB, GiB or TiB (such as 4GiB); 0 means no bound", s)
	}
	return v * mult, nil
}

// configJSON describes the configuration in the report.
type configJSON struct {
	Disks     string `json:"disks"`
	Servers   int    `json:"servers"`
	Snapshots int    `json:"snapshots"`
	Backups   int    `json:"backups"`
	SizeSteps int    `json:"size_steps"`
	Operator  bool   `json:"operator"`
	Power     bool   `json:"power"`
	Symmetry  bool   `json:"symmetry"`
	Workers   int    `json:"-"`
}

func describeConfig(cfg model.Config, o *options, workers int) configJSON {
	return configJSON{Disks: formatDisks(cfg.Disks), Servers: cfg.Servers, Snapshots: cfg.Bounds.Snapshots,
		Backups: cfg.Bounds.Backups, SizeSteps: cfg.Bounds.SizeSteps, Operator: cfg.Operator, Power: cfg.Power,
		Symmetry: o.symmetry, Workers: workers}
}

// output is the report with what was checked.
type output struct {
	SchemaVersion int        `json:"schema_version"` // of docs/schemas/check-report.schema.json
	EvsimVersion  string     `json:"evsim_version"`
	Spec          string     `json:"spec"`
	Config        configJSON `json:"config"`
	*check.Report
}

// progress prints the search's progress on stderr: redrawn in place on a
// terminal, one line per update otherwise.
type progress struct {
	w     io.Writer
	tty   bool
	drawn bool
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w}
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	return p
}

func (p *progress) update(s check.Progress) {
	rate := float64(s.States) / max(s.Elapsed.Seconds(), 1e-9)
	line := fmt.Sprintf("check: %d states, queue %d, depth %d, %.0f states/s, %s", s.States, s.Queue, s.Depth, rate, s.Elapsed.Truncate(time.Second))
	if p.tty {
		fmt.Fprintf(p.w, "\r\033[K%s", line)
		p.drawn = true
		return
	}
	fmt.Fprintln(p.w, line)
}

func (p *progress) finish() {
	if p != nil && p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

// Run runs the command with args (without the program name), writing its
// output to stdout and its progress and errors to stderr, and returns the
// exit status.
func Run(args []string, stdout, stderr io.Writer) int { return run(args, stdout, stderr) }
