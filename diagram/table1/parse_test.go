package table1

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/evsim/evsim/diagram"
	"github.com/evsim/evsim/model"
)

const pageFile = "testdata/evs_01_0040.rst"

func readPage(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile(pageFile)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func parsePage(t *testing.T) *Table {
	t.Helper()
	tb, err := Parse("evs_01_0040.rst", readPage(t))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return tb
}

// The rows below are read off the page by eye, not taken from the code.
func TestParsePage(t *testing.T) {
	tb := parsePage(t)
	if tb.Caption != "**Table 1** Disk status details" {
		t.Errorf("caption %q", tb.Caption)
	}
	if len(tb.Rows) != 17 {
		t.Fatalf("got %d rows, want 17", len(tb.Rows))
	}
	inUse := tb.Rows[0]
	want := model.Table1Row{
		Status:      "In-use",
		Description: "The EVS disk is attached to a server and is in use.",
		Operations:  []string{"Detaching", "Creating backups", "Expanding capacity"},
		Notes: []string{"A shared **In-use** EVS disk can be attached.",
			"A shared **In-use** EVS disk cannot be expanded."},
	}
	if got := inUse.Model(); !reflect.DeepEqual(got, want) {
		t.Errorf("In-use row:\ngot  %#v\nwant %#v", got, want)
	}
	// Positions, as grep -n and awk index() give them in the fixture.
	if inUse.At.Row != (Pos{21, 4}) || inUse.At.Status != (Pos{21, 6}) {
		t.Errorf("In-use at %+v, status at %+v", inUse.At.Row, inUse.At.Status)
	}
	if inUse.At.Operations[1] != (Pos{22, 182}) {
		t.Errorf("Creating backups at %+v, want 22:182", inUse.At.Operations[1])
	}
	if inUse.At.Notes[1] != (Pos{29, 185}) {
		t.Errorf("second note at %+v, want 29:185", inUse.At.Notes[1])
	}
	rolling := tb.Rows[14]
	if rolling.Status != "Rolling back" || len(rolling.DescriptionNotes) != 2 || rolling.Operations != nil ||
		!strings.HasPrefix(rolling.DescriptionNotes[1], "A snapshot can only be used for rollback when its source disk is in the **Available**") {
		t.Errorf("Rolling back row: %#v", rolling.Model())
	}
	errRow := tb.Rows[10]
	if errRow.Status != "Error" || !reflect.DeepEqual(errRow.Operations, []string{"Deleting"}) {
		t.Errorf("Error row: %#v (a lone paragraph is one operation)", errRow.Model())
	}
	if tb.Rows[16].Status != "Awaiting transfer" || tb.Rows[16].Operations != nil {
		t.Errorf("last row: %#v", tb.Rows[16].Model())
	}
	if tb.Bottom.Line != 72 {
		t.Errorf("bottom border at line %d, want 72", tb.Bottom.Line)
	}
}

// The page and the embedded model agree on every cell of Table 1.
func TestPageMatchesModel(t *testing.T) {
	if d := Compare(parsePage(t), model.Default().Table1()); len(d) != 0 {
		for _, x := range d {
			t.Error(x)
		}
	}
}

// Table 1 written by package diagram reads back as the page's table, and
// is the page's table byte for byte.
func TestRSTRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	if err := diagram.WriteRST(&buf, model.Default().Table1()); err != nil {
		t.Fatal(err)
	}
	got, err := Parse("generated.rst", buf.Bytes())
	if err != nil {
		t.Fatalf("generated table does not parse: %v", err)
	}
	page := parsePage(t)
	if !reflect.DeepEqual(got.ModelRows(), page.ModelRows()) {
		t.Errorf("generated rows differ from the page:\ngot  %#v\nwant %#v", got.ModelRows(), page.ModelRows())
	}
	if d := Compare(page, got.ModelRows()); len(d) != 0 {
		t.Errorf("Compare finds %d differences: %v", len(d), d)
	}
	if !bytes.Contains(readPage(t), buf.Bytes()) {
		t.Errorf("generated table is not the page's text; generated:\n%s", buf.Bytes())
	}
}

// Each file in testdata/bad starts with a comment line naming the error it
// must produce: ".. want: LINE:COL: message".
func TestParseErrors(t *testing.T) {
	files, _ := filepath.Glob("testdata/bad/*.rst")
	if len(files) < 8 {
		t.Fatalf("found %d bad tables", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			first, _, _ := strings.Cut(string(data), "\n")
			want, ok := strings.CutPrefix(first, ".. want: ")
			if !ok {
				t.Fatalf("first line %q is not a want comment", first)
			}
			_, err = Parse(filepath.Base(f), data)
			if err == nil {
				t.Fatalf("no error, want %s", want)
			}
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("error %T, want *Error", err)
			}
			if got := err.Error(); got != filepath.Base(f)+":"+want {
				t.Errorf("got  %s\nwant %s:%s", got, filepath.Base(f), want)
			}
		})
	}
}

func TestNoTable(t *testing.T) {
	_, err := Parse("empty.rst", []byte("Title\n=====\n\n+---+---+\n| a | b |\n+---+---+\n"))
	want := `empty.rst:1:1: no grid table with the columns "EVS Disk Status", "Status Description", "Allowed Operation"`
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

// FuzzParse checks that any input parses or fails with a positioned error,
// and that what parses survives a round trip through [diagram.WriteRST].
// The page is a 13 KB seed, so keep minimization short:
//
//	go test -run XXX -fuzz FuzzParse -fuzztime 60s -fuzzminimizetime 2s ./diagram/table1
func FuzzParse(f *testing.F) {
	page, err := os.ReadFile(pageFile)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(page)
	var buf bytes.Buffer
	diagram.WriteRST(&buf, model.Default().Table1())
	f.Add(buf.Bytes())
	bad, _ := filepath.Glob("testdata/bad/*.rst")
	for _, b := range bad {
		data, _ := os.ReadFile(b)
		f.Add(data)
	}
	f.Add([]byte("+-+-+-+\n| EVS Disk Status | Status Description | Allowed Operation |\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tb, err := Parse("fuzz.rst", data)
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) || pe.Line < 1 || pe.Col < 1 {
				t.Fatalf("error without a position: %v", err)
			}
			return
		}
		lines := strings.Count(string(data), "\n") + 1
		for _, r := range tb.Rows {
			if r.At.Row.Line < 1 || r.At.Row.Line > lines || r.Status == "" {
				t.Fatalf("row %q at %+v of %d lines", r.Status, r.At.Row, lines)
			}
			if len(r.At.Operations) != len(r.Operations) || len(r.At.Notes) != len(r.Notes) || len(r.At.DescriptionNotes) != len(r.DescriptionNotes) {
				t.Fatalf("positions do not match items in row %q", r.Status)
			}
		}
		// Round trip: what was read, written in the page's layout, reads
		// back the same, unless the writer refuses the text.
		var out bytes.Buffer
		if err := diagram.WriteRST(&out, tb.ModelRows()); err != nil {
			return
		}
		again, err := Parse("again.rst", out.Bytes())
		if err != nil {
			t.Fatalf("written table does not parse: %v\n%s", err, out.Bytes())
		}
		if !reflect.DeepEqual(again.ModelRows(), tb.ModelRows()) {
			t.Fatalf("round trip changed the rows:\nread    %#v\nwritten %#v", tb.ModelRows(), again.ModelRows())
		}
	})
}

func BenchmarkParsePage(b *testing.B) {
	page, err := os.ReadFile(pageFile)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		if _, err := Parse("evs_01_0040.rst", page); err != nil {
			b.Fatal(err)
		}
	}
}
