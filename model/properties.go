package model

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
	// Graph names a GraphRule: one of the names below, or [GraphLeadsTo]
	// (then LeadsTo is set).
	Graph   string
	LeadsTo *LeadsTo
	// Except lists the situations a customer-can-delete rule exempts.
	Except []Exception
	// Local reports that the rule looks at one disk, the servers and (for
	// a step rule) the action only, never at other disks: an explorer may
	// cache its verdicts per situation of one disk.
	Local bool
	// DiskOK, set for an invariant over each disk, evaluates it on disk d
	// alone: State holds exactly when DiskOK holds for every disk.
	DiskOK func(s *System, st *State, d int) bool
}

// The names of the graph rules, evaluated by an explorer.
const (
	PropTransitionalLeft = "transitional-statuses-are-left"
	PropEveryStatus      = "every-status-reachable"
	PropDeletable        = "disk-can-always-be-deleted"
	PropNoDeadlock       = "no-deadlock"
)

// GraphLeadsTo is the kind of a leads-to rule: from every reachable state
// where From holds, every fair path reaches a state where To holds (see
// [LeadsTo]).
const GraphLeadsTo = "leads-to"

// GraphRuleNames lists the graph rules a spec may declare: the named ones,
// evaluated by an explorer's own algorithms, and leads-to.
var GraphRuleNames = []string{PropTransitionalLeft, PropEveryStatus, PropDeletable, PropNoDeadlock, PropCustomerDeletes, GraphLeadsTo}

// PropCustomerDeletes is the graph rule "the customer's way out": without
// the operator's actions, a disk can be deleted from every status (attached
// or not) but the exceptions the property lists ([Property.Except]).
const PropCustomerDeletes = "customer-can-delete"

// Exception is a situation a customer-can-delete rule exempts: a status,
// attached or not (Attached: -1 either way, 0 not attached, 1 attached).
type Exception struct {
	Status   StatusID
	Attached int8
}

// LeadsTo is a leads-to rule: from every reachable state in which From
// holds, every path reaches a state in which To holds, under transition
// fairness: a path that passes a state infinitely often takes each of the
// state's transitions infinitely often (so a disk is not kept waiting
// forever by, say, a server switched off and on again and again). On a
// finite graph this reads: from every state reachable from a From state
// through states where To does not hold, a To state can still be reached.
// With EachDisk, From and To are evaluated for each disk d in turn, and the
// rule holds for each disk on its own; otherwise d is -1.
type LeadsTo struct {
	EachDisk bool
	From, To func(s *System, st *State, d int) bool
}

// Properties returns the rules of the spec (its properties section) as
// predicates over this system, in the spec's order.
func (s *System) Properties() []Property {
	return s.bind(s.Spec.Rules)
}
