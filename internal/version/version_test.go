package version

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestFromBuildInfo(t *testing.T) {
	for _, tc := range []struct {
		name       string
		bi         debug.BuildInfo
		short      string
		longPrefix string
	}{
		{"release", debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/evsim/evsim", Version: "v1.2.0"}},
			"v1.2.0", "evsim v1.2.0\nmodule   github.com/evsim/evsim\ngo       go1.26.8\n"},
		{"checkout", debug.BuildInfo{Main: debug.Module{Path: "m", Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "3f2a9c1d0b7e55aa"}, {Key: "vcs.time", Value: "2026-01-02T03:04:05Z"}, {Key: "vcs.modified", Value: "true"}}},
			"(devel) 3f2a9c1d0b7e+dirty", "evsim (devel)\nrevision 3f2a9c1d0b7e55aa (modified) of 2026-01-02T03:04:05Z\n"},
		{"no version", debug.BuildInfo{}, "(devel)", "evsim (devel)\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := FromBuildInfo(&tc.bi)
			if got := in.Short(); got != tc.short {
				t.Errorf("Short: got %q, want %q", got, tc.short)
			}
			if got := in.Long("evsim"); !strings.HasPrefix(got, tc.longPrefix) {
				t.Errorf("Long: got %q, want it to start with %q", got, tc.longPrefix)
			}
		})
	}
}
