package model

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// edit replaces the one occurrence of old in the default spec.
func edit(t *testing.T, old, new string) string {
	t.Helper()
	src := string(DefaultSpecSource())
	if n := strings.Count(src, old); n != 1 {
		t.Fatalf("%q occurs %d times in the default spec", old, n)
	}
	return strings.Replace(src, old, new, 1)
}

// lineOf returns the 1-based line of the first occurrence of marker.
func lineOf(t *testing.T, src, marker string) int {
	t.Helper()
	i := strings.Index(src, marker)
	if i < 0 {
		t.Fatalf("marker %q not in source", marker)
	}
	return strings.Count(src[:i], "\n") + 1
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name   string
		src    func(t *testing.T) string
		marker string // text on the line the error must point at
		want   string // field: message (a substring)
	}{
		{"unknown from status", func(t *testing.T) string {
			return edit(t, "      - status: Rollback failed\n        when: [own_snapshot]", "      - status: Rolled back\n        when: [own_snapshot]")
		}, "status: Rolled back", `operations[9].from[1].status: unknown status "Rolled back"; want one of In-use, Available,`},
		{"unknown target", func(t *testing.T) string {
			return edit(t, "    failure: Expansion failed", "    failure: Expansion broke")
		}, "failure: Expansion broke", `operations[5].failure: unknown target "Expansion broke"; want one of In-use,`},
		{"unknown condition", func(t *testing.T) string {
			return edit(t, "when: [not_shared, size_room]", "when: [not_shard, size_room]")
		}, "not_shard", `operations[5].from[1].when[0]: unknown condition "not_shard"; want one of shared, not_shared,`},
		{"duplicate status", func(t *testing.T) string {
			return edit(t, "  - name: Detaching\n", "  - name: Attaching\n")
		}, "  - name: Attaching\n    code: detaching", `statuses[4].name: duplicate status "Attaching"`},
		{"duplicate operation", func(t *testing.T) string {
			return edit(t, "  - name: cancel_transfer", "  - name: accept_transfer\n")
		}, "  - name: accept_transfer\n\n", `operations[13].name: duplicate operation "accept_transfer"`},
		{"missing basis", func(t *testing.T) string {
			return edit(t, "    basis: {tag: docs, ref: \"CBR user guide, creating a disk from a backup: Creating, Available, Restoring, Available\"}\n", "")
		}, "  - name: create_from_backup", `operations[2].basis: missing; every operation needs a basis`},
		{"inferred without a reason", func(t *testing.T) string {
			return edit(t, `{tag: inferred, reason: "customer service retries the deletion that failed; the statuses are those of the customer's delete"}`, `{tag: inferred}`)
		}, "{tag: inferred}", `operations[17].basis.reason: missing; an inferred basis must give the reason`},
		{"unknown basis tag", func(t *testing.T) string {
			return edit(t, "basis: {tag: figure, ref: \"Figure 1: Start", "basis: {tag: folklore, ref: \"Figure 1: Start")
		}, "tag: folklore", `operations[0].basis.tag: unknown basis tag "folklore"; want one of table, figure, docs, cinder, inferred`},
		{"unreachable status", func(t *testing.T) string {
			return edit(t, "      - Downloading\n", "")
		}, "  - name: Downloading", `statuses[9].name: status "Downloading" cannot be reached: no operation leads there from creation`},
		{"unknown class", func(t *testing.T) string {
			return edit(t, "    code: uploading\n    class: transitional", "    code: uploading\n    class: temporary")
		}, "class: temporary", `statuses[8].class: unknown class "temporary"; want one of stable, transitional, failed, parked`},
		{"unknown field", func(t *testing.T) string {
			return edit(t, "    title: Expanding capacity\n", "    title: Expanding capacity\n    colour: blue\n")
		}, "colour: blue", `unknown field "colour"`},
		{"unknown row order operation", func(t *testing.T) string {
			return edit(t, "row_order: [delete, rollback]", "row_order: [delete, rollbak]")
		}, "row_order: [delete, rollbak]", `statuses[15].row_order[1]: unknown operation "rollbak"`},
		{"target condition needs a server", func(t *testing.T) string {
			return edit(t, "        when: [has_backups, not_attached]", "        when: [has_backups, target_off]")
		}, "[has_backups, target_off]", `operations[8].from[0].when[1]: condition "target_off" needs an operation with arg: server`},
		{"listed without a table name", func(t *testing.T) string {
			return edit(t, "        when: [has_backups, not_attached]\n", "        when: [has_backups, not_attached]\n        table: listed\n")
		}, "        table: listed\n        basis: {tag: docs, ref: \"CBR", `operations[8].from[0].table: Table 1 mentions only operations with a table_name`},
		{"limit out of range", func(t *testing.T) string {
			return edit(t, "  shared_attachments: 16 ", "  shared_attachments: 0 ")
		}, "shared_attachments: 0", `limits.shared_attachments: 0 is out of range; want 1 to 32`},
		{"syntax error", func(t *testing.T) string {
			return edit(t, "    title: Expanding capacity\n", "    title: [Expanding capacity\n")
		}, "", ``},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := tc.src(t)
			_, err := Load("evs.yaml", []byte(src))
			if err == nil {
				t.Fatal("loaded without error")
			}
			var list ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error %v is not an ErrorList", err)
			}
			e := list[0]
			if e.File != "evs.yaml" || e.Line < 1 || e.Col < 1 {
				t.Errorf("error %q has no position", e)
			}
			if tc.marker == "" {
				return
			}
			if want := lineOf(t, src, tc.marker); e.Line != want {
				t.Errorf("error %q points at line %d, want %d", e, e.Line, want)
			}
			prefix := fmt.Sprintf("evs.yaml:%d:", e.Line)
			if !strings.HasPrefix(e.Error(), prefix) || !strings.Contains(e.Error(), tc.want) {
				t.Errorf("got %q, want %q at %s", e.Error(), tc.want, prefix)
			}
		})
	}
}

func TestLoadEmpty(t *testing.T) {
	for _, src := range []string{"", "  \n\n", "# only a comment\n"} {
		_, err := Load("empty.yaml", []byte(src))
		if err == nil || !strings.Contains(err.Error(), "empty.yaml") {
			t.Errorf("Load(%q): got %v, want an error naming the file", src, err)
		}
	}
}

// FuzzLoad feeds the loader with mutations of real specs. It must never
// panic; an accepted spec must give a usable system and a Table 1 with a
// row per status; a rejected one must point at its file.
func FuzzLoad(f *testing.F) {
	f.Add(DefaultSpecSource())
	files, _ := filepath.Glob("testdata/mutants/*.yaml")
	for _, file := range files[:3] {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("name: x\nstatuses: []\n"))
	f.Add([]byte(strings.Replace(string(DefaultSpecSource()), "\noperations:\n", "\n  - {name: r, kind: invariant, summary: s, source: s, each: fleet, rule: 'count(disks, .size > 1) >= 0 && all(servers, .on || !.on)', message: 'string(len(disks))'}\n\noperations:\n", 1)))
	f.Add([]byte("operations:\n  - name: a\n    through: [{status: X, failure: [{to: Y}]}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		spec, err := Load("fuzz.yaml", data)
		if err != nil {
			var list ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error %v is not a non-empty ErrorList", err)
			}
			for _, e := range list {
				if e.File != "fuzz.yaml" || e.Msg == "" {
					t.Fatalf("malformed error %+v", e)
				}
			}
			return
		}
		if got := len(spec.Table1()); got != len(spec.Statuses) {
			t.Fatalf("Table 1 has %d rows for %d statuses", got, len(spec.Statuses))
		}
		sys, err := NewSystem(spec, DefaultConfig())
		if err != nil {
			t.Fatal(err)
		}
		st := sys.Init()[0]
		props := sys.Properties()
		for i := 0; i < 50; i++ {
			acts := sys.Actions(&st, nil)
			if len(acts) == 0 {
				break
			}
			next, ok := sys.Next(st, acts[i%len(acts)])
			if !ok {
				t.Fatalf("listed action %s is not enabled", sys.FormatAction(acts[i%len(acts)]))
			}
			// The rules evaluate on every state and step without panicking.
			for _, p := range props {
				switch {
				case p.State != nil:
					_ = p.State(sys, &next)
				case p.Step != nil:
					_ = p.Step(sys, &st, acts[i%len(acts)], &next)
				case p.Witness != nil:
					_ = p.Witness(sys, &st, acts[i%len(acts)], &next)
				}
			}
			st = next
		}
		_ = spec.Findings()
	})
}

func TestErrorListSortsByPosition(t *testing.T) {
	l := ErrorList{{Line: 9, Col: 1, Msg: "c"}, {Line: 2, Col: 7, Msg: "b"}, {Line: 2, Col: 3, Msg: "a"}, {Line: 9, Col: 1, Msg: "d"}}
	l.Sort()
	var got string
	for _, e := range l {
		got += e.Msg
	}
	if got != "abcd" {
		t.Errorf("order %q, want abcd (by line, then column, stable)", got)
	}
}
