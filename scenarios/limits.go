package scenarios

import "github.com/evsim/evsim/model"

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
