package model

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/parser"
)

// rawProperty is one entry of the spec's properties section.
type rawProperty struct {
	Name    string `yaml:"name"`
	Number  int    `yaml:"number"`
	Summary string `yaml:"summary"`
	Source  string `yaml:"source"`
	Kind    string `yaml:"kind"`
	Each    string `yaml:"each"`
	Rule    string `yaml:"rule"`
	Message string `yaml:"message"`
	From    string `yaml:"from"`
	To      string `yaml:"to"`
	Except  []struct {
		Status   string `yaml:"status"`
		Attached *bool  `yaml:"attached"`
	} `yaml:"except"`
}

// ruleKinds are the values of a property's kind.
var ruleKinds = append([]string{"invariant", "step", "possible"}, GraphRuleNames...)

// properties compiles the properties section into s.Rules. A spec without
// the section takes the rules of the embedded spec, compiled against its
// own statuses and operations.
func (l *loader) properties(s *Spec, raws *[]rawProperty) {
	s.effectNames = make([][]string, len(s.Ops))
	for i := range s.Ops {
		for _, e := range s.Ops[i].Effects {
			s.effectNames[i] = append(s.effectNames[i], e.String())
		}
	}
	if raws != nil {
		s.Rules = l.rules(s, "properties", *raws)
		return
	}
	var def struct {
		Properties []rawProperty `yaml:"properties"`
	}
	f, err := parser.ParseBytes(defaultSpec, 0)
	if err != nil {
		panic("model: embedded spec does not parse: " + err.Error())
	}
	if err := yaml.Unmarshal(defaultSpec, &def); err != nil {
		panic("model: embedded spec does not decode: " + err.Error())
	}
	dl := &loader{file: DefaultSpecName, src: defaultSpec, positions: map[string][2]int{}}
	for _, doc := range f.Docs {
		dl.index(doc, "")
	}
	s.Rules = dl.rules(s, "properties", def.Properties)
	if len(dl.errs) > 0 {
		e := dl.errs[0]
		l.errorf("properties", "missing, and the embedded spec's rules, which a spec without the section takes, do not fit this spec (%s:%d:%d: %s: %s); add a properties section", DefaultSpecName, e.Line, e.Col, e.Field, e.Msg)
	}
}

func (l *loader) rules(s *Spec, at string, raws []rawProperty) []Rule {
	l.cur, l.statusNames = s, s.StatusNames()
	var out []Rule
	seen := map[string]bool{}
	for i := range raws {
		r := &raws[i]
		pat := fmt.Sprintf("%s[%d]", at, i)
		rule := Rule{Name: r.Name, Number: r.Number, Summary: r.Summary, Source: r.Source, Local: true}
		rule.Line, rule.Col = l.pos(pat)
		switch {
		case r.Name == "":
			l.errorf(pat+".name", "missing; want the property's name")
		case seen[r.Name]:
			l.errorf(pat+".name", "duplicate property %q", r.Name)
		}
		seen[r.Name] = true
		if r.Summary == "" {
			l.errorf(pat+".summary", "missing; want the rule in one sentence")
		}
		if r.Source == "" {
			l.errorf(pat+".source", "missing; want the sentence or page the rule comes from")
		}
		if r.Number < 0 {
			l.errorf(pat+".number", "%d is negative; want the rule's number in the list of the page's rules, or 0", r.Number)
		}
		k, ok := lookup(ruleKinds, r.Kind)
		if !ok {
			l.errorf(pat+".kind", "unknown kind %q; want one of %s", r.Kind, oneOf(ruleKinds))
			continue
		}
		kind := ruleKinds[k]
		expressions := map[string]string{"rule": r.Rule, "from": r.From, "to": r.To, "message": r.Message}
		want := map[string]bool{}
		switch kind {
		case "invariant":
			rule.Kind, rule.Scope = Invariant, ScopeDisk
			want["rule"], want["message"] = true, true
		case "step":
			rule.Kind, rule.Scope = StepRule, ScopeStep
			want["rule"], want["message"] = true, true
		case "possible":
			rule.Kind, rule.Scope = Possible, ScopeStep
			want["rule"] = true
		case GraphLeadsTo:
			rule.Kind, rule.Graph, rule.Scope = GraphRule, GraphLeadsTo, ScopeDisk
			want["from"], want["to"] = true, true
		default:
			rule.Kind, rule.Graph = GraphRule, kind
			if kind == PropCustomerDeletes {
				for j, e := range r.Except {
					x := Exception{Attached: -1}
					id, ok := l.status(fmt.Sprintf("%s.except[%d].status", pat, j), e.Status)
					if ok {
						x.Status = id
					}
					if e.Attached != nil {
						x.Attached = 0
						if *e.Attached {
							x.Attached = 1
						}
					}
					rule.Except = append(rule.Except, x)
				}
			} else if len(r.Except) > 0 {
				l.errorf(pat+".except", "only a %s property has exceptions", PropCustomerDeletes)
			}
			if r.Name != kind {
				l.errorf(pat+".name", "a named graph rule is called by its kind; want %q", kind)
			}
		}
		switch r.Each {
		case "":
		case "disk", "fleet":
			if kind != "invariant" && kind != GraphLeadsTo {
				l.errorf(pat+".each", "only an invariant or a leads-to rule ranges over each disk or the fleet; remove each")
			} else if r.Each == "fleet" {
				rule.Scope = ScopeFleet
			}
		default:
			l.errorf(pat+".each", "unknown scope %q; want disk (each disk that exists, the default) or fleet (the whole state)", r.Each)
		}
		for _, f := range []string{"rule", "from", "to", "message"} {
			src := expressions[f]
			if src == "" {
				if want[f] && f != "message" {
					l.errorf(pat+"."+f, "missing; a %s property needs %s", kind, f)
				}
				continue
			}
			if !want[f] {
				l.errorf(pat+"."+f, "a %s property has no %s", kind, f)
				continue
			}
			prog, disks, errs := s.compileRule(src, rule.Scope, f == "message")
			for _, e := range errs {
				line, col := l.exprPos(pat+"."+f, src, e.from)
				l.errs = append(l.errs, &Error{File: l.file, Line: line, Col: col, Field: pat + "." + f, Msg: e.msg})
			}
			if disks && f != "message" {
				rule.Local = false
			}
			switch f {
			case "rule":
				rule.Expr, rule.prog = src, prog
			case "from":
				rule.From, rule.from = src, prog
			case "to":
				rule.To, rule.to = src, prog
			case "message":
				rule.Message, rule.msg = src, prog
			}
		}
		out = append(out, rule)
	}
	return out
}

// exprPos places rune offset from of expression src, the value of field,
// in the file: on the value's own line for a plain or quoted scalar, on
// the lines below for a block scalar (| or >).
func (l *loader) exprPos(field, src string, from int) (int, int) {
	line, col := l.pos(field)
	eLine, eCol := 1, 0
	for i, r := range []rune(src) {
		if i == from {
			break
		}
		if r == '\n' {
			eLine++
			eCol = 0
		} else {
			eCol++
		}
	}
	lines := bytes.Split(l.src, []byte("\n"))
	if line < 1 || line > len(lines) {
		return line, col
	}
	text := lines[line-1]
	start := col - 1
	if start < 0 || start > len(text) {
		return line, col
	}
	// goccy/go-yaml gives the column of the value in runes from 1.
	rest := text
	for n := 0; n < start && len(rest) > 0; n++ {
		_, size := utf8.DecodeRune(rest)
		rest = rest[size:]
	}
	trimmed := strings.TrimLeft(string(rest), " ")
	switch {
	case strings.HasPrefix(trimmed, "|") || strings.HasPrefix(trimmed, ">"):
		if line+eLine-1 >= len(lines) {
			return line, col
		}
		body := lines[line+eLine-1]
		indent := len(body) - len(bytes.TrimLeft(body, " "))
		return line + eLine, indent + 1 + eCol
	case strings.HasPrefix(trimmed, `"`) || strings.HasPrefix(trimmed, "'"):
		if eLine == 1 {
			return line, col + 1 + eCol
		}
		return line + eLine - 1, eCol + 1
	}
	if eLine == 1 {
		return line, col + eCol
	}
	return line + eLine - 1, eCol + 1
}

// deadEntries rejects a from entry whose status is transitional and that
// no completion lands in: a disk in such a status is running an operation
// and starts nothing, so the entry never fires, while the diagram would
// still draw its arrow.
func (l *loader) deadEntries(s *Spec) {
	atRest := map[StatusID]bool{}
	for i := range s.Ops {
		op := &s.Ops[i]
		lists := [][]Target{op.Success, op.Failure}
		for _, st := range op.Steps {
			lists = append(lists, st.Failure)
		}
		for _, ts := range lists {
			for _, t := range ts {
				if t.Kind == ToStatus {
					atRest[t.Status] = true
				}
			}
		}
	}
	for i := range s.Ops {
		for j, f := range s.Ops[i].From {
			if int(f.Status) >= len(s.Statuses) || s.Statuses[f.Status].Class != Transitional || atRest[f.Status] {
				continue
			}
			l.errorf(fmt.Sprintf("operations[%d].from[%d].status", i, j), "%q is transitional and no completion lands in it: a disk there is running an operation and starts nothing, so this entry never fires; start from a stable, failed or parked status", s.Statuses[f.Status].Name)
		}
	}
}
