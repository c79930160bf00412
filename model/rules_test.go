package model

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestRuleLoadErrors: a property that does not type-check is a loader
// error at the file, line and column of the fault in the expression,
// naming the field and what is allowed.
func TestRuleLoadErrors(t *testing.T) {
	tests := []struct {
		name      string
		old, new  string
		line      string // text of the line the error must point at
		col       int    // its column, 0 to skip
		want      string // field: message (a substring)
		wantsMore string
	}{
		{"unknown field", `rule: 'disk.attachments <= (disk.shared ? 16 : 1)'`, `rule: 'disk.attachments <= (disk.shard ? 16 : 1)'`,
			"disk.shard ?", 38, `properties[1].rule: unknown field "shard" of a disk; want one of id, index, exists, status,`, ""},
		{"unknown status in a block", `      after.status != "Rolling back" || before.status == "Rolling back" ||`, `      after.status != "Rolling back" || before.status == "Roling back" ||`,
			`"Roling back" ||`, 58, `properties[4].rule: unknown status "Roling back"; want one of "In-use", "Available",`, `"(deleted)"`},
		{"wrong type", `rule: '!before.exists || !after.exists || after.size >= before.size'`, `rule: '!before.exists || !after.exists || after.size >= "big"'`,
			`after.size >= "big"`, 58, `properties[7].rule: invalid operation: >= (mismatched types int and string)`, ""},
		{"unknown operation", `"attach" in action.effects'`, `"attach" in action.effects && action.op != "atach"'`,
			`action.op != "atach"`, 0, `properties[2].rule: unknown operation "atach"; want one of "create",`, ""},
		{"unknown effect", `"attach" in action.effects'`, `"atach" in action.effects'`,
			`"atach" in action.effects`, 0, `properties[2].rule: unknown effect "atach"; want one of "attach", "detach",`, ""},
		{"a step field in an invariant", `rule: 'disk.size <= (disk.system ? 1024 : 32768)'`, `rule: 'after.size <= (disk.system ? 1024 : 32768)'`,
			`rule: 'after.size`, 12, `properties[8].rule: unknown name after`, ""},
		{"not a bool", `rule: 'disk.size <= (disk.system ? 1024 : 32768)'`, `rule: 'disk.size'`,
			`rule: 'disk.size'`, 0, `properties[8].rule: expected bool, but got int`, ""},
		{"a message that is not text", `message: 'disk.id + " shrank from " + string(before.size) + " GiB to " + string(after.size) + " GiB"'`, `message: 'before.size'`,
			`message: 'before.size'`, 0, `properties[7].message: expected string, but got int`, ""},
		{"unknown kind", "    kind: step\n    summary: A disk's size never shrinks.", "    kind: stepp\n    summary: A disk's size never shrinks.",
			"kind: stepp", 11, `properties[7].kind: unknown kind "stepp"; want one of invariant, step, possible, transitional-statuses-are-left,`, "leads-to"},
		{"missing source", "    source: EVS user guide, expanding capacity; capacity can be expanded, not reduced\n", "",
			"  - name: size-never-shrinks", 0, `properties[7].source: missing; want the sentence or page the rule comes from`, ""},
		{"graph rule under another name", "  - name: no-deadlock\n", "  - name: no-stuck-disk\n",
			"  - name: no-stuck-disk", 0, `properties[12].name: a named graph rule is called by its kind; want "no-deadlock"`, ""},
		{"duplicate name", "  - name: size-within-limit\n", "  - name: size-never-shrinks\n",
			"  - name: size-never-shrinks\n    number: 7\n    kind: invariant", 0, `properties[8].name: duplicate property "size-never-shrinks"`, ""},
		{"leads-to without to", "  - name: no-deadlock\n    number: 0\n    kind: no-deadlock\n", "  - name: parked-leaves\n    kind: leads-to\n    from: 'disk.status == \"Awaiting transfer\"'\n",
			"  - name: parked-leaves", 0, `properties[12].to: missing; a leads-to property needs to`, ""},
		{"each on a step rule", "    kind: step\n    summary: A disk's size never shrinks.", "    kind: step\n    each: fleet\n    summary: A disk's size never shrinks.",
			"each: fleet\n    summary: A disk's size", 0, `properties[7].each: only an invariant or a leads-to rule ranges over each disk or the fleet`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := edit(t, tc.old, tc.new)
			_, err := Load("team.yaml", []byte(src))
			var list ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("no error list: %v", err)
			}
			e := list[0]
			if !strings.Contains(e.Field+": "+e.Msg, tc.want) {
				t.Errorf("error %q; want it to contain %q", e.Error(), tc.want)
			}
			if tc.wantsMore != "" && !strings.Contains(e.Msg, tc.wantsMore) {
				t.Errorf("error %q; want it to list %q", e.Msg, tc.wantsMore)
			}
			if want := lineOf(t, src, tc.line); e.Line != want {
				t.Errorf("error at line %d; want %d (%q): %s", e.Line, want, tc.line, e.Error())
			}
			if tc.col > 0 && e.Col != tc.col {
				t.Errorf("error at column %d; want %d: %s", e.Col, tc.col, e.Error())
			}
			if !strings.HasPrefix(e.Error(), fmt.Sprintf("team.yaml:%d:%d: ", e.Line, e.Col)) {
				t.Errorf("error %q does not start with file:line:col", e.Error())
			}
		})
	}
}

// TestRulesAreData: the default spec's rules come from its properties
// section, every one with its source, and a spec without the section takes
// them.
func TestRulesAreData(t *testing.T) {
	spec := Default()
	if len(spec.Rules) < 13 {
		t.Fatalf("%d rules; want at least the 13 of the page", len(spec.Rules))
	}
	for _, r := range spec.Rules {
		if r.Source == "" || r.Summary == "" || r.Line == 0 {
			t.Errorf("rule %s lacks a source, summary or position", r.Name)
		}
	}
	src := string(DefaultSpecSource())
	i, j := strings.Index(src, "\nproperties:\n"), strings.Index(src, "\noperations:\n")
	bare, err := Load("bare.yaml", []byte(src[:i+1]+src[j+1:]))
	if err != nil {
		t.Fatal(err)
	}
	if len(bare.Rules) != len(spec.Rules) {
		t.Errorf("a spec without properties has %d rules; want the embedded spec's %d", len(bare.Rules), len(spec.Rules))
	}
	none, err := Load("none.yaml", []byte(src[:i+1]+"properties: []\n"+src[j+1:]))
	if err != nil {
		t.Fatal(err)
	}
	if len(none.Rules) != 0 {
		t.Errorf("properties: [] gives %d rules; want none", len(none.Rules))
	}
}

// TestUserRule: a team's own rules, one holding and one failing on a
// hand-built state and transition.
func TestUserRule(t *testing.T) {
	src := edit(t, "\noperations:\n", `
  - name: parked-disk-has-no-snapshots
    kind: invariant
    summary: A disk in Awaiting transfer has no snapshots.
    source: our team's rule
    rule: 'disk.status != "Awaiting transfer" || disk.snapshots == 0'
  - name: no-expansion-while-backing-up
    kind: step
    summary: A disk is not expanded while a backup of it is being made.
    source: our team's rule
    rule: '!(action.kind == "start" && action.op == "expand" && before.backup_running)'
  - name: one-system-disk-per-server
    kind: invariant
    each: fleet
    summary: A server has at most one system disk attached.
    source: our team's rule
    rule: 'all(servers, {count(disks, .system && .attachments > 0) <= 1})'

operations:
`)
	spec, err := Load("team.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	sys := testSystem(t, DefaultConfig())
	sys.Spec = spec
	parked := property(t, sys, "parked-disk-has-no-snapshots")
	var st State = sys.Init()[0]
	st.Disks[0] = Disk{Status: status(t, "Awaiting transfer"), Op: NoOp, Bg: NoOp, Shared: true, Size: 10}
	if msg := parked.State(sys, &st); msg != "" {
		t.Errorf("holds on a parked disk without snapshots: %s", msg)
	}
	st.Disks[0].Snapshots = 1
	if msg := parked.State(sys, &st); msg != "d0 in Awaiting transfer breaks parked-disk-has-no-snapshots" {
		t.Errorf("a parked disk with a snapshot: %q", msg)
	}
	if parked.DiskOK == nil || !parked.Local {
		t.Error("a rule over one disk is not marked local")
	}
	fleet := property(t, sys, "one-system-disk-per-server")
	if fleet.Local || fleet.DiskOK != nil {
		t.Error("a fleet rule is marked local")
	}
	if msg := fleet.State(sys, &st); msg != "" {
		t.Errorf("fleet rule: %s", msg)
	}
	expand, _ := spec.OpByName("expand")
	backup, _ := spec.OpByName("create_backup")
	from := sys.Init()[0]
	from.Disks[0] = Disk{Status: status(t, "Available"), Op: NoOp, Bg: backup, Shared: true, Size: 10}
	a := Action{Kind: Start, Op: expand, Disk: 0, Arg: NoArg}
	to, ok := sys.Next(from, a)
	if !ok {
		t.Fatal("expand is not enabled")
	}
	rule := property(t, sys, "no-expansion-while-backing-up")
	if msg := rule.Step(sys, &from, a, &to); !strings.Contains(msg, "start expand d0") {
		t.Errorf("expanding while backing up: %q", msg)
	}
	from.Disks[0].Bg = NoOp
	to, _ = sys.Next(from, a)
	if msg := rule.Step(sys, &from, a, &to); msg != "" {
		t.Errorf("expanding without a backup: %q", msg)
	}
}

// TestDeadEntry: an operation that starts from a transitional status is
// rejected where the entry names it.
func TestDeadEntry(t *testing.T) {
	src := edit(t, "      - status: Awaiting transfer\n        basis: {tag: docs, ref: \"EVS API reference, accepting", "      - status: Downloading\n        basis: {tag: docs, ref: \"EVS API reference, accepting")
	_, err := Load("dead.yaml", []byte(src))
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 1 {
		t.Fatalf("want one error, got %v", err)
	}
	want := fmt.Sprintf("dead.yaml:%d:17: operations[12].from[0].status: \"Downloading\" is transitional and no completion lands in it: a disk there is running an operation and starts nothing, so this entry never fires", lineOf(t, src, "      - status: Downloading"))
	if !strings.HasPrefix(list[0].Error(), want) {
		t.Errorf("got  %s\nwant %s", list[0].Error(), want)
	}
}
