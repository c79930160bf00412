package checkcli

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"regexp"
	"strings"

	"github.com/evsim/evsim/check"
	"github.com/evsim/evsim/cmd/internal/cli"
	"github.com/evsim/evsim/diagram"
	"github.com/evsim/evsim/diagram/render"
	"github.com/evsim/evsim/model"
)

// The HTML report of check (-html FILE): one self-contained file (inline
// style, script and SVG; nothing fetched) with the verdict, the property
// table, the coverage, the findings and the status diagram; each
// counterexample is drawn on the diagram, with a stepper whose next and
// previous buttons highlight the arrow of the current step and show the
// fleet's state after it.

//go:embed report.html.tmpl
var htmlTemplate string

var reportTmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"upper": strings.ToUpper,
}).Parse(htmlTemplate))

// htmlStep is a step of a counterexample as the page shows it.
type htmlStep struct {
	N      int    `json:"n"`
	Action string `json:"action"`
	From   string `json:"from"`
	To     string `json:"to"`
	State  string `json:"state"` // the fleet after the step
}

type htmlViolation struct {
	ID       string
	Property string
	Detail   string
	Initial  string // the fleet before the first step
	Steps    []htmlStep
	StepsJS  template.JS
	SVG      template.HTML
}

type htmlPage struct {
	Style      template.CSS
	Out        *output
	Version    string
	Stopped    string
	Diagram    template.HTML
	Violations []htmlViolation
}

var stateEntry = regexp.MustCompile(`(?:^|; )([ds][0-9]+): `)

// splitState splits a formatted state ("d0: Available, 10 GiB; s0: on")
// into its entries by name, in order.
func splitState(s string) (names []string, vals map[string]string) {
	vals = map[string]string{}
	idx := stateEntry.FindAllStringSubmatchIndex(s, -1)
	for i, m := range idx {
		name := s[m[2]:m[3]]
		end := len(s)
		if i+1 < len(idx) {
			end = idx[i+1][0]
		}
		names = append(names, name)
		vals[name] = s[m[1]:end]
	}
	return names, vals
}

// fleetStates reconstructs the fleet before the trace and after each of
// its steps, from the final state backwards: each step changes one disk
// (its detail before and after) or one server's power.
func fleetStates(v check.Counterexample) (initial string, after []string) {
	names, vals := splitState(v.Final)
	format := func() string {
		var b strings.Builder
		for _, n := range names {
			fmt.Fprintf(&b, "%s: %s\n", n, vals[n])
		}
		return strings.TrimRight(b.String(), "\n")
	}
	after = make([]string, len(v.Trace))
	for i := len(v.Trace) - 1; i >= 0; i-- {
		after[i] = format()
		s := v.Trace[i]
		switch {
		case s.Disk >= 0 && s.FromDetail != "":
			vals[fmt.Sprintf("d%d", s.Disk)] = s.FromDetail
		case s.Disk < 0 && s.Server >= 0:
			vals[fmt.Sprintf("s%d", s.Server)] = s.From
		}
	}
	return format(), after
}

// svgFor renders the diagram of spec, with the counterexample of property
// drawn on it when property is not empty.
func svgFor(spec *model.Spec, report []byte, property string) (template.HTML, error) {
	g, err := diagram.Build(spec, diagram.Options{View: diagram.Full})
	if err != nil {
		return "", err
	}
	if property != "" {
		if g.Trace, err = diagram.ParseTrace("report", report, spec, property); err != nil {
			return "", err
		}
	}
	var dot bytes.Buffer
	if err := g.WriteDOT(&dot); err != nil {
		return "", err
	}
	svg, err := render.SVG(context.Background(), dot.Bytes())
	if err != nil {
		return "", err
	}
	return cli.InlineSVG(svg), nil
}

// writeHTML renders the HTML report of o, checked against spec.
func writeHTML(name string, o *output, spec *model.Spec) error {
	page := htmlPage{Style: template.CSS(cli.HTMLStyle), Out: o, Version: cli.Version()}
	if o.Report.Stop != "complete" {
		page.Stopped = o.Report.Stop
	}
	report, err := json.Marshal(o)
	if err != nil {
		return err
	}
	withTrace := 0
	for i, v := range o.Report.Violations {
		hv := htmlViolation{ID: fmt.Sprintf("cx%d", i), Property: v.Property, Detail: v.Detail}
		if len(v.Trace) > 0 {
			var after []string
			hv.Initial, after = fleetStates(v)
			for j, s := range v.Trace {
				hv.Steps = append(hv.Steps, htmlStep{N: j + 1, Action: s.Action, From: s.From, To: s.To, State: after[j]})
			}
			js, err := json.Marshal(hv.Steps)
			if err != nil {
				return err
			}
			hv.StepsJS = template.JS(js)
			if hv.SVG, err = svgFor(spec, report, v.Property); err != nil {
				return fmt.Errorf("-html: drawing the counterexample to %s: %w", v.Property, err)
			}
			withTrace++
		}
		page.Violations = append(page.Violations, hv)
	}
	if withTrace == 0 {
		if page.Diagram, err = svgFor(spec, nil, ""); err != nil {
			return fmt.Errorf("-html: drawing the diagram: %w", err)
		}
	}
	var b bytes.Buffer
	if err := reportTmpl.Execute(&b, page); err != nil {
		return err
	}
	return writeFile(name, b.Bytes())
}
