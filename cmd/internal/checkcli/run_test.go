package checkcli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/evsim/evsim/cmd/internal/cli"
	"github.com/evsim/evsim/model"
)

func runCheck(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(append([]string{"-progress=false"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

type jsonReport struct {
	Result      string `json:"result"`
	States      int    `json:"states"`
	Transitions int    `json:"transitions"`
	Depth       int    `json:"depth"`
	Properties  []struct {
		Name    string `json:"name"`
		Holds   bool   `json:"holds"`
		Verdict string `json:"verdict"`
	} `json:"properties"`
	Violations []struct {
		Property string `json:"property"`
		Detail   string `json:"detail"`
		Trace    []struct {
			Action string `json:"action"`
			Disk   int    `json:"disk"`
			Server int    `json:"server"`
			From   string `json:"from"`
			To     string `json:"to"`
		} `json:"trace"`
	} `json:"violations"`
	Findings []struct {
		Kind string `json:"kind"`
		Text string `json:"text"`
	} `json:"findings"`
	Coverage struct {
		Statuses []struct {
			Status string `json:"status"`
			States int    `json:"states"`
		} `json:"statuses"`
	} `json:"coverage"`
}

func decode(t *testing.T, s string) jsonReport {
	t.Helper()
	var r jsonReport
	if err := json.Unmarshal([]byte(s), &r); err != nil {
		t.Fatalf("bad JSON: %v\n%s", err, s)
	}
	return r
}

func TestDefaultSpecHolds(t *testing.T) {
	code, out, errs := runCheck(t)
	if code != exitHolds {
		t.Fatalf("exit %d, want 0\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"result         HOLDS", "without symmetry reduction", "coverage: transitions per operation", "customer-stuck"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	for _, p := range mustSystem(t).Properties() {
		if !regexpLine(out, p.Name, "holds") {
			t.Errorf("report has no line saying %s holds", p.Name)
		}
	}
}

func mustSystem(t *testing.T) *model.System {
	sys, err := model.NewSystem(model.Default(), model.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	return sys
}

// regexpLine reports whether some line has the words a and b, in order.
func regexpLine(text, a, b string) bool {
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		for i := range f {
			if f[i] == a && i+1 < len(f) && f[len(f)-1] == b {
				return true
			}
		}
	}
	return false
}

// mutantArgs is the configuration that catches a mutant: the default one,
// or 17 servers for the attachment limit of a shared disk (cheap with
// server symmetry).
func mutantArgs(name string) []string {
	if name == "shared-exceeds-16" {
		return []string{"-disks", "shared:10", "-servers", "17", "-power=false"}
	}
	return nil
}

func TestEveryMutantIsCaught(t *testing.T) {
	files, err := filepath.Glob("../../../model/testdata/mutants/*.yaml")
	if err != nil || len(files) < 10 {
		t.Fatalf("want at least 10 mutants, got %d (%v)", len(files), err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".yaml")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var breaks string
			for _, line := range strings.Split(string(data), "\n") {
				if v, ok := strings.CutPrefix(line, "# breaks: "); ok {
					breaks = strings.TrimSpace(v)
				}
			}
			if breaks == "" {
				t.Fatal("no '# breaks:' header")
			}
			args := append([]string{"-spec", f, "-format", "json"}, mutantArgs(name)...)
			code, out, errs := runCheck(t, args...)
			if code != exitViolated {
				t.Fatalf("exit %d, want 1\n%s", code, errs)
			}
			r := decode(t, out)
			if r.Result != "violated" {
				t.Errorf("result %q", r.Result)
			}
			found := false
			for _, v := range r.Violations {
				if v.Property == breaks {
					found = true
					if len(v.Trace) == 0 {
						t.Errorf("%s violated without a trace", breaks)
					}
					for _, s := range v.Trace {
						if s.Action == "" || s.From == "" || s.To == "" {
							t.Errorf("incomplete trace step %+v", s)
						}
					}
				}
			}
			if !found {
				t.Errorf("%s not named among the violations %+v", breaks, r.Violations)
			}
		})
	}
}

func TestTextReportShowsTrace(t *testing.T) {
	code, out, _ := runCheck(t, "-spec", "../../../model/testdata/mutants/delete-attached.yaml", "-servers", "1")
	if code != exitViolated {
		t.Fatalf("exit %d, want 1", code)
	}
	for _, want := range []string{"result         VIOLATED", "VIOLATED attached-disk-never-deleted", "shortest trace", "step  action", "start delete d", "final state:"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q\n%s", want, out)
		}
	}
}

func TestJSONIsTheSameForAnyNumberOfWorkers(t *testing.T) {
	args := []string{"-spec", "../../../model/testdata/mutants/rollback-from-in-use.yaml", "-servers", "1", "-format", "json"}
	_, a, _ := runCheck(t, append(args, "-workers", "1")...)
	_, b, _ := runCheck(t, append(args, "-workers", "2")...)
	if a != b {
		t.Error("JSON differs between 1 and 2 workers")
	}
	r := decode(t, a)
	if r.States == 0 || r.Transitions == 0 || r.Depth == 0 || len(r.Properties) == 0 || len(r.Coverage.Statuses) == 0 {
		t.Errorf("JSON lacks figures: %+v", r)
	}
}

func TestIncompleteExits3(t *testing.T) {
	code, out, errs := runCheck(t, "-max-states", "1000", "-format", "json")
	if code != exitIncomplete {
		t.Fatalf("exit %d, want 3", code)
	}
	r := decode(t, out)
	if r.Result != "incomplete" || r.States != 1000 {
		t.Errorf("result %q with %d states", r.Result, r.States)
	}
	if !strings.Contains(errs, "-max-states") {
		t.Errorf("stderr does not say which flag to raise: %q", errs)
	}
	unknown := 0
	for _, p := range r.Properties {
		if p.Verdict == "unknown" {
			unknown++
		}
	}
	if unknown == 0 {
		t.Error("no property is unknown after an incomplete search")
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("name: x\nlimits:\n  attachments: one\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	junit := filepath.Join(dir, "out.xml")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown disk kind", []string{"-disks", "data,floppy"}, `item 2 "floppy": unknown kind "floppy"`},
		{"bad size", []string{"-disks", "data:big"}, `size "big"`},
		{"too many disks", []string{"-disks", "65*data"}, "repeat count"},
		{"too many disks to search", []string{"-disks", "9*data"}, "exhaustive search takes at most 8"},
		{"bad format", []string{"-format", "xml"}, "want text, json, sarif or github"},
		{"bad memory", []string{"-max-memory", "lots"}, "-max-memory"},
		{"negative servers", []string{"-servers", "-1"}, "must not be negative"},
		{"too many servers", []string{"-servers", "40"}, "servers"},
		{"missing spec", []string{"-spec", filepath.Join(dir, "none.yaml")}, "none.yaml"},
		{"bad spec", []string{"-spec", bad, "-junit", junit}, "bad.yaml:"},
		{"stray argument", []string{"extra"}, "unexpected argument"},
		{"too wide", []string{"-servers", "32", "-snapshots", "0", "-backups", "0", "-size-steps", "0"}, "at most 64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCheck(t, tt.args...)
			if code != exitBadInput {
				t.Errorf("exit %d, want 2", code)
			}
			if !strings.Contains(errs, tt.want) {
				t.Errorf("stderr %q lacks %q", errs, tt.want)
			}
			if out != "" {
				t.Errorf("stdout not empty: %q", out)
			}
		})
	}
	if _, err := os.Stat(junit); !os.IsNotExist(err) {
		t.Errorf("JUnit file written for bad input (%v)", err)
	}
}

func TestJUnit(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "check.xml")
	code, _, _ := runCheck(t, "-spec", "../../../model/testdata/mutants/size-shrinks.yaml", "-servers", "1", "-junit", name)
	if code != exitViolated {
		t.Fatalf("exit %d, want 1", code)
	}
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var suites cli.JUnitSuites
	if err := xml.Unmarshal(data, &suites); err != nil {
		t.Fatal(err)
	}
	s := suites.Suites[0]
	// One per property of the spec, and table-1-matches-the-page, which
	// -spec adds.
	if s.Tests != len(mustSystem(t).Properties())+1 || len(s.Cases) != s.Tests {
		t.Errorf("%d tests, %d cases; want one per property", s.Tests, len(s.Cases))
	}
	failed := map[string]bool{}
	for _, c := range s.Cases {
		if c.Failure != nil {
			failed[c.Name] = true
			if !strings.Contains(c.Failure.Text, "step") {
				t.Errorf("%s: failure without a trace", c.Name)
			}
		}
	}
	if !failed["size-never-shrinks"] || s.Failures != len(failed) {
		t.Errorf("failures %v (%d)", failed, s.Failures)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
}

func TestHelpListsEveryFlag(t *testing.T) {
	code, out, errs := runCheck(t, "-h")
	if code != exitHolds || errs != "" {
		t.Errorf("exit %d, stderr %q; want 0 and help on stdout only", code, errs)
	}
	for _, f := range []string{"-spec", "-format", "-junit", "-disks", "-servers", "-snapshots", "-backups", "-size-steps", "-operator", "-power", "-workers", "-max-states", "-max-memory", "-symmetry", "shared-system", "-version"} {
		if !strings.Contains(out, f) {
			t.Errorf("-h does not mention %s", f)
		}
	}
}

func TestParseDisks(t *testing.T) {
	got, err := parseDisks("2*shared:10,system:1023, data")
	if err != nil {
		t.Fatal(err)
	}
	want := []model.DiskConfig{{Shared: true, Size: 10}, {Shared: true, Size: 10}, {System: true, Size: 1023}, {Size: 10}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	back, err := parseDisks(formatDisks(got))
	if err != nil || !reflect.DeepEqual(back, got) {
		t.Errorf("round trip: %+v, %v", back, err)
	}
}

func FuzzParseDisks(f *testing.F) {
	for _, s := range []string{"shared:10,system:1023", "2*data", "data:0", "shared-system:5", "*", ",", "3*system:40,data:1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ds, err := parseDisks(s)
		if err != nil {
			return
		}
		if len(ds) == 0 || len(ds) > model.MaxDisks {
			t.Fatalf("%q: %d disks accepted", s, len(ds))
		}
		back, err := parseDisks(formatDisks(ds))
		if err != nil || !reflect.DeepEqual(back, ds) {
			t.Fatalf("%q: round trip gives %+v, %v", s, back, err)
		}
	})
}

func FuzzParseBytes(f *testing.F) {
	for _, s := range []string{"4GiB", "0", "512MiB", "1KiB", "x", "-1", "99999999999TiB"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := parseBytes(s)
		if err == nil && v < 0 {
			t.Fatalf("%q: negative %d", s, v)
		}
	})
}
