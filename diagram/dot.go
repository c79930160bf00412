package diagram

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/evsim/evsim/model"
)

// Style is how a class of nodes is drawn.
type Style struct {
	Shape, Style, Fill, Color, Font string
	Title                           string // the cluster's and the legend's wording
}

// ClassStyles are the styles of the status classes, indexed by model.Class.
var ClassStyles = [...]Style{
	model.Stable:       {Shape: "box", Style: "rounded,filled", Fill: "#2f7fd8", Color: "#1f5fa8", Font: "#ffffff", Title: "stable: operations may start"},
	model.Transitional: {Shape: "box", Style: "filled", Fill: "#d6e7fb", Color: "#5b8fc9", Font: "#1a1a1a", Title: "in progress: no operation"},
	model.Failed:       {Shape: "octagon", Style: "filled", Fill: "#f9d3cf", Color: "#c0392b", Font: "#1a1a1a", Title: "failed"},
	model.Parked:       {Shape: "box", Style: "rounded,filled,dashed", Fill: "#fff2c4", Color: "#b8860b", Font: "#1a1a1a", Title: "parked: waits for another account"},
}

// Colours of the arrows.
const (
	colorStart    = "#333333"
	colorSuccess  = "#1f5fa8"
	colorFailure  = "#c0392b"
	colorOperator = "#7d3c98"
	fontName      = "Helvetica"
)

// dotQuote quotes s as a DOT string; a newline becomes a centred line break.
func dotQuote(s string) string {
	return `"` + dotEscaper.Replace(s) + `"`
}

var dotEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", "", leftNL, `\l`)

// leftNL ends a line of a label left-justified (DOT's \l).
const leftNL = "\x01"

// htmlMark starts an attribute value that is an HTML label, written
// between < and > instead of quoted.
const htmlMark = "\x00html:"

// attrs writes a DOT attribute list from name, value pairs, skipping empty
// values. Values are quoted unless they start with htmlMark.
func attrs(kv ...string) string {
	var parts []string
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			continue
		}
		v := kv[i+1]
		if h, ok := strings.CutPrefix(v, htmlMark); ok {
			v = "<" + h + ">"
		} else {
			v = dotQuote(v)
		}
		parts = append(parts, kv[i]+"="+v)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// edgeLook returns the colour, style and label prefix of an arrow.
func edgeLook(a *Arrow) (color, style, prefix string) {
	switch a.Kind {
	case ArrowStart:
		color = colorStart
	case ArrowSuccess, ArrowEither:
		color = colorSuccess
	case ArrowFailure:
		color = colorFailure
	}
	if a.Operator {
		color = colorOperator
		prefix = "operator: "
	}
	if a.Kind == ArrowEither && !a.Operator {
		color = colorSuccess + ":" + colorFailure // two lines side by side
	}
	style = "solid"
	if a.Inferred {
		style = "dashed"
	}
	return color, style, prefix
}

// WriteDOT writes the graph as a Graphviz digraph. The output depends only
// on the graph: nodes clustered by class, in [Graph.Nodes] order except
// that the full view orders a column's statuses to cut crossings (the
// work joined to In-use first, each failed status beside the work that
// fails into it); then the arrows in [Graph.Arrows] order, an arrow that
// leaves every stable status drawn once from each when the full view
// puts them on both sides of the work; then the legend.
func (g *Graph) WriteDOT(w io.Writer) error {
	b := bufio.NewWriter(w)
	title := "EVS disk statuses"
	if g.View == Figure1 {
		title = "Figure 1, derived from the model"
	}
	if g.Title != nil {
		title = *g.Title
	}
	name := "evs"
	if g.Spec.Name != "" {
		name = g.Spec.Name
	}
	if g.Weights != nil {
		title = strings.TrimPrefix(title+"\nweighted by simulated traffic", "\n")
		if g.Weights.Scenario != "" {
			title += " (scenario " + g.Weights.Scenario + ")"
		}
		title += ": arrows by transitions per day, statuses by mean disks"
	}
	if g.Trace != nil {
		title = strings.TrimPrefix(title+"\n"+g.Trace.caption(g), "\n")
	}
	rankdir := "LR"
	if g.View == Figure1 {
		rankdir = "TB"
	}
	if g.Rankdir != "" {
		rankdir = g.Rankdir
	}
	fmt.Fprintf(b, "digraph %s {\n", dotQuote(name))
	fmt.Fprintf(b, "\tgraph %s;\n", attrs("label", title, "labelloc", "t", "fontname", fontName, "fontsize", "16",
		"rankdir", rankdir, "newrank", "true", "nodesep", "0.35", "ranksep", "0.45", "compound", "true", "pad", "0.2", "size", g.Size))
	fmt.Fprintf(b, "\tnode %s;\n", attrs("fontname", fontName, "fontsize", "12", "margin", "0.15,0.06", "height", "0.4", "penwidth", "1.2"))
	fmt.Fprintf(b, "\tedge %s;\n", attrs("fontname", fontName, "fontsize", "10", "arrowsize", "0.7"))

	depth := g.depths()
	if g.View == Full {
		// Arrows leaving every member of a group that the layout splits
		// are drawn one a member, each with its own share of the edges.
		gg := *g
		gg.Arrows = g.unmergeSplit(depth)
		g = &gg
	}
	// In the full view, the arrows between the stable statuses and the
	// work they start ("gap" arrows) are many: the operation that starts
	// the work is written in small print in the box it leads to, and the
	// arrows carry only what tells them apart (a condition).
	labels := map[string]string{}
	stable := map[string]bool{}
	for _, n := range g.Nodes {
		labels[n.ID] = n.Label
		stable[n.ID] = n.Kind == NodeStatus && n.Class == model.Stable
	}
	gap := func(a *Arrow) bool {
		return g.View == Full && (stable[a.From] && depth[a.To] == 3 || depth[a.From] == 3 && stable[a.To])
	}
	entering := map[string][]string{}
	for i := range g.Arrows {
		a := &g.Arrows[i]
		if !gap(a) || a.Kind != ArrowStart || depth[a.To] != 3 {
			continue
		}
		for _, e := range a.Edges {
			t := shortTitle(&g.Spec.Ops[e.Op])
			if t != labels[a.To] && !contains(entering[a.To], t) {
				entering[a.To] = append(entering[a.To], t)
			}
		}
	}
	var maxDisks, most float64
	var traffic []float64
	if g.Weights != nil {
		for _, v := range g.Weights.Disks {
			maxDisks = max(maxDisks, v)
		}
		traffic = g.Weights.traffic(g)
		for _, v := range traffic {
			most = max(most, v)
		}
	}
	node := func(indent string, n *Node) {
		switch n.Kind {
		case NodeStart:
			fmt.Fprintf(b, "%s%s %s;\n", indent, n.ID, attrs("label", n.Label, "shape", "box", "style", "rounded,filled", "fillcolor", "#e4e6e8", "color", "#9aa0a6", "width", "1.4"))
		case NodeEnd:
			fmt.Fprintf(b, "%s%s %s;\n", indent, n.ID, attrs("label", n.Label, "shape", "box", "style", "rounded,filled", "fillcolor", "#e4e6e8", "color", "#9aa0a6", "peripheries", "2"))
		case NodeDecision:
			fmt.Fprintf(b, "%s%s %s;\n", indent, n.ID, attrs("label", n.Label, "shape", "diamond", "style", "filled", "fillcolor", "#d6e7fb", "color", "#5b8fc9", "fontsize", "11", "margin", "0.02"))
		default:
			s := ClassStyles[n.Class]
			height := ""
			if n.Class == model.Stable && g.View == Full {
				height = "1.1" // room for the many arrows at the hubs
			}
			label := n.Label
			fill, border, font, pen := s.Fill, s.Color, s.Font, ""
			weight := ""
			if g.Weights != nil {
				v := g.Weights.Disks[n.Status]
				weight = disks(v)
				if v == 0 {
					fill, border, font = faint(fill), faint(border), "#9aa0a6"
				} else {
					pen = trimNum(Width(v, maxDisks))
				}
			}
			if ops := entering[n.ID]; len(ops) > 0 {
				for i, o := range ops {
					ops[i] = htmlEscape(o)
				}
				label = htmlMark + htmlEscape(n.Label)
				if weight != "" {
					label += `<BR/><B>` + htmlEscape(weight) + `</B>`
				}
				label += `<BR/><FONT POINT-SIZE="9" COLOR="#4a5560">` + strings.Join(ops, "<BR/>") + `</FONT>`
			} else if weight != "" {
				label += "\n" + weight
			}
			fmt.Fprintf(b, "%s%s %s;\n", indent, n.ID, attrs("label", label, "shape", s.Shape, "style", s.Style, "fillcolor", fill, "color", border, "fontcolor", font, "penwidth", pen, "width", "1.5", "height", height))
		}
	}
	for i := range g.Nodes {
		if g.Nodes[i].Kind != NodeStatus {
			node("\t", &g.Nodes[i])
		}
	}
	if g.View == Figure1 {
		// Figure 1 draws one column of boxes, a failure beside the
		// decision that leads to it.
		for i := range g.Nodes {
			if g.Nodes[i].Kind == NodeStatus {
				node("\t", &g.Nodes[i])
			}
		}
		aside := map[string]bool{}
		for _, a := range g.Arrows {
			if a.Kind == ArrowFailure && strings.HasSuffix(a.From, "_outcome") {
				fmt.Fprintf(b, "\t{ rank=same; %s; %s; }\n", a.From, a.To)
				aside[a.To] = true
			}
		}
		// The nodes of one group line up in a straight column.
		for _, n := range g.Nodes {
			if !aside[n.ID] && n.Kind != NodeEnd {
				fmt.Fprintf(b, "\t%s %s;\n", n.ID, attrs("group", "main"))
			}
		}
	} else {
		place := g.places(depth)
		for _, grp := range Groups {
			var in []*Node
			for i := range g.Nodes {
				if g.Nodes[i].Kind == NodeStatus && g.Nodes[i].Group == grp {
					in = append(in, &g.Nodes[i])
				}
			}
			if len(in) == 0 {
				continue
			}
			sort.SliceStable(in, func(i, j int) bool { return place[in[i].ID] < place[in[j].ID] })
			// A group the layout splits is drawn as one cluster a side.
			parts := [][]*Node{in}
			if grp == "stable" {
				var left, right []*Node
				for _, n := range in {
					if depth[n.ID] == 2 {
						left = append(left, n)
					} else {
						right = append(right, n)
					}
				}
				if len(left) > 0 && len(right) > 0 {
					parts = [][]*Node{left, right}
				}
			}
			for i, part := range parts {
				id := clusterID(grp)
				if i > 0 {
					id += "_right"
				}
				fmt.Fprintf(b, "\tsubgraph %s {\n", id)
				fmt.Fprintf(b, "\t\tgraph %s;\n", attrs("label", grp, "style", "rounded,dashed", "color", "#b0b6bc", "fontcolor", "#5f6368", "fontsize", "11"))
				if grp != "creating" {
					b.WriteString("\t\trank=same;\n")
				}
				for _, n := range part {
					node("\t\t", n)
				}
				b.WriteString("\t}\n")
			}
		}
	}
	var traceSteps [][]int
	if g.Trace != nil {
		traceSteps = g.Trace.steps(g)
	}
	split := false // some stable statuses are drawn right of the work
	for _, d := range depth {
		split = split || d == 4
	}
	placed := map[string]bool{"start": true}
	for i := range g.Arrows {
		a := &g.Arrows[i]
		color, style, prefix := edgeLook(a)
		label := ""
		if len(a.Label) > 0 {
			label = prefix + strings.Join(a.Label, "\n")
		}
		tailport, headport, xlabel := "", "", ""
		endLabel, endAtHead := "", false // by the end the arrow is drawn from, or to
		if gap(a) {
			label = ""
			if a.Kind == ArrowStart && depth[a.From] == 3 {
				// Leaving the work column, placed after layout.
				xlabel = prefix + strings.Join(a.Label, "\n")
			} else if a.Qualifier != "" {
				// A condition is read where the arrow leaves: it stays
				// by its arrow, and by the status it chooses from.
				endLabel = prefix + "(" + a.Qualifier + ")"
			}
		}
		if g.View == Full && split && abs(depth[a.To]-depth[a.From]) > 1 && max(depth[a.From], depth[a.To]) == 5 && a.FromGroup == "" && label != "" {
			// An arrow to or from the last column across another: its
			// label, placed after layout, takes no room in the column it
			// crosses, where the labels of many such arrows would stack
			// and push them apart.
			xlabel, label = joinLines(label, xlabel), ""
			if a.Kind == ArrowFailure && !a.Operator && depth[a.From] == 3 && xlabel != "" {
				// A failure into a failed status is marked by its
				// arrowhead, apart from the arrows that leave it.
				endLabel, endAtHead, xlabel = xlabel, true, ""
			}
		}
		if g.View == Full && split && min(depth[a.From], depth[a.To]) == 3 && max(depth[a.From], depth[a.To]) == 5 {
			// Between the work and the failed statuses: out of the
			// work's right side, into the failed statuses' left.
			tailport, headport = "e", "w"
		}
		tail, head := a.From, a.To
		ltail, lhead, dir := "", "", ""
		if a.FromGroup != "" {
			// One arrow from the cluster: its tail is the middle member.
			tail, ltail = a.Froms[len(a.Froms)/2], clusterID(a.FromGroup)
		}
		constraint, minlen := "", ""
		if lo, hi := min(depth[a.From], depth[a.To]), max(depth[a.From], depth[a.To]); g.View == Full && split && hi == 5 && lo >= 2 && hi-lo > 1 {
			// The failed statuses and the end sit in the last column,
			// right of In-use, even when no arrow between them and
			// In-use says so: out of the way of the arrows between
			// In-use and the work.
			minlen = strconv.Itoa(hi - lo)
		}
		if g.View == Figure1 {
			// An arrow back to a node drawn above it does not rank nodes,
			// so that the column stays straight.
			if placed[a.To] {
				// It leaves and enters on the right, its label placed
				// after layout so that it takes no room in the column.
				constraint, tailport, headport = "false", "e", "e"
				xlabel, label = label, ""
			}
			placed[a.From], placed[a.To] = true, true
		}
		if g.View == Full && depth[a.From] > depth[a.To] {
			// The picture reads left to right (creating, stable, in
			// progress, failed): an arrow going back is written forward
			// and drawn reversed, so that it ranks like the others and
			// runs beside the arrow that went out.
			tail, head, ltail, lhead, dir = head, tail, "", ltail, "back"
		}
		headlabel, taillabel, labeldistance, labelangle := "", "", "", ""
		fontcolor := color
		if i := strings.IndexByte(color, ':'); i >= 0 {
			fontcolor = color[:i]
		}
		pen := ""
		if g.Weights != nil {
			v := traffic[i]
			if v == 0 {
				parts := strings.Split(color, ":")
				for i := range parts {
					parts[i] = faint(parts[i])
				}
				color, fontcolor = strings.Join(parts, ":"), faint(fontcolor)
			} else {
				pen = trimNum(Width(v, most))
			}
			if endLabel != "" {
				endLabel = joinLines(endLabel, rate(v))
			} else if xlabel != "" || label == "" && gap(a) {
				xlabel = joinLines(xlabel, rate(v))
			} else {
				label = joinLines(label, rate(v))
			}
		}
		if g.Trace != nil {
			if nums := traceSteps[i]; len(nums) == 0 {
				parts := strings.Split(color, ":")
				for i := range parts {
					parts[i] = faint(parts[i])
				}
				color, fontcolor = strings.Join(parts, ":"), faint(fontcolor)
			} else {
				color, fontcolor, pen = traceColor, traceColor, "2.5"
				step := "step " + joinInts(nums)
				if endLabel != "" {
					endLabel = joinLines(step, endLabel)
				} else if xlabel != "" || label == "" && gap(a) {
					xlabel = joinLines(step, xlabel)
				} else {
					label = joinLines(step, label)
				}
			}
		}
		if endLabel != "" {
			// The written head is the drawn tail when drawn reversed.
			if endAtHead != (dir == "back") {
				headlabel = endLabel
			} else {
				taillabel = endLabel
			}
			labeldistance, labelangle = "4", "15"
		}
		fmt.Fprintf(b, "\t%s -> %s %s;\n", tail, head, attrs("label", label, "xlabel", xlabel, "headlabel", headlabel, "taillabel", taillabel, "labeldistance", labeldistance, "labelangle", labelangle, "color", color, "fontcolor", fontcolor, "style", style, "penwidth", pen, "dir", dir, "ltail", ltail, "lhead", lhead, "constraint", constraint, "minlen", minlen, "tailport", tailport, "headport", headport))
	}
	if g.View == Full {
		writeLegend(b, g, len(entering) > 0)
	}
	b.WriteString("}\n")
	return b.Flush()
}

// writeLegend writes a cluster explaining the node classes and arrow styles
// the graph uses, and the small print in boxes if there is any.
func writeLegend(b *bufio.Writer, g *Graph, smallPrint bool) {
	used := map[model.Class]bool{}
	for _, n := range g.Nodes {
		if n.Kind == NodeStatus {
			used[n.Class] = true
		}
	}
	var rows strings.Builder
	for c, s := range ClassStyles {
		if !used[model.Class(c)] {
			continue
		}
		fmt.Fprintf(&rows, `<TR><TD BGCOLOR="%s" WIDTH="28"></TD><TD ALIGN="LEFT">%s</TD></TR>`, s.Fill, htmlEscape(s.Title))
	}
	// The arrow styles the graph uses.
	var kinds [4]bool
	operator, inferred := false, false
	for _, a := range g.Arrows {
		if a.Operator {
			operator = true
		} else {
			kinds[a.Kind] = true
		}
		inferred = inferred || a.Inferred
	}
	type look struct {
		color, text  string
		dashed, used bool
	}
	looks := []look{
		{colorStart, "an operation starts", false, kinds[ArrowStart]},
		{colorSuccess, "it succeeds or goes on", false, kinds[ArrowSuccess]},
		{colorFailure, "it fails", false, kinds[ArrowFailure]},
		{colorSuccess + ":" + colorFailure, "either way", false, kinds[ArrowEither]},
		{colorOperator, "customer service (operator)", false, operator},
		{colorStart, "dashed: inferred, no source states it", true, inferred},
	}
	for _, l := range looks {
		if !l.used {
			continue
		}
		colors := strings.Split(l.color, ":")
		var line string
		for _, c := range colors {
			dash := strings.Repeat("&#8212;", 4/len(colors))
			if l.dashed {
				dash = "- - - -"
			}
			line += fmt.Sprintf(`<FONT COLOR="%s">%s</FONT>`, c, dash)
		}
		fmt.Fprintf(&rows, `<TR><TD>%s</TD><TD ALIGN="LEFT"><FONT COLOR="%s">%s</FONT></TD></TR>`, line, colors[0], htmlEscape(l.text))
	}
	if smallPrint {
		fmt.Fprintf(&rows, `<TR><TD><FONT POINT-SIZE="8" COLOR="#4a5560">small</FONT></TD><TD ALIGN="LEFT">%s</TD></TR>`,
			htmlEscape("small print in a box: the operation that starts it"))
	}
	label := htmlMark + `<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="2">` + rows.String() + `</TABLE>`
	// In the last column, beside the end, the legend takes room that
	// the failed statuses leave free, instead of widening the first.
	if last := g.Nodes[len(g.Nodes)-1]; last.Kind == NodeEnd {
		fmt.Fprintf(b, "\t{ rank=same; %s; legend; }\n", last.ID)
	}
	b.WriteString("\tsubgraph cluster_legend {\n")
	fmt.Fprintf(b, "\t\tgraph %s;\n", attrs("label", "Legend", "style", "rounded", "color", "#b0b6bc", "fontcolor", "#5f6368", "fontsize", "11"))
	fmt.Fprintf(b, "\t\tlegend %s;\n", attrs("shape", "plaintext", "fontsize", "10", "label", label))
	b.WriteString("\t}\n")
}

func htmlEscape(s string) string { return htmlEscaper.Replace(s) }

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

// clusterID is the DOT name of a group's cluster.
func clusterID(group string) string {
	return "cluster_" + strings.ReplaceAll(group, " ", "_")
}

// depths gives each node its place in reading order: start (0), the
// creating group (1), the stable statuses a creation ends in (2), in
// progress and parked (3), the other stable statuses (4), failed and the
// end (5). The work in progress thus sits between the stable statuses it
// joins (Available, In-use): attaching reads left to right, detaching
// right to left, and the arrows of the two sides do not cross. Which
// stable statuses a creation ends in is read from the whole spec, so that
// every view puts them on the same side; when the view shows only one
// kind, or no work joins the others, the stable statuses stay together
// at 2.
func (g *Graph) depths() map[string]int {
	rank := map[string]int{"creating": 1, "stable": 2, "in progress": 3, "parked": 3, "failed": 5}
	d := map[string]int{}
	for _, n := range g.Nodes {
		switch n.Kind {
		case NodeStart:
			d[n.ID] = 0
		case NodeEnd:
			d[n.ID] = 5
		case NodeStatus:
			d[n.ID] = rank[n.Group]
		}
	}
	// The stable statuses a creation ends in, by the whole spec, so that
	// every view of it puts them on the same side.
	all := g.Spec.Edges()
	entryStatus := map[model.StatusID]bool{}
	for _, e := range all {
		if e.Kind == model.EdgeStart || e.To == model.NoDisk || e.To == model.Gone || g.Spec.Statuses[e.To].Class != model.Stable {
			continue
		}
		if e.From == model.NoDisk || e.From != model.Gone && group(g.Spec, all, e.From) == "creating" {
			entryStatus[e.To] = true
		}
	}
	var entry, right int
	for _, n := range g.Nodes {
		if n.Kind == NodeStatus && n.Group == "stable" {
			if entryStatus[n.Status] {
				entry++
			} else {
				right++
			}
		}
	}
	// Only when some work joins a stable status of the right: without,
	// there is nothing to put between them.
	joined := false
	status := map[string]model.StatusID{}
	for _, n := range g.Nodes {
		status[n.ID] = n.Status
	}
	for _, a := range g.Arrows {
		for _, f := range a.Froms {
			for _, pair := range [][2]string{{f, a.To}, {a.To, f}} {
				w, st := pair[0], pair[1]
				if d[w] == 3 && d[st] == 2 && !entryStatus[status[st]] {
					joined = true
				}
			}
		}
	}
	if entry > 0 && right > 0 && joined {
		for _, n := range g.Nodes {
			if n.Kind == NodeStatus && n.Group == "stable" && !entryStatus[n.Status] {
				d[n.ID] = 4
			}
		}
	}
	return d
}

// places orders the statuses within their columns, which Graphviz keeps
// as the starting point of its search for few crossings: in progress,
// first the work joined to a stable status on the right (In-use), then the
// rest, the work that can end a disk last; each failed status beside the
// work that fails into it; parked statuses last. Ties keep spec order.
func (g *Graph) places(depth map[string]int) map[string]int {
	right, ends := map[string]bool{}, map[string]bool{}
	stable := map[string]bool{}
	for _, n := range g.Nodes {
		stable[n.ID] = n.Kind == NodeStatus && n.Class == model.Stable
	}
	var end string
	if last := g.Nodes[len(g.Nodes)-1]; last.Kind == NodeEnd {
		end = last.ID
	}
	for _, a := range g.Arrows {
		for _, f := range a.Froms {
			if depth[f] == 3 && stable[a.To] && depth[a.To] == 4 {
				right[f] = true
			}
			if depth[a.To] == 3 && stable[f] && depth[f] == 4 {
				right[a.To] = true
			}
			if depth[f] == 3 && a.To == end {
				ends[f] = true
			}
		}
	}
	place := map[string]int{}
	var work []string
	for tier := 0; tier < 3; tier++ {
		for _, n := range g.Nodes {
			if n.Kind != NodeStatus || depth[n.ID] != 3 || n.Class == model.Parked {
				continue
			}
			t := 1
			if right[n.ID] {
				t = 0
			} else if ends[n.ID] {
				t = 2
			}
			if t == tier {
				place[n.ID] = len(work)
				work = append(work, n.ID)
			}
		}
	}
	for i, n := range g.Nodes {
		switch {
		case n.Kind != NodeStatus:
		case n.Class == model.Parked:
			place[n.ID] = len(g.Nodes) + i
		case n.Class == model.Failed:
			best := len(work)
			for _, a := range g.Arrows {
				if a.To == n.ID && (a.Kind == ArrowFailure || a.Kind == ArrowEither) {
					if p, ok := place[a.From]; ok && depth[a.From] == 3 {
						best = min(best, p)
					}
				}
			}
			place[n.ID] = best
		}
	}
	return place
}

// unmergeSplit returns the arrows to draw: g.Arrows, except that an arrow
// leaving every member of a group whose members are drawn at different
// depths becomes one arrow a member, carrying that member's edges.
func (g *Graph) unmergeSplit(depth map[string]int) []Arrow {
	status := map[string]model.StatusID{}
	for _, n := range g.Nodes {
		status[n.ID] = n.Status
	}
	var out []Arrow
	for _, a := range g.Arrows {
		split := false
		for _, f := range a.Froms {
			split = split || depth[f] != depth[a.Froms[0]]
		}
		if a.FromGroup == "" || !split {
			out = append(out, a)
			continue
		}
		for _, f := range a.Froms {
			one := a
			one.From, one.Froms, one.FromGroup, one.Edges, one.Ops = f, []string{f}, "", nil, nil
			for _, e := range a.Edges {
				if e.From == status[f] {
					one.Edges = append(one.Edges, e)
					if op := g.Spec.Ops[e.Op].Name; !contains(one.Ops, op) {
						one.Ops = append(one.Ops, op)
					}
				}
			}
			out = append(out, one)
		}
	}
	return out
}

func joinLines(a, b string) string {
	if a == "" {
		return b
	}
	if b == "" {
		return a
	}
	return a + "\n" + b
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
