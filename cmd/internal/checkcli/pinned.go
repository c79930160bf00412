package checkcli

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/evsim/evsim/check"
	"github.com/evsim/evsim/diagram/table1"
	"github.com/evsim/evsim/internal/atomicfile"
	"github.com/evsim/evsim/model"
)

// The properties a check adds beside the spec's own: the spec's derived
// Table 1 against the page's (-page), and the findings against a pinned
// list (-findings).
const (
	PropTableMatchesPage = "table-1-matches-the-page"
	PropFindingsPinned   = "findings-match-the-pinned-list"
)

// pinOptions are the flags of this file.
type pinOptions struct {
	page          string // "" (the pinned page when -spec is given), "none", or a file
	findings      string
	writeFindings string
}

func pinFlags(fs *flag.FlagSet, o *pinOptions) {
	fs.StringVar(&o.page, "page", "", "with -spec, also compare the spec's Table 1 with the Table 1 of a documentation `page` (reStructuredText) as property "+PropTableMatchesPage+"; default the project's pinned copy of the EVS Disk Status page, none to turn it off")
	fs.StringVar(&o.findings, "findings", "", "compare the findings with the pinned list in `file` (written by -write-findings) as property "+PropFindingsPinned+": a finding that appears or disappears fails it")
	fs.StringVar(&o.writeFindings, "write-findings", "", "write the findings to `file`, one a line, for -findings")
}

// loadPage reads the page -page names, before the search, so that a page
// that cannot be read stops the check with exit status 2. It returns nil
// when there is nothing to compare.
func (o *pinOptions) loadPage(specGiven bool) (*table1.Table, error) {
	name, data := table1.PinnedName, table1.Pinned()
	switch o.page {
	case "none":
		return nil, nil
	case "":
		if !specGiven {
			return nil, nil // the embedded spec is held to the page by its tests
		}
	default:
		var err error
		name = o.page
		if data, err = readBounded(o.page); err != nil {
			return nil, fmt.Errorf("-page: %w", err)
		}
	}
	page, err := table1.Parse(name, data)
	if err != nil {
		return nil, fmt.Errorf("-page: %w", err)
	}
	return page, nil
}

// maxPinned bounds the pages and findings lists read.
const maxPinned = 8 << 20

func readBounded(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(io.LimitReader(f, maxPinned+1)); err != nil {
		return nil, err
	}
	if buf.Len() > maxPinned {
		return nil, fmt.Errorf("%s: larger than %d MiB", path, maxPinned>>20)
	}
	return buf.Bytes(), nil
}

// findingLines are the findings as the pinned list holds them: "kind: text".
func findingLines(rep *check.Report) []string {
	var out []string
	for _, f := range rep.Findings {
		out = append(out, f.Kind+": "+f.Text)
	}
	sort.Strings(out)
	return out
}

// loadFindings reads a pinned list: one finding a line; empty lines and
// lines starting with # are left out.
func loadFindings(path string) ([]string, error) {
	data, err := readBounded(path)
	if err != nil {
		return nil, fmt.Errorf("-findings: %w", err)
	}
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), maxPinned)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, line)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("-findings: %s: %w", path, err)
	}
	return out, nil
}

// pin adds the page and findings properties to rep and writes the findings
// when asked. It returns an error only for a file it cannot write.
func (o *pinOptions) pin(rep *check.Report, spec *model.Spec, page *table1.Table, pinned []string) error {
	if page != nil {
		var diffs []string
		for _, d := range table1.Compare(page, spec.Table1()) {
			diffs = append(diffs, d.String())
		}
		addProperty(rep, PropTableMatchesPage, "The spec's Table 1 (the entries marked listed, and the notes) is the Table 1 of "+page.File+".", diffs,
			fmt.Sprintf("%d cell(s) where the spec's Table 1 and the page differ (a proposal that lists a new edge comes with the page change):", len(diffs)))
	}
	got := findingLines(rep)
	if o.findings != "" {
		want := map[string]bool{}
		for _, l := range pinned {
			want[l] = true
		}
		have := map[string]bool{}
		for _, l := range got {
			have[l] = true
		}
		var diffs []string
		for _, l := range got {
			if !want[l] {
				diffs = append(diffs, "appeared: "+l)
			}
		}
		for _, l := range pinned {
			if !have[l] {
				diffs = append(diffs, "disappeared: "+l)
			}
		}
		addProperty(rep, PropFindingsPinned, "The findings are those of the pinned list "+o.findings+".", diffs,
			fmt.Sprintf("%d finding(s) differ from the pinned list (rewrite it with -write-findings when the change is meant):", len(diffs)))
	}
	if o.writeFindings != "" {
		var b strings.Builder
		b.WriteString("# findings of cmd/check, one a line; compare with -findings\n")
		for _, l := range got {
			b.WriteString(l)
			b.WriteByte('\n')
		}
		if err := atomicfile.Write(o.writeFindings, []byte(b.String())); err != nil {
			return fmt.Errorf("-write-findings: %w", err)
		}
	}
	return nil
}

func addProperty(rep *check.Report, name, summary string, diffs []string, head string) {
	p := check.PropResult{Name: name, Kind: "docs", Summary: summary, Verdict: check.Holds, Holds: true}
	if len(diffs) > 0 {
		p.Verdict, p.Holds = check.Violated, false
		rep.Violations = append(rep.Violations, check.Counterexample{Property: name, Detail: head + "\n  " + strings.Join(diffs, "\n  "), Trace: []check.TraceStep{}})
		rep.Result = check.ResultViolated
	}
	rep.Properties = append(rep.Properties, p)
}
