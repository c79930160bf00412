package table1

import (
	"fmt"
	"sort"

	"github.com/evsim/evsim/model"
)

// Kind is the kind of a [Difference], seen from the page: what the page
// misses, what it has in excess, or what it words differently.
type Kind uint8

// The kinds of difference.
const (
	Missing Kind = iota // the model has it, the page does not
	Extra               // the page has it, the model does not
	Differs             // both have it, worded differently
)

var kindNames = []string{"missing", "extra", "differs"}

func (k Kind) String() string { return kindNames[k] }

// Field names the part of a row a [Difference] is about.
type Field uint8

// The fields of a row.
const (
	FieldStatus Field = iota
	FieldDescription
	FieldDescriptionNote
	FieldOperation
	FieldNote
)

var fieldNames = []string{"status", "description", "description note", "allowed operation", "note"}

func (f Field) String() string { return fieldNames[f] }

// Difference is one cell where a page and the model disagree.
type Difference struct {
	File   string
	Pos           // where on the page: the item, or the cell or row it belongs in
	Status string // the row's status
	Field  Field
	Kind   Kind
	Page   string // the page's text (Extra, Differs)
	Model  string // the model's text (Missing, Differs)
}

func (d Difference) String() string {
	at := fmt.Sprintf("%s:%d:%d: %s", d.File, d.Line, d.Col, d.Status)
	switch {
	case d.Field == FieldStatus && d.Kind == Missing:
		return fmt.Sprintf("%s: status missing: the model has it, the page does not", at)
	case d.Field == FieldStatus && d.Kind == Extra:
		return fmt.Sprintf("%s: status extra: the page has it, the model does not", at)
	case d.Kind == Missing:
		return fmt.Sprintf("%s: %s missing: the model has %q, the page does not", at, d.Field, d.Model)
	case d.Kind == Extra:
		return fmt.Sprintf("%s: %s extra: the page has %q, the model does not", at, d.Field, d.Page)
	}
	return fmt.Sprintf("%s: %s differs: the page has %q, the model %q", at, d.Field, d.Page, d.Model)
}

// Compare lists every difference between a page's table and the rows the
// model derives, sorted by position on the page (differences at one
// position keep the model's order). Texts are compared with runs of white
// space collapsed; the order of rows and of items within a cell is not
// compared. A missing status points at the table's bottom border.
func Compare(page *Table, derived []model.Table1Row) []Difference {
	var out []Difference
	add := func(at Pos, status string, f Field, k Kind, pageText, modelText string) {
		out = append(out, Difference{File: page.File, Pos: at, Status: status, Field: f, Kind: k, Page: pageText, Model: modelText})
	}
	byStatus := map[string]int{}
	for i, r := range derived {
		byStatus[normalize(r.Status)] = i
	}
	seen := map[string]bool{}
	for _, r := range page.Rows {
		i, ok := byStatus[r.Status]
		if !ok || seen[r.Status] {
			add(r.At.Status, r.Status, FieldStatus, Extra, r.Status, "")
			continue
		}
		seen[r.Status] = true
		m := derived[i]
		if normalize(m.Description) != r.Description {
			add(r.At.Description, r.Status, FieldDescription, Differs, r.Description, normalize(m.Description))
		}
		items := func(f Field, pageItems []string, pagePos []Pos, modelItems []string, cell Pos) {
			inModel := map[string]bool{}
			for _, s := range modelItems {
				inModel[normalize(s)] = true
			}
			onPage := map[string]bool{}
			for j, s := range pageItems {
				if !inModel[s] || onPage[s] {
					add(pagePos[j], r.Status, f, Extra, s, "")
				}
				onPage[s] = true
			}
			for _, s := range modelItems {
				if !onPage[normalize(s)] {
					add(cell, r.Status, f, Missing, "", normalize(s))
				}
			}
		}
		items(FieldDescriptionNote, r.DescriptionNotes, r.At.DescriptionNotes, m.DescriptionNotes, r.At.Description)
		items(FieldOperation, r.Operations, r.At.Operations, m.Operations, r.At.OperationCell)
		items(FieldNote, r.Notes, r.At.Notes, m.Notes, r.At.OperationCell)
	}
	for _, m := range derived {
		if !seen[normalize(m.Status)] {
			add(page.Bottom, normalize(m.Status), FieldStatus, Missing, "", normalize(m.Status))
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Line != out[j].Line {
			return out[i].Line < out[j].Line
		}
		return out[i].Col < out[j].Col
	})
	return out
}
