package model

import (
	_ "embed"
	"fmt"
	"sort"
)

//go:embed evs.yaml
var defaultSpec []byte

// DefaultSpecName is the file name the embedded spec is reported under.
const DefaultSpecName = "evs.yaml"

// DefaultSpecSource returns the bytes of the embedded spec, for users who
// want a starting point for a variant of their own.
func DefaultSpecSource() []byte { return append([]byte(nil), defaultSpec...) }

// Default returns the embedded spec of the EVS disk status graph. It panics
// only if the embedded file does not load, which the package's tests rule out.
func Default() *Spec {
	s, err := Load(DefaultSpecName, defaultSpec)
	if err != nil {
		panic("model: embedded spec does not load: " + err.Error())
	}
	return s
}

// StatusID indexes Spec.Statuses. Two values stand outside the spec:
// [NoDisk] (the slot holds no disk yet) and [Gone] (the disk was deleted).
type StatusID uint8

const (
	// NoDisk is the status of a slot before its disk is created: the
	// diagram's start node.
	NoDisk StatusID = 0xFF
	// Gone is the status of a deleted disk: the diagram's end node.
	Gone StatusID = 0xFE
	// MaxStatuses is the largest number of statuses a spec may define.
	MaxStatuses = 30
)

// OpID indexes Spec.Ops; [NoOp] means none.
type OpID uint8

// NoOp marks the absence of an operation.
const NoOp OpID = 0xFF

// MaxOps is the largest number of operations a spec may define.
const MaxOps = 60

// MaxSteps is the largest number of transitional statuses one operation may
// go through.
const MaxSteps = 4

// Class is the kind of a status.
type Class uint8

// The classes of statuses.
const (
	Stable       Class = iota // a customer may start operations
	Transitional              // work in progress, no operation allowed
	Failed                    // an operation failed
	Parked                    // waiting for something outside the disk
)

var classNames = []string{"stable", "transitional", "failed", "parked"}

func (c Class) String() string { return classNames[c] }

// Actor is who may start an operation.
type Actor uint8

// The actors.
const (
	Customer Actor = iota // bound by Table 1
	Operator              // customer service
)

var actorNames = []string{"customer", "operator"}

func (a Actor) String() string { return actorNames[a] }

// ArgKind is what an operation's argument names.
type ArgKind uint8

// The argument kinds.
const (
	ArgNone     ArgKind = iota
	ArgServer           // a server (attach, detach, create from image)
	ArgSnapshot         // the disk whose snapshot is used (rollback)
)

var argNames = []string{"none", "server", "snapshot"}

func (a ArgKind) String() string { return argNames[a] }

// Mention is how Table 1 mentions an operation in a status's row.
type Mention uint8

// The mentions.
const (
	NotInTable Mention = iota // the row does not name it
	Listed                    // a bullet of the row's Allowed Operation cell
	InNote                    // only a note of the row names it
)

var mentionNames = []string{"none", "listed", "note"}

func (m Mention) String() string { return mentionNames[m] }

// BasisTag names the kind of source an edge rests on.
type BasisTag uint8

// The basis tags, from strongest to weakest.
const (
	BasisTable    BasisTag = iota // Table 1 of the EVS Disk Status page
	BasisFigure                   // Figure 1 of that page
	BasisDocs                     // another page of the EVS, CBR or ECS documentation
	BasisCinder                   // upstream OpenStack Cinder behaviour
	BasisInferred                 // no source states it; Reason says why
)

var basisNames = []string{"table", "figure", "docs", "cinder", "inferred"}

func (b BasisTag) String() string { return basisNames[b] }

// Basis is the source of an edge: a tag, a reference and, for an inference,
// the reason.
type Basis struct {
	Tag    BasisTag
	Ref    string
	Reason string
}

// Cond is one condition of the fixed vocabulary the model interprets.
type Cond uint8

// The conditions. "Target" is the server named by the operation's argument.
const (
	CondShared             Cond = iota // the disk is shared
	CondNotShared                      // the disk is not shared
	CondSystem                         // the disk is a system disk
	CondNotSystem                      // the disk is a data disk
	CondAttached                       // at least one attachment
	CondNotAttached                    // no attachment
	CondAttachRoom                     // fewer attachments than the limit for its kind
	CondTargetAttached                 // attached to the target server
	CondTargetNotAttached              // not attached to the target server
	CondTargetOn                       // the target server is powered on
	CondTargetOff                      // the target server is powered off
	CondServersOff                     // every server it is attached to is powered off
	CondOwnSnapshot                    // the snapshot argument is one of this disk's own
	CondHasSnapshots                   // the disk has a snapshot
	CondNoSnapshots                    // the disk has no snapshot
	CondHasBackups                     // the disk has a backup
	CondNoBackups                      // the disk has no backup
	CondBackupInProgress               // a background operation (a backup) runs
	CondNoBackupInProgress             // no background operation runs
	CondSizeRoom                       // one more size step stays within the size limit
	numConds
)

var condNames = [...]string{
	"shared", "not_shared", "system", "not_system", "attached", "not_attached",
	"attach_room", "target_attached", "target_not_attached", "target_on",
	"target_off", "servers_off", "own_snapshot", "has_snapshots", "no_snapshots",
	"has_backups", "no_backups", "backup_in_progress", "no_backup_in_progress",
	"size_room",
}

func (c Cond) String() string { return condNames[c] }

// Effect is a change an operation makes to a disk when it succeeds.
type Effect uint8

// The effects.
const (
	EffAttach         Effect = iota // attach to the target server
	EffDetach                       // detach from the target server
	EffGrow                         // size grows by one step
	EffShrink                       // size shrinks by one step (never in the default spec)
	EffAddSnapshot                  // one more snapshot
	EffRemoveSnapshot               // one snapshot fewer
	EffAddBackup                    // one more backup
	EffOpenTransfer                 // a transfer is open
	EffCloseTransfer                // no transfer is open
	numEffects
)

var effectNames = [...]string{
	"attach", "detach", "grow", "shrink", "add_snapshot", "remove_snapshot",
	"add_backup", "open_transfer", "close_transfer",
}

func (e Effect) String() string { return effectNames[e] }

// TargetKind is where an operation's completion leads.
type TargetKind uint8

// The target kinds.
const (
	ToStatus    TargetKind = iota // a status of the spec
	ToOrigin                      // the status the disk had when the operation started
	ToGone                        // the disk is deleted
	ToUnchanged                   // the status does not change
)

// Target is one alternative of a completion: the first whose conditions hold
// (evaluated after the effects) is taken; the last has none.
type Target struct {
	Kind   TargetKind
	Status StatusID // for ToStatus
	When   []Cond
}

// Status is one row of Table 1.
type Status struct {
	Name        string // console name, as in Table 1
	Code        string // API status code
	Class       Class
	Description string
	Notes       []string // notes in the row's description cell
	RowOrder    []OpID   // order of the row's operations in Table 1
	Line, Col   int      // where the status is defined
}

// From is one way an operation may start: a status and the conditions there.
type From struct {
	Status StatusID
	When   []Cond
	Table  Mention // how Table 1's row of Status mentions the operation
	Note   string  // the Table 1 note that states the condition, if any
	Basis  Basis
	Line   int
	Col    int
}

// Step is one transitional status an operation goes through, with the
// failure target that applies while the disk is in it (nil: the operation's).
type Step struct {
	Status  StatusID
	Failure []Target
}

// Operation is something a customer or operator may start on a disk.
//
// Three shapes exist: an operation with Steps moves the disk through those
// transitional statuses and completes with success or failure; a Background
// operation (a backup) leaves the status alone while it runs; an instant
// operation (no steps, not background) takes effect when it starts and has
// no failure action (a rejected request leaves the disk unchanged).
type Operation struct {
	Name       string
	Title      string // wording for diagrams ("Attaching a disk")
	TableName  string // wording Table 1 uses; empty if Table 1 does not name it
	Actor      Actor
	Arg        ArgKind
	Creates    bool   // starts from an empty slot
	Background bool   // runs beside the status (a backup)
	When       []Cond // conditions of a creating operation
	From       []From
	Steps      []Step
	Success    []Target
	Failure    []Target
	Effects    []Effect
	Basis      Basis
	// SuccessBasis and FailureBasis are the bases of the completion edges;
	// they equal Basis unless the spec says otherwise.
	SuccessBasis Basis
	FailureBasis Basis
	Line, Col    int
}

// Instant reports whether the operation takes effect when it starts.
func (o *Operation) Instant() bool { return len(o.Steps) == 0 && !o.Background }

// HasEffect reports whether the operation has effect e.
func (o *Operation) HasEffect(e Effect) bool {
	for _, x := range o.Effects {
		if x == e {
			return true
		}
	}
	return false
}

// Limits are the documented bounds the conditions refer to.
type Limits struct {
	Attachments       int // non-shared disk
	SharedAttachments int
	DataSize          int // GiB
	SystemSize        int // GiB
	SizeStep          int // GiB
}

// APIOnly is an API status code that Table 1 does not have.
type APIOnly struct {
	Code    string
	Meaning string
	Basis   Basis
}

// Spec is a loaded, validated status graph. It is immutable after [Load].
type Spec struct {
	Name     string
	Source   string
	File     string // the name it was loaded under
	Limits   Limits
	Statuses []Status
	Ops      []Operation
	APIOnly  []APIOnly
	Rules    []Rule // the properties section, compiled

	effectNames [][]string // per operation, the names of its effects, for the rules

	statusByName map[string]StatusID
	statusByCode map[string]StatusID
	opByName     map[string]OpID
}

// StatusByName returns the status with the given console name.
func (s *Spec) StatusByName(name string) (StatusID, bool) {
	id, ok := s.statusByName[name]
	return id, ok
}

// StatusByCode returns the status with the given API code.
func (s *Spec) StatusByCode(code string) (StatusID, bool) {
	id, ok := s.statusByCode[code]
	return id, ok
}

// OpByName returns the operation with the given name.
func (s *Spec) OpByName(name string) (OpID, bool) {
	id, ok := s.opByName[name]
	return id, ok
}

// StatusName returns the console name of a status, "(none)" for [NoDisk]
// and "(deleted)" for [Gone].
func (s *Spec) StatusName(id StatusID) string {
	switch id {
	case NoDisk:
		return "(none)"
	case Gone:
		return "(deleted)"
	}
	if int(id) < len(s.Statuses) {
		return s.Statuses[id].Name
	}
	return fmt.Sprintf("status#%d", id)
}

// StatusNames returns the console names of all statuses, in spec order.
func (s *Spec) StatusNames() []string {
	out := make([]string, len(s.Statuses))
	for i := range s.Statuses {
		out[i] = s.Statuses[i].Name
	}
	return out
}

// OpNames returns the names of all operations, in spec order.
func (s *Spec) OpNames() []string {
	out := make([]string, len(s.Ops))
	for i := range s.Ops {
		out[i] = s.Ops[i].Name
	}
	return out
}

// Edge is one arrow of the status diagram: a start, a step advance, a
// success or a failure of an operation, with its basis.
type Edge struct {
	From, To StatusID // NoDisk for creation, Gone for deletion
	Op       OpID
	Kind     EdgeKind
	Basis    Basis
	When     []Cond  // conditions of the start (start edges only)
	Table    Mention // how Table 1 mentions a start edge
}

// EdgeKind distinguishes the arrows of one operation.
type EdgeKind uint8

// The edge kinds.
const (
	EdgeStart   EdgeKind = iota // the operation starts
	EdgeAdvance                 // the operation moves to its next step
	EdgeSuccess                 // the operation completes
	EdgeFailure                 // the operation fails
)

var edgeKindNames = []string{"start", "advance", "success", "failure"}

func (k EdgeKind) String() string { return edgeKindNames[k] }

// Edges returns every status-to-status arrow the spec allows, deduplicated
// and sorted (by operation, kind, from, to). An instant operation's start
// edge goes straight to its success status; a target "origin" yields one
// edge per status the operation may start from; "unchanged" targets and
// background operations make no arrow. Conditional targets yield one edge
// per alternative.
func (s *Spec) Edges() []Edge {
	var out []Edge
	seen := map[[4]int]bool{}
	add := func(e Edge) {
		k := [4]int{int(e.Op), int(e.Kind), int(e.From), int(e.To)}
		if seen[k] {
			return
		}
		seen[k] = true
		out = append(out, e)
	}
	for oi := range s.Ops {
		op := &s.Ops[oi]
		id := OpID(oi)
		origins := s.origins(op)
		if op.Background {
			continue
		}
		resolve := func(ts []Target, origin StatusID) []StatusID {
			var r []StatusID
			for _, t := range ts {
				switch t.Kind {
				case ToStatus:
					r = append(r, t.Status)
				case ToOrigin:
					r = append(r, origin)
				case ToGone:
					r = append(r, Gone)
				case ToUnchanged:
					// no arrow
				}
			}
			return r
		}
		if op.Instant() {
			for _, f := range op.From {
				for _, to := range resolve(op.Success, f.Status) {
					if to != f.Status {
						add(Edge{From: f.Status, To: to, Op: id, Kind: EdgeStart, Basis: f.Basis, When: f.When, Table: f.Table})
					}
				}
			}
			continue
		}
		first := op.Steps[0].Status
		if op.Creates {
			add(Edge{From: NoDisk, To: first, Op: id, Kind: EdgeStart, Basis: op.Basis, When: op.When})
		}
		for _, f := range op.From {
			add(Edge{From: f.Status, To: first, Op: id, Kind: EdgeStart, Basis: f.Basis, When: f.When, Table: f.Table})
		}
		for i, st := range op.Steps {
			fail := st.Failure
			if fail == nil {
				fail = op.Failure
			}
			for _, o := range origins {
				for _, to := range resolve(fail, o) {
					add(Edge{From: st.Status, To: to, Op: id, Kind: EdgeFailure, Basis: op.FailureBasis})
				}
			}
			if i+1 < len(op.Steps) {
				add(Edge{From: st.Status, To: op.Steps[i+1].Status, Op: id, Kind: EdgeAdvance, Basis: op.Basis})
				continue
			}
			for _, o := range origins {
				for _, to := range resolve(op.Success, o) {
					add(Edge{From: st.Status, To: to, Op: id, Kind: EdgeSuccess, Basis: op.SuccessBasis})
				}
			}
		}
	}
	SortEdges(out)
	return out
}

// SortEdges sorts edges in the order [Spec.Edges] returns them: by
// operation, kind, from status, to status; equal edges keep their order.
func SortEdges(edges []Edge) {
	sort.SliceStable(edges, func(i, j int) bool {
		a, b := edges[i], edges[j]
		if a.Op != b.Op {
			return a.Op < b.Op
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if a.From != b.From {
			return a.From < b.From
		}
		return a.To < b.To
	})
}

// origins lists the distinct statuses an operation may start from, NoDisk
// for a creating operation.
func (s *Spec) origins(op *Operation) []StatusID {
	var out []StatusID
	seen := map[StatusID]bool{}
	if op.Creates {
		out = append(out, NoDisk)
		seen[NoDisk] = true
	}
	for _, f := range op.From {
		if !seen[f.Status] {
			seen[f.Status] = true
			out = append(out, f.Status)
		}
	}
	return out
}
