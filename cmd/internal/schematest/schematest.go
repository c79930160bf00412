// Package schematest validates the commands' reports in tests against the
// schemas the repository carries in docs/schemas: JSON reports with a JSON
// Schema validator (github.com/santhosh-tekuri/jsonschema/v6), JUnit files
// with xmllint (Debian's libxml2-utils) against the XML Schemas CI tools
// read JUnit with.
package schematest

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Dir is the folder of the schemas, docs/schemas in the repository.
func Dir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "docs", "schemas")
}

var (
	compileOnce sync.Once
	compiler    *jsonschema.Compiler
	compileErr  error
	compiled    = map[string]*jsonschema.Schema{}
	compiledMu  sync.Mutex
)

// load adds every JSON schema of Dir to a compiler under its $id, so that
// references between them resolve without a network.
func load() (*jsonschema.Compiler, error) {
	compileOnce.Do(func() {
		c := jsonschema.NewCompiler()
		files, err := filepath.Glob(filepath.Join(Dir(), "*.json"))
		if err != nil {
			compileErr = err
			return
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				compileErr = err
				return
			}
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
			if err != nil {
				compileErr = err
				return
			}
			id := filepath.ToSlash(f)
			if m, ok := doc.(map[string]any); ok {
				if s, ok := m["$id"].(string); ok {
					id = s
				} else if s, ok := m["id"].(string); ok { // draft-04, as SARIF's
					id = s
				}
			}
			if err := c.AddResource(id, doc); err != nil {
				compileErr = err
				return
			}
			compiled[filepath.Base(f)] = nil
			ids[filepath.Base(f)] = id
		}
		compiler = c
	})
	return compiler, compileErr
}

var ids = map[string]string{}

// Schema compiles the schema file name of Dir (such as
// "check-report.schema.json").
func Schema(t testing.TB, name string) *jsonschema.Schema {
	t.Helper()
	c, err := load()
	if err != nil {
		t.Fatalf("loading the schemas: %v", err)
	}
	compiledMu.Lock()
	defer compiledMu.Unlock()
	if s := compiled[name]; s != nil {
		return s
	}
	id, ok := ids[name]
	if !ok {
		t.Fatalf("no schema %s in %s", name, Dir())
	}
	s, err := c.Compile(id)
	if err != nil {
		t.Fatalf("compiling %s: %v", name, err)
	}
	compiled[name] = s
	return s
}

// JSON reports whether data validates against the schema file name; the
// error says where it does not.
func JSON(t testing.TB, name string, data []byte) error {
	t.Helper()
	s := Schema(t, name)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return err
	}
	return s.Validate(inst)
}

// MustJSON fails the test unless data validates against the schema file
// name, and returns data decoded.
func MustJSON(t testing.TB, name string, data []byte) map[string]any {
	t.Helper()
	if err := JSON(t, name, data); err != nil {
		t.Fatalf("the report does not validate against %s:\n%v\nreport:\n%.2000s", name, err, data)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// XMLLint returns the path of xmllint. Without it the test is skipped,
// except in CI (CI=true), where .ci/run installs it and its absence is a
// failure.
func XMLLint(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("xmllint is missing; .ci/run installs it (Debian: libxml2-utils)")
		}
		t.Skip("xmllint is missing (Debian: apt-get install libxml2-utils)")
	}
	return p
}

// XML reports whether the XML file validates against the XML Schema file
// xsd of Dir; the error holds xmllint's messages.
func XML(t testing.TB, xsd, file string) error {
	t.Helper()
	out, err := exec.Command(XMLLint(t), "--noout", "--nonet", "--schema", filepath.Join(Dir(), xsd), file).CombinedOutput()
	if err != nil {
		return &xmlError{strings.TrimSpace(string(out))}
	}
	return nil
}

type xmlError struct{ msg string }

func (e *xmlError) Error() string { return e.msg }

// JUnitSchemas are the schemas every JUnit report of evsim validates
// against: the Jenkins xUnit plugin's and Apache Ant's.
var JUnitSchemas = []string{"junit-10.xsd", "junit-ant.xsd"}

// MustJUnit fails the test unless the file validates against every schema
// of JUnitSchemas.
func MustJUnit(t testing.TB, file string) {
	t.Helper()
	for _, xsd := range JUnitSchemas {
		if err := XML(t, xsd, file); err != nil {
			t.Errorf("%s does not validate against %s:\n%v", filepath.Base(file), xsd, err)
		}
	}
}
