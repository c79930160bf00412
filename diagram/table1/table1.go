package table1

import (
	"fmt"
	"strings"

	"github.com/evsim/evsim/model"
)

// Columns are the header cells of Table 1, in order.
var Columns = [3]string{"EVS Disk Status", "Status Description", "Allowed Operation"}

// Pos is a position in a page: 1-based line and column (in bytes).
type Pos struct {
	Line, Col int
}

// Row is one body row of Table 1: a status, its description and the
// operations the page allows in it. It has the shape of [model.Table1Row]
// plus the positions of its parts.
type Row struct {
	Status           string
	Description      string
	DescriptionNotes []string // notes in the Status Description cell
	Operations       []string // the Allowed Operation items, nil for "None"
	Notes            []string // notes in the Allowed Operation cell
	At               RowPos
}

// RowPos holds where each part of a [Row] starts in the page. The slices
// are parallel to the row's slices of the same name.
type RowPos struct {
	Row              Pos // the row's first line, at its left border
	Status           Pos
	Description      Pos
	DescriptionNotes []Pos
	OperationCell    Pos // first content of the Allowed Operation cell
	Operations       []Pos
	Notes            []Pos
}

// Model returns the row without positions, as [model.Spec.Table1] states rows.
func (r Row) Model() model.Table1Row {
	return model.Table1Row{
		Status:           r.Status,
		Description:      r.Description,
		DescriptionNotes: r.DescriptionNotes,
		Operations:       r.Operations,
		Notes:            r.Notes,
	}
}

// Table is Table 1 as read from a page.
type Table struct {
	File    string // the name the page was parsed under
	Caption string // the title of the enclosing ".. table::" directive, if any
	Top     Pos    // the table's top-left corner
	Bottom  Pos    // the first column of its bottom border
	Rows    []Row
}

// ModelRows returns the table's rows without positions.
func (t *Table) ModelRows() []model.Table1Row {
	out := make([]model.Table1Row, len(t.Rows))
	for i, r := range t.Rows {
		out[i] = r.Model()
	}
	return out
}

// Error is a problem of a page, at a line and column.
type Error struct {
	File string
	Pos
	Msg string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// normalize collapses runs of white space into one space and trims.
func normalize(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
