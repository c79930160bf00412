package model

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
)

// Error is one problem of a spec file, located at its line and column.
type Error struct {
	File  string
	Line  int
	Col   int
	Field string // the field path, such as operations[3].from[0].status
	Msg   string // what is wrong and what is allowed
	// Consequence marks an error that may follow from another one (a
	// duration missing for a status whose name was mistyped): [ErrorList.Sort]
	// puts it after the direct errors, so that the cause is read first.
	Consequence bool
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Col)
	}
	if e.Field != "" {
		b.WriteString(": ")
		b.WriteString(e.Field)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// ErrorList is every problem found in a spec, in file order.
type ErrorList []*Error

func (l ErrorList) Error() string {
	const most = 20
	var b strings.Builder
	for i, e := range l {
		if i == most {
			fmt.Fprintf(&b, "\n(and %d more errors)", len(l)-most)
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Sort orders the errors by position in the file, the direct errors
// before the consequences, keeping the order of errors at the same
// position.
func (l ErrorList) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		if l[i].Consequence != l[j].Consequence {
			return !l[i].Consequence
		}
		if l[i].Line != l[j].Line {
			return l[i].Line < l[j].Line
		}
		return l[i].Col < l[j].Col
	})
}

// raw types mirror the YAML file.
type rawSpec struct {
	Name       string         `yaml:"name"`
	Source     string         `yaml:"source"`
	Limits     *rawLimits     `yaml:"limits"`
	Statuses   []rawStatus    `yaml:"statuses"`
	APIOnly    []rawAPIOnly   `yaml:"api_only"`
	Operations []rawOp        `yaml:"operations"`
	Properties *[]rawProperty `yaml:"properties"`
}

type rawLimits struct {
	Attachments       *int `yaml:"attachments"`
	SharedAttachments *int `yaml:"shared_attachments"`
	DataSize          *int `yaml:"data_size"`
	SystemSize        *int `yaml:"system_size"`
	SizeStep          *int `yaml:"size_step"`
}

type rawStatus struct {
	Name        string   `yaml:"name"`
	Code        string   `yaml:"code"`
	Class       string   `yaml:"class"`
	Description string   `yaml:"description"`
	Notes       []string `yaml:"notes"`
	RowOrder    []string `yaml:"row_order"`
}

type rawAPIOnly struct {
	Code    string    `yaml:"code"`
	Meaning string    `yaml:"meaning"`
	Basis   *rawBasis `yaml:"basis"`
}

type rawBasis struct {
	Tag    string `yaml:"tag"`
	Ref    string `yaml:"ref"`
	Reason string `yaml:"reason"`
}

type rawFrom struct {
	Status string    `yaml:"status"`
	When   []string  `yaml:"when"`
	Table  string    `yaml:"table"`
	Note   string    `yaml:"note"`
	Basis  *rawBasis `yaml:"basis"`
}

type rawTarget struct {
	To   string   `yaml:"to"`
	When []string `yaml:"when"`
}

// rawTargets is a status name, or a list of {to, when} alternatives.
type rawTargets struct {
	list   []rawTarget
	scalar bool
}

func (t *rawTargets) UnmarshalYAML(unmarshal func(any) error) error {
	var s string
	if err := unmarshal(&s); err == nil {
		t.list, t.scalar = []rawTarget{{To: s}}, true
		return nil
	}
	var l []rawTarget
	if err := unmarshal(&l); err != nil {
		return fmt.Errorf("want a status name, origin, gone, unchanged, or a list of {to, when}: %w", err)
	}
	t.list = l
	return nil
}

// rawStep is a status name, or {status, failure}.
type rawStep struct {
	Status  string
	Failure *rawTargets
	scalar  bool
}

func (s *rawStep) UnmarshalYAML(unmarshal func(any) error) error {
	var name string
	if err := unmarshal(&name); err == nil {
		s.Status, s.scalar = name, true
		return nil
	}
	var m struct {
		Status  string      `yaml:"status"`
		Failure *rawTargets `yaml:"failure"`
	}
	if err := unmarshal(&m); err != nil {
		return fmt.Errorf("want a status name or {status, failure}: %w", err)
	}
	s.Status, s.Failure = m.Status, m.Failure
	return nil
}

type rawOp struct {
	Name         string      `yaml:"name"`
	Title        string      `yaml:"title"`
	TableName    string      `yaml:"table_name"`
	Actor        string      `yaml:"actor"`
	Arg          string      `yaml:"arg"`
	Creates      bool        `yaml:"creates"`
	Background   bool        `yaml:"background"`
	When         []string    `yaml:"when"`
	From         []rawFrom   `yaml:"from"`
	Through      []rawStep   `yaml:"through"`
	Success      *rawTargets `yaml:"success"`
	Failure      *rawTargets `yaml:"failure"`
	Effects      []string    `yaml:"effects"`
	Basis        *rawBasis   `yaml:"basis"`
	SuccessBasis *rawBasis   `yaml:"success_basis"`
	FailureBasis *rawBasis   `yaml:"failure_basis"`
}

// loader collects errors with positions.
type loader struct {
	file        string
	ast         *ast.File
	errs        ErrorList
	cur         *Spec
	statusNames []string
	positions   map[string][2]int
	src         []byte
}

// index records the position of every field path of the file, such as
// "operations[2].from[0].status", in one walk of the syntax tree.
func (l *loader) index(n ast.Node, path string) {
	if n == nil {
		return
	}
	if doc, ok := n.(*ast.DocumentNode); ok {
		l.index(doc.Body, path)
		return
	}
	if tk := n.GetToken(); tk != nil {
		if _, ok := l.positions[path]; !ok {
			l.positions[path] = [2]int{tk.Position.Line, tk.Position.Column}
		}
	}
	join := func(key string) string {
		if path == "" {
			return key
		}
		return path + "." + key
	}
	switch v := n.(type) {
	case *ast.MappingNode:
		for _, mv := range v.Values {
			l.index(mv, path)
		}
	case *ast.MappingValueNode:
		if v.Key != nil {
			l.index(v.Value, join(v.Key.String()))
		}
	case *ast.SequenceNode:
		for i, item := range v.Values {
			l.index(item, fmt.Sprintf("%s[%d]", path, i))
		}
	case *ast.TagNode:
		l.index(v.Value, path)
	case *ast.AnchorNode:
		l.index(v.Value, path)
	}
}

// pos finds the line and column of a field path, falling back to the
// nearest parent that exists in the file.
func (l *loader) pos(field string) (int, int) {
	p := field
	for {
		if at, ok := l.positions[p]; ok {
			return at[0], at[1]
		}
		if p == "" {
			return 0, 0
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			p = ""
		} else {
			p = p[:i]
		}
	}
}

func (l *loader) errorf(field, format string, args ...any) {
	line, col := l.pos(field)
	l.errs = append(l.errs, &Error{File: l.file, Line: line, Col: col, Field: field, Msg: fmt.Sprintf(format, args...)})
}

func oneOf(names []string) string {
	return strings.Join(names, ", ")
}

// Load parses and validates a spec. name is the file name used in error
// messages. Every problem found is returned as an [ErrorList] of [*Error],
// each pointing at the file, line, column and field at fault and saying
// what is allowed.
func Load(name string, data []byte) (*Spec, error) {
	l := &loader{file: name, src: data}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, ErrorList{{File: name, Line: 1, Col: 1, Msg: "the spec is empty; want a mapping with name, limits, statuses and operations"}}
	}
	data, f, err := ParseYAML(name, data, specLimits)
	if err != nil {
		return nil, l.yamlError(err)
	}
	l.ast = f
	l.positions = map[string][2]int{}
	for _, doc := range f.Docs {
		l.index(doc, "")
	}
	var raw rawSpec
	if err := DecodeYAML(name, data, f, &raw); err != nil {
		return nil, l.yamlError(err)
	}
	s := l.build(&raw)
	if len(l.errs) > 0 {
		l.errs.Sort()
		return nil, l.errs
	}
	return s, nil
}

func (l *loader) yamlError(err error) error {
	if el, ok := err.(ErrorList); ok {
		return el
	}
	var ye yaml.Error
	if errors.As(err, &ye) {
		e := &Error{File: l.file, Msg: ye.GetMessage()}
		if tk := ye.GetToken(); tk != nil {
			e.Line, e.Col = tk.Position.Line, tk.Position.Column
		}
		return ErrorList{e}
	}
	return ErrorList{{File: l.file, Msg: err.Error()}}
}

func lookup(names []string, s string) (int, bool) {
	for i, n := range names {
		if n == s {
			return i, true
		}
	}
	return 0, false
}

func (l *loader) build(raw *rawSpec) *Spec {
	s := &Spec{
		Name:         raw.Name,
		Source:       raw.Source,
		File:         l.file,
		statusByName: map[string]StatusID{},
		statusByCode: map[string]StatusID{},
		opByName:     map[string]OpID{},
	}
	if raw.Name == "" {
		l.errorf("name", "missing; want the name of the spec")
	}
	l.limits(s, raw.Limits)

	if len(raw.Statuses) == 0 {
		l.errorf("statuses", "missing; want a list of statuses")
	}
	if len(raw.Statuses) > MaxStatuses {
		l.errorf("statuses", "%d statuses; at most %d are allowed", len(raw.Statuses), MaxStatuses)
		return s
	}
	for i, rs := range raw.Statuses {
		at := fmt.Sprintf("statuses[%d]", i)
		st := Status{Name: rs.Name, Code: rs.Code, Description: rs.Description, Notes: rs.Notes}
		st.Line, st.Col = l.pos(at)
		if rs.Name == "" {
			l.errorf(at+".name", "missing; want the console name of the status")
		} else if _, dup := s.statusByName[rs.Name]; dup {
			l.errorf(at+".name", "duplicate status %q", rs.Name)
		} else {
			s.statusByName[rs.Name] = StatusID(i)
		}
		if rs.Code == "" {
			l.errorf(at+".code", "missing; want the API status code")
		} else if _, dup := s.statusByCode[rs.Code]; dup {
			l.errorf(at+".code", "duplicate API code %q", rs.Code)
		} else {
			s.statusByCode[rs.Code] = StatusID(i)
		}
		if c, ok := lookup(classNames, rs.Class); ok {
			st.Class = Class(c)
		} else {
			l.errorf(at+".class", "unknown class %q; want one of %s", rs.Class, oneOf(classNames))
		}
		if rs.Description == "" {
			l.errorf(at+".description", "missing; want the status description of Table 1")
		}
		s.Statuses = append(s.Statuses, st)
	}
	for i, ra := range raw.APIOnly {
		at := fmt.Sprintf("api_only[%d]", i)
		if ra.Code == "" {
			l.errorf(at+".code", "missing; want an API status code")
		}
		if _, clash := s.statusByCode[ra.Code]; clash {
			l.errorf(at+".code", "%q is the code of a status of the table", ra.Code)
		}
		s.APIOnly = append(s.APIOnly, APIOnly{Code: ra.Code, Meaning: ra.Meaning, Basis: l.basis(at+".basis", ra.Basis, nil)})
	}

	if len(raw.Operations) == 0 {
		l.errorf("operations", "missing; want a list of operations")
	}
	if len(raw.Operations) > MaxOps {
		l.errorf("operations", "%d operations; at most %d are allowed", len(raw.Operations), MaxOps)
		return s
	}
	for i, ro := range raw.Operations {
		at := fmt.Sprintf("operations[%d]", i)
		if ro.Name == "" {
			l.errorf(at+".name", "missing; want the operation's name")
		} else if _, dup := s.opByName[ro.Name]; dup {
			l.errorf(at+".name", "duplicate operation %q", ro.Name)
		} else {
			s.opByName[ro.Name] = OpID(i)
		}
	}
	for i := range raw.Operations {
		s.Ops = append(s.Ops, l.op(s, fmt.Sprintf("operations[%d]", i), &raw.Operations[i]))
	}
	l.deadEntries(s)
	for i, rs := range raw.Statuses {
		for j, n := range rs.RowOrder {
			id, ok := s.opByName[n]
			if !ok {
				l.errorf(fmt.Sprintf("statuses[%d].row_order[%d]", i, j), "unknown operation %q; want one of %s", n, oneOf(s.OpNames()))
				continue
			}
			s.Statuses[i].RowOrder = append(s.Statuses[i].RowOrder, id)
		}
	}
	if len(l.errs) == 0 {
		l.reachability(s)
	}
	if len(l.errs) == 0 {
		l.properties(s, raw.Properties)
	}
	return s
}

func (l *loader) limits(s *Spec, r *rawLimits) {
	if r == nil {
		l.errorf("limits", "missing; want attachments, shared_attachments, data_size, system_size and size_step")
		return
	}
	get := func(name string, v *int, max int) int {
		if v == nil {
			l.errorf("limits."+name, "missing; want a positive whole number")
			return 1
		}
		if *v < 1 || *v > max {
			l.errorf("limits."+name, "%d is out of range; want 1 to %d", *v, max)
			return 1
		}
		return *v
	}
	s.Limits = Limits{
		Attachments:       get("attachments", r.Attachments, MaxServers),
		SharedAttachments: get("shared_attachments", r.SharedAttachments, MaxServers),
		DataSize:          get("data_size", r.DataSize, 1<<20),
		SystemSize:        get("system_size", r.SystemSize, 1<<20),
		SizeStep:          get("size_step", r.SizeStep, 1<<16),
	}
}

func (l *loader) basis(at string, r *rawBasis, inherit *Basis) Basis {
	if r == nil {
		if inherit != nil {
			return *inherit
		}
		l.errorf(at, "missing; every operation needs a basis {tag, ref} (tag one of %s; inferred needs a reason)", oneOf(basisNames))
		return Basis{}
	}
	b := Basis{Ref: r.Ref, Reason: r.Reason}
	t, ok := lookup(basisNames, r.Tag)
	if !ok {
		l.errorf(at+".tag", "unknown basis tag %q; want one of %s", r.Tag, oneOf(basisNames))
		return b
	}
	b.Tag = BasisTag(t)
	if b.Tag == BasisInferred && r.Reason == "" {
		l.errorf(at+".reason", "missing; an inferred basis must give the reason for the inference")
	}
	if b.Tag != BasisInferred && r.Ref == "" {
		l.errorf(at+".ref", "missing; a %s basis must name its source", r.Tag)
	}
	return b
}

func (l *loader) conds(at string, names []string, arg ArgKind) []Cond {
	var out []Cond
	for i, n := range names {
		c, ok := lookup(condNames[:], n)
		if !ok {
			l.errorf(fmt.Sprintf("%s[%d]", at, i), "unknown condition %q; want one of %s", n, oneOf(condNames[:]))
			continue
		}
		cond := Cond(c)
		switch cond {
		case CondTargetAttached, CondTargetNotAttached, CondTargetOn, CondTargetOff:
			if arg != ArgServer {
				l.errorf(fmt.Sprintf("%s[%d]", at, i), "condition %q needs an operation with arg: server", n)
			}
		case CondOwnSnapshot:
			if arg != ArgSnapshot {
				l.errorf(fmt.Sprintf("%s[%d]", at, i), "condition %q needs an operation with arg: snapshot", n)
			}
		}
		out = append(out, cond)
	}
	return out
}

func (l *loader) status(at, name string) (StatusID, bool) {
	if name == "" {
		l.errorf(at, "missing; want a status name")
		return 0, false
	}
	id, ok := l.specStatus(name)
	if !ok {
		l.errorf(at, "unknown status %q; want one of %s", name, oneOf(l.statusNames))
	}
	return id, ok
}

func (l *loader) targets(at string, r *rawTargets, op *Operation, s *Spec, arg ArgKind) []Target {
	if r == nil {
		return nil
	}
	var out []Target
	for i, rt := range r.list {
		tat := fmt.Sprintf("%s[%d].to", at, i)
		wat := fmt.Sprintf("%s[%d].when", at, i)
		if r.scalar {
			tat, wat = at, at
		}
		t := Target{When: l.conds(wat, rt.When, arg)}
		switch rt.To {
		case "origin":
			t.Kind = ToOrigin
			if op.Creates {
				l.errorf(tat, "a creating operation has no origin status; want a status name or gone")
			}
		case "gone":
			t.Kind = ToGone
		case "unchanged":
			t.Kind = ToUnchanged
			if !op.Instant() && !op.Background {
				l.errorf(tat, "unchanged applies to instant and background operations only; want a status name, origin or gone")
			}
		default:
			t.Kind = ToStatus
			if rt.To == "" {
				l.errorf(tat, "missing; want a status name, origin, gone or unchanged")
			} else if id, ok := s.statusByName[rt.To]; ok {
				t.Status = id
			} else {
				l.errorf(tat, "unknown target %q; want one of %s, or origin, gone, unchanged", rt.To, oneOf(s.StatusNames()))
			}
		}
		if op.Background && t.Kind != ToUnchanged {
			l.errorf(tat, "a background operation leaves the status alone; want unchanged")
		}
		if len(t.When) > 0 && i == len(r.list)-1 {
			l.errorf(wat, "the last alternative must have no conditions, so that a completion always has a target")
		}
		out = append(out, t)
	}
	if len(out) == 0 {
		l.errorf(at, "empty; want at least one target")
	}
	return out
}

// specStatus and statusNames are set while building operations.
func (l *loader) specStatus(name string) (StatusID, bool) {
	id, ok := l.cur.statusByName[name]
	return id, ok
}

func (l *loader) op(s *Spec, at string, r *rawOp) Operation {
	l.cur = s
	l.statusNames = s.StatusNames()
	op := Operation{Name: r.Name, Title: r.Title, TableName: r.TableName, Creates: r.Creates, Background: r.Background}
	op.Line, op.Col = l.pos(at)
	if op.Title == "" {
		op.Title = op.Name
	}
	if a, ok := lookup(actorNames, r.Actor); ok {
		op.Actor = Actor(a)
	} else {
		l.errorf(at+".actor", "unknown actor %q; want one of %s", r.Actor, oneOf(actorNames))
	}
	if r.Arg != "" {
		if a, ok := lookup(argNames, r.Arg); ok {
			op.Arg = ArgKind(a)
		} else {
			l.errorf(at+".arg", "unknown argument kind %q; want one of %s", r.Arg, oneOf(argNames))
		}
	}
	op.Basis = l.basis(at+".basis", r.Basis, nil)
	op.SuccessBasis = l.basis(at+".success_basis", r.SuccessBasis, &op.Basis)
	op.FailureBasis = l.basis(at+".failure_basis", r.FailureBasis, &op.Basis)

	if len(r.Through) > MaxSteps {
		l.errorf(at+".through", "%d steps; at most %d are allowed", len(r.Through), MaxSteps)
	}
	if op.Background && len(r.Through) > 0 {
		l.errorf(at+".through", "a background operation leaves the status alone; remove through or background")
	}
	if op.Creates && len(r.Through) == 0 {
		l.errorf(at+".through", "a creating operation needs at least one transitional status")
	}
	for i, rs := range r.Through {
		sat := fmt.Sprintf("%s.through[%d]", at, i)
		if !rs.scalar {
			sat += ".status"
		}
		id, _ := l.status(sat, rs.Status)
		op.Steps = append(op.Steps, Step{Status: id})
	}
	op.When = l.conds(at+".when", r.When, op.Arg)
	if len(r.When) > 0 && !op.Creates {
		l.errorf(at+".when", "only a creating operation has conditions of its own; put them on its from entries")
	}
	if op.Creates && len(r.From) > 0 {
		l.errorf(at+".from", "a creating operation starts from no disk; remove from or creates")
	}
	if !op.Creates && len(r.From) == 0 {
		l.errorf(at+".from", "missing; want the statuses the operation may start from")
	}
	for i, rf := range r.From {
		fat := fmt.Sprintf("%s.from[%d]", at, i)
		f := From{Note: rf.Note}
		f.Line, f.Col = l.pos(fat)
		f.Status, _ = l.status(fat+".status", rf.Status)
		f.When = l.conds(fat+".when", rf.When, op.Arg)
		f.Basis = l.basis(fat+".basis", rf.Basis, &op.Basis)
		if rf.Table != "" {
			m, ok := lookup(mentionNames, rf.Table)
			if !ok {
				l.errorf(fat+".table", "unknown mention %q; want one of %s", rf.Table, oneOf(mentionNames))
			}
			f.Table = Mention(m)
		}
		if f.Table != NotInTable {
			if op.TableName == "" {
				l.errorf(fat+".table", "Table 1 mentions only operations with a table_name; add table_name to the operation")
			}
			if op.Actor != Customer {
				l.errorf(fat+".table", "Table 1 lists customer operations only")
			}
		}
		if f.Table == InNote && f.Note == "" {
			l.errorf(fat+".note", "missing; table: note needs the text of the note")
		}
		op.From = append(op.From, f)
	}
	for i, n := range r.Effects {
		e, ok := lookup(effectNames[:], n)
		if !ok {
			l.errorf(fmt.Sprintf("%s.effects[%d]", at, i), "unknown effect %q; want one of %s", n, oneOf(effectNames[:]))
			continue
		}
		if (Effect(e) == EffAttach || Effect(e) == EffDetach) && op.Arg != ArgServer {
			l.errorf(fmt.Sprintf("%s.effects[%d]", at, i), "effect %q needs an operation with arg: server", n)
		}
		op.Effects = append(op.Effects, Effect(e))
	}
	if r.Success == nil {
		l.errorf(at+".success", "missing; want a status name, origin, gone, unchanged, or a list of {to, when}")
	}
	op.Success = l.targets(at+".success", r.Success, &op, s, op.Arg)
	if r.Failure == nil && !op.Instant() {
		l.errorf(at+".failure", "missing; want a status name, origin, gone, unchanged, or a list of {to, when}")
	}
	op.Failure = l.targets(at+".failure", r.Failure, &op, s, op.Arg)
	for i, rs := range r.Through {
		if rs.Failure != nil && i < len(op.Steps) {
			op.Steps[i].Failure = l.targets(fmt.Sprintf("%s.through[%d].failure", at, i), rs.Failure, &op, s, op.Arg)
		}
	}
	if op.TableName != "" && op.Actor != Customer {
		l.errorf(at+".table_name", "Table 1 names customer operations only")
	}
	return op
}

// reachability rejects a status that no operation can reach from creation.
func (l *loader) reachability(s *Spec) {
	reached := map[StatusID]bool{NoDisk: true}
	edges := s.Edges()
	for changed := true; changed; {
		changed = false
		for _, e := range edges {
			if reached[e.From] && !reached[e.To] {
				reached[e.To] = true
				changed = true
			}
		}
	}
	for i := range s.Statuses {
		if !reached[StatusID(i)] {
			l.errorf(fmt.Sprintf("statuses[%d].name", i), "status %q cannot be reached: no operation leads there from creation", s.Statuses[i].Name)
		}
	}
}
