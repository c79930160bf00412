package model

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
)

// allActions lists every action a system could name, enabled or not.
func allActions(sys *System) []Action {
	var out []Action
	nd, ns := uint8(len(sys.Config.Disks)), uint8(sys.Config.Servers)
	for d := uint8(0); d < nd; d++ {
		for oi := range sys.Spec.Ops {
			op := OpID(oi)
			for _, k := range []ActionKind{Succeed, Fail, BgSucceed, BgFail} {
				out = append(out, Action{k, op, d, NoArg})
			}
			switch sys.Spec.Ops[oi].Arg {
			case ArgNone:
				out = append(out, Action{Start, op, d, NoArg})
			case ArgServer:
				for a := uint8(0); a < ns; a++ {
					out = append(out, Action{Start, op, d, a})
				}
			case ArgSnapshot:
				for a := uint8(0); a < nd; a++ {
					out = append(out, Action{Start, op, d, a})
				}
			}
		}
	}
	for s := uint8(0); s < ns; s++ {
		out = append(out, Action{PowerOff, NoOp, NoArg, s}, Action{PowerOn, NoOp, NoArg, s})
	}
	return out
}

// act finds the action written as FormatAction writes it.
func act(t *testing.T, sys *System, st *State, text string) Action {
	t.Helper()
	var fallback []Action
	for _, a := range allActions(sys) {
		if sys.FormatAction(a) != text {
			continue
		}
		fallback = append(fallback, a)
		// Completions are named without their operation's argument: pick
		// the one whose operation is the disk's running one.
		if (a.Kind == Succeed || a.Kind == Fail) && st.Disks[a.Disk].Op != a.Op {
			continue
		}
		if (a.Kind == BgSucceed || a.Kind == BgFail) && st.Disks[a.Disk].Bg != a.Op {
			continue
		}
		return a
	}
	if len(fallback) > 0 {
		return fallback[0] // a completion with no such operation running
	}
	t.Fatalf("no action is written %q", text)
	return Action{}
}

// do applies each step in turn, failing the test if one is not enabled.
func do(t *testing.T, sys *System, st State, steps ...string) State {
	t.Helper()
	for _, text := range steps {
		next, ok := sys.Next(st, act(t, sys, &st, text))
		if !ok {
			t.Fatalf("%q is not enabled in %s", text, sys.FormatState(&st))
		}
		st = next
	}
	return st
}

func rejects(t *testing.T, sys *System, st State, text string) {
	t.Helper()
	next, ok := sys.Next(st, act(t, sys, &st, text))
	if ok {
		t.Errorf("%q is enabled in %s", text, sys.FormatState(&st))
	}
	if next != st {
		t.Errorf("a rejected %q changed the state", text)
	}
}

func testSystem(t *testing.T, cfg Config) *System {
	t.Helper()
	sys, err := NewSystem(Default(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return sys
}

// threeDisks: d0 shared data, d1 system, d2 plain data; three servers.
func threeDisks() Config {
	return Config{
		Disks:    []DiskConfig{{Shared: true, Size: 10}, {System: true, Size: 1023}, {Size: 40}},
		Servers:  3,
		Operator: true,
		Power:    true,
	}
}

func TestDefaultSpec(t *testing.T) {
	s := Default()
	if got := len(s.Statuses); got != 17 {
		t.Errorf("got %d statuses, want 17", got)
	}
	wantCodes := map[string]string{
		"In-use": "in-use", "Expansion failed": "error_extending", "Rolling back": "rollbacking",
		"Awaiting transfer": "awaiting-transfer", "Restoring": "restoring-backup", "Deletion failed": "error_deleting",
	}
	for name, code := range wantCodes {
		id, ok := s.StatusByName(name)
		if !ok || s.Statuses[id].Code != code {
			t.Errorf("status %s: got code %q, want %q", name, s.Statuses[id].Code, code)
		}
	}
	for _, name := range []string{"create", "create_from_image", "create_from_backup", "attach", "detach", "expand", "delete",
		"create_backup", "restore_backup", "rollback", "create_image", "create_transfer", "accept_transfer",
		"cancel_transfer", "create_snapshot", "delete_snapshot"} {
		if _, ok := s.OpByName(name); !ok {
			t.Errorf("operation %s is missing", name)
		}
	}
	ops := 0
	for _, op := range s.Ops {
		if op.Actor == Operator {
			ops++
		}
	}
	if ops == 0 {
		t.Error("no operator operation")
	}
}

type fixtureRow struct {
	Status           string   `json:"status"`
	Description      string   `json:"description"`
	DescriptionNotes []string `json:"description_notes"`
	Operations       []string `json:"operations"`
	Notes            []string `json:"notes"`
}

func TestTable1MatchesThePage(t *testing.T) {
	data, err := os.ReadFile("testdata/table1.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx struct{ Rows []fixtureRow }
	if err := json.Unmarshal(data, &fx); err != nil {
		t.Fatal(err)
	}
	got := Default().Table1()
	if len(got) != len(fx.Rows) {
		t.Fatalf("got %d rows, want %d", len(got), len(fx.Rows))
	}
	for i, want := range fx.Rows {
		g := got[i]
		cells := []struct {
			name      string
			got, want any
		}{
			{"EVS Disk Status", g.Status, want.Status},
			{"Status Description", g.Description, want.Description},
			{"description notes", g.DescriptionNotes, want.DescriptionNotes},
			{"Allowed Operation", g.Operations, want.Operations},
			{"operation notes", g.Notes, want.Notes},
		}
		for _, c := range cells {
			gv, wv := reflect.ValueOf(c.got), reflect.ValueOf(c.want)
			if gv.Kind() == reflect.Slice && gv.Len() == 0 && wv.Len() == 0 {
				continue
			}
			if !reflect.DeepEqual(c.got, c.want) {
				t.Errorf("row %d (%s), %s: got %q, want %q", i+1, want.Status, c.name, c.got, c.want)
			}
		}
	}
}

func TestOperationPaths(t *testing.T) {
	sys := testSystem(t, threeDisks())
	init := sys.Init()[0]
	avail0 := do(t, sys, init, "start create d0", "succeed create d0")
	avail2 := do(t, sys, avail0, "start create d2", "succeed create d2")
	inUse2 := do(t, sys, avail2, "start attach d2 s0", "succeed attach d2")
	tests := []struct {
		name  string
		from  State
		steps []string
		disk  int
		want  string // FormatDisk of the disk afterwards
	}{
		{"create succeeds", init, []string{"start create d0", "succeed create d0"}, 0, "Available, 10 GiB"},
		{"create fails", init, []string{"start create d0", "fail create d0"}, 0, "Error, 10 GiB"},
		{"create from image succeeds", init, []string{"start create_from_image d1 s1", "succeed create_from_image d1", "succeed create_from_image d1", "succeed create_from_image d1"}, 1, "In-use on s1, 1023 GiB"},
		{"create from image is downloading", init, []string{"start create_from_image d1 s1", "succeed create_from_image d1"}, 1, "Downloading (create_from_image from (none)), 1023 GiB"},
		{"create from image fails downloading", init, []string{"start create_from_image d1 s1", "succeed create_from_image d1", "fail create_from_image d1"}, 1, "Error, 1023 GiB"},
		{"create from image fails attaching", init, []string{"start create_from_image d1 s1", "succeed create_from_image d1", "succeed create_from_image d1", "fail create_from_image d1"}, 1, "Available, 1023 GiB"},
		{"create from backup succeeds", init, []string{"start create_from_backup d2", "succeed create_from_backup d2", "succeed create_from_backup d2"}, 2, "Available, 40 GiB"},
		{"create from backup fails creating", init, []string{"start create_from_backup d2", "fail create_from_backup d2"}, 2, "Error, 40 GiB"},
		{"create from backup fails restoring", init, []string{"start create_from_backup d2", "succeed create_from_backup d2", "fail create_from_backup d2"}, 2, "Restoration failed, 40 GiB"},
		{"attach succeeds", avail2, []string{"start attach d2 s1", "succeed attach d2"}, 2, "In-use on s1, 40 GiB"},
		{"attach fails back to Available", avail2, []string{"start attach d2 s1", "fail attach d2"}, 2, "Available, 40 GiB"},
		{"shared In-use attach fails back to In-use", avail0, []string{"start attach d0 s0", "succeed attach d0", "start attach d0 s2", "fail attach d0"}, 0, "In-use on s0, 10 GiB"},
		{"shared disk on two servers", avail0, []string{"start attach d0 s0", "succeed attach d0", "start attach d0 s2", "succeed attach d0"}, 0, "In-use on s0 s2, 10 GiB"},
		{"detach the last attachment", inUse2, []string{"start detach d2 s0", "succeed detach d2"}, 2, "Available, 40 GiB"},
		{"detach one of two stays In-use", avail0, []string{"start attach d0 s0", "succeed attach d0", "start attach d0 s1", "succeed attach d0", "start detach d0 s0", "succeed detach d0"}, 0, "In-use on s1, 10 GiB"},
		{"detach fails back to In-use", inUse2, []string{"start detach d2 s0", "fail detach d2"}, 2, "In-use on s0, 40 GiB"},
		{"expand Available succeeds", avail2, []string{"start expand d2", "succeed expand d2"}, 2, "Available, 41 GiB"},
		{"expand In-use succeeds", inUse2, []string{"start expand d2", "succeed expand d2"}, 2, "In-use on s0, 41 GiB"},
		{"expand fails", inUse2, []string{"start expand d2", "fail expand d2"}, 2, "Expansion failed on s0, 40 GiB"},
		{"delete succeeds", avail2, []string{"start delete d2", "succeed delete d2"}, 2, "(deleted)"},
		{"delete fails", avail2, []string{"start delete d2", "fail delete d2"}, 2, "Deletion failed, 40 GiB"},
		{"delete an Error disk", init, []string{"start create d2", "fail create d2", "start delete d2", "succeed delete d2"}, 2, "(deleted)"},
		{"backup succeeds", inUse2, []string{"start create_backup d2", "bg-succeed create_backup d2"}, 2, "In-use on s0, 40 GiB, 1 backup(s)"},
		{"backup runs beside the status", inUse2, []string{"start create_backup d2"}, 2, "In-use on s0, 40 GiB, create_backup running"},
		{"backup fails", avail2, []string{"start create_backup d2", "bg-fail create_backup d2"}, 2, "Available, 40 GiB"},
		{"restore succeeds", avail2, []string{"start create_backup d2", "bg-succeed create_backup d2", "start restore_backup d2", "succeed restore_backup d2"}, 2, "Available, 40 GiB, 1 backup(s)"},
		{"restore fails", avail2, []string{"start create_backup d2", "bg-succeed create_backup d2", "start restore_backup d2", "fail restore_backup d2"}, 2, "Restoration failed, 40 GiB, 1 backup(s)"},
		{"rollback succeeds", avail2, []string{"start create_snapshot d2", "start rollback d2 snapshot-of-d2", "succeed rollback d2"}, 2, "Available, 40 GiB, 1 snapshot(s)"},
		{"rollback fails, then again", avail2, []string{"start create_snapshot d2", "start rollback d2 snapshot-of-d2", "fail rollback d2", "start rollback d2 snapshot-of-d2", "succeed rollback d2"}, 2, "Available, 40 GiB, 1 snapshot(s)"},
		{"rollback fails", avail2, []string{"start create_snapshot d2", "start rollback d2 snapshot-of-d2", "fail rollback d2"}, 2, "Rollback failed, 40 GiB, 1 snapshot(s)"},
		{"image of an Available disk", avail2, []string{"start create_image d2", "succeed create_image d2"}, 2, "Available, 40 GiB"},
		{"image of a stopped server's disk", inUse2, []string{"power-off s0", "start create_image d2", "fail create_image d2"}, 2, "In-use on s0, 40 GiB"},
		{"transfer accepted", avail2, []string{"start create_transfer d2", "start accept_transfer d2"}, 2, "Available, 40 GiB"},
		{"transfer open", avail2, []string{"start create_transfer d2"}, 2, "Awaiting transfer, 40 GiB, transfer open"},
		{"transfer cancelled", avail2, []string{"start create_transfer d2", "start cancel_transfer d2"}, 2, "Available, 40 GiB"},
		{"snapshot created and deleted", inUse2, []string{"start create_snapshot d2", "start delete_snapshot d2"}, 2, "In-use on s0, 40 GiB"},
		{"operator resets an attached Expansion failed", inUse2, []string{"start expand d2", "fail expand d2", "start reset_status d2"}, 2, "In-use on s0, 40 GiB"},
		{"operator resets Error", init, []string{"start create d2", "fail create d2", "start reset_status d2"}, 2, "Available, 40 GiB"},
		{"operator deletes from Deletion failed", avail2, []string{"start delete d2", "fail delete d2", "start force_delete d2", "succeed force_delete d2"}, 2, "(deleted)"},
		{"operator deletion fails again", avail2, []string{"start delete d2", "fail delete d2", "start force_delete d2", "fail force_delete d2"}, 2, "Deletion failed, 40 GiB"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := do(t, sys, tc.from, tc.steps...)
			if got := sys.FormatDisk(&st, tc.disk); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestGuardsReject(t *testing.T) {
	sys := testSystem(t, threeDisks())
	init := sys.Init()[0]
	avail0 := do(t, sys, init, "start create d0", "succeed create d0")
	inUse0 := do(t, sys, avail0, "start attach d0 s0", "succeed attach d0")
	sysDisk := do(t, sys, init, "start create_from_image d1 s1", "succeed create_from_image d1", "succeed create_from_image d1", "succeed create_from_image d1")
	avail2 := do(t, sys, init, "start create d2", "succeed create d2")
	inUse2 := do(t, sys, avail2, "start attach d2 s0", "succeed attach d2")
	snaps := do(t, sys, avail0, "start create d2", "succeed create d2", "start create_snapshot d0", "start create_snapshot d2")
	tests := []struct {
		name   string
		st     State
		action string
	}{
		{"a shared In-use disk cannot be expanded", inUse0, "start expand d0"},
		{"a non-shared In-use disk cannot take a second server", inUse2, "start attach d2 s1"},
		{"no second attachment to the same server", inUse0, "start attach d0 s0"},
		{"a system disk is not detached while its server runs", sysDisk, "start detach d1 s1"},
		{"detach needs an attachment to that server", inUse2, "start detach d2 s1"},
		{"no delete while a backup runs", do(t, sys, avail2, "start create_backup d2"), "start delete d2"},
		{"no delete of an attached Expansion failed disk", do(t, sys, inUse2, "start expand d2", "fail expand d2"), "start delete d2"},
		{"no delete of an In-use disk", inUse2, "start delete d2"},
		{"no rollback from In-use", do(t, sys, inUse2, "start create_snapshot d2"), "start rollback d2 snapshot-of-d2"},
		{"no rollback with another disk's snapshot", snaps, "start rollback d2 snapshot-of-d0"},
		{"no image of a running server's disk", inUse2, "start create_image d2"},
		{"no transfer of a disk with snapshots", do(t, sys, avail2, "start create_snapshot d2"), "start create_transfer d2"},
		{"no transfer of a system disk", do(t, sys, sysDisk, "power-off s1", "start detach d1 s1", "succeed detach d1"), "start create_transfer d1"},
		{"no restore without a backup", avail2, "start restore_backup d2"},
		{"no operation while transitional", do(t, sys, avail2, "start expand d2"), "start delete d2"},
		{"nothing for the customer in Deletion failed", do(t, sys, avail2, "start delete d2", "fail delete d2"), "start delete d2"},
		{"no attach in Error", do(t, sys, init, "start create d2", "fail create d2"), "start attach d2 s0"},
		{"no completion without an operation", avail2, "succeed create d2"},
		{"no second creation", avail2, "start create d2"},
		{"a system disk at its limit is not expanded", do(t, sys, sysDisk, "start expand d1", "succeed expand d1"), "start expand d1"},
		{"a server already on is not powered on", init, "power-on s0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { rejects(t, sys, tc.st, tc.action) })
	}

	t.Run("operator actions need the operator", func(t *testing.T) {
		cfg := threeDisks()
		cfg.Operator = false
		noOp := testSystem(t, cfg)
		st := do(t, noOp, noOp.Init()[0], "start create d2", "fail create d2")
		rejects(t, noOp, st, "start reset_status d2")
	})
	t.Run("bounds stop snapshots", func(t *testing.T) {
		cfg := threeDisks()
		cfg.Bounds.Snapshots = 1
		b := testSystem(t, cfg)
		st := do(t, b, b.Init()[0], "start create d2", "succeed create d2", "start create_snapshot d2")
		rejects(t, b, st, "start create_snapshot d2")
	})
}

func TestVariantSpecOffersTheAction(t *testing.T) {
	data, err := os.ReadFile("testdata/mutants/shared-in-use-expands.yaml")
	if err != nil {
		t.Fatal(err)
	}
	variant, err := Load("shared-in-use-expands.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	steps := []string{"start create d0", "succeed create d0", "start attach d0 s0", "succeed attach d0"}
	def := testSystem(t, threeDisks())
	st := do(t, def, def.Init()[0], steps...)
	rejects(t, def, st, "start expand d0")

	vs, err := NewSystem(variant, threeDisks())
	if err != nil {
		t.Fatal(err)
	}
	st = do(t, vs, vs.Init()[0], steps...)
	a := act(t, vs, &st, "start expand d0")
	next, ok := vs.Next(st, a)
	if !ok {
		t.Fatal("the variant does not let a shared In-use disk expand")
	}
	var rule Property
	for _, p := range vs.Properties() {
		if p.Name == "shared-in-use-never-expands" {
			rule = p
		}
	}
	if msg := rule.Step(vs, &st, a, &next); !strings.Contains(msg, "shared disk d0 went from In-use to Expanding") {
		t.Errorf("the rule does not catch the variant: %q", msg)
	}
}

func TestActionOrderIsStableAndNextIsPure(t *testing.T) {
	sys := testSystem(t, DefaultConfig())
	st := sys.Init()[0]
	first := sys.Actions(&st, nil)
	var names []string
	for _, a := range first {
		names = append(names, sys.FormatAction(a))
	}
	want := []string{
		"start create d0", "start create_from_image d0 s0", "start create_from_image d0 s1", "start create_from_backup d0",
		"start create d1", "start create_from_image d1 s0", "start create_from_image d1 s1", "start create_from_backup d1",
		"power-off s0", "power-off s1",
	}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("initial actions:\ngot  %q\nwant %q", names, want)
	}
	// Walk a fixed path, checking at every state that Actions is the same
	// on a copy, and that Next gives equal successors twice.
	for i := 0; i < 200; i++ {
		acts := sys.Actions(&st, nil)
		copied := st
		if again := sys.Actions(&copied, nil); !reflect.DeepEqual(acts, again) {
			t.Fatalf("Actions differ on equal states at step %d", i)
		}
		for j := 1; j < len(acts); j++ {
			a, b := acts[j-1], acts[j]
			if a.Disk != NoArg && b.Disk != NoArg && a.Disk > b.Disk {
				t.Fatalf("actions not grouped by disk: %s before %s", sys.FormatAction(a), sys.FormatAction(b))
			}
		}
		a := acts[(i*7)%len(acts)]
		n1, ok1 := sys.Next(st, a)
		n2, ok2 := sys.Next(st, a)
		if !ok1 || !ok2 || n1 != n2 {
			t.Fatalf("Next is not pure for %s", sys.FormatAction(a))
		}
		st = n1
	}
}

func TestCodecRoundTrip(t *testing.T) {
	for _, cfg := range []Config{DefaultConfig(), threeDisks()} {
		sys := testSystem(t, cfg)
		c := sys.NewCodec()
		if c.Bytes != (c.Bits+7)/8 {
			t.Fatalf("bytes %d for %d bits", c.Bytes, c.Bits)
		}
		st := sys.Init()[0]
		seen := map[string]State{}
		for i := 0; i < 5000; i++ {
			k := c.Key(&st)
			if len(k) != c.Bytes {
				t.Fatalf("key of %d bytes, want %d", len(k), c.Bytes)
			}
			if prev, ok := seen[k]; ok && prev != st {
				t.Fatalf("two states share a key:\n%s\n%s", sys.FormatState(&prev), sys.FormatState(&st))
			}
			seen[k] = st
			back, err := c.Decode([]byte(k))
			if err != nil || back != st {
				t.Fatalf("decode: got %s, want %s (%v)", sys.FormatState(&back), sys.FormatState(&st), err)
			}
			acts := sys.Actions(&st, nil)
			st, _ = sys.Next(st, acts[(i*13+i/7)%len(acts)])
		}
		if _, err := c.Decode([]byte("x")); err == nil {
			t.Error("decode of a short key succeeded")
		}
	}
	if got := testSystem(t, DefaultConfig()).NewCodec().Bytes; got > 8 {
		t.Errorf("default system takes %d bytes a state, want at most 8", got)
	}
}

func TestEdgesCarryTheirBasis(t *testing.T) {
	s := Default()
	var inferred, failure int
	for _, e := range s.Edges() {
		if e.Basis.Tag == BasisInferred {
			inferred++
			if e.Basis.Reason == "" {
				t.Errorf("inferred edge of %s without a reason", s.Ops[e.Op].Name)
			}
		} else if e.Basis.Ref == "" {
			t.Errorf("edge %s %s -> %s has no reference", s.Ops[e.Op].Name, s.StatusName(e.From), s.StatusName(e.To))
		}
		if e.Kind == EdgeFailure {
			failure++
		}
	}
	if inferred == 0 || failure == 0 {
		t.Errorf("got %d inferred and %d failure edges, want some of each", inferred, failure)
	}
	// The rollback's success is inferred; its start is stated by the table.
	rb, _ := s.OpByName("rollback")
	for _, e := range s.Edges() {
		if e.Op != rb {
			continue
		}
		want := BasisTable
		if e.Kind == EdgeSuccess {
			want = BasisInferred
		}
		if e.Basis.Tag != want {
			t.Errorf("rollback %s edge: basis %s, want %s", e.Kind, e.Basis.Tag, want)
		}
	}
}

func TestFindings(t *testing.T) {
	var got []string
	for _, f := range Default().Findings() {
		got = append(got, f.Kind+" "+f.Op+" "+f.Status)
	}
	for _, want := range []string{
		"not-in-table create_image Available",
		"not-in-table create_transfer Available",
		"not-in-table restore_backup Available",
		"not-in-table accept_transfer Awaiting transfer",
		"operator-only  Deletion failed",
		"no-failure attach ",
		"no-failure detach ",
		"api-only-status  ",
	} {
		found := false
		for _, g := range got {
			if g == want {
				found = true
			}
		}
		if !found {
			t.Errorf("finding %q missing from %q", want, got)
		}
	}
	for _, g := range got {
		if strings.HasPrefix(g, "no-failure expand") || strings.HasPrefix(g, "not-in-table attach") {
			t.Errorf("unexpected finding %q", g)
		}
	}
}
