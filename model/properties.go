package model

import "fmt"

// Documented limits the properties hold a spec to. They are constants, not
// the spec's limits, so that a spec that raises a limit is caught.
const (
	DocAttachments       = 1     // a non-shared disk attaches to one server
	DocSharedAttachments = 16    // a shared disk attaches to at most 16 servers
	DocDataSize          = 32768 // GiB, largest data disk
	DocSystemSize        = 1024  // GiB, largest system disk
)

// PropertyKind says what a property is evaluated on.
type PropertyKind uint8

// The property kinds.
const (
	// Invariant: a predicate over every reachable state.
	Invariant PropertyKind = iota
	// StepRule: a predicate over every transition (state, action, successor).
	StepRule
	// Possible: some reachable transition must satisfy Witness.
	Possible
	// GraphRule: a property of the explored state graph as a whole
	// (progress, reachability, deletability), evaluated by an explorer.
	GraphRule
)

var propertyKindNames = []string{"invariant", "step", "possible", "graph"}

func (k PropertyKind) String() string { return propertyKindNames[k] }

// Property is a named, documented rule of the status graph. Exactly one of
// State, Step and Witness is set for the kinds Invariant, StepRule and
// Possible; a GraphRule has none and is evaluated by the explorer (package
// check), which knows the meaning of its Name.
//
// State and Step return "" when the rule holds, and otherwise say what is
// wrong in words.
type Property struct {
	Name    string
	Number  int // the number of the rule in the list of properties the page implies
	Summary string
	Source  string // the sentence or source it comes from
	Kind    PropertyKind
	State   func(s *System, st *State) string
	Step    func(s *System, from *State, a Action, to *State) string
	Witness func(s *System, from *State, a Action, to *State) bool
}

// The names of the graph rules, evaluated by an explorer.
const (
	PropTransitionalLeft = "transitional-statuses-are-left"
	PropEveryStatus      = "every-status-reachable"
	PropDeletable        = "disk-can-always-be-deleted"
	PropNoDeadlock       = "no-deadlock"
)

// roles are the statuses the properties talk about, looked up by API code
// so that a spec may rename a console name without losing its properties.
type roles struct {
	inUse, available, expanding, deleting, rollingBack, rollbackFailed StatusID
}

func (s *System) roles() roles {
	get := func(code string) StatusID {
		if id, ok := s.Spec.StatusByCode(code); ok {
			return id
		}
		return NoDisk // never equal to a spec status: the rule does not apply
	}
	return roles{
		inUse:          get("in-use"),
		available:      get("available"),
		expanding:      get("extending"),
		deleting:       get("deleting"),
		rollingBack:    get("rollbacking"),
		rollbackFailed: get("error_rollbacking"),
	}
}

// Properties returns the rules of the EVS Disk Status page as predicates
// over this system, in the order of the page's list of properties.
func (s *System) Properties() []Property {
	r := s.roles()
	spec := s.Spec
	name := spec.StatusName
	return []Property{
		{
			Name: "shared-in-use-never-expands", Number: 1, Kind: StepRule,
			Summary: "A shared disk is never expanded while In-use.",
			Source:  `Table 1, In-use row, note: "A shared In-use EVS disk cannot be expanded."`,
			Step: func(s *System, from *State, a Action, to *State) string {
				if a.Disk == NoArg {
					return ""
				}
				f, t := &from.Disks[a.Disk], &to.Disks[a.Disk]
				if f.Shared && f.Status == r.inUse && t.Status == r.expanding {
					return fmt.Sprintf("shared disk d%d went from %s to %s", a.Disk, name(f.Status), name(t.Status))
				}
				return ""
			},
		},
		{
			Name: "attachment-limit", Number: 2, Kind: Invariant,
			Summary: fmt.Sprintf("A non-shared disk has at most %d attachment, a shared disk at most %d.", DocAttachments, DocSharedAttachments),
			Source:  "EVS user guide, attaching a shared disk: up to 16 servers; a non-shared disk attaches to one server",
			State: func(s *System, st *State) string {
				for d := 0; d < int(st.NDisks); d++ {
					k := &st.Disks[d]
					max := DocAttachments
					if k.Shared {
						max = DocSharedAttachments
					}
					if n := k.Attachments(); n > max {
						kind := "non-shared"
						if k.Shared {
							kind = "shared"
						}
						return fmt.Sprintf("%s disk d%d has %d attachments, more than %d", kind, d, n, max)
					}
				}
				return ""
			},
		},
		{
			Name: "shared-in-use-may-attach", Number: 2, Kind: Possible,
			Summary: "A shared In-use disk can take another attachment.",
			Source:  `Table 1, In-use row, note: "A shared In-use EVS disk can be attached."`,
			Witness: func(s *System, from *State, a Action, to *State) bool {
				if a.Kind != Start || a.Disk == NoArg {
					return false
				}
				f := &from.Disks[a.Disk]
				return f.Shared && f.Status == r.inUse && spec.Ops[a.Op].HasEffect(EffAttach)
			},
		},
		{
			Name: "table-operations-only-where-listed", Number: 3, Kind: StepRule,
			Summary: "A customer starts an operation Table 1 names only from a status whose row lists it, under the conditions of the row's notes.",
			Source:  "Table 1, Allowed Operation column",
			Step: func(s *System, from *State, a Action, to *State) string {
				if a.Kind != Start {
					return ""
				}
				op := &spec.Ops[a.Op]
				if op.Actor != Customer || op.TableName == "" || op.Creates {
					return ""
				}
				i, ok := s.Via(from, int(a.Disk), a.Op, a.Arg)
				if ok && i >= 0 && op.From[i].Table != NotInTable {
					return ""
				}
				return fmt.Sprintf("%q started on d%d in %s, whose Table 1 row does not allow it", op.TableName, a.Disk, name(from.Disks[a.Disk].Status))
			},
		},
		{
			Name: "rollback-only-from-available-or-rollback-failed", Number: 4, Kind: StepRule,
			Summary: "A rollback starts only from Available or Rollback failed, and only with a snapshot of the same disk.",
			Source:  `Table 1, Rolling back notes: "you can only restore the data to the original disk" and "only when its source disk is in the Available or Rollback failed state"`,
			Step: func(s *System, from *State, a Action, to *State) string {
				if a.Disk == NoArg {
					return ""
				}
				f, t := &from.Disks[a.Disk], &to.Disks[a.Disk]
				if t.Status != r.rollingBack || f.Status == r.rollingBack {
					return ""
				}
				if f.Status != r.available && f.Status != r.rollbackFailed {
					return fmt.Sprintf("d%d started rolling back from %s", a.Disk, name(f.Status))
				}
				if a.Kind == Start && spec.Ops[a.Op].Arg == ArgSnapshot && a.Arg != a.Disk {
					return fmt.Sprintf("d%d rolled back with a snapshot of d%d", a.Disk, a.Arg)
				}
				return ""
			},
		},
		{
			Name: "available-means-unattached", Number: 5, Kind: Invariant,
			Summary: "An Available disk has no attachment; an In-use disk has at least one.",
			Source:  `Table 1: Available "has not been attached to any server", In-use "is attached to a server"`,
			State: func(s *System, st *State) string {
				for d := 0; d < int(st.NDisks); d++ {
					k := &st.Disks[d]
					if k.Status == r.available && k.Attached != 0 {
						return fmt.Sprintf("d%d is %s with %d attachment(s)", d, name(k.Status), k.Attachments())
					}
					if k.Status == r.inUse && k.Attached == 0 {
						return fmt.Sprintf("d%d is %s with no attachment", d, name(k.Status))
					}
				}
				return ""
			},
		},
		{
			Name: "attached-disk-never-deleted", Number: 6, Kind: StepRule,
			Summary: "A disk with an attachment never starts Deleting.",
			Source:  "EVS error code EVS.1046 and the user guide: an attached disk cannot be deleted",
			Step: func(s *System, from *State, a Action, to *State) string {
				if a.Disk == NoArg {
					return ""
				}
				f, t := &from.Disks[a.Disk], &to.Disks[a.Disk]
				if t.Status == r.deleting && f.Status != r.deleting && f.Attached != 0 {
					return fmt.Sprintf("d%d started deleting while attached to %d server(s)", a.Disk, f.Attachments())
				}
				return ""
			},
		},
		{
			Name: "size-never-shrinks", Number: 7, Kind: StepRule,
			Summary: "A disk's size never shrinks.",
			Source:  "EVS user guide, expanding capacity: capacity can be expanded, not reduced",
			Step: func(s *System, from *State, a Action, to *State) string {
				if a.Disk == NoArg {
					return ""
				}
				f, t := &from.Disks[a.Disk], &to.Disks[a.Disk]
				if f.Exists() && t.Exists() && t.Size < f.Size {
					return fmt.Sprintf("d%d shrank from %d GiB to %d GiB", a.Disk, f.Size, t.Size)
				}
				return ""
			},
		},
		{
			Name: "size-within-limit", Number: 7, Kind: Invariant,
			Summary: fmt.Sprintf("A data disk stays within %d GiB, a system disk within %d GiB.", DocDataSize, DocSystemSize),
			Source:  "EVS user guide, disk capacity limits (32 TiB data disk, 1 TiB system disk)",
			State: func(s *System, st *State) string {
				for d := 0; d < int(st.NDisks); d++ {
					k := &st.Disks[d]
					max := uint32(DocDataSize)
					if k.System {
						max = DocSystemSize
					}
					if k.Exists() && k.Size > max {
						return fmt.Sprintf("d%d is %d GiB, more than %d GiB", d, k.Size, max)
					}
				}
				return ""
			},
		},
		{
			Name: PropTransitionalLeft, Number: 8, Kind: GraphRule,
			Summary: "Every transitional status is left again: no cycle and no end made only of transitional statuses.",
			Source:  "Table 1: transitional statuses describe work in progress and allow no operation",
		},
		{
			Name: PropEveryStatus, Number: 9, Kind: GraphRule,
			Summary: "Every status of Table 1 is reachable from creation.",
			Source:  "Table 1 lists the statuses a disk can have",
		},
		{
			Name: PropDeletable, Number: 10, Kind: GraphRule,
			Summary: "From every reachable state each disk can still be deleted (with the operator where Table 1 allows the customer nothing).",
			Source:  "Table 1 (Deleting from every failed status but Deletion failed) and FAQ evs_faq_0014 (remedies by customer service)",
		},
		{
			Name: PropNoDeadlock, Number: 0, Kind: GraphRule,
			Summary: "No disk is stuck: every disk that exists has an action, unless it is deleted.",
			Source:  "model hygiene: a status with no way out is a spec error",
		},
	}
}
