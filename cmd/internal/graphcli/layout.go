package graphcli

import (
	"flag"
	"fmt"
	"regexp"
	"strings"

	"github.com/evsim/evsim/diagram"
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
