package check

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/evsim/evsim/model"
)

// The rules of the page as they were written in Go before they moved into
// the spec as data: BenchmarkExplore runs them beside the rules as data,
// and TestHardCodedAgree holds the two to the same verdicts.

// roles are the statuses the properties talk about, looked up by API code
// so that a spec may rename a console name without losing its properties.
type roles struct {
	inUse, available, expanding, deleting, rollingBack, rollbackFailed model.StatusID
}

func hardRoles(s *model.System) roles {
	get := func(code string) model.StatusID {
		if id, ok := s.Spec.StatusByCode(code); ok {
			return id
		}
		return model.NoDisk // never equal to a spec status: the rule does not apply
	}
	return roles{
		inUse:          get("in-use"),
		available:      get("available"),
		expanding:      get("extending"),
		deleting:       get("deleting"),
		rollingBack:    get("rollbacking"),
		rollbackFailed: get("error_rollbacking"),
	}
}

// Properties returns the rules of the EVS Disk Status page as predicates
// over this system, in the order of the page's list of properties.
func hardCodedProperties(s *model.System) []model.Property {
	r := hardRoles(s)
	spec := s.Spec
	name := spec.StatusName
	return []model.Property{
		{
			Name: "shared-in-use-never-expands", Number: 1, Kind: model.StepRule,
			Summary: "A shared disk is never expanded while In-use.",
			Source:  `Table 1, In-use row, note: "A shared In-use EVS disk cannot be expanded."`,
			Step: func(s *model.System, from *model.State, a model.Action, to *model.State) string {
				if a.Disk == model.NoArg {
					return ""
				}
				f, t := &from.Disks[a.Disk], &to.Disks[a.Disk]
				if f.Shared && f.Status == r.inUse && t.Status == r.expanding {
					return fmt.Sprintf("shared disk d%d went from %s to %s", a.Disk, name(f.Status), name(t.Status))
				}
				return ""
			},
		},
		{
			Name: "attachment-limit", Number: 2, Kind: model.Invariant,
			Summary: fmt.Sprintf("A non-shared disk has at most %d attachment, a shared disk at most %d.", model.DocAttachments, model.DocSharedAttachments),
			Source:  "EVS user guide, attaching a shared disk: up to 16 servers; a non-shared disk attaches to one server",
			State: func(s *model.System, st *model.State) string {
				for d := 0; d < int(st.NDisks); d++ {
					k := &st.Disks[d]
					max := model.DocAttachments
					if k.Shared {
						max = model.DocSharedAttachments
					}
					if n := k.Attachments(); n > max {
						kind := "non-shared"
						if k.Shared {
							kind = "shared"
						}
						return fmt.Sprintf("%s disk d%d has %d attachments, more than %d", kind, d, n, max)
					}
				}
				return ""
			},
		},
		{
			Name: "shared-in-use-may-attach", Number: 2, Kind: model.Possible,
			Summary: "A shared In-use disk can take another attachment.",
			Source:  `Table 1, In-use row, note: "A shared In-use EVS disk can be attached."`,
			Witness: func(s *model.System, from *model.State, a model.Action, to *model.State) bool {
				if a.Kind != model.Start || a.Disk == model.NoArg {
					return false
				}
				f := &from.Disks[a.Disk]
				return f.Shared && f.Status == r.inUse && spec.Ops[a.Op].HasEffect(model.EffAttach)
			},
		},
		{
			Name: "table-operations-only-where-listed", Number: 3, Kind: model.StepRule,
			Summary: "A customer starts an operation Table 1 names only from a status whose row lists it, under the conditions of the row's notes.",
			Source:  "Table 1, Allowed Operation column",
			Step: func(s *model.System, from *model.State, a model.Action, to *model.State) string {
				if a.Kind != model.Start {
					return ""
				}
				op := &spec.Ops[a.Op]
				if op.Actor != model.Customer || op.TableName == "" || op.Creates {
					return ""
				}
				i, ok := s.Via(from, int(a.Disk), a.Op, a.Arg)
				if ok && i >= 0 && op.From[i].Table != model.NotInTable {
					return ""
				}
				return fmt.Sprintf("%q started on d%d in %s, whose Table 1 row does not allow it", op.TableName, a.Disk, name(from.Disks[a.Disk].Status))
			},
		},
		{
			Name: "rollback-only-from-available-or-rollback-failed", Number: 4, Kind: model.StepRule,
			Summary: "A rollback starts only from Available or Rollback failed, and only with a snapshot of the same disk.",
			Source:  `Table 1, Rolling back notes: "you can only restore the data to the original disk" and "only when its source disk is in the Available or Rollback failed state"`,
			Step: func(s *model.System, from *model.State, a model.Action, to *model.State) string {
				if a.Disk == model.NoArg {
					return ""
				}
				f, t := &from.Disks[a.Disk], &to.Disks[a.Disk]
				if t.Status != r.rollingBack || f.Status == r.rollingBack {
					return ""
				}
				if f.Status != r.available && f.Status != r.rollbackFailed {
					return fmt.Sprintf("d%d started rolling back from %s", a.Disk, name(f.Status))
				}
				if a.Kind == model.Start && spec.Ops[a.Op].Arg == model.ArgSnapshot && a.Arg != a.Disk {
					return fmt.Sprintf("d%d rolled back with a snapshot of d%d", a.Disk, a.Arg)
				}
				return ""
			},
		},
		{
			Name: "available-means-unattached", Number: 5, Kind: model.Invariant,
			Summary: "An Available disk has no attachment; an In-use disk has at least one.",
			Source:  `Table 1: Available "has not been attached to any server", In-use "is attached to a server"`,
			State: func(s *model.System, st *model.State) string {
				for d := 0; d < int(st.NDisks); d++ {
					k := &st.Disks[d]
					if k.Status == r.available && k.Attached != 0 {
						return fmt.Sprintf("d%d is %s with %d attachment(s)", d, name(k.Status), k.Attachments())
					}
					if k.Status == r.inUse && k.Attached == 0 {
						return fmt.Sprintf("d%d is %s with no attachment", d, name(k.Status))
					}
				}
				return ""
			},
		},
		{
			Name: "attached-disk-never-deleted", Number: 6, Kind: model.StepRule,
			Summary: "A disk with an attachment never starts Deleting.",
			Source:  "EVS error code EVS.1046 and the user guide: an attached disk cannot be deleted",
			Step: func(s *model.System, from *model.State, a model.Action, to *model.State) string {
				if a.Disk == model.NoArg {
					return ""
				}
				f, t := &from.Disks[a.Disk], &to.Disks[a.Disk]
				if t.Status == r.deleting && f.Status != r.deleting && f.Attached != 0 {
					return fmt.Sprintf("d%d started deleting while attached to %d server(s)", a.Disk, f.Attachments())
				}
				return ""
			},
		},
		{
			Name: "size-never-shrinks", Number: 7, Kind: model.StepRule,
			Summary: "A disk's size never shrinks.",
			Source:  "EVS user guide, expanding capacity: capacity can be expanded, not reduced",
			Step: func(s *model.System, from *model.State, a model.Action, to *model.State) string {
				if a.Disk == model.NoArg {
					return ""
				}
				f, t := &from.Disks[a.Disk], &to.Disks[a.Disk]
				if f.Exists() && t.Exists() && t.Size < f.Size {
					return fmt.Sprintf("d%d shrank from %d GiB to %d GiB", a.Disk, f.Size, t.Size)
				}
				return ""
			},
		},
		{
			Name: "size-within-limit", Number: 7, Kind: model.Invariant,
			Summary: fmt.Sprintf("A data disk stays within %d GiB, a system disk within %d GiB.", model.DocDataSize, model.DocSystemSize),
			Source:  "EVS user guide, disk capacity limits (32 TiB data disk, 1 TiB system disk)",
			State: func(s *model.System, st *model.State) string {
				for d := 0; d < int(st.NDisks); d++ {
					k := &st.Disks[d]
					max := uint32(model.DocDataSize)
					if k.System {
						max = model.DocSystemSize
					}
					if k.Exists() && k.Size > max {
						return fmt.Sprintf("d%d is %d GiB, more than %d GiB", d, k.Size, max)
					}
				}
				return ""
			},
		},
		{
			Name: model.PropTransitionalLeft, Number: 8, Kind: model.GraphRule,
			Summary: "Every transitional status is left again: no cycle and no end made only of transitional statuses.",
			Source:  "Table 1: transitional statuses describe work in progress and allow no operation",
		},
		{
			Name: model.PropEveryStatus, Number: 9, Kind: model.GraphRule,
			Summary: "Every status of Table 1 is reachable from creation.",
			Source:  "Table 1 lists the statuses a disk can have",
		},
		{
			Name: model.PropDeletable, Number: 10, Kind: model.GraphRule,
			Summary: "From every reachable state each disk can still be deleted (with the operator where Table 1 allows the customer nothing).",
			Source:  "Table 1 (Deleting from every failed status but Deletion failed) and FAQ evs_faq_0014 (remedies by customer service)",
		},
		{
			Name: model.PropNoDeadlock, Number: 0, Kind: model.GraphRule,
			Summary: "No disk is stuck: every disk that exists has an action, unless it is deleted.",
			Source:  "model hygiene: a status with no way out is a spec error",
		},
	}
}

// TestRulesAsDataAgainstHardCoded explores the default spec and every
// mutant with the rules of evs.yaml and with the Go rules they replaced:
// the same properties are violated, first at the same state and action,
// so every mutant is killed by the same rule with a trace of the same
// length. With -v it prints the table of mutants. The default fleet with
// one server keeps it quick; cmd/check's tests run the default fleet.
func TestRulesAsDataAgainstHardCoded(t *testing.T) {
	names := append([]string{"default"}, pageMutants(t)...)
	t.Logf("%-32s %-48s %-10s %s", "mutant", "killed by", "fleet", "trace")
	for _, name := range names {
		spec := model.Default()
		cfg, fleet := smallConfig(), "1 server"
		if name != "default" {
			spec = mutant(t, name)
		}
		if name == "shared-exceeds-16" {
			cfg = model.Config{Disks: []model.DiskConfig{{Shared: true, Size: 10}}, Servers: 17, Bounds: model.Bounds{Snapshots: 1, Backups: 1, SizeSteps: 1}}
			fleet = "1 disk, 17 servers"
		}
		sys := mustSys(t, spec, cfg)
		data := mustModel(t, sys, true)
		hard, err := newSystemModel(sys, true, hardCodedProperties(sys))
		if err != nil {
			t.Fatal(err)
		}
		rd, err := Explore(data, Options{})
		if err != nil {
			t.Fatal(err)
		}
		rh, err := Explore(hard, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if rd.States != rh.States {
			t.Fatalf("%s: %d states with the rules as data, %d with the Go rules", name, rd.States, rh.States)
		}
		want := map[string]Violation{}
		for _, v := range rh.Violations {
			want[hard.Properties()[v.Prop].Name] = v
		}
		got := map[string]Violation{}
		for _, v := range rd.Violations {
			n := data.Properties()[v.Prop].Name
			if hasPropNamed(hard.Properties(), n) {
				got[n] = v
				continue
			}
			// A rule the Go rules did not have.
			t.Logf("%-32s %-48s %-10s %d (new rule)", name, n, fleet, len(rd.Path(v.State))-1+min(v.Action+1, 1))
		}
		if len(got) != len(want) {
			t.Errorf("%s: violated %v with the rules as data, %v with the Go rules", name, keys(got), keys(want))
		}
		for n, w := range want {
			g, ok := got[n]
			if !ok || g.State != w.State || g.Action != w.Action {
				t.Errorf("%s: %s first violated at %+v with the rules as data, at %+v with the Go rules", name, n, g, w)
				continue
			}
			t.Logf("%-32s %-48s %-10s %d", name, n, fleet, len(rd.Path(g.State))-1+min(g.Action+1, 1))
		}
	}
}

func keys(m map[string]Violation) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func hasPropNamed(props []Property, name string) bool {
	for _, p := range props {
		if p.Name == name {
			return true
		}
	}
	return false
}

// pageMutants lists the mutants that break one of the rules the Go code
// had (the ten of the page and no-deadlock): the mutants the cache and the
// Go rules are held to.
func pageMutants(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../model/testdata/mutants/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatal("no mutants", err)
	}
	var names []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range hardCodedProperties(mustSys(t, model.Default(), smallConfig())) {
			if strings.Contains(string(data), "\n# breaks: "+p.Name+"\n") {
				names = append(names, strings.TrimSuffix(filepath.Base(f), ".yaml"))
			}
		}
	}
	return names
}
