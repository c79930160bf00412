package simcli

import (
	"fmt"
	"reflect"
	"sort"

	"github.com/goccy/go-yaml"

	"github.com/evsim/evsim/model"
	"github.com/evsim/evsim/scenarios"
)

// sameScenario compares the scenarios two shard files were run with by
// content: what each loads into, whatever the file was called and however
// it was laid out or commented. When they differ it returns the scenario
// field that differs first (in key order), such as rates.expand, or
// "scenario" when no single field can be named.
func sameScenario(a, b *shardFile, spec *model.Spec) (field string, same bool) {
	if a.Source == b.Source {
		return "", true
	}
	sa, errA := scenarios.Load(a.ScenarioFile, []byte(a.Source), spec)
	sb, errB := scenarios.Load(b.ScenarioFile, []byte(b.Source), spec)
	if errA == nil && errB == nil && reflect.DeepEqual(sa.Config, sb.Config) {
		return "", true
	}
	var ma, mb map[string]any
	if yaml.Unmarshal([]byte(a.Source), &ma) != nil || yaml.Unmarshal([]byte(b.Source), &mb) != nil {
		return "scenario", false
	}
	var diffs []string
	diffPaths("", ma, mb, &diffs)
	for _, p := range diffs {
		if p != "name" && p != "description" {
			return p, false
		}
	}
	if len(diffs) > 0 {
		return diffs[0], false
	}
	return "scenario", false
}

// diffPaths appends the path of every value that differs between a and b
// to out, keys in sorted order.
func diffPaths(path string, a, b any, out *[]string) {
	ma, okA := a.(map[string]any)
	mb, okB := b.(map[string]any)
	if !okA || !okB {
		if !reflect.DeepEqual(a, b) {
			if path == "" {
				path = "scenario"
			}
			*out = append(*out, path)
		}
		return
	}
	keys := map[string]bool{}
	for k := range ma {
		keys[k] = true
	}
	for k := range mb {
		keys[k] = true
	}
	var sorted []string
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	for _, k := range sorted {
		p := k
		if path != "" {
			p = path + "." + k
		}
		diffPaths(p, ma[k], mb[k], out)
	}
}

// describeField names a field for a message.
func describeField(f string) string {
	if f == "scenario" {
		return "scenario"
	}
	return fmt.Sprintf("scenario (field %s)", f)
}
