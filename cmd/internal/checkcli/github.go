package checkcli

import (
	"fmt"
	"io"
	"strings"

	"github.com/evsim/evsim/model"
)

// GitHub Actions workflow commands (-format github): after the text
// report, one ::error line per violated property at the line of the spec
// where the operation that broke it may start (per difference at its line
// and column of the page with -docs), and a ::warning when the search was
// incomplete. GitHub shows them on the pull request's files and in the
// run's summary.

// ghEscape escapes a workflow command's message.
func ghEscape(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProp escapes a workflow command's property value.
func ghProp(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

func ghAnnotation(w io.Writer, level, file string, line, col int, title, msg string) {
	fmt.Fprintf(w, "::%s file=%s,line=%d,col=%d,title=%s::%s\n", level, ghProp(file), max(line, 1), max(col, 1), ghProp(title), ghEscape(msg))
}

func writeGitHub(w io.Writer, o *output, spec *model.Spec, embedded bool) {
	art := artifactURI(o.Spec, embedded)
	for _, v := range o.Report.Violations {
		line, col := 1, 1
		if n := len(v.Trace); n > 0 {
			loc := specLocation(spec, art, v.Trace[n-1])
			line, col = loc.Region.StartLine, loc.Region.StartColumn
		}
		msg := v.Detail
		if n := len(v.Trace); n > 0 {
			msg += fmt.Sprintf(" (shortest trace: %d steps, the last %s)", n, v.Trace[n-1].Action)
		}
		ghAnnotation(w, "error", art.URI, line, col, "evsim check: "+v.Property, msg)
	}
	if o.Report.Hint != "" {
		fmt.Fprintf(w, "::warning title=%s::%s\n", ghProp("evsim check: incomplete"), ghEscape(o.Report.Hint))
	}
}

func writeDocsGitHub(w io.Writer, rep *docsReport) {
	art := artifactURI(rep.Page, false)
	for _, d := range rep.Differences {
		msg := d.Text
		if _, after, ok := strings.Cut(d.Text, ": "); ok {
			msg = after
		}
		ghAnnotation(w, "error", art.URI, d.Line, d.Col, "evsim check -docs: "+d.Status, msg)
	}
}
