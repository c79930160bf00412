// Package graphcli is the graph command: cmd/graph runs it alone and
// cmd/evsim as its graph subcommand.
package graphcli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/evsim/evsim/cmd/internal/cli"
	"github.com/evsim/evsim/diagram"
	"github.com/evsim/evsim/diagram/render"
	"github.com/evsim/evsim/internal/atomicfile"
	"github.com/evsim/evsim/internal/readfile"
	"github.com/evsim/evsim/model"
)

// formats maps each -format value to the file extensions that imply it.
var formats = []struct {
	name string
	exts []string
	what string
}{
	{"dot", []string{".dot", ".gv"}, "Graphviz DOT (the default)"},
	{"svg", []string{".svg"}, "SVG picture"},
	{"png", []string{".png"}, "PNG picture"},
	{"mermaid", []string{".mmd"}, "Mermaid stateDiagram-v2"},
	{"rst", []string{".rst"}, "Table 1 as a reStructuredText grid table, as on the page"},
	{"markdown", []string{".md"}, "Table 1 as a Markdown table"},
	{"json", []string{".json"}, "statuses with allowed operations, edges with their basis"},
}

func formatNames() []string {
	var out []string
	for _, f := range formats {
		out = append(out, f.name)
	}
	return out
}

func extNames() []string {
	var out []string
	for _, f := range formats {
		out = append(out, f.exts...)
	}
	return out
}

// formatOf returns the format a file name's extension implies.
func formatOf(path string) (string, bool) {
	ext := strings.ToLower(filepath.Ext(path))
	for _, f := range formats {
		for _, e := range f.exts {
			if e == ext {
				return f.name, true
			}
		}
	}
	return "", false
}

type options struct {
	format, out, view, ops, actor, statuses, spec, weights string
	trace, property                                        string
	scale                                                  float64
	title, rankdir, size                                   string
}

// usageError is bad input on the command line: exit status 2, with the
// message and a pointer to -h.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usage(w io.Writer, fs *flag.FlagSet, spec *model.Spec) {
	fmt.Fprintf(w, `usage: graph [flags]

Draws the EVS disk status diagram, or regenerates Table 1 of the EVS Disk
Status page, from the model. With no flags: the full diagram as DOT on
standard output.

Flags:
`)
	fs.PrintDefaults()
	fmt.Fprintf(w, "\nFormats (-format, or implied by the extension of -o):\n")
	for _, f := range formats {
		fmt.Fprintf(w, "  %-9s %-10s %s\n", f.name, strings.Join(f.exts, " "), f.what)
	}
	fmt.Fprintf(w, "\nViews (-view):\n")
	fmt.Fprintf(w, "  full      every status and every operation\n")
	fmt.Fprintf(w, "  figure1   Figure 1 of the page, derived from the model\n")
	for _, p := range parts {
		fmt.Fprintf(w, "  %-9s %s\n", p.name, p.what)
	}
	fmt.Fprintf(w, "\nActors (-actor): %s\n", strings.Join(diagram.Actors, ", "))
	fmt.Fprintf(w, "\nOperations (-ops, of the embedded spec):\n")
	for i := range spec.Ops {
		op := &spec.Ops[i]
		fmt.Fprintf(w, "  %-19s %s (%s)\n", op.Name, op.Title, op.Actor)
	}
	fmt.Fprintf(w, "\nStatuses (-statuses, of the embedded spec):\n")
	for i := range spec.Statuses {
		st := &spec.Statuses[i]
		fmt.Fprintf(w, "  %-20s %s\n", st.Name, st.Class)
	}
	fmt.Fprintf(w, `
In the pictures, failure arrows are red, operator (customer service) arrows
purple, and dashed arrows rest on an inference that no source states.
rst and markdown always render the whole Table 1: -view, -ops, -actor and
-statuses apply to the diagram formats.

Exit status: 0 written, 2 usage, input or I/O error (nothing written to -o).
`)
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("graph", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var o options
	fs.StringVar(&o.format, "format", "", "output `format`: "+strings.Join(formatNames(), ", ")+" (default: from the -o extension, else dot)")
	fs.StringVar(&o.out, "o", "", "write to `file` instead of standard output (written whole or not at all; - is standard output; its directory is created if missing)")
	fs.StringVar(&o.view, "view", "full", "`view`: "+strings.Join(append(diagram.Views(), partNames()...), ", "))
	fs.StringVar(&o.ops, "ops", "", "draw only these operations (comma-separated `names`)")
	fs.StringVar(&o.actor, "actor", "all", "draw the operations of this `actor`: "+strings.Join(diagram.Actors, ", "))
	fs.StringVar(&o.statuses, "statuses", "", "draw only these statuses and the arrows between them (comma-separated `names`)")
	fs.StringVar(&o.spec, "spec", "", "draw this spec `file` instead of the embedded one")
	fs.Float64Var(&o.scale, "scale", 2, "PNG size: pixels per point (`factor`)")
	fs.StringVar(&o.weights, "weights", "", "weight the diagram by a simulator run: the JSON summary `file` of cmd/sim -format json (arrows by transitions per day, statuses by mean disks)")
	fs.StringVar(&o.trace, "trace", "", "draw a counterexample of the model checker: the JSON report `file` of cmd/check -format json (its arrows coloured and numbered in order)")
	fs.StringVar(&o.property, "property", "", "with -trace: the violated `property` whose counterexample to draw (default: the first in the report)")
	registerLayoutFlags(fs, &o)
	embedded := model.Default()
	if code, done := cli.Parse(fs, "graph", args, stdout, stderr, func(w io.Writer) { usage(w, fs, embedded) }); done {
		return code
	}
	if fs.NArg() > 0 {
		return cli.UsageError(stderr, "graph", "unexpected argument %q: graph takes flags only", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if err := generate(o, set, embedded, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "graph: %v\n", err)
		var ue *usageError
		if errors.As(err, &ue) {
			fmt.Fprintln(stderr, "run graph -h for the flags and their values")
		}
		return 2
	}
	return 0
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// generate makes the artefact and writes it to -o or stdout.
func generate(o options, set map[string]bool, spec *model.Spec, stdout, stderr io.Writer) error {
	format := o.format
	if format == "" && o.out != "" && o.out != cli.Stdout {
		f, ok := formatOf(o.out)
		if !ok {
			return &usageError{fmt.Sprintf("cannot tell the format of %q from its extension: use one of %s, or -format", o.out, strings.Join(extNames(), " "))}
		}
		format = f
	}
	if format == "" {
		format = "dot"
	}
	known := false
	for _, f := range formats {
		known = known || f.name == format
	}
	if !known {
		return &usageError{fmt.Sprintf("unknown format %q: valid formats are %s", format, strings.Join(formatNames(), ", "))}
	}
	if err := applyPart(&o, set); err != nil {
		return err
	}
	view, err := diagram.ParseView(o.view)
	if err != nil {
		return &usageError{strings.TrimPrefix(err.Error(), "diagram: ") + ", or a part of the life cycle: " + strings.Join(partNames(), ", ")}
	}
	if !(o.scale > 0) || o.scale > 16 {
		return &usageError{fmt.Sprintf("-scale %v: want a factor above 0 and at most 16", o.scale)}
	}
	if o.spec != "" {
		data, err := readfile.Read(o.spec, int64(model.DefaultYAMLLimits.MaxBytes))
		if err != nil {
			return fmt.Errorf("read spec: %w", err)
		}
		spec, err = model.Load(o.spec, data)
		if err != nil {
			return fmt.Errorf("spec %s:\n%w", o.spec, err)
		}
	}
	var buf bytes.Buffer
	if format == "rst" || format == "markdown" {
		var which []string
		for _, f := range []string{"view", "ops", "actor", "statuses", "weights", "trace", "title", "rankdir", "size"} {
			if set[f] {
				which = append(which, "-"+f)
			}
		}
		if len(which) > 0 {
			sort.Strings(which)
			verb := "apply"
			if len(which) == 1 {
				verb = "applies"
			}
			return &usageError{fmt.Sprintf("%s renders the whole Table 1; %s %s to the diagram formats only", format, strings.Join(which, ", "), verb)}
		}
		if format == "rst" {
			err = diagram.WriteRST(&buf, spec.Table1())
		} else {
			err = diagram.WriteMarkdown(&buf, spec.Table1())
		}
		if err != nil {
			return err
		}
		return output(o.out, buf.Bytes(), stdout)
	}
	g, err := diagram.Build(spec, diagram.Options{View: view, Ops: splitList(o.ops), Actor: o.actor, Statuses: splitList(o.statuses)})
	if err != nil {
		return &usageError{strings.TrimPrefix(err.Error(), "diagram: ")}
	}
	if err := applyLayout(g, o, set, format); err != nil {
		return err
	}
	if o.weights != "" {
		if g.Weights, err = readWeights(o.weights, spec); err != nil {
			return err
		}
	}
	if o.property != "" && o.trace == "" {
		return &usageError{"-property names the counterexample to draw: it needs -trace"}
	}
	if o.trace != "" {
		if o.weights != "" {
			return &usageError{"-trace and -weights draw different things on the arrows: use one of them"}
		}
		if format != "dot" && format != "svg" && format != "png" {
			return &usageError{fmt.Sprintf("-trace draws on the picture: use -format dot, svg or png, not %s", format)}
		}
		if g.Trace, err = readTrace(o.trace, o.property, spec); err != nil {
			return err
		}
		if g, err = traceView(g, spec, o, view, stderr); err != nil {
			return err
		}
	}
	switch format {
	case "mermaid":
		err = g.WriteMermaid(&buf)
	case "json":
		err = g.WriteJSON(&buf)
	default:
		err = g.WriteDOT(&buf)
	}
	if err != nil {
		return err
	}
	data := buf.Bytes()
	switch format {
	case "svg":
		data, err = render.SVG(context.Background(), data)
	case "png":
		data, err = render.PNG(context.Background(), data, o.scale)
	}
	if err != nil {
		return err
	}
	return output(o.out, data, stdout)
}

// isTerminal reports whether f is a character device, such as a terminal.
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// output writes data to path through a temporary file renamed into place,
// so that path holds either its old content or all of data; with no path,
// to stdout.
func output(path string, data []byte, stdout io.Writer) error {
	if path == "" || path == cli.Stdout {
		if f, ok := stdout.(*os.File); ok && isTerminal(f) && !utf8.Valid(data) {
			return &usageError{"not writing a binary picture to the terminal: use -o FILE or a pipe"}
		}
		_, err := stdout.Write(data)
		return err
	}
	if err := cli.EnsureDir(filepath.Dir(path)); err != nil {
		return err
	}
	return atomicfile.Write(path, data)
}

// Run runs the command with args (without the program name), writing its
// output to stdout and its progress and errors to stderr, and returns the
// exit status.
func Run(args []string, stdout, stderr io.Writer) int { return run(args, stdout, stderr) }
