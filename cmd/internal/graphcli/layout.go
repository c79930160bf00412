package graphcli

import (
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/evsim/evsim/diagram"
	"github.com/evsim/evsim/model"
)

// The flags that fit a picture to a page: its title, the direction of the
// layout and the largest size.
func registerLayoutFlags(fs *flag.FlagSet, o *options) {
	fs.StringVar(&o.title, "title", "", "replace the picture's title (\"EVS disk statuses\"); -title \"\" drops it (a page's caption says it)")
	fs.StringVar(&o.rankdir, "rankdir", "", "direction of the layout: LR (the full view's default, landscape), TB (portrait, Figure 1's default), RL or BT")
	fs.StringVar(&o.size, "size", "", "largest drawing in inches, `width,height` (Graphviz size: 72 points an inch), such as 8.3,11.7 for an A4 portrait page;\nwith ! it is also scaled up to fill it")
}

var sizeAttr = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?(,[0-9]+(\.[0-9]+)?)?!?$`)

// applyLayout sets the layout flags on g; they apply to the pictures (dot,
// svg, png) only.
func applyLayout(g *diagram.Graph, o options, set map[string]bool, format string) error {
	var given []string
	for _, f := range []string{"title", "rankdir", "size"} {
		if set[f] {
			given = append(given, "-"+f)
		}
	}
	if !set["rankdir"] {
		g.Rankdir = o.rankdir // a part's own direction, if any
	}
	if len(given) == 0 {
		return nil
	}
	if format != "dot" && format != "svg" && format != "png" {
		return &usageError{fmt.Sprintf("%s shape the picture: use -format dot, svg or png, not %s", strings.Join(given, ", "), format)}
	}
	if set["title"] {
		t := o.title
		g.Title = &t
	}
	if set["rankdir"] {
		switch o.rankdir {
		case "LR", "TB", "RL", "BT":
			g.Rankdir = o.rankdir
		default:
			return &usageError{fmt.Sprintf("-rankdir %q: want LR, TB, RL or BT", o.rankdir)}
		}
	}
	if set["size"] {
		if !sizeAttr.MatchString(o.size) {
			return &usageError{fmt.Sprintf("-size %q: want inches as width,height (such as 8.3,11.7), optionally ending in !", o.size)}
		}
		g.Size = o.size
	}
	return nil
}

// traceView returns the graph to draw a counterexample on: g, unless the
// counterexample takes an arrow g's view leaves out (Figure 1 has no
// expansion of an In-use disk), in which case the full view with the same
// filters and a note on stderr that says so, so that the picture always
// shows the violating step.
func traceView(g *diagram.Graph, spec *model.Spec, o options, view diagram.View, stderr io.Writer) (*diagram.Graph, error) {
	missing := g.Trace.Undrawn(g)
	if len(missing) == 0 || view == diagram.Full {
		return g, nil
	}
	full, err := diagram.Build(spec, diagram.Options{View: diagram.Full, Ops: splitList(o.ops), Actor: o.actor, Statuses: splitList(o.statuses)})
	if err != nil {
		return nil, err
	}
	full.Trace, full.Title, full.Rankdir, full.Size = g.Trace, g.Title, g.Rankdir, g.Size
	var steps []string
	for _, s := range missing {
		steps = append(steps, fmt.Sprintf("step %d (%s: %s -> %s)", s.N, s.Action, s.From, s.To))
	}
	fmt.Fprintf(stderr, "graph: %s of the counterexample not in view %s: drawing the full view instead\n", strings.Join(steps, ", "), view)
	return full, nil
}

// A part of the life cycle is a view a page column can hold: the full
// view's statuses and arrows of a few operations, laid out to be readable
// at 800 pixels wide (TestPartsFitAColumn measures it).
var parts = []struct {
	name, what string
	ops        []string
	rankdir    string
}{
	{"creation", "creating a disk: empty, from an image, from a backup", []string{"create", "create_from_image", "create_from_backup"}, "TB"},
	{"attach", "attaching and detaching", []string{"attach", "detach"}, ""},
	{"work", "the work in progress: expanding, images, restoring, rolling back", []string{"expand", "create_image", "restore_backup", "rollback"}, "TB"},
	{"failed", "deleting, the failed statuses and customer service's way out", []string{"delete", "reset_status", "force_delete"}, ""},
	{"transfer", "transfers to another account", []string{"create_transfer", "accept_transfer", "cancel_transfer"}, ""},
}

func partNames() []string {
	var out []string
	for _, p := range parts {
		out = append(out, p.name)
	}
	return out
}

// applyPart turns -view PART into the full view of the part's operations,
// laid out in the part's direction unless -rankdir says otherwise.
func applyPart(o *options, set map[string]bool) error {
	for _, p := range parts {
		if o.view != p.name {
			continue
		}
		if o.ops != "" {
			return &usageError{fmt.Sprintf("-view %s draws the operations %s: it does not take -ops", p.name, strings.Join(p.ops, ","))}
		}
		o.view, o.ops = "full", strings.Join(p.ops, ",")
		if !set["rankdir"] {
			o.rankdir = p.rankdir
		}
	}
	return nil
}
