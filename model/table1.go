package model

import (
	"fmt"
	"sort"
	"strings"
)

// Table1Row is one row of Table 1 as the spec states it.
type Table1Row struct {
	Status           string
	Description      string
	DescriptionNotes []string // notes in the Status Description cell
	Operations       []string // the Allowed Operation bullets, Table 1's wording
	Notes            []string // notes in the Allowed Operation cell
}

// Table1 derives Table 1 from the spec: for every status, in spec order, its
// description and the customer operations whose from entries say Table 1
// lists them there (table: listed), with the notes of the entries that carry
// one. Within a row, operations and notes follow the status's row_order,
// then spec order. Operations the spec allows on other grounds (table: none)
// are not in the table; [Spec.Findings] reports them.
func (s *Spec) Table1() []Table1Row {
	rows := make([]Table1Row, len(s.Statuses))
	for i := range s.Statuses {
		st := &s.Statuses[i]
		rank := map[OpID]int{}
		for j, op := range st.RowOrder {
			rank[op] = j
		}
		type entry struct {
			op   OpID
			f    *From
			rank int
		}
		var es []entry
		for oi := range s.Ops {
			op := &s.Ops[oi]
			if op.Actor != Customer || op.TableName == "" {
				continue
			}
			for fi := range op.From {
				f := &op.From[fi]
				if f.Status != StatusID(i) || f.Table == NotInTable {
					continue
				}
				r, ok := rank[OpID(oi)]
				if !ok {
					r = len(st.RowOrder) + oi
				}
				es = append(es, entry{OpID(oi), f, r})
			}
		}
		sort.SliceStable(es, func(a, b int) bool { return es[a].rank < es[b].rank })
		row := Table1Row{Status: st.Name, Description: st.Description, DescriptionNotes: st.Notes}
		seenOp, seenNote := map[OpID]bool{}, map[string]bool{}
		for _, e := range es {
			if e.f.Table == Listed && !seenOp[e.op] {
				seenOp[e.op] = true
				row.Operations = append(row.Operations, s.Ops[e.op].TableName)
			}
			if e.f.Note != "" && !seenNote[e.f.Note] {
				seenNote[e.f.Note] = true
				row.Notes = append(row.Notes, e.f.Note)
			}
		}
		rows[i] = row
	}
	return rows
}

// Finding is a place where Table 1 and the rest of the model disagree, or
// something the table leaves unsaid. Findings are derived from the spec;
// they are facts to report, not violations.
type Finding struct {
	Kind   string // see [Spec.Findings]
	Status string // the status concerned, if any
	Op     string // the operation concerned, if any
	Text   string
}

func (f Finding) String() string { return f.Kind + ": " + f.Text }

// The kinds of finding [Spec.Findings] derives.
const (
	FindNotInTable    = "not-in-table"    // an operation starts where Table 1's row does not list it
	FindOperatorOnly  = "operator-only"   // only the operator moves a disk out of a status
	FindNoFailure     = "no-failure"      // an operation Table 1 names has no failure status
	FindAPIOnly       = "api-only-status" // an API status code Table 1 does not have
	FindNoCustomerWay = "customer-stuck"  // (derived by an explorer) the customer alone cannot delete
)

// Findings derives, in a stable order, where Table 1 and the rest of the
// spec disagree:
//   - not-in-table: a customer operation starts from a stable, failed or
//     parked status whose Table 1 row does not list it (creating an image
//     from an In-use disk, a transfer, a restore, snapshots);
//   - operator-only: a failed or parked status that no customer operation
//     leaves, but an operator one does (Deletion failed);
//   - no-failure: an operation Table 1 names whose failure returns to the
//     status it started from, so that no failure status exists for it;
//   - api-only-status: an API status code Table 1 does not have.
//
// Findings that need exploration (the customer stuck in Expansion failed
// while attached) come from package check.
func (s *Spec) Findings() []Finding {
	var out []Finding
	basis := func(b Basis) string {
		if b.Tag == BasisInferred {
			return "inferred: " + b.Reason
		}
		return b.Tag.String() + ": " + b.Ref
	}
	for oi := range s.Ops {
		op := &s.Ops[oi]
		if op.Actor != Customer {
			continue
		}
		// One finding per operation and basis, naming every row concerned.
		type group struct {
			basis    Basis
			statuses []string
		}
		var groups []*group
		seen := map[StatusID]bool{}
		for _, f := range op.From {
			st := &s.Statuses[f.Status]
			if f.Table != NotInTable || st.Class == Transitional || seen[f.Status] {
				continue
			}
			seen[f.Status] = true
			name := st.Name
			if len(f.When) > 0 {
				var cs []string
				for _, c := range f.When {
					cs = append(cs, c.String())
				}
				name += " (when " + strings.Join(cs, ", ") + ")"
			}
			var g *group
			for _, x := range groups {
				if x.basis == f.Basis {
					g = x
				}
			}
			if g == nil {
				g = &group{basis: f.Basis}
				groups = append(groups, g)
			}
			g.statuses = append(g.statuses, name)
		}
		for _, g := range groups {
			rows := "row does"
			if len(g.statuses) > 1 {
				rows = "rows do"
			}
			first := g.statuses[0]
			if i := strings.Index(first, " (when"); i >= 0 {
				first = first[:i]
			}
			out = append(out, Finding{Kind: FindNotInTable, Status: first, Op: op.Name,
				Text: fmt.Sprintf("%s starts from %s, but Table 1's %s not list it (basis %s)", op.Name, strings.Join(g.statuses, ", "), rows, basis(g.basis))})
		}
	}
	edges := s.Edges()
	for i := range s.Statuses {
		st := &s.Statuses[i]
		if st.Class != Failed && st.Class != Parked {
			continue
		}
		var cust, oper []string
		seenOp := map[OpID]bool{}
		for _, e := range edges {
			if e.From != StatusID(i) || e.Kind != EdgeStart || seenOp[e.Op] {
				continue
			}
			seenOp[e.Op] = true
			if s.Ops[e.Op].Actor == Customer {
				cust = append(cust, s.Ops[e.Op].Name)
			} else {
				oper = append(oper, s.Ops[e.Op].Name)
			}
		}
		if len(cust) == 0 && len(oper) > 0 {
			out = append(out, Finding{Kind: FindOperatorOnly, Status: st.Name,
				Text: fmt.Sprintf("no customer operation moves a disk out of %s; only the operator does (%s)", st.Name, strings.Join(oper, ", "))})
		}
	}
	for oi := range s.Ops {
		op := &s.Ops[oi]
		if op.TableName == "" || op.Instant() || op.Background {
			continue
		}
		origin := len(op.Failure) > 0
		for _, t := range op.Failure {
			if t.Kind != ToOrigin && !(t.Kind == ToStatus && s.Statuses[t.Status].Class != Failed) {
				origin = false
			}
		}
		if origin {
			out = append(out, Finding{Kind: FindNoFailure, Op: op.Name,
				Text: fmt.Sprintf("%q has no failure status: a failure returns the disk to a stable status (basis %s)", op.TableName, basis(op.FailureBasis))})
		}
	}
	for _, a := range s.APIOnly {
		out = append(out, Finding{Kind: FindAPIOnly,
			Text: fmt.Sprintf("the API knows status %q, which Table 1 does not have: %s", a.Code, a.Meaning)})
	}
	return out
}
