package table1

import (
	"fmt"
	"strings"
)

// Parse reads Table 1 from a page: the first grid table whose header names
// [Columns]. file names the page in positions and errors. It returns a
// *[Error] for a page without such a table and for a table it cannot read.
func Parse(file string, src []byte) (*Table, error) {
	p := &parser{file: file, lines: splitLines(string(src))}
	for i := 0; i < len(p.lines); i++ {
		ind, ok := borderIndent(p.lines[i])
		if !ok || !p.hasHeader(i, ind) {
			continue
		}
		return p.table(i, ind)
	}
	return nil, &Error{File: file, Pos: Pos{1, 1}, Msg: fmt.Sprintf("no grid table with the columns %s, %s, %s",
		quote(Columns[0]), quote(Columns[1]), quote(Columns[2]))}
}

func quote(s string) string { return `"` + s + `"` }

type parser struct {
	file  string
	lines []string
	// set for the table being read
	top    int   // index of the top border line
	ind    int   // byte offset of the table's left border
	bounds []int // byte offsets of the column borders ('+' in the top border)
}

func splitLines(s string) []string {
	ls := strings.Split(s, "\n")
	for i, l := range ls {
		ls[i] = strings.TrimSuffix(l, "\r")
	}
	return ls
}

// borderIndent reports whether l looks like a grid table border ("+---+")
// and where it starts.
func borderIndent(l string) (int, bool) {
	t := strings.TrimLeft(l, " ")
	t = strings.TrimRight(t, " ")
	if len(t) < 3 || t[0] != '+' || t[len(t)-1] != '+' || t[1] != '-' {
		return 0, false
	}
	for i := 0; i < len(t); i++ {
		if t[i] != '+' && t[i] != '-' {
			return 0, false
		}
	}
	return len(l) - len(strings.TrimLeft(l, " ")), true
}

func (p *parser) errorf(line, col int, format string, args ...any) error {
	return &Error{File: p.file, Pos: Pos{line + 1, col + 1}, Msg: fmt.Sprintf(format, args...)}
}

// setBounds takes the column borders from the top border at line i.
func (p *parser) setBounds(i, ind int) {
	p.top, p.ind, p.bounds = i, ind, nil
	l := strings.TrimRight(p.lines[i], " ")
	for j := ind; j < len(l); j++ {
		if l[j] == '+' {
			p.bounds = append(p.bounds, j)
		}
	}
}

// hasHeader reports whether the grid table at line i has Table 1's header.
func (p *parser) hasHeader(i, ind int) bool {
	p.setBounds(i, ind)
	if len(p.bounds) != len(Columns)+1 {
		return false
	}
	var text [3]string
	for j := i + 1; j < len(p.lines); j++ {
		l := p.lines[j]
		if len(l) <= ind || l[ind] != '|' {
			break
		}
		for k := 0; k < 3; k++ {
			a, b := p.bounds[k], p.bounds[k+1]
			if b >= len(l) || l[a] != '|' || l[b] != '|' {
				return false
			}
			text[k] += " " + l[a+1:b]
		}
	}
	for k := range text {
		if normalize(text[k]) != Columns[k] {
			return false
		}
	}
	return true
}

// cellLine is one line of a cell's content; col is the byte offset of
// text[0] in the page's line.
type cellLine struct {
	text      string
	line, col int
}

// table reads the table whose top border is line top.
func (p *parser) table(top, ind int) (*Table, error) {
	p.setBounds(top, ind)
	t := &Table{File: p.file, Top: Pos{top + 1, ind + 1}, Caption: p.caption(top)}
	width := p.bounds[len(p.bounds)-1] + 1
	var cells [3][]cellLine
	rowStart := -1
	header := true
	for i := top + 1; ; i++ {
		if i >= len(p.lines) {
			return nil, p.errorf(i-1, ind, "table ends without a bottom border")
		}
		l := strings.TrimRight(p.lines[i], " ")
		if len(l) <= ind || (l[ind] != '+' && l[ind] != '|') || strings.TrimSpace(l[:ind]) != "" {
			return nil, p.errorf(i, min(ind, len(l)), "table row not closed: expected a border line (+---+) or a row (|) at column %d", ind+1)
		}
		if strings.ContainsRune(l, '\t') {
			return nil, p.errorf(i, strings.IndexByte(l, '\t'), "tab character in the table; use spaces")
		}
		if l[ind] == '+' {
			fill, err := p.border(i, l, width)
			if err != nil {
				return nil, err
			}
			if rowStart < 0 {
				return nil, p.errorf(i, ind, "empty row: two borders in a row")
			}
			if fill == '=' {
				if !header {
					return nil, p.errorf(i, ind, "header separator (+===+) after the first row")
				}
			} else if header {
				return nil, p.errorf(i, ind, "the header row must end with a +===+ separator")
			}
			if !header {
				row, err := p.row(rowStart, cells)
				if err != nil {
					return nil, err
				}
				t.Rows = append(t.Rows, row)
			}
			header = false
			cells = [3][]cellLine{}
			rowStart = -1
			if i+1 >= len(p.lines) || !isRowLine(p.lines[i+1], ind) {
				if len(t.Rows) == 0 {
					return nil, p.errorf(i, ind, "table has no body rows")
				}
				t.Bottom = Pos{i + 1, ind + 1}
				return t, nil
			}
			continue
		}
		if rowStart < 0 {
			rowStart = i
		}
		for k := 0; k < 3; k++ {
			a, b := p.bounds[k], p.bounds[k+1]
			if len(l) <= b {
				return nil, p.errorf(i, len(l), "row ends at column %d; the right border of column %d is at column %d", len(l), k+1, b+1)
			}
			if l[a] != '|' {
				return nil, p.errorf(i, a, "expected '|' at the left border of column %d, found %q (column spans are not supported)", k+1, l[a])
			}
			if l[b] != '|' {
				return nil, p.errorf(i, b, "expected '|' at the right border of column %d, found %q", k+1, l[b])
			}
			cells[k] = append(cells[k], cellLine{text: l[a+1 : b], line: i, col: a + 1})
		}
		if len(l) > width {
			return nil, p.errorf(i, width, "text after the table's right border")
		}
	}
}

func isRowLine(l string, ind int) bool {
	return len(l) > ind && (l[ind] == '+' || l[ind] == '|') && strings.TrimSpace(l[:ind]) == ""
}

// border checks a border line against the top border and returns its fill.
func (p *parser) border(i int, l string, width int) (byte, error) {
	if len(l) < p.ind+2 {
		return 0, p.errorf(i, p.ind, "border line too short")
	}
	fill := l[p.ind+1]
	if fill != '-' && fill != '=' {
		return 0, p.errorf(i, p.ind+1, "border lines are made of '-' or '=', found %q", fill)
	}
	if len(l) != width {
		return 0, p.errorf(i, min(len(l), width), "border is %d characters wide, the top border %d", len(l)-p.ind, width-p.ind)
	}
	next := 0
	for j := p.ind; j < width; j++ {
		want := fill
		if next < len(p.bounds) && j == p.bounds[next] {
			want = '+'
			next++
		}
		if l[j] != want {
			if l[j] == '|' || l[j] == '+' || want == '+' {
				return 0, p.errorf(i, j, "border does not match the columns of the top border (column spans are not supported)")
			}
			return 0, p.errorf(i, j, "unexpected %q in a border of %q", l[j], fill)
		}
	}
	return fill, nil
}

// caption returns the title of a ".. table::" directive just above line top.
func (p *parser) caption(top int) string {
	for i := top - 1; i >= 0; i-- {
		t := strings.TrimSpace(p.lines[i])
		if t == "" {
			continue
		}
		if rest, ok := strings.CutPrefix(t, ".. table::"); ok {
			return normalize(rest)
		}
		return ""
	}
	return ""
}

// block is a paragraph or a bullet item of a cell, flattened: notes mark
// the blocks of a ".. note::" body.
type block struct {
	text   string
	pos    Pos
	bullet bool
	note   bool
}

// row reads the cells of one body row.
func (p *parser) row(start int, cells [3][]cellLine) (Row, error) {
	r := Row{At: RowPos{Row: Pos{start + 1, p.ind + 1}}}
	var bs [3][]block
	for k := range cells {
		var err error
		bs[k], err = p.blocks(cells[k], false)
		if err != nil {
			return r, err
		}
	}
	at := func(k int) Pos { return Pos{start + 1, p.bounds[k] + 3} }

	// Status.
	if len(bs[0]) == 0 {
		return r, p.errorf(start, p.bounds[0]+2, "empty %s cell", Columns[0])
	}
	if len(bs[0]) > 1 || bs[0][0].bullet || bs[0][0].note {
		b := bs[0][min(1, len(bs[0])-1)]
		return r, p.errorf(b.pos.Line-1, b.pos.Col-1, "the %s cell holds one status name", Columns[0])
	}
	r.Status, r.At.Status = bs[0][0].text, bs[0][0].pos

	// Description.
	r.At.Description = at(1)
	var desc []string
	for i, b := range bs[1] {
		switch {
		case b.note:
			r.DescriptionNotes = append(r.DescriptionNotes, b.text)
			r.At.DescriptionNotes = append(r.At.DescriptionNotes, b.pos)
		case b.bullet:
			return r, p.errorf(b.pos.Line-1, b.pos.Col-1, "a bullet list in the %s cell is not understood outside a note", Columns[1])
		default:
			if i == 0 {
				r.At.Description = b.pos
			}
			desc = append(desc, b.text)
		}
	}
	r.Description = strings.Join(desc, " ")

	// Allowed operations.
	r.At.OperationCell = at(2)
	none := false
	var nonePos Pos
	for i, b := range bs[2] {
		if i == 0 {
			r.At.OperationCell = b.pos
		}
		switch {
		case b.note:
			r.Notes = append(r.Notes, b.text)
			r.At.Notes = append(r.At.Notes, b.pos)
		case !b.bullet && b.text == "None":
			if none {
				return r, p.errorf(b.pos.Line-1, b.pos.Col-1, "None written twice")
			}
			none, nonePos = true, b.pos
		default:
			r.Operations = append(r.Operations, b.text)
			r.At.Operations = append(r.At.Operations, b.pos)
		}
	}
	if none && len(r.Operations) > 0 {
		return r, p.errorf(nonePos.Line-1, nonePos.Col-1, "None together with operations (%s)", strings.Join(r.Operations, ", "))
	}
	if !none && len(r.Operations) == 0 {
		return r, p.errorf(r.At.OperationCell.Line-1, r.At.OperationCell.Col-1, "no allowed operation: write None or a list of operations")
	}
	return r, nil
}

func indentOf(s string) int { return len(s) - len(strings.TrimLeft(s, " ")) }

func blank(l cellLine) bool { return strings.TrimSpace(l.text) == "" }

// bulletText returns the text of a bullet item line ("-  Detaching") and the
// width of its marker.
func bulletText(t string) (string, int, bool) {
	if len(t) < 2 || (t[0] != '-' && t[0] != '*') || t[1] != ' ' {
		return "", 0, false
	}
	rest := strings.TrimLeft(t[1:], " ")
	if rest == "" {
		return "", 0, false
	}
	return rest, len(t) - len(rest), true
}

// blocks splits a cell's lines into paragraphs, bullet items and notes.
func (p *parser) blocks(ls []cellLine, inNote bool) ([]block, error) {
	var out []block
	for i := 0; i < len(ls); {
		l := ls[i]
		if blank(l) {
			i++
			continue
		}
		ind := indentOf(l.text)
		t := strings.TrimSpace(l.text)
		pos := Pos{l.line + 1, l.col + ind + 1}
		switch {
		case strings.HasPrefix(t, ".. note::"):
			if inNote {
				return nil, p.errorf(l.line, l.col+ind, "a note inside a note is not understood")
			}
			j := i + 1
			for j < len(ls) && (blank(ls[j]) || indentOf(ls[j].text) > ind) {
				j++
			}
			if rest := normalize(strings.TrimPrefix(t, ".. note::")); rest != "" {
				out = append(out, block{text: rest, pos: Pos{pos.Line, pos.Col + len(".. note:: ")}, note: true})
			}
			sub, err := p.blocks(ls[i+1:j], true)
			if err != nil {
				return nil, err
			}
			if len(sub) == 0 && len(out) == 0 || (len(sub) == 0 && !out[len(out)-1].note) {
				return nil, p.errorf(l.line, l.col+ind, "empty note")
			}
			out = append(out, sub...)
			i = j
		case strings.HasPrefix(t, ".."):
			return nil, p.errorf(l.line, l.col+ind, "only the .. note:: directive is understood in a cell, found %q", t)
		default:
			text, width, isBullet := bulletText(t)
			body := ind
			if isBullet {
				body = ind + width
				pos.Col += width
			} else {
				text = t
			}
			parts := []string{text}
			j := i + 1
			for ; j < len(ls) && !blank(ls[j]); j++ {
				n := ls[j].text
				ni := indentOf(n)
				nt := strings.TrimSpace(n)
				if _, _, b := bulletText(nt); b || strings.HasPrefix(nt, "..") || ni < ind || (isBullet && ni < body) {
					break
				}
				parts = append(parts, nt)
			}
			out = append(out, block{text: normalize(strings.Join(parts, " ")), pos: pos, bullet: isBullet, note: inNote})
			i = j
		}
	}
	return out, nil
}
