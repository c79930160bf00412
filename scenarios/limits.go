package scenarios

import (
	"strconv"
	"strings"

	"github.com/evsim/evsim/model"
)

// scenarioLimits bounds a scenario file before it is decoded: the size,
// depth and expanded size of [model.DefaultYAMLLimits], and each map keyed
// by operation no longer than the most operations a spec may have.
var scenarioLimits = model.YAMLLimits{
	What: "scenario",
	MaxItems: map[string]int{
		"rates":     model.MaxOps,
		"durations": model.MaxOps,
		"failures":  model.MaxOps,
		"remedies":  model.MaxOps,
	},
}

// maxErrors is the most errors a scenario load collects: a list longer
// than the 20 an [model.ErrorList] shows says nothing more, and placing
// each error walks the syntax tree.
const maxErrors = 100

// tooFine reports whether s is a number with a unit finer than the
// second (ns, us, µs, ms), which no duration of a scenario takes: the
// simulator's clock has no use for it, and "1ns" deserves "too short"
// rather than "not a duration".
func tooFine(s string) bool {
	s = strings.TrimSpace(s)
	for _, u := range []string{"ns", "us", "µs", "ms"} {
		if num, ok := strings.CutSuffix(s, u); ok {
			_, err := strconv.ParseFloat(num, 64)
			return err == nil
		}
	}
	return false
}

// consequencef records an error that may follow from another one (a
// missing duration after a mistyped status name, a remedy that needs
// agents after a bad agent count): it is listed after the direct errors.
func (l *loader) consequencef(field, format string, args ...any) {
	n := len(l.errs)
	l.errorf(field, format, args...)
	if len(l.errs) > n {
		l.errs[n].Consequence = true
	}
}
