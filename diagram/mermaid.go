package diagram

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/evsim/evsim/model"
)

// mermaidText makes a label safe for a Mermaid transition: one line, no
// character Mermaid's state-diagram grammar takes for syntax.
func mermaidText(s string) string {
	r := strings.NewReplacer("\n", " ", ":", " -", ";", ",", "#", "", "{", "(", "}", ")", "<", "", ">", "", `"`, "'")
	return strings.Join(strings.Fields(r.Replace(s)), " ")
}

// WriteMermaid writes the graph as a Mermaid stateDiagram-v2, which
// Markdown viewers that support Mermaid render: every status gets an alias
// (state "In-use" as in_use), creation starts at [*] and deletion ends
// there, classes are styled with classDef, a decision's question is a note
// beside its choice state and the legend a note beside the first status.
// Mermaid's state diagrams cannot colour or dash single transitions, so
// operator and inferred arrows say so in their labels, and an arrow
// leaving a whole group is written once per status.
func (g *Graph) WriteMermaid(w io.Writer) error {
	b := bufio.NewWriter(w)
	b.WriteString("stateDiagram-v2\n")
	if g.View == Full {
		b.WriteString("    direction LR\n")
	}
	for c, s := range ClassStyles {
		fmt.Fprintf(b, "    classDef %s fill:%s,stroke:%s,color:%s\n", model.Class(c), s.Fill, s.Color, s.Font)
	}
	byClass := make([][]string, len(ClassStyles))
	for _, n := range g.Nodes {
		switch n.Kind {
		case NodeStatus:
			label := n.Label
			if g.Weights != nil {
				label += " (" + disks(g.Weights.Disks[n.Status]) + ")"
			}
			fmt.Fprintf(b, "    state %q as %s\n", mermaidText(label), n.ID)
			byClass[n.Class] = append(byClass[n.Class], n.ID)
		case NodeDecision:
			fmt.Fprintf(b, "    state %s <<choice>>\n", n.ID)
			if n.Label != "" {
				// Figure 1's question in its diamond: a choice state has
				// no text of its own, so a note beside it carries it.
				fmt.Fprintf(b, "    note left of %s : %s\n", n.ID, mermaidText(n.Label))
			}
		}
	}
	// The legend, as a note beside the first status: Mermaid's state
	// diagrams cannot colour or dash single transitions (linkStyle is a
	// flowchart statement), so the labels carry what colours and dashes
	// say in the other formats.
	for _, n := range g.Nodes {
		if n.Kind == NodeStatus {
			fmt.Fprintf(b, "    note right of %s\n", n.ID)
			b.WriteString("        Legend: dark blue stable (operations may start), light blue in progress, red failed, yellow parked.\n")
			b.WriteString("        A label starting operator - is customer service; (inferred) rests on an inference no source states.\n")
			b.WriteString("    end note\n")
			break
		}
	}
	ref := func(id string) string {
		if id == "start" || id == "deleted" {
			return "[*]"
		}
		return id
	}
	var traffic []float64
	if g.Weights != nil {
		traffic = g.Weights.traffic(g)
	}
	for i, a := range g.Arrows {
		sep := " "
		if a.Kind == ArrowStart {
			sep = ", " // one line per operation
		}
		label := strings.Join(a.Label, sep)
		if a.Operator {
			label = "operator - " + label
		}
		if a.Inferred {
			label += " (inferred)"
		}
		if g.Weights != nil {
			if label != "" {
				label += " "
			}
			label += "(" + rate(traffic[i]) + ")"
		}
		label = mermaidText(label)
		froms := []string{a.From}
		if a.FromGroup != "" {
			froms = a.Froms
		}
		for _, f := range froms {
			if label == "" {
				fmt.Fprintf(b, "    %s --> %s\n", ref(f), ref(a.To))
			} else {
				fmt.Fprintf(b, "    %s --> %s : %s\n", ref(f), ref(a.To), label)
			}
		}
	}
	for c, ids := range byClass {
		if len(ids) > 0 {
			fmt.Fprintf(b, "    class %s %s\n", strings.Join(ids, ", "), model.Class(c))
		}
	}
	return b.Flush()
}
