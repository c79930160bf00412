package scenarios

import (
	"embed"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/evsim/evsim/internal/readfile"
	"github.com/evsim/evsim/model"
)

//go:embed *.yaml
var files embed.FS

// Names returns the names of the embedded scenarios, sorted.
func Names() []string {
	ents, _ := files.ReadDir(".")
	var out []string
	for _, e := range ents {
		out = append(out, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	sort.Strings(out)
	return out
}

// Source returns the YAML text of the embedded scenario name.
func Source(name string) ([]byte, bool) {
	b, err := files.ReadFile(name + ".yaml")
	return b, err == nil
}

// Get loads the embedded scenario name against spec.
func Get(name string, spec *model.Spec) (*Scenario, error) {
	b, ok := Source(name)
	if !ok {
		return nil, fmt.Errorf("scenarios: unknown scenario %q; want one of %s, or a file name", name, strings.Join(Names(), ", "))
	}
	sc, err := Load(name+".yaml", b, spec)
	if err != nil {
		return nil, err
	}
	if sc.Name == "" {
		sc.Name = name
	}
	return sc, nil
}

// Open loads the scenario ref: the name of an embedded scenario, or else a
// file path.
func Open(ref string, spec *model.Spec) (*Scenario, error) {
	if _, ok := Source(ref); ok {
		return Get(ref, spec)
	}
	if st, err := os.Stat(ref); err == nil && st.IsDir() {
		return nil, fmt.Errorf("scenarios: %s: is a directory; want a scenario file, or one of %s", ref, strings.Join(Names(), ", "))
	}
	if !strings.ContainsAny(ref, "/.\\") {
		return nil, fmt.Errorf("scenarios: unknown scenario %q; want one of %s, or a file name", ref, strings.Join(Names(), ", "))
	}
	b, err := readfile.Read(ref, int64(model.DefaultYAMLLimits.MaxBytes))
	if err != nil {
		return nil, fmt.Errorf("scenarios: %w", err)
	}
	sc, err := Load(ref, b, spec)
	if err != nil {
		return nil, err
	}
	if sc.Name == "" {
		sc.Name = strings.TrimSuffix(filepath.Base(ref), filepath.Ext(ref))
	}
	return sc, nil
}
