package diagram

import (
	"bytes"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"testing"

	"gonum.org/v1/gonum/graph/formats/dot"
	"gonum.org/v1/gonum/graph/formats/dot/ast"

	"github.com/evsim/evsim/model"
)

func build(t *testing.T, spec *model.Spec, opt Options) *Graph {
	t.Helper()
	g, err := Build(spec, opt)
	if err != nil {
		t.Fatalf("Build(%+v): %v", opt, err)
	}
	return g
}

func dotOf(t *testing.T, g *Graph) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := g.WriteDOT(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

type drawn struct{ from, to, label string }

// Figure 1 of the page, read off the picture: Start, Creating a disk,
// Creating, "Is the creation successful?" yes: Available, no: Error;
// Available, Attaching a disk, Attaching, Attaching succeeded, In-use,
// Detaching a disk, Detaching, back to Available.
func TestFigure1(t *testing.T) {
	g := build(t, model.Default(), Options{View: Figure1})
	var got []drawn
	for _, a := range g.Arrows {
		got = append(got, drawn{a.From, a.To, strings.Join(a.Label, " ")})
	}
	want := []drawn{
		{"start", "creating", "Creating a disk"},
		{"creating", "creating_outcome", ""},
		{"creating_outcome", "available", "yes"},
		{"creating_outcome", "error", "no"},
		{"available", "attaching", "Attaching a disk"},
		{"attaching", "in_use", "Attaching succeeded"},
		{"in_use", "detaching", "Detaching a disk"},
		{"detaching", "available", "Detaching succeeded"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("figure 1 arrows:\ngot  %v\nwant %v", got, want)
	}
	var nodes []string
	for _, n := range g.Nodes {
		nodes = append(nodes, n.ID)
	}
	wantNodes := []string{"start", "in_use", "available", "creating", "attaching", "detaching", "error", "creating_outcome"}
	if !reflect.DeepEqual(nodes, wantNodes) {
		t.Errorf("figure 1 nodes: got %v, want %v", nodes, wantNodes)
	}
}

// Figure 1 follows the model: an operation whose basis no longer cites the
// figure leaves it, and a success that goes elsewhere is drawn elsewhere.
func TestFigure1FollowsModel(t *testing.T) {
	src := string(model.DefaultSpecSource())
	edit := func(old, new string) string {
		if strings.Count(src, old) != 1 {
			t.Fatalf("%q not found once in the spec", old)
		}
		return strings.Replace(src, old, new, 1)
	}
	noDetach := edit(`basis: {tag: table, ref: "Table 1 and Figure 1: Detaching, Available"}`,
		`basis: {tag: table, ref: "Table 1: Detaching, Available"}`)
	spec, err := model.Load("variant.yaml", []byte(noDetach))
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range build(t, spec, Options{View: Figure1}).Arrows {
		if a.From == "detaching" || a.To == "detaching" {
			t.Errorf("detach still drawn: %+v", a)
		}
	}
}

func TestFullView(t *testing.T) {
	spec := model.Default()
	g := build(t, spec, Options{})
	ids := map[string]bool{}
	for _, n := range g.Nodes {
		ids[n.ID] = true
	}
	for _, name := range spec.StatusNames() {
		if !ids[StatusID(name)] {
			t.Errorf("status %s not drawn", name)
		}
	}
	if !ids["start"] || !ids["deleted"] || g.Nodes[0].ID != "start" || g.Nodes[len(g.Nodes)-1].ID != "deleted" {
		t.Errorf("start and end nodes: %v", g.Nodes)
	}
	// Every model edge is in exactly one arrow.
	n := 0
	for _, a := range g.Arrows {
		n += len(a.Edges)
	}
	if want := len(spec.Edges()); n != want {
		t.Errorf("arrows carry %d edges, the model has %d", n, want)
	}
	find := func(from, to string, kind ArrowKind) *Arrow {
		t.Helper()
		for i := range g.Arrows {
			a := &g.Arrows[i]
			if a.Kind == kind && a.To == to && (a.From == from || contains(a.Froms, from)) {
				return a
			}
		}
		t.Fatalf("no %s arrow %s -> %s", kind, from, to)
		return nil
	}
	if a := find("in_use", "expanding", ArrowStart); strings.Join(a.Label, "|") != "Expanding capacity (not shared)" {
		t.Errorf("expand from In-use: label %q", a.Label)
	}
	if a := find("in_use", "attaching", ArrowStart); strings.Join(a.Label, "|") != "Attaching a disk (shared)" {
		t.Errorf("attach from In-use: label %q", a.Label)
	}
	if a := find("expanding", "expansion_failed", ArrowFailure); a.Inferred || a.Operator || a.Label[0] != "failed" {
		t.Errorf("expansion failure: %+v", a)
	}
	// The rollback's success rests on an inference.
	if a := find("rolling_back", "available", ArrowSuccess); !a.Inferred {
		t.Errorf("rollback success not marked inferred: %+v", a)
	}
	// Detach ends in Available or In-use, by condition.
	if a := find("detaching", "available", ArrowSuccess); strings.Join(a.Label, "|") != "succeeded|(when not attached)" {
		t.Errorf("detach to Available: label %q", a.Label)
	}
	if a := find("detaching", "in_use", ArrowEither); strings.Join(a.Label, "|") != "succeeded (otherwise) or failed" {
		t.Errorf("detach back to In-use: label %q", a.Label)
	}
	// Resetting reaches every failed status: one arrow from the cluster.
	a := find("error", "available", ArrowStart)
	if a.FromGroup != "failed" || len(a.Froms) != 5 || !a.Operator || strings.Join(a.Label, "|") != "Resetting the status\n(otherwise)" {
		t.Errorf("operator reset: %+v", a)
	}
	// Creating leads to three places: the arrows say which operation.
	if a := find("creating", "downloading", ArrowSuccess); strings.Join(a.Label, "|") != "succeeded|(creating a server)" {
		t.Errorf("creating to downloading: label %q", a.Label)
	}
}

func TestDOTLooks(t *testing.T) {
	d := string(dotOf(t, build(t, model.Default(), Options{})))
	for _, want := range []string{
		// The rollback's inferred success, written forward, drawn back.
		`available -> rolling_back [color="#1f5fa8", fontcolor="#1f5fa8", style="dashed", dir="back"]`,
		// Between the stable statuses and the work: conditions only, by
		// the status the arrow leaves; the operation is in the box.
		`attaching -> in_use [headlabel="(shared)", labeldistance="4", labelangle="15", color="#333333"`,
		`available -> detaching [headlabel="(when not attached)", labeldistance="4", labelangle="15", color="#1f5fa8"`,
		`expanding [label=<Expanding<BR/><FONT POINT-SIZE="9" COLOR="#4a5560">Expanding capacity</FONT>>`,
		// Success or failure back to In-use: two lines, blue and red.
		`attaching -> in_use [color="#1f5fa8:#c0392b", fontcolor="#1f5fa8", style="solid"]`,
		// The end and the legend share the last column.
		`{ rank=same; deleted; legend; }`,
		`deleting -> deleted [xlabel="succeeded", color="#1f5fa8", fontcolor="#1f5fa8", style="solid", minlen="2", tailport="e", headport="w"]`,
		// Between the work and the failed statuses: facing sides, the
		// failure marked at its arrowhead.
		`expanding -> expansion_failed [headlabel="failed", labeldistance="4", labelangle="15", color="#c0392b", fontcolor="#c0392b", style="solid", minlen="2", tailport="e", headport="w"]`,
		`label="operator: Resetting the status\n(otherwise)", color="#7d3c98"`,
		`subgraph cluster_failed {`,
		`subgraph cluster_legend {`,
		`error [label="Error", shape="octagon"`,
	} {
		if !strings.Contains(d, want) {
			t.Errorf("DOT lacks %s", want)
		}
	}
}

// TestWorkBetweenStables: in the full view the work in progress is
// ranked between the stable status a creation ends in (Available) and the
// other (In-use): every arrow between them and the work is written from
// the left to the right, and an arrow that leaves both stable statuses
// is drawn once from each.
func TestWorkBetweenStables(t *testing.T) {
	g := build(t, model.Default(), Options{})
	f, err := dot.ParseBytes(dotOf(t, g))
	if err != nil {
		t.Fatal(err)
	}
	written := map[[2]string]bool{}
	var collect func([]ast.Stmt)
	collect = func(stmts []ast.Stmt) {
		for _, s := range stmts {
			switch s := s.(type) {
			case *ast.Subgraph:
				collect(s.Stmts)
			case *ast.EdgeStmt:
				written[[2]string{s.From.(*ast.Node).ID, s.To.Vertex.(*ast.Node).ID}] = true
			}
		}
	}
	collect(f.Graphs[0].Stmts)
	group := map[string]string{}
	for _, n := range g.Nodes {
		group[n.ID] = n.Group
	}
	n := 0
	for k := range written {
		from, to := k[0], k[1]
		switch {
		case from == "in_use" && group[to] == "in progress":
			t.Errorf("%s -> %s: In-use written before the work, want it after", from, to)
		case to == "available" && group[from] == "in progress":
			t.Errorf("%s -> %s: Available written after the work, want it before", from, to)
		case to == "in_use" && group[from] == "in progress":
			n++
		}
	}
	if n < 4 {
		t.Errorf("%d arrows from the work to In-use, want at least 4 (attach, detach, expand, upload)", n)
	}
	for _, pair := range [][2]string{{"available", "uploading"}, {"uploading", "in_use"}} {
		if !written[pair] {
			t.Errorf("uploading starts from both stable statuses: no %s -> %s", pair[0], pair[1])
		}
	}
	if d := string(dotOf(t, g)); strings.Contains(d, `ltail="cluster_stable"`) {
		t.Error("an arrow leaves the split stable cluster as a whole")
	}
	// A view without creations keeps the sides of the whole spec.
	d := string(dotOf(t, build(t, model.Default(), Options{Ops: []string{"attach", "detach"}})))
	for _, want := range []string{"\tavailable -> attaching [", "\tattaching -> in_use [", "\tdetaching -> in_use [", "subgraph cluster_stable_right {"} {
		if !strings.Contains(d, want) {
			t.Errorf("-ops attach,detach: DOT lacks %q", want)
		}
	}
	// Without work joining In-use (the operator's arrows), nothing
	// stands between the stable statuses: they stay together.
	d = string(dotOf(t, build(t, model.Default(), Options{Actor: "operator"})))
	if strings.Contains(d, "cluster_stable_right") {
		t.Error("operator view: the stable statuses are split with no work between them")
	}
}

// walk collects the nodes and edges of a parsed DOT graph, edges in their
// drawn direction (dir=back reversed).
func walk(stmts []ast.Stmt, nodes map[string]bool, edges map[[2]string]string) {
	for _, s := range stmts {
		switch s := s.(type) {
		case *ast.NodeStmt:
			nodes[s.Node.ID] = true
		case *ast.Subgraph:
			walk(s.Stmts, nodes, edges)
		case *ast.EdgeStmt:
			from := s.From.(*ast.Node).ID
			to := s.To.Vertex.(*ast.Node).ID
			label := ""
			for _, a := range s.Attrs {
				switch {
				case a.Key == "dir" && a.Val == `"back"`:
					from, to = to, from
				case a.Key == "label":
					label = a.Val
				}
			}
			edges[[2]string{from, to}] = label
		}
	}
}

func TestDOTParsesBack(t *testing.T) {
	for _, view := range []View{Full, Figure1} {
		g := build(t, model.Default(), Options{View: view})
		f, err := dot.ParseBytes(dotOf(t, g))
		if err != nil {
			t.Fatalf("%s: gonum cannot parse the DOT: %v", view, err)
		}
		if len(f.Graphs) != 1 || !f.Graphs[0].Directed {
			t.Fatalf("%s: want one digraph", view)
		}
		nodes, edges := map[string]bool{}, map[[2]string]string{}
		walk(f.Graphs[0].Stmts, nodes, edges)
		for _, n := range g.Nodes {
			if !nodes[n.ID] {
				t.Errorf("%s: node %s not in the DOT", view, n.ID)
			}
		}
		for _, a := range g.Arrows {
			if _, ok := edges[[2]string{a.Froms[len(a.Froms)/2], a.To}]; !ok {
				t.Errorf("%s: arrow %s -> %s not in the DOT", view, a.From, a.To)
			}
		}
	}
}

func TestDeterministic(t *testing.T) {
	a := dotOf(t, build(t, model.Default(), Options{}))
	b := dotOf(t, build(t, model.Default(), Options{}))
	if !bytes.Equal(a, b) {
		t.Error("two builds of the same spec give different DOT")
	}
	wd, _ := os.Getwd()
	for _, bad := range []string{"0x", wd, os.TempDir()} {
		if bytes.Contains(a, []byte(bad)) {
			t.Errorf("DOT contains %q", bad)
		}
	}
}

func TestFilters(t *testing.T) {
	spec := model.Default()
	g := build(t, spec, Options{Ops: []string{"attach"}})
	for _, a := range g.Arrows {
		if !reflect.DeepEqual(a.Ops, []string{"attach"}) {
			t.Errorf("-ops attach drew %v", a.Ops)
		}
	}
	// Two starts; back to In-use on success or failure; to Available on failure.
	if len(g.Arrows) != 4 {
		t.Errorf("-ops attach: %d arrows, want 4", len(g.Arrows))
	}
	g = build(t, spec, Options{Actor: "operator"})
	for _, a := range g.Arrows {
		if !a.Operator {
			t.Errorf("-actor operator drew %+v", a)
		}
	}
	g = build(t, spec, Options{Actor: "customer"})
	for _, a := range g.Arrows {
		if a.Operator || contains(a.Ops, "reset_status") {
			t.Errorf("-actor customer drew %+v", a)
		}
	}
	g = build(t, spec, Options{Statuses: []string{"Available", "Attaching", "In-use"}})
	if len(g.Nodes) != 3 {
		t.Errorf("-statuses: nodes %v", g.Nodes)
	}
	for _, a := range g.Arrows {
		for _, e := range a.Edges {
			for _, s := range []model.StatusID{e.From, e.To} {
				if n := spec.StatusName(s); n != "Available" && n != "Attaching" && n != "In-use" {
					t.Errorf("-statuses drew an edge to %s", n)
				}
			}
		}
	}
}

func TestBuildErrors(t *testing.T) {
	spec := model.Default()
	for _, tt := range []struct {
		opt  Options
		want string
	}{
		{Options{Ops: []string{"attach", "fly"}}, `diagram: unknown operation "fly": valid operations are create, create_from_image,`},
		{Options{Statuses: []string{"Inuse"}}, `diagram: unknown status "Inuse": valid statuses are In-use, Available,`},
		{Options{Actor: "robot"}, `diagram: unknown actor "robot": valid actors are all, customer, operator`},
		{Options{View: Figure1, Ops: []string{"expand"}}, `diagram: nothing to draw: no figure1 arrow and no status match the filters`},
	} {
		_, err := Build(spec, tt.opt)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("Build(%+v): got %v, want %s...", tt.opt, err, tt.want)
		}
	}
	if _, err := ParseView("figure2"); err == nil || err.Error() != `diagram: unknown view "figure2": valid views are full, figure1` {
		t.Errorf("ParseView: %v", err)
	}
}

func TestStatusID(t *testing.T) {
	for in, want := range map[string]string{
		"In-use": "in_use", "Deletion failed": "deletion_failed", "Awaiting transfer": "awaiting_transfer",
		"start": "s_start", "2nd": "s_2nd", "Ünïcode": "n_code", "--": "s_",
		"Node": "s_node", "End": "s_end", "Creating outcome": "s_creating_outcome",
	} {
		if got := StatusID(in); got != want {
			t.Errorf("StatusID(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMermaid(t *testing.T) {
	var b bytes.Buffer
	if err := build(t, model.Default(), Options{}).WriteMermaid(&b); err != nil {
		t.Fatal(err)
	}
	m := b.String()
	for _, want := range []string{
		"stateDiagram-v2\n",
		`state "In-use" as in_use` + "\n",
		`state "Deletion failed" as deletion_failed` + "\n",
		"[*] --> creating : Creating a disk, Creating a server, Creating a disk from a backup\n",
		"deleting --> [*] : succeeded\n",
		"rolling_back --> available : succeeded (inferred)\n",
		"rollback_failed --> available : operator - Resetting the status (otherwise)\n",
		"class in_use, available stable\n",
	} {
		if !strings.Contains(m, want) {
			t.Errorf("Mermaid lacks %q", want)
		}
	}
	var fig bytes.Buffer
	build(t, model.Default(), Options{View: Figure1}).WriteMermaid(&fig)
	if !strings.Contains(fig.String(), "state creating_outcome <<choice>>\n") {
		t.Errorf("figure 1 in Mermaid lacks its choice:\n%s", fig.String())
	}
}

func TestJSON(t *testing.T) {
	doc := build(t, model.Default(), Options{}).JSON()
	if len(doc.Statuses) != 17 || doc.Statuses[0].Name != "In-use" || doc.Statuses[0].Code != "in-use" {
		t.Fatalf("statuses: %+v", doc.Statuses[:1])
	}
	var expand *JSONAllowed
	for i, a := range doc.Statuses[0].Allowed {
		if a.Operation == "expand" {
			expand = &doc.Statuses[0].Allowed[i]
		}
	}
	if expand == nil || !reflect.DeepEqual(expand.When, []string{"not_shared", "size_room"}) || expand.Table != "listed" ||
		expand.Note != "A shared **In-use** EVS disk cannot be expanded." {
		t.Errorf("In-use expand: %+v", expand)
	}
	if len(doc.Edges) != len(model.Default().Edges()) {
		t.Errorf("%d edges, want %d", len(doc.Edges), len(model.Default().Edges()))
	}
	inferred := 0
	for _, e := range doc.Edges {
		if e.Basis.Tag == "inferred" {
			inferred++
			if e.Basis.Reason == "" {
				t.Errorf("inferred edge without a reason: %+v", e)
			}
		}
	}
	if inferred == 0 {
		t.Error("no inferred edge in the JSON")
	}
}

func TestRSTRefusesAmbiguousText(t *testing.T) {
	for _, row := range []model.Table1Row{
		{Status: "X", Description: "d", Operations: []string{"None"}},
		{Status: "X", Description: "- d"},
		{Status: "", Description: "d"},
		{Status: "X", Description: "d", Notes: []string{".. note:: inner"}},
	} {
		var b bytes.Buffer
		if err := WriteRST(&b, []model.Table1Row{row}); err == nil {
			t.Errorf("row %+v written without error", row)
		} else if b.Len() != 0 {
			t.Errorf("row %+v: %d bytes written before the error", row, b.Len())
		}
	}
}

func TestMarkdown(t *testing.T) {
	var b bytes.Buffer
	if err := WriteMarkdown(&b, model.Default().Table1()); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 2+2+17 {
		t.Fatalf("%d lines", len(lines))
	}
	want := "| In-use | The EVS disk is attached to a server and is in use. | - Detaching<br />- Creating backups<br />- Expanding capacity" +
		"<br /><br />**Note:** A shared **In-use** EVS disk can be attached.<br /><br />**Note:** A shared **In-use** EVS disk cannot be expanded. |"
	if lines[4] != want {
		t.Errorf("In-use row:\ngot  %s\nwant %s", lines[4], want)
	}
	if lines[14] != "| Error | An error occurs when you try to create an EVS disk. | Deleting |" {
		t.Errorf("Error row: %s", lines[14])
	}
}

// Rendering costs a second at the start of any binary that imports
// go-graphviz: this package, which every command may use, must not.
func TestNoGraphvizImport(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".", "./table1").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.Contains(dep, "go-graphviz") || dep == "github.com/evsim/evsim/diagram/render" {
			t.Errorf("diagram or table1 depends on %s", dep)
		}
	}
}

func BenchmarkFullDOT(b *testing.B) {
	spec := model.Default()
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		g, err := Build(spec, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := g.WriteDOT(&buf); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes/graph")
}

// The legend explains what the picture uses, and nothing else.
func TestLegendListsWhatIsUsed(t *testing.T) {
	op := string(dotOf(t, build(t, model.Default(), Options{Actor: "operator"})))
	for _, want := range []string{"customer service (operator)", "dashed: inferred", "failed"} {
		if !strings.Contains(op, want) {
			t.Errorf("operator view's legend lacks %q", want)
		}
	}
	for _, not := range []string{"an operation starts", "either way", "parked: waits", "small print"} {
		if strings.Contains(op, not) {
			t.Errorf("operator view's legend has %q", not)
		}
	}
	full := string(dotOf(t, build(t, model.Default(), Options{})))
	for _, want := range []string{"an operation starts", "either way", "parked: waits", "small print", "stable: operations may start"} {
		if !strings.Contains(full, want) {
			t.Errorf("full view's legend lacks %q", want)
		}
	}
}

// Two status names that give the same identifier stay two nodes.
func TestNodeIDsCollide(t *testing.T) {
	src := strings.ReplaceAll(string(model.DefaultSpecSource()), "Awaiting transfer", "In use")
	spec, err := model.Load("variant.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	g := build(t, spec, Options{})
	seen := map[string]bool{}
	for _, n := range g.Nodes {
		if seen[n.ID] {
			t.Errorf("node %s twice", n.ID)
		}
		seen[n.ID] = true
	}
	if !seen["in_use"] || !seen["in_use_2"] {
		t.Errorf("nodes %v", g.Nodes)
	}
}
