// Package version tells which build of a program is running: the module
// version and the version-control revision that the Go toolchain records
// in every binary it builds (runtime/debug.ReadBuildInfo).
//
// A binary installed with go install MODULE/cmd/NAME@v1.2.0 has the module
// version v1.2.0; one built in a checkout has the version "(devel)" and,
// unless built with -buildvcs=false, the revision of the checkout and
// whether the work tree had changes.
package version

import (
	"runtime/debug"
	"strings"
)

// Info is what the build recorded. The zero value is a build that
// recorded nothing (Version "").
type Info struct {
	Module    string // module path, such as github.com/evsim/evsim
	Version   string // module version, such as v1.2.0, or "(devel)"
	Revision  string // version-control revision; empty when not recorded
	Time      string // time of the revision's commit (RFC 3339); empty when not recorded
	Modified  bool   // the work tree had changes the revision lacks
	GoVersion string // the toolchain, such as go1.26.8
}

// Read returns the build information of the running binary. A binary
// without any (not built by the go command) gets Version "(unknown)".
func Read() Info {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return Info{Version: "(unknown)"}
	}
	return FromBuildInfo(bi)
}

// FromBuildInfo extracts the Info of bi: its main module's path and
// version, and the vcs.revision, vcs.time and vcs.modified settings.
func FromBuildInfo(bi *debug.BuildInfo) Info {
	in := Info{Module: bi.Main.Path, Version: bi.Main.Version, GoVersion: bi.GoVersion}
	if in.Version == "" {
		in.Version = "(devel)"
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			in.Revision = s.Value
		case "vcs.time":
			in.Time = s.Value
		case "vcs.modified":
			in.Modified = s.Value == "true"
		}
	}
	return in
}

// Short is the version and, when recorded, the first 12 characters of
// the revision, with "+dirty" for a modified work tree:
// "v1.2.0", "(devel) 3f2a9c1d0b7e+dirty".
func (in Info) Short() string {
	s := in.Version
	if in.Revision != "" {
		rev := in.Revision
		if len(rev) > 12 {
			rev = rev[:12]
		}
		s += " " + rev
		if in.Modified {
			s += "+dirty"
		}
	}
	return s
}

// Long is what a -version flag prints for the program name: its version,
// the full revision with its time, the module and the toolchain, one
// line each after the first.
func (in Info) Long(name string) string {
	var b strings.Builder
	b.WriteString(name + " " + in.Version + "\n")
	if in.Revision != "" {
		b.WriteString("revision " + in.Revision)
		if in.Modified {
			b.WriteString(" (modified)")
		}
		if in.Time != "" {
			b.WriteString(" of " + in.Time)
		}
		b.WriteString("\n")
	}
	if in.Module != "" {
		b.WriteString("module   " + in.Module + "\n")
	}
	if in.GoVersion != "" {
		b.WriteString("go       " + in.GoVersion + "\n")
	}
	return b.String()
}
