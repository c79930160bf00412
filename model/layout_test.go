package model

import (
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The project is one model with three views. Its top-level parts, and the
// parts each may import (itself always included):
//
//	model      nothing of the project: the spec, the state, the rules
//	internal   generic helpers with no EVS knowledge, nothing of the project
//	diagram    model, internal (never check or sim)
//	check      model, internal (never sim)
//	sim        model, diagram (colours of the statuses), internal (never check)
//	scenarios  model, sim, internal
//	cmd        every part; a command imports the shared code of the
//	           commands (cmd/internal/...), and nothing imports a command
var allowedParts = map[string][]string{
	"model":     nil,
	"internal":  nil,
	"diagram":   {"model", "internal"},
	"check":     {"model", "internal"},
	"sim":       {"model", "diagram", "internal"},
	"scenarios": {"model", "sim", "internal"},
	"cmd":       {"model", "internal", "diagram", "check", "sim", "scenarios"},
}

// Tests may cross the lines above only where they hold one part to
// another: the simulator's per-disk engine is held to the model by the
// checker's random sequences, and the simulator's tests load scenarios.
var allowedInTests = map[string][]string{
	"check": {"sim"},
	"sim":   {"scenarios"},
}

// Libraries kept to the one place that needs them: go-graphviz compiles
// its WASM at start-up, gopter is a test strategy of the checker, and the
// model takes nothing but its YAML parser and the expression engine of its
// rules.
var libraryHomes = []struct {
	prefix string
	homes  []string // package directories (and their tests) that may import it
}{
	{"github.com/goccy/go-graphviz", []string{"diagram/render"}},
	{"github.com/leanovate/gopter", []string{"check/random"}},
}

var modelLibraries = []string{"github.com/goccy/go-yaml", "github.com/expr-lang/expr"}

// importEdge is one import of one Go file: the package directory it is in
// (relative to the module root, slash-separated), whether the file is a
// test, and the path it imports.
type importEdge struct {
	dir  string
	test bool
	path string
	pos  string // file:line, for the message
}

// part is the top-level part of a package directory.
func part(dir string) string {
	p, _, _ := strings.Cut(dir, "/")
	return p
}

// layoutViolations returns one message per import that breaks the rules
// above, in the order of edges. module is the module path.
func layoutViolations(module string, edges []importEdge) []string {
	var bad []string
	for _, e := range edges {
		from := part(e.dir)
		allowed, known := allowedParts[from]
		if !known {
			bad = append(bad, fmt.Sprintf("%s: package %s is in no part of the project (top level: %s)", e.pos, e.dir, strings.Join(partNames(), ", ")))
			continue
		}
		if rest, ok := strings.CutPrefix(e.path, module+"/"); ok {
			to := part(rest)
			switch {
			case to == from && (to != "cmd" || rest == e.dir || from == "cmd" && strings.HasPrefix(rest, "cmd/internal/")):
			case to == "cmd":
				bad = append(bad, fmt.Sprintf("%s: %s imports %s: nothing imports a command", e.pos, e.dir, rest))
			case slices.Contains(allowed, to):
			case e.test && slices.Contains(allowedInTests[from], to):
			default:
				bad = append(bad, fmt.Sprintf("%s: %s imports %s: %s may import %s", e.pos, e.dir, rest, from, orNothing(allowed)))
			}
			continue
		}
		if from == "model" && strings.Contains(strings.SplitN(e.path, "/", 2)[0], ".") &&
			!slices.ContainsFunc(modelLibraries, func(l string) bool { return e.path == l || strings.HasPrefix(e.path, l+"/") }) {
			bad = append(bad, fmt.Sprintf("%s: model imports %s: the model takes only %s", e.pos, e.path, strings.Join(modelLibraries, ", ")))
		}
		for _, l := range libraryHomes {
			if (e.path == l.prefix || strings.HasPrefix(e.path, l.prefix+"/")) && !slices.Contains(l.homes, e.dir) {
				bad = append(bad, fmt.Sprintf("%s: %s imports %s: only %s may", e.pos, e.dir, e.path, strings.Join(l.homes, ", ")))
			}
		}
	}
	return bad
}

func partNames() []string {
	var names []string
	for p := range allowedParts {
		names = append(names, p)
	}
	slices.Sort(names)
	return names
}

func orNothing(parts []string) string {
	if len(parts) == 0 {
		return "nothing of the project"
	}
	return strings.Join(parts, ", ")
}

// moduleImports reads the module path from root/go.mod and the imports of
// every Go file below root (testdata and hidden directories left out).
func moduleImports(t *testing.T, root string) (string, []importEdge) {
	t.Helper()
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	var module string
	for _, line := range strings.Split(string(mod), "\n") {
		if m, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
			module = strings.TrimSpace(m)
		}
	}
	if module == "" {
		t.Fatal("go.mod names no module")
	}
	var edges []importEdge
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") || strings.HasPrefix(d.Name(), "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		dir := filepath.ToSlash(filepath.Dir(rel))
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			edges = append(edges, importEdge{
				dir:  dir,
				test: strings.HasSuffix(path, "_test.go"),
				path: p,
				pos:  fmt.Sprintf("%s:%d", filepath.ToSlash(rel), fset.Position(imp.Pos()).Line),
			})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return module, edges
}

// TestLayout holds every import of the project to the rules above.
func TestLayout(t *testing.T) {
	module, edges := moduleImports(t, "..")
	if len(edges) < 100 {
		t.Fatalf("read only %d imports; is the module root above model/?", len(edges))
	}
	for _, msg := range layoutViolations(module, edges) {
		t.Error(msg)
	}
}

// TestLayoutRules shows that each rule fails on an import across it.
func TestLayoutRules(t *testing.T) {
	const m = "example.org/evsim"
	for _, tc := range []struct {
		name string
		edge importEdge
		want string // "" when allowed
	}{
		{"check uses the model", importEdge{dir: "check", path: m + "/model"}, ""},
		{"a check helper uses check", importEdge{dir: "check/random", path: m + "/check"}, ""},
		{"the model imports the checker", importEdge{dir: "model", path: m + "/check"}, "model may import nothing of the project"},
		{"the checker imports the simulator", importEdge{dir: "check", path: m + "/sim"}, "check may import model, internal"},
		{"the checker's test holds the engine to the model", importEdge{dir: "check/random", test: true, path: m + "/sim"}, ""},
		{"the simulator imports the checker", importEdge{dir: "sim/exact", path: m + "/check/random"}, "sim may import model, diagram, internal"},
		{"the simulator's test imports the checker", importEdge{dir: "sim", test: true, path: m + "/check"}, "sim may import"},
		{"the diagram imports the simulator", importEdge{dir: "diagram/render", path: m + "/sim"}, "diagram may import model, internal"},
		{"a helper knows the model", importEdge{dir: "internal/markov", path: m + "/model"}, "internal may import nothing"},
		{"a part imports a command", importEdge{dir: "sim", path: m + "/cmd/check"}, "nothing imports a command"},
		{"a command imports another", importEdge{dir: "cmd/sim", path: m + "/cmd/check"}, "nothing imports a command"},
		{"a command imports every part", importEdge{dir: "cmd/sim", path: m + "/scenarios"}, ""},
		{"a command imports the commands' shared code", importEdge{dir: "cmd/evsim", path: m + "/cmd/internal/simcli"}, ""},
		{"an orphan at the top", importEdge{dir: "plots", path: m + "/model"}, "is in no part"},
		{"the model takes gonum", importEdge{dir: "model", path: "gonum.org/v1/gonum/stat"}, "the model takes only"},
		{"the model takes its YAML parser", importEdge{dir: "model", path: "github.com/goccy/go-yaml/ast"}, ""},
		{"graphviz outside the renderer", importEdge{dir: "diagram", path: "github.com/goccy/go-graphviz"}, "only diagram/render may"},
		{"gopter outside random checking", importEdge{dir: "sim", test: true, path: "github.com/leanovate/gopter/gen"}, "only check/random may"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.edge.pos = "x.go:1"
			got := layoutViolations(m, []importEdge{tc.edge})
			switch {
			case tc.want == "" && len(got) > 0:
				t.Errorf("allowed import refused: %v", got)
			case tc.want != "" && (len(got) != 1 || !strings.Contains(got[0], tc.want)):
				t.Errorf("got %q, want one message containing %q", got, tc.want)
			}
		})
	}
}
