package checkcli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/evsim/evsim/check"
	"github.com/evsim/evsim/cmd/internal/cli"
	"github.com/evsim/evsim/model"
)

// SARIF 2.1.0 (OASIS), the format GitHub code scanning uploads: one run of
// the tool evsim, one rule per property (or per kind of Table 1
// difference), one result per violated property at the line of the spec
// where the operation that broke it may start, with the shortest trace as
// a code flow, and one note per finding. docs/schemas carries the schema
// the tests validate against.

const (
	sarifSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	sarifVersion = "2.1.0"
	toolURI      = "https://github.com/evsim/evsim"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	Results     []sarifResult     `json:"results"`
	Properties  map[string]any    `json:"properties,omitempty"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID               string         `json:"id"`
	Name             string         `json:"name,omitempty"`
	ShortDescription sarifText      `json:"shortDescription"`
	FullDescription  *sarifText     `json:"fullDescription,omitempty"`
	Properties       map[string]any `json:"properties,omitempty"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifInvocation struct {
	ExecutionSuccessful bool                `json:"executionSuccessful"`
	ExitCode            int                 `json:"exitCode"`
	Notifications       []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level   string    `json:"level"`
	Message sarifText `json:"message"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	RuleIndex int             `json:"ruleIndex"`
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations"`
	CodeFlows []sarifCodeFlow `json:"codeFlows,omitempty"`
}

type sarifLocation struct {
	Physical sarifPhysical `json:"physicalLocation"`
	Message  *sarifText    `json:"message,omitempty"`
}

type sarifPhysical struct {
	Artifact sarifArtifact `json:"artifactLocation"`
	Region   sarifRegion   `json:"region"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

type sarifCodeFlow struct {
	ThreadFlows []sarifThreadFlow `json:"threadFlows"`
}

type sarifThreadFlow struct {
	Locations []sarifFlowLocation `json:"locations"`
}

type sarifFlowLocation struct {
	Location sarifLocation `json:"location"`
}

// artifactURI is the path of a file as a SARIF artifact: relative to the
// working directory (the repository root in CI) and slash-separated; the
// embedded spec is model/evs.yaml of the repository.
func artifactURI(name string, embedded bool) sarifArtifact {
	if embedded {
		return sarifArtifact{URI: "model/" + model.DefaultSpecName, URIBaseID: "%SRCROOT%"}
	}
	if !filepath.IsAbs(name) && strings.HasPrefix(filepath.Clean(name), "..") {
		if abs, err := filepath.Abs(name); err == nil {
			name = abs
		}
	}
	if filepath.IsAbs(name) {
		if wd, err := os.Getwd(); err == nil {
			if rel, err := filepath.Rel(wd, name); err == nil && !strings.HasPrefix(rel, "..") {
				name = rel
			}
		}
	}
	if filepath.IsAbs(name) {
		return sarifArtifact{URI: "file://" + filepath.ToSlash(name)}
	}
	return sarifArtifact{URI: filepath.ToSlash(filepath.Clean(name)), URIBaseID: "%SRCROOT%"}
}

// specLocation is where in the spec a trace step's operation may start
// from the step's status (the op's from entry), else the operation, else
// the top of the file.
func specLocation(spec *model.Spec, art sarifArtifact, s check.TraceStep) sarifPhysical {
	region := sarifRegion{StartLine: 1, StartColumn: 1}
	if id, ok := spec.OpByName(s.Op); ok {
		op := &spec.Ops[id]
		if op.Line > 0 {
			region = sarifRegion{StartLine: op.Line, StartColumn: op.Col}
		}
		for _, f := range op.From {
			if spec.StatusName(f.Status) == s.From && f.Line > 0 {
				region = sarifRegion{StartLine: f.Line, StartColumn: f.Col}
				break
			}
		}
	}
	return sarifPhysical{Artifact: art, Region: region}
}

// findingLocation is where in the spec a finding points: its operation or
// its status.
func findingLocation(spec *model.Spec, art sarifArtifact, f check.Finding) sarifPhysical {
	region := sarifRegion{StartLine: 1, StartColumn: 1}
	if id, ok := spec.OpByName(f.Op); ok && spec.Ops[id].Line > 0 {
		region = sarifRegion{StartLine: spec.Ops[id].Line, StartColumn: spec.Ops[id].Col}
	} else if id, ok := spec.StatusByName(f.Status); ok && spec.Statuses[id].Line > 0 {
		region = sarifRegion{StartLine: spec.Statuses[id].Line, StartColumn: spec.Statuses[id].Col}
	}
	return sarifPhysical{Artifact: art, Region: region}
}

// checkSARIF is the SARIF log of a check.
func checkSARIF(o *output, spec *model.Spec, embedded bool, exit int) *sarifLog {
	r := o.Report
	art := artifactURI(o.Spec, embedded)
	run := sarifRun{
		Tool:       sarifTool{Driver: sarifDriver{Name: "evsim", Version: cli.Version(), InformationURI: toolURI}},
		Results:    []sarifResult{},
		Properties: map[string]any{"result": r.Result, "stop": r.Stop, "states": r.States, "disks": o.Config.Disks, "servers": o.Config.Servers},
	}
	inv := sarifInvocation{ExecutionSuccessful: r.Stop == "complete", ExitCode: exit}
	if r.Hint != "" {
		inv.Notifications = append(inv.Notifications, sarifNotification{Level: "warning", Message: sarifText{"incomplete: " + r.Hint}})
	}
	run.Invocations = []sarifInvocation{inv}
	ruleIndex := map[string]int{}
	for _, p := range r.Properties {
		ruleIndex[p.Name] = len(run.Tool.Driver.Rules)
		rule := sarifRule{ID: p.Name, Name: p.Name, ShortDescription: sarifText{p.Summary},
			Properties: map[string]any{"kind": p.Kind, "verdict": p.Verdict}}
		if p.Number > 0 {
			rule.Properties["number"] = p.Number
		}
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, rule)
	}
	for _, v := range r.Violations {
		res := sarifResult{RuleID: v.Property, RuleIndex: ruleIndex[v.Property], Level: "error", Message: sarifText{v.Property + ": " + v.Detail}}
		loc := sarifPhysical{Artifact: art, Region: sarifRegion{StartLine: 1, StartColumn: 1}}
		if n := len(v.Trace); n > 0 {
			loc = specLocation(spec, art, v.Trace[n-1])
			var flow sarifThreadFlow
			for i, s := range v.Trace {
				text := fmt.Sprintf("step %d: %s: %s -> %s", i+1, s.Action, s.From, s.To)
				flow.Locations = append(flow.Locations, sarifFlowLocation{Location: sarifLocation{Physical: specLocation(spec, art, s), Message: &sarifText{text}}})
			}
			res.CodeFlows = []sarifCodeFlow{{ThreadFlows: []sarifThreadFlow{flow}}}
			res.Message.Text += fmt.Sprintf(" (shortest trace: %d steps, the last %s)", n, v.Trace[n-1].Action)
		}
		res.Locations = []sarifLocation{{Physical: loc}}
		run.Results = append(run.Results, res)
	}
	kinds := map[string]int{}
	for _, f := range r.Findings {
		id := "finding/" + f.Kind
		if _, ok := kinds[id]; !ok {
			kinds[id] = len(run.Tool.Driver.Rules)
			run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{ID: id, Name: f.Kind,
				ShortDescription: sarifText{"a finding of kind " + f.Kind + ": where Table 1 and the rest of the documentation disagree, or what the search did not reach"}})
		}
		run.Results = append(run.Results, sarifResult{RuleID: id, RuleIndex: kinds[id], Level: "note", Message: sarifText{f.Text},
			Locations: []sarifLocation{{Physical: findingLocation(spec, art, f)}}})
	}
	return &sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}}
}

// docsSARIF is the SARIF log of check -docs: one result per difference at
// its line and column of the page.
func docsSARIF(rep *docsReport, exit int) *sarifLog {
	art := artifactURI(rep.Page, false)
	run := sarifRun{
		Tool:        sarifTool{Driver: sarifDriver{Name: "evsim", Version: cli.Version(), InformationURI: toolURI}},
		Invocations: []sarifInvocation{{ExecutionSuccessful: true, ExitCode: exit}},
		Results:     []sarifResult{},
		Properties:  map[string]any{"result": rep.Result, "spec": rep.Spec, "rows": rep.Rows},
	}
	index := map[string]int{}
	for _, d := range rep.Differences {
		id := "table1/" + strings.ReplaceAll(d.Field, " ", "-") + "-" + d.Kind
		if _, ok := index[id]; !ok {
			index[id] = len(run.Tool.Driver.Rules)
			run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{ID: id,
				ShortDescription: sarifText{fmt.Sprintf("Table 1 of the page and the model's differ: %s %s", d.Field, d.Kind)}})
		}
		msg := d.Text
		if _, after, ok := strings.Cut(d.Text, ": "); ok && strings.HasPrefix(d.Text, rep.Page+":") {
			msg = after
		}
		run.Results = append(run.Results, sarifResult{RuleID: id, RuleIndex: index[id], Level: "error", Message: sarifText{msg},
			Locations: []sarifLocation{{Physical: sarifPhysical{Artifact: art, Region: sarifRegion{StartLine: max(d.Line, 1), StartColumn: max(d.Col, 1)}}}}})
	}
	if run.Tool.Driver.Rules == nil {
		run.Tool.Driver.Rules = []sarifRule{}
	}
	return &sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}}
}

func writeSARIF(w io.Writer, l *sarifLog) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(l)
}
