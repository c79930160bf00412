package diagram

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/evsim/evsim/model"
)

// Table1Caption is the title of Table 1 on the EVS Disk Status page.
const Table1Caption = "**Table 1** Disk status details"

// table1Columns are the header cells of Table 1.
var table1Columns = [3]string{"EVS Disk Status", "Status Description", "Allowed Operation"}

// minCellWidth is the narrowest cell content of the page's grid table: its
// first column is padded to it.
const minCellWidth = 21

// cellText checks that s can stand as one item of a grid-table cell and
// returns it with its white space collapsed.
func cellText(status, what, s string) (string, error) {
	t := strings.Join(strings.Fields(s), " ")
	switch {
	case t == "":
		return "", fmt.Errorf("diagram: table 1: status %q: empty %s", status, what)
	case strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* ") || strings.HasPrefix(t, ".."):
		return "", fmt.Errorf("diagram: table 1: status %q: %s %q would read as a list item or a directive", status, what, t)
	case what == "operation" && t == "None":
		return "", fmt.Errorf("diagram: table 1: status %q: an operation named None would read as no operation", status)
	}
	return t, nil
}

// rstCells returns the lines of the three cells of a row, in the page's
// layout: description notes as a bulleted ".. note::"; one operation as a
// paragraph, several as "-  " bullets, none as "None"; the notes of the
// Allowed Operation cell as paragraphs of a ".. note::", indented under the
// last bullet when there are bullets.
func rstCells(r model.Table1Row) ([3][]string, error) {
	var c [3][]string
	status, err := cellText(r.Status, "status name", r.Status)
	if err != nil {
		return c, err
	}
	c[0] = []string{status}
	desc, err := cellText(status, "description", r.Description)
	if err != nil {
		return c, err
	}
	c[1] = []string{desc}
	if len(r.DescriptionNotes) > 0 {
		c[1] = append(c[1], "", ".. note::", "")
		for _, n := range r.DescriptionNotes {
			t, err := cellText(status, "description note", n)
			if err != nil {
				return c, err
			}
			c[1] = append(c[1], "   -  "+t)
		}
	}
	var ops []string
	for _, o := range r.Operations {
		t, err := cellText(status, "operation", o)
		if err != nil {
			return c, err
		}
		ops = append(ops, t)
	}
	noteIndent := ""
	switch len(ops) {
	case 0:
		c[2] = []string{"None"}
	case 1:
		c[2] = []string{ops[0]}
	default:
		for _, o := range ops {
			c[2] = append(c[2], "-  "+o)
		}
		noteIndent = "   "
	}
	if len(r.Notes) > 0 {
		c[2] = append(c[2], "", noteIndent+".. note::")
		for _, n := range r.Notes {
			t, err := cellText(status, "note", n)
			if err != nil {
				return c, err
			}
			c[2] = append(c[2], "", noteIndent+"   "+t)
		}
	}
	return c, nil
}

// WriteRST writes rows as Table 1 of the EVS Disk Status page: a
// ".. table::" directive titled [Table1Caption] and a grid table with the
// columns EVS Disk Status, Status Description and Allowed Operation, laid
// out as the page lays it out, so that it can replace the page's table.
// Each item stays on one line; columns are as wide as their longest line.
// Text that a grid-table cell cannot hold unambiguously (empty, starting
// like a list item or a directive, an operation named None) is an error,
// and nothing is written.
func WriteRST(w io.Writer, rows []model.Table1Row) error {
	cells := make([][3][]string, len(rows))
	var width [3]int
	for k := range width {
		width[k] = max(minCellWidth, len(table1Columns[k]))
	}
	for i, r := range rows {
		c, err := rstCells(r)
		if err != nil {
			return err
		}
		cells[i] = c
		for k := range c {
			for _, l := range c[k] {
				width[k] = max(width[k], len(l))
			}
		}
	}
	b := bufio.NewWriter(w)
	const indent = "   "
	border := func(fill byte) {
		b.WriteString(indent + "+")
		for k := range width {
			b.WriteString(strings.Repeat(string(fill), width[k]+2))
			b.WriteByte('+')
		}
		b.WriteByte('\n')
	}
	line := func(c [3][]string, i int) {
		b.WriteString(indent + "|")
		for k := range width {
			t := ""
			if i < len(c[k]) {
				t = c[k][i]
			}
			fmt.Fprintf(b, " %-*s |", width[k], t)
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(b, ".. table:: %s\n\n", Table1Caption)
	border('-')
	line([3][]string{{table1Columns[0]}, {table1Columns[1]}, {table1Columns[2]}}, 0)
	border('=')
	for _, c := range cells {
		n := max(len(c[0]), len(c[1]), len(c[2]))
		for i := 0; i < n; i++ {
			line(c, i)
		}
		border('-')
	}
	return b.Flush()
}

// mdCell escapes text for a Markdown table cell.
func mdCell(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.ReplaceAll(s, "|", `\|`)
}

// WriteMarkdown writes rows as a Markdown table with Table 1's columns:
// operations as "- " lines and notes as "**Note:**" paragraphs, separated
// by <br /> (self-closing, as MDX and Docusaurus require) inside the cell.
func WriteMarkdown(w io.Writer, rows []model.Table1Row) error {
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, "%s\n\n", Table1Caption)
	fmt.Fprintf(b, "| %s | %s | %s |\n", table1Columns[0], table1Columns[1], table1Columns[2])
	b.WriteString("| --- | --- | --- |\n")
	for _, r := range rows {
		desc := mdCell(r.Description)
		for _, n := range r.DescriptionNotes {
			desc += "<br /><br />**Note:** " + mdCell(n)
		}
		var ops []string
		for _, o := range r.Operations {
			if len(r.Operations) == 1 {
				ops = append(ops, mdCell(o))
			} else {
				ops = append(ops, "- "+mdCell(o))
			}
		}
		if len(ops) == 0 {
			ops = []string{"None"}
		}
		allowed := strings.Join(ops, "<br />")
		for _, n := range r.Notes {
			allowed += "<br /><br />**Note:** " + mdCell(n)
		}
		fmt.Fprintf(b, "| %s | %s | %s |\n", mdCell(r.Status), desc, allowed)
	}
	return b.Flush()
}
