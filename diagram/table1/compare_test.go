package table1

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/evsim/evsim/model"
)

// variant loads the embedded spec with edits applied; each old text must
// occur exactly once, so that a change of the spec breaks the test loudly
// rather than silently testing nothing.
func variant(t *testing.T, edits ...[2]string) *model.Spec {
	t.Helper()
	src := string(model.DefaultSpecSource())
	for _, e := range edits {
		if n := strings.Count(src, e[0]); n != 1 {
			t.Fatalf("edit %q: found %d times in the embedded spec, want once", e[0], n)
		}
		src = strings.Replace(src, e[0], e[1], 1)
	}
	spec, err := model.Load("variant.yaml", []byte(src))
	if err != nil {
		t.Fatalf("variant does not load: %v", err)
	}
	return spec
}

func TestCompareSpecVariants(t *testing.T) {
	const file = "evs_01_0040.rst"
	tests := []struct {
		name  string
		edits [][2]string
		want  []Difference
		text  string // String() of the first difference
	}{
		{
			name: "error row no longer lists delete",
			edits: [][2]string{{
				"        table: listed\n        basis: {tag: table, ref: \"Table 1, Error row\"}",
				"        table: none\n        basis: {tag: table, ref: \"Table 1, Error row\"}",
			}},
			want: []Difference{{File: file, Pos: Pos{53, 179}, Status: "Error", Field: FieldOperation, Kind: Extra, Page: "Deleting"}},
			text: `evs_01_0040.rst:53:179: Error: allowed operation extra: the page has "Deleting", the model does not`,
		},
		{
			name: "available row lists restoring from a backup",
			edits: [][2]string{
				{"    title: Restoring from a backup\n", "    title: Restoring from a backup\n    table_name: Restoring from a backup\n"},
				{"        when: [has_backups, not_attached]\n", "        when: [has_backups, not_attached]\n        table: listed\n"},
			},
			want: []Difference{{File: file, Pos: Pos{31, 182}, Status: "Available", Field: FieldOperation, Kind: Missing, Model: "Restoring from a backup"}},
			text: `evs_01_0040.rst:31:182: Available: allowed operation missing: the model has "Restoring from a backup", the page does not`,
		},
		{
			name:  "description reworded",
			edits: [][2]string{{"The EVS disk is awaiting for a transfer.", "The EVS disk is awaiting a transfer."}},
			want: []Difference{{File: file, Pos: Pos{71, 30}, Status: "Awaiting transfer", Field: FieldDescription, Kind: Differs,
				Page: "The EVS disk is awaiting for a transfer.", Model: "The EVS disk is awaiting a transfer."}},
			text: `evs_01_0040.rst:71:30: Awaiting transfer: description differs: the page has "The EVS disk is awaiting for a transfer.", the model "The EVS disk is awaiting a transfer."`,
		},
	}
	page := parsePage(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Compare(page, variant(t, tt.edits...).Table1())
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got  %#v\nwant %#v", got, tt.want)
			}
			if len(got) > 0 && got[0].String() != tt.text {
				t.Errorf("got  %s\nwant %s", got[0], tt.text)
			}
		})
	}
}

// The mutant that lets the customer delete from Deletion failed adds a
// from entry that Table 1 does not list (table: none): the derived table,
// and so the comparison with the page, do not change.
func TestCompareMutantOutsideTable(t *testing.T) {
	data, err := os.ReadFile("../../model/testdata/mutants/deletion-failed-allows-delete.yaml")
	if err != nil {
		t.Fatal(err)
	}
	spec, err := model.Load("deletion-failed-allows-delete.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	if d := Compare(parsePage(t), spec.Table1()); len(d) != 0 {
		t.Errorf("got %v, want no difference", d)
	}
}

// Edits of the page: a row removed, a row doubled, a note added.
func TestComparePageEdits(t *testing.T) {
	src := string(readPage(t))
	lines := strings.Split(src, "\n")
	derived := model.Default().Table1()

	// Without its last row (lines 71-72: Awaiting transfer and a border).
	cut := strings.Join(append(append([]string{}, lines[:70]...), lines[72:]...), "\n")
	tb, err := Parse(pageFile, []byte(cut))
	if err != nil {
		t.Fatal(err)
	}
	got := Compare(tb, derived)
	want := []Difference{{File: pageFile, Pos: Pos{70, 4}, Status: "Awaiting transfer", Field: FieldStatus, Kind: Missing, Model: "Awaiting transfer"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("row removed:\ngot  %#v\nwant %#v", got, want)
	}

	// The Error row (lines 53-54) twice.
	dup := strings.Join(append(append(append([]string{}, lines[:54]...), lines[52:54]...), lines[54:]...), "\n")
	tb, err = Parse(pageFile, []byte(dup))
	if err != nil {
		t.Fatal(err)
	}
	got = Compare(tb, derived)
	want = []Difference{{File: pageFile, Pos: Pos{55, 6}, Status: "Error", Field: FieldStatus, Kind: Extra, Page: "Error"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("row doubled:\ngot  %#v\nwant %#v", got, want)
	}

	// A note the model does not have, under Error's operation.
	noted := strings.Replace(src,
		"| Deleting                                               |\n   +-----------------------+-------",
		"| Deleting                                               |\n"+
			"   |                       |                                                                                                                                                    |                                                        |\n"+
			"   |                       |                                                                                                                                                    | .. note::                                              |\n"+
			"   |                       |                                                                                                                                                    |                                                        |\n"+
			"   |                       |                                                                                                                                                    |    Ask customer service first.                         |\n"+
			"   +-----------------------+-------", 1)
	tb, err = Parse(pageFile, []byte(noted))
	if err != nil {
		t.Fatal(err)
	}
	got = Compare(tb, derived)
	want = []Difference{{File: pageFile, Pos: Pos{57, 182}, Status: "Error", Field: FieldNote, Kind: Extra, Page: "Ask customer service first."}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("note added:\ngot  %#v\nwant %#v", got, want)
	}
}
