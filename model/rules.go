package model

import (
	"errors"
	"fmt"
	"math/bits"
	"reflect"
	"sort"
	"strings"
	"sync"
	"unsafe"

	"github.com/expr-lang/expr"
	exprast "github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"
)

// The rules of a spec are written in the expression language of
// github.com/expr-lang/expr over the views below. The engine was chosen
// by measurement against github.com/google/cel-go on the checker's own
// workload (see the package documentation).

// DiskView is what a rule sees of one disk: `disk`, `before`, `after` and
// each element of `disks`.
type DiskView struct {
	ID            string `expr:"id"`             // d0, d1, ...
	Index         int    `expr:"index"`          // 0, 1, ...
	Exists        bool   `expr:"exists"`         // created and not deleted
	Status        string `expr:"status"`         // console name; "(none)" before creation, "(deleted)" after deletion
	Class         string `expr:"class"`          // stable, transitional, failed, parked; "none" when the disk does not exist
	Code          string `expr:"code"`           // API status code; "" when the disk does not exist
	Shared        bool   `expr:"shared"`         // a shared disk
	System        bool   `expr:"system"`         // a system disk
	Size          int    `expr:"size"`           // GiB
	CreatedSize   int    `expr:"created_size"`   // GiB at creation
	Attachments   int    `expr:"attachments"`    // servers it is attached to
	AttachedOn    int    `expr:"attached_on"`    // servers it is attached to that are powered on
	Snapshots     int    `expr:"snapshots"`      // snapshots of the disk
	Backups       int    `expr:"backups"`        // backups of the disk
	BackupRunning bool   `expr:"backup_running"` // a backup of the disk is being made
	Transfer      bool   `expr:"transfer"`       // a transfer is open
	Op            string `expr:"op"`             // the operation in progress; "" when none
	Origin        string `expr:"origin"`         // the status that operation started from; "" when none
}

// ServerView is what a rule sees of one server: each element of `servers`.
type ServerView struct {
	ID       string `expr:"id"`       // s0, s1, ...
	Index    int    `expr:"index"`    // 0, 1, ...
	On       bool   `expr:"on"`       // powered on
	Attached bool   `expr:"attached"` // the rule's disk is attached to it (false in a fleet rule)
}

// ActionView is what a step rule sees of the action: `action`.
type ActionView struct {
	Kind       string   `expr:"kind"`        // start, succeed, fail, bg-succeed, bg-fail
	Op         string   `expr:"op"`          // the operation started, completed or failed
	Actor      string   `expr:"actor"`       // customer or operator: who may start the operation
	Table      string   `expr:"table"`       // a start: how Table 1's row mentions the entry it started by (listed, note, none); "" otherwise
	TableName  string   `expr:"table_name"`  // the operation's name in Table 1; "" when Table 1 does not name it
	Creates    bool     `expr:"creates"`     // the operation creates the disk
	Effects    []string `expr:"effects"`     // the operation's effects (attach, grow, ...)
	Server     int      `expr:"server"`      // the server it targets; -1 when none
	ServerOn   bool     `expr:"server_on"`   // that server is powered on (before the step)
	SnapshotOf int      `expr:"snapshot_of"` // the disk whose snapshot it uses; -1 when none
	Completes  bool     `expr:"completes"`   // the operation ends with this step (success or failure)
}

// The environments of the three scopes of a rule.
type fleetEnv struct {
	Disks   []DiskView   `expr:"disks"`
	Servers []ServerView `expr:"servers"`
}

type diskEnv struct {
	Disk    DiskView     `expr:"disk"`
	Disks   []DiskView   `expr:"disks"`
	Servers []ServerView `expr:"servers"`
}

type stepEnv struct {
	Disk    DiskView     `expr:"disk"`
	Before  DiskView     `expr:"before"`
	After   DiskView     `expr:"after"`
	Action  ActionView   `expr:"action"`
	Disks   []DiskView   `expr:"disks"`
	Servers []ServerView `expr:"servers"`
}

// Scope is what a rule's expressions range over.
type Scope uint8

// The scopes.
const (
	ScopeDisk  Scope = iota // each disk that exists: disk, disks, servers
	ScopeFleet              // the whole state: disks, servers
	ScopeStep               // each transition of a disk: disk (= before), before, after, action, disks, servers
)

var scopeNames = []string{"disk", "fleet", "step"}

func (s Scope) String() string { return scopeNames[s] }

func envOf(s Scope) any {
	switch s {
	case ScopeFleet:
		return fleetEnv{}
	case ScopeStep:
		return stepEnv{}
	}
	return diskEnv{}
}

// Rule is a property as the spec declares it: its expressions, compiled
// once when the spec loads.
type Rule struct {
	Name    string
	Number  int
	Summary string
	Source  string
	Kind    PropertyKind
	Graph   string // for a GraphRule: its name (one of the named graph rules) or "leads-to"
	Scope   Scope
	Expr    string // the rule (invariant, step, possible)
	From    string // leads-to: the states it starts from
	To      string // leads-to: the states every path reaches
	Message string // an expression giving the violation in words; "" for the default
	// Local reports that the rule does not look at other disks (disks):
	// its verdict depends on the disk, the servers and, for a step rule,
	// the action alone.
	Local     bool
	Except    []Exception // customer-can-delete: the situations it exempts
	Line, Col int

	prog, from, to, msg *vm.Program
}

var viewFields = map[string][]string{}

func init() {
	for _, t := range []any{DiskView{}, ServerView{}, ActionView{}, fleetEnv{}, diskEnv{}, stepEnv{}} {
		rt := reflect.TypeOf(t)
		var names []string
		for i := 0; i < rt.NumField(); i++ {
			names = append(names, rt.Field(i).Tag.Get("expr"))
		}
		viewFields[rt.String()] = names
	}
}

// nameCheck is an expression visitor that checks the string constants a
// rule compares with a status, class, operation, ... against the names the
// spec defines, and notes whether the rule looks at other disks.
type nameCheck struct {
	sets  map[string][]string // field name -> allowed values
	errs  []nameErr
	disks bool
}

type nameErr struct {
	from int // rune offset in the expression
	msg  string
}

func (c *nameCheck) Visit(node *exprast.Node) {
	switch n := (*node).(type) {
	case *exprast.IdentifierNode:
		if n.Value == "disks" {
			c.disks = true
		}
	case *exprast.BinaryNode:
		switch n.Operator {
		case "==", "!=":
			c.compare(n.Left, n.Right)
			c.compare(n.Right, n.Left)
		case "in", "not in":
			if arr, ok := n.Right.(*exprast.ArrayNode); ok {
				for _, e := range arr.Nodes {
					c.compare(n.Left, e)
				}
			}
			if m := memberName(n.Right); m == "effects" {
				c.check("effects", n.Left)
			}
		}
	}
}

func memberName(n exprast.Node) string {
	m, ok := n.(*exprast.MemberNode)
	if !ok {
		return ""
	}
	s, ok := m.Property.(*exprast.StringNode)
	if !ok {
		return ""
	}
	return s.Value
}

func (c *nameCheck) compare(field, value exprast.Node) {
	if name := memberName(field); name != "" {
		c.check(name, value)
	}
}

func (c *nameCheck) check(field string, value exprast.Node) {
	allowed, ok := c.sets[field]
	if !ok {
		return
	}
	s, ok := value.(*exprast.StringNode)
	if !ok {
		return
	}
	for _, a := range allowed {
		if a == s.Value {
			return
		}
	}
	var quoted []string
	for _, a := range allowed {
		quoted = append(quoted, fmt.Sprintf("%q", a))
	}
	c.errs = append(c.errs, nameErr{value.Location().From, fmt.Sprintf("unknown %s %q; want one of %s", fieldWhat[field], s.Value, strings.Join(quoted, ", "))})
}

var fieldWhat = map[string]string{
	"status": "status", "origin": "status", "class": "class", "code": "API status code",
	"op": "operation", "kind": "action kind", "actor": "actor", "table": "Table 1 mention",
	"effects": "effect", "table_name": "Table 1 operation name",
}

// nameSets lists, per field of the views, the values a rule may compare it with.
func (s *Spec) nameSets() map[string][]string {
	statuses := append(s.StatusNames(), s.StatusName(NoDisk), s.StatusName(Gone))
	var codes, tableNames []string
	for _, st := range s.Statuses {
		codes = append(codes, st.Code)
	}
	for _, op := range s.Ops {
		if op.TableName != "" {
			tableNames = append(tableNames, op.TableName)
		}
	}
	return map[string][]string{
		"status":     statuses,
		"origin":     append(append([]string(nil), statuses...), ""),
		"class":      append(append([]string(nil), classNames...), "none"),
		"code":       append(codes, ""),
		"op":         append(s.OpNames(), ""),
		"kind":       actionKindNames[:BgFail+1],
		"actor":      actorNames,
		"table":      append(append([]string(nil), mentionNames...), ""),
		"effects":    effectNames[:],
		"table_name": append(tableNames, ""),
	}
}

// exprError is a problem of one expression, at a rune offset in it.
type exprError struct {
	from int
	msg  string
}

// compileRule compiles one expression of scope sc, as a bool (or a string
// for a message). It returns the program, whether it looks at other disks,
// and the problems found.
func (s *Spec) compileRule(src string, sc Scope, asString bool) (*vm.Program, bool, []exprError) {
	nc := &nameCheck{sets: s.nameSets()}
	opts := []expr.Option{expr.Env(envOf(sc)), expr.Patch(nc)}
	if asString {
		opts = append(opts, expr.AsKind(reflect.String))
	} else {
		opts = append(opts, expr.AsBool())
	}
	prog, err := expr.Compile(src, opts...)
	var out []exprError
	seen := map[exprError]bool{}
	for _, e := range nc.errs {
		x := exprError(e)
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	if err != nil && len(out) == 0 {
		out = append(out, exprCompileError(err))
	}
	if len(out) > 0 {
		sort.SliceStable(out, func(i, j int) bool { return out[i].from < out[j].from })
		return nil, false, out
	}
	return prog, nc.disks, nil
}

// exprCompileError turns an error of the expression compiler into a
// message that says what is allowed.
func exprCompileError(err error) exprError {
	msg, from := err.Error(), 0
	var fe *file.Error
	if errors.As(err, &fe) {
		msg, from = fe.Message, fe.From
	}
	// "type model.DiskView has no field statu" / "unknown name foo"
	for tname, fields := range viewFields {
		short := tname[strings.LastIndexByte(tname, '.')+1:]
		if strings.Contains(msg, "type "+tname+" has no field") || strings.Contains(msg, "type "+short+" has no field") {
			field := msg[strings.LastIndexByte(msg, ' ')+1:]
			return exprError{from, fmt.Sprintf("unknown field %q of %s; want one of %s", field, viewWords[short], strings.Join(fields, ", "))}
		}
	}
	return exprError{from, msg}
}

var viewWords = map[string]string{
	"DiskView": "a disk", "ServerView": "a server", "ActionView": "the action",
	"fleetEnv": "a fleet rule", "diskEnv": "a disk rule", "stepEnv": "a step rule",
}

// evalScratch is what one evaluation needs; kept in a pool, so that
// evaluations on several goroutines do not share it.
type evalScratch struct {
	vm      vm.VM
	fleet   fleetEnv
	disk    diskEnv
	step    stepEnv
	disks   [MaxDisks]DiskView
	servers [MaxServers]ServerView

	// The transition step holds, so that the rules evaluated one after
	// the other on the same transition fill it once.
	stepValid bool
	lastStep  stepKey
	lastSys   *System

	// Verdicts of local rules on the transitions and disks met last: a
	// search meets the same situation of one disk again and again.
	verdicts [verdictSlots]verdictSlot
}

const verdictSlots = 1 << 12

type verdictSlot struct {
	key  stepKey
	rule *Rule
	sys  *System
	ok   bool
}

func mixDisk(h uint64, k *Disk) uint64 {
	h = (h ^ uint64(k.Status) ^ uint64(k.Op)<<8 ^ uint64(k.Step)<<16 ^ uint64(k.Origin)<<24 ^ uint64(k.Arg)<<32 ^ uint64(k.Bg)<<40 ^ uint64(k.Snapshots)<<48 ^ uint64(k.Backups)<<56) * 0x9E3779B97F4A7C15
	var flags uint64
	if k.Transfer {
		flags |= 1
	}
	if k.Shared {
		flags |= 2
	}
	if k.System {
		flags |= 4
	}
	return (h ^ flags ^ uint64(k.Size)<<8 ^ uint64(k.Attached)<<32) * 0xBF58476D1CE4E5B9
}

func (k *stepKey) hash() uint64 {
	h := ((uint64(k.a.Kind) | uint64(k.a.Op)<<8 | uint64(k.a.Disk)<<16 | uint64(k.a.Arg)<<24) ^ k.snaps*0xD6E8FEB86659FD93) * 0x94D049BB133111EB
	h = mixDisk(h^uint64(k.power), &k.before)
	h = mixDisk(h, &k.after)
	return h ^ h>>29
}

// cached returns the verdict of local rule r on key, computing it with
// eval when the scratch does not hold it.
func (sc *evalScratch) cached(s *System, r *Rule, key stepKey, eval func() bool) bool {
	sl := &sc.verdicts[(key.hash()^uint64(uintptr(unsafe.Pointer(r)))*0x9E3779B97F4A7C15)>>52&(verdictSlots-1)]
	if sl.rule == r && sl.sys == s && sl.key == key {
		return sl.ok
	}
	ok := eval()
	*sl = verdictSlot{key: key, rule: r, sys: s, ok: ok}
	return ok
}

// transitionKey is what a local step rule's verdict on a transition
// depends on.
func transitionKey(from *State, a Action, to *State) stepKey {
	key := stepKey{a: a, power: from.PowerOn, before: from.Disks[a.Disk], after: to.Disks[a.Disk]}
	for d := 0; d < int(from.NDisks); d++ {
		if from.Disks[d].Exists() && from.Disks[d].Snapshots > 0 {
			key.snaps |= 1 << d
		}
	}
	return key
}

// diskKey is what a local rule over disk d depends on.
func diskKey(st *State, d int) stepKey {
	return stepKey{a: Action{Kind: 0xFF, Disk: uint8(d)}, power: st.PowerOn, before: st.Disks[d]}
}

// stepKey is what a local step rule's environment depends on.
type stepKey struct {
	a             Action
	power         uint32
	snaps         uint64 // disks with a snapshot (the argument of a rollback)
	before, after Disk
}

var scratchPool = sync.Pool{New: func() any { return new(evalScratch) }}

var (
	diskIDs   [MaxDisks]string
	serverIDs [MaxServers]string
)

func init() {
	for i := range diskIDs {
		diskIDs[i] = fmt.Sprintf("d%d", i)
	}
	for i := range serverIDs {
		serverIDs[i] = fmt.Sprintf("s%d", i)
	}
}

// view fills v with disk d of st.
func (s *System) view(st *State, d int, v *DiskView) {
	k := &st.Disks[d]
	spec := s.Spec
	*v = DiskView{
		ID: diskIDs[d], Index: d, Exists: k.Exists(), Status: spec.StatusName(k.Status), Class: "none",
		Shared: k.Shared, System: k.System, Size: int(k.Size), Attachments: k.Attachments(),
		AttachedOn: bits.OnesCount32(k.Attached & st.PowerOn),
		Snapshots:  int(k.Snapshots), Backups: int(k.Backups), BackupRunning: k.Bg != NoOp, Transfer: k.Transfer,
		CreatedSize: s.Config.Disks[d].Size,
	}
	if k.Exists() {
		v.Class = spec.Statuses[k.Status].Class.String()
		v.Code = spec.Statuses[k.Status].Code
	}
	if k.Op != NoOp {
		v.Op = spec.Ops[k.Op].Name
		v.Origin = spec.StatusName(k.Origin)
	}
}

// fleet fills the views of every disk and server of st; attachedOf is the
// disk whose attachments the servers' attached field shows, or -1.
func (s *System) fleet(st *State, sc *evalScratch, attachedOf int, withDisks bool) ([]DiskView, []ServerView) {
	var disks []DiskView
	if withDisks {
		for d := 0; d < int(st.NDisks); d++ {
			s.view(st, d, &sc.disks[d])
		}
		disks = sc.disks[:st.NDisks]
	}
	for i := 0; i < int(st.NServers); i++ {
		sc.servers[i] = ServerView{ID: serverIDs[i], Index: i, On: st.ServerOn(i),
			Attached: attachedOf >= 0 && st.Disks[attachedOf].Attached&(1<<i) != 0}
	}
	return disks, sc.servers[:st.NServers]
}

func run(sc *evalScratch, p *vm.Program, env any) any {
	out, err := sc.vm.Run(p, env)
	if err != nil {
		return err
	}
	return out
}

func truth(x any) bool {
	b, ok := x.(bool)
	return ok && b
}

func text(x any) string {
	switch v := x.(type) {
	case string:
		return v
	case error:
		return "the message cannot be evaluated: " + v.Error()
	}
	return fmt.Sprint(x)
}

// diskHolds evaluates a disk-scoped program on disk d of st.
func (s *System) diskHolds(r *Rule, p *vm.Program, st *State, d int) bool {
	sc := scratchPool.Get().(*evalScratch)
	defer scratchPool.Put(sc)
	eval := func() bool { return truth(run(sc, p, s.diskEnv(r, st, d, sc))) }
	if !r.Local || p != r.prog {
		return eval()
	}
	return sc.cached(s, r, diskKey(st, d), eval)
}

func (s *System) diskEnv(r *Rule, st *State, d int, sc *evalScratch) *diskEnv {
	env := &sc.disk
	s.view(st, d, &env.Disk)
	env.Disks, env.Servers = s.fleet(st, sc, d, !r.Local)
	return env
}

func (s *System) fleetEnv(st *State, sc *evalScratch) *fleetEnv {
	env := &sc.fleet
	env.Disks, env.Servers = s.fleet(st, sc, -1, true)
	return env
}

func (s *System) stepEnv(r *Rule, from *State, a Action, to *State, sc *evalScratch) *stepEnv {
	env := &sc.step
	key := transitionKey(from, a, to)
	if r.Local && sc.stepValid && sc.lastSys == s && sc.lastStep == key {
		return env
	}
	// A rule that looks at other disks fills the environment anew, and
	// the next local rule too.
	sc.stepValid, sc.lastSys, sc.lastStep = r.Local, s, key
	d := int(a.Disk)
	s.view(from, d, &env.Before)
	s.view(to, d, &env.After)
	env.Disk = env.Before
	env.Disks, env.Servers = s.fleet(from, sc, d, !r.Local)
	k := &from.Disks[d]
	op := a.Op
	spec := s.Spec
	o := &spec.Ops[op]
	act := ActionView{Kind: a.Kind.String(), Op: o.Name, Actor: o.Actor.String(), TableName: o.TableName,
		Creates: o.Creates, Server: -1, SnapshotOf: -1, Effects: spec.effectNames[op]}
	arg := a.Arg
	if a.Kind == Succeed || a.Kind == Fail {
		arg = k.Arg
	}
	if a.Kind == BgSucceed || a.Kind == BgFail {
		arg = NoArg
	}
	switch o.Arg {
	case ArgServer:
		if arg != NoArg {
			act.Server = int(arg)
			act.ServerOn = from.ServerOn(int(arg))
		}
	case ArgSnapshot:
		if arg != NoArg {
			act.SnapshotOf = int(arg)
		}
	}
	switch a.Kind {
	case Start:
		act.Table = NotInTable.String()
		if i, ok := s.Via(from, d, op, a.Arg); ok && i >= 0 {
			act.Table = o.From[i].Table.String()
		}
		act.Completes = o.Instant()
	case Succeed:
		act.Completes = to.Disks[d].Op == NoOp
	case Fail, BgSucceed, BgFail:
		act.Completes = true
	}
	env.Action = act
	return env
}

// bind turns the spec's rules into the properties of s.
func (s *System) bind(rules []Rule) []Property {
	var out []Property
	for i := range rules {
		r := &rules[i]
		p := Property{Name: r.Name, Number: r.Number, Summary: r.Summary, Source: r.Source, Kind: r.Kind, Graph: r.Graph, Local: r.Local, Except: r.Except}
		switch {
		case r.Kind == Invariant && r.Scope == ScopeDisk:
			p.DiskOK = func(s *System, st *State, d int) bool {
				return !st.Disks[d].Exists() || s.diskHolds(r, r.prog, st, d)
			}
			p.State = func(s *System, st *State) string {
				for d := 0; d < int(st.NDisks); d++ {
					if st.Disks[d].Exists() && !s.diskHolds(r, r.prog, st, d) {
						return s.diskMessage(r, st, d)
					}
				}
				return ""
			}
		case r.Kind == Invariant:
			p.State = func(s *System, st *State) string {
				sc := scratchPool.Get().(*evalScratch)
				defer scratchPool.Put(sc)
				env := s.fleetEnv(st, sc)
				if truth(run(sc, r.prog, env)) {
					return ""
				}
				if r.msg != nil {
					return text(run(sc, r.msg, env))
				}
				return "the state breaks " + r.Name
			}
		case r.Kind == StepRule:
			p.Step = func(s *System, from *State, a Action, to *State) string {
				if a.Disk == NoArg {
					return ""
				}
				sc := scratchPool.Get().(*evalScratch)
				defer scratchPool.Put(sc)
				holds := func() bool { return truth(run(sc, r.prog, s.stepEnv(r, from, a, to, sc))) }
				if r.Local && sc.cached(s, r, transitionKey(from, a, to), holds) || !r.Local && holds() {
					return ""
				}
				env := s.stepEnv(r, from, a, to, sc)
				if r.msg != nil {
					return text(run(sc, r.msg, env))
				}
				return fmt.Sprintf("%s of %s breaks %s: %s went from %s to %s", s.FormatAction(a), env.Disk.ID, r.Name, env.Disk.ID, env.Before.Status, env.After.Status)
			}
		case r.Kind == Possible:
			p.Witness = func(s *System, from *State, a Action, to *State) bool {
				if a.Disk == NoArg {
					return false
				}
				sc := scratchPool.Get().(*evalScratch)
				defer scratchPool.Put(sc)
				holds := func() bool { return truth(run(sc, r.prog, s.stepEnv(r, from, a, to, sc))) }
				if r.Local {
					return sc.cached(s, r, transitionKey(from, a, to), holds)
				}
				return holds()
			}
		case r.Graph == GraphLeadsTo:
			lt := &LeadsTo{EachDisk: r.Scope == ScopeDisk}
			if lt.EachDisk {
				lt.From = func(s *System, st *State, d int) bool { return s.diskHolds(r, r.from, st, d) }
				lt.To = func(s *System, st *State, d int) bool { return s.diskHolds(r, r.to, st, d) }
			} else {
				fleet := func(p *vm.Program) func(*System, *State, int) bool {
					return func(s *System, st *State, _ int) bool {
						sc := scratchPool.Get().(*evalScratch)
						defer scratchPool.Put(sc)
						return truth(run(sc, p, s.fleetEnv(st, sc)))
					}
				}
				lt.From, lt.To = fleet(r.from), fleet(r.to)
			}
			p.LeadsTo = lt
		}
		out = append(out, p)
	}
	return out
}

func (s *System) diskMessage(r *Rule, st *State, d int) string {
	if r.msg == nil {
		return fmt.Sprintf("%s in %s breaks %s", diskIDs[d], s.Spec.StatusName(st.Disks[d].Status), r.Name)
	}
	sc := scratchPool.Get().(*evalScratch)
	defer scratchPool.Put(sc)
	return text(run(sc, r.msg, s.diskEnv(r, st, d, sc)))
}
