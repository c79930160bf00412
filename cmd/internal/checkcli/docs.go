package checkcli

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/evsim/evsim/cmd/internal/cli"
	"github.com/evsim/evsim/diagram/table1"
	"github.com/evsim/evsim/internal/readfile"
	"github.com/evsim/evsim/model"
)

// docsReport is the result of -docs: a page's Table 1 against the model's.
type docsReport struct {
	SchemaVersion int             `json:"schema_version"` // of docs/schemas/check-docs-report.schema.json
	EvsimVersion  string          `json:"evsim_version"`
	Page          string          `json:"page"`
	Spec          string          `json:"spec"`
	Result        string          `json:"result"` // agrees or differs
	Rows          int             `json:"rows"`
	Differences   []docDifference `json:"differences"`
}

type docDifference struct {
	Line   int    `json:"line"`
	Col    int    `json:"col"`
	Status string `json:"status"`
	Field  string `json:"field"`
	Kind   string `json:"kind"` // missing (from the page), extra (on the page) or differs
	Page   string `json:"page,omitempty"`
	Model  string `json:"model,omitempty"`
	Text   string `json:"text"`
}

// maxDocsBytes bounds the page -docs reads: the EVS Disk Status page is
// about 20 KB.
const maxDocsBytes = 4 << 20

// runDocs compares the status table of a documentation page with the
// model's Table 1 and reports every cell where they differ: exit 0 when
// they agree, 1 on any difference, 2 when the page cannot be read.
func runDocs(o *options, spec *model.Spec, specName string, stdout, stderr io.Writer) int {
	if o.html != "" {
		fmt.Fprintf(stderr, "check: -html goes with a check of the model, not with -docs (use -junit, -format json or sarif)\n")
		return exitBadInput
	}
	data, err := readfile.Read(o.docs, maxDocsBytes)
	if err != nil {
		fmt.Fprintf(stderr, "check: -docs: %v\n", err)
		return exitBadInput
	}
	page, err := table1.Parse(o.docs, data)
	if err != nil {
		fmt.Fprintf(stderr, "check: -docs: %v\n", err)
		return exitBadInput
	}
	rep := docsReport{SchemaVersion: reportSchemaVersion, EvsimVersion: cli.Version(), Page: o.docs, Spec: specName, Result: "agrees", Rows: len(page.Rows), Differences: []docDifference{}}
	for _, d := range table1.Compare(page, spec.Table1()) {
		rep.Differences = append(rep.Differences, docDifference{
			Line: d.Line, Col: d.Col, Status: d.Status, Field: d.Field.String(), Kind: d.Kind.String(),
			Page: d.Page, Model: d.Model, Text: d.String(),
		})
	}
	if len(rep.Differences) > 0 {
		rep.Result = "differs"
	}
	code := exitHolds
	if len(rep.Differences) > 0 {
		code = exitViolated
	}
	switch o.format {
	case "sarif":
		if err := writeSARIF(stdout, docsSARIF(&rep, code)); err != nil {
			fmt.Fprintf(stderr, "check: %v\n", err)
			return exitBadInput
		}
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintf(stderr, "check: %v\n", err)
			return exitBadInput
		}
	default:
		fmt.Fprintf(stdout, "page    %s (Table 1 at line %d, %d rows)\n", rep.Page, page.Top.Line, rep.Rows)
		fmt.Fprintf(stdout, "spec    %s\n", rep.Spec)
		if len(rep.Differences) == 0 {
			fmt.Fprintf(stdout, "result  AGREES: every status, description, allowed operation and note of the page is the model's\n")
		} else {
			fmt.Fprintf(stdout, "result  DIFFERS: %d cell(s) where the page and the model disagree\n\n", len(rep.Differences))
			for _, d := range rep.Differences {
				fmt.Fprintln(stdout, d.Text)
			}
		}
		if o.format == "github" {
			writeDocsGitHub(stdout, &rep)
		}
	}
	if o.junit != "" {
		if err := writeDocsJUnit(o.junit, page, &rep); err != nil {
			fmt.Fprintf(stderr, "check: %v\n", err)
			return exitBadInput
		}
	}
	if len(rep.Differences) > 0 {
		return exitViolated
	}
	return exitHolds
}

// writeDocsJUnit writes one test case per status row of the page, failing
// with the row's differences, and one for statuses the page lacks.
func writeDocsJUnit(path string, page *table1.Table, rep *docsReport) error {
	byStatus := map[string][]string{}
	onPage := map[string]bool{}
	for _, r := range page.Rows {
		onPage[r.Status] = true
	}
	var absent []string
	for _, d := range rep.Differences {
		byStatus[d.Status] = append(byStatus[d.Status], d.Text)
		if !onPage[d.Status] {
			absent = append(absent, d.Text)
		}
	}
	s := cli.JUnitSuite{Name: "docs " + filepath.Base(rep.Page), Package: "evsim.docs",
		Properties: []cli.JUnitProperty{{Name: "evsim.result", Value: rep.Result}, {Name: "evsim.page", Value: rep.Page}, {Name: "evsim.spec", Value: rep.Spec}}}
	add := func(name string, diffs []string) {
		c := cli.JUnitCase{Name: name, ClassName: "table1"}
		if len(diffs) > 0 {
			c.Failure = &cli.JUnitProblem{Message: fmt.Sprintf("%d difference(s)", len(diffs)), Type: "differs", Text: strings.Join(diffs, "\n")}
		}
		s.Cases = append(s.Cases, c)
	}
	for _, r := range page.Rows {
		add(r.Status, byStatus[r.Status])
	}
	add("statuses of the model missing from the page", absent)
	out, err := cli.MarshalJUnit([]cli.JUnitSuite{s})
	if err != nil {
		return err
	}
	return writeFile(path, out)
}
