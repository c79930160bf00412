package simcli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// shards runs the given shards of a 4-replication run and returns their
// file names.
func shards(t *testing.T, dir string, extra []string, names ...string) []string {
	t.Helper()
	var out []string
	for _, s := range names {
		code, js, errs := runCmd(t, append([]string{"-horizon", "45d", "-replications", "4", "-progress", "never", "-shard", s}, extra...)...)
		if code != exitOK {
			t.Fatalf("-shard %s: exit %d: %s", s, code, errs)
		}
		p := filepath.Join(dir, strings.ReplaceAll(s+strings.Join(extra, ""), "/", "_")+".json")
		if err := os.WriteFile(p, []byte(js), 0o644); err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

// TestMergeEqualsWholeRun: the summary of 4 replications run at once is
// byte for byte the merge of 2 shards, and of 3 uneven shards given in any
// order, as JSON and as a table.
func TestMergeEqualsWholeRun(t *testing.T) {
	dir := t.TempDir()
	base := []string{"-horizon", "45d", "-replications", "4", "-progress", "never"}
	_, wholeJSON, _ := runCmd(t, append(base, "-format", "json")...)
	_, wholeTable, _ := runCmd(t, base...)
	two := shards(t, dir, nil, "0/2", "1/2")
	three := shards(t, dir, nil, "2/3", "0/3", "1/3") // replications {2,3}, {0}, {1}
	for name, files := range map[string][]string{"2 shards": two, "3 uneven shards": three} {
		code, js, errs := runCmd(t, append([]string{"merge", "-format", "json"}, files...)...)
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", name, code, errs)
		}
		if js != wholeJSON {
			t.Errorf("%s: merged JSON differs from the whole run's", name)
		}
		_, table, _ := runCmd(t, append([]string{"merge"}, files...)...)
		if table != wholeTable {
			t.Errorf("%s: merged table differs from the whole run's:\n%s\nwant:\n%s", name, table, wholeTable)
		}
	}
	if !strings.Contains(wholeJSON, `"replications": 4`) {
		t.Error("the whole run is not of 4 replications")
	}
}

func TestMergeRejects(t *testing.T) {
	dir := t.TempDir()
	good := shards(t, dir, nil, "0/2", "1/2")
	seed := shards(t, dir, []string{"-seed", "7"}, "1/2")
	other := shards(t, dir, []string{"-scenario", "understaffed"}, "1/2")
	three := shards(t, dir, nil, "1/3")
	notShard := filepath.Join(dir, "summary.json")
	_, js, _ := runCmd(t, "-horizon", "45d", "-replications", "2", "-format", "json", "-progress", "never")
	if err := os.WriteFile(notShard, []byte(js), 0o644); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(good[1])
	if err != nil {
		t.Fatal(err)
	}
	spec := filepath.Join(dir, "spec.json")
	edited := regexp.MustCompile(`"spec_sha256":"[0-9a-f]+"`).ReplaceAllString(string(data), `"spec_sha256":"0000"`)
	if err := os.WriteFile(spec, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		files []string
		want  string
	}{
		{"another spec", []string{spec, good[0]}, "spec.json: made with another spec"},
		{"missing shard", good[:1], "replications 2, 3 missing (shard 1 of 2 not given)"},
		{"duplicate", []string{good[0], good[0], good[1]}, "shard 0/2 given twice"},
		{"other seed", []string{good[0], seed[0]}, "its seed differs"},
		{"other scenario", []string{good[0], other[0]}, "its scenario (field "},
		{"other split", []string{good[0], three[0]}, "its number of shards differs"},
		{"a summary, not a shard", []string{notShard}, "summary.json: not a shard file"},
		{"no file", nil, "no shard file given"},
		{"unreadable", []string{filepath.Join(dir, "none.json")}, "no such file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := runCmd(t, append([]string{"merge"}, tc.files...)...)
			if code != exitUsage || !strings.Contains(errs, tc.want) || out != "" {
				t.Errorf("exit %d, stderr %q; want exit 2, nothing on stdout, and %q", code, errs, tc.want)
			}
		})
	}
}

func TestShardFlagErrors(t *testing.T) {
	for _, tc := range []struct{ args, want string }{
		{"-shard 2/2", "want i/n with 0 <= i < n"},
		{"-shard 1", "want i/n"},
		{"-shard -1/3", "want i/n"},
		{"-shard 0/2 -format json", "-format does not go with -shard"},
	} {
		code, out, errs := runCmd(t, append(strings.Fields(tc.args), "-horizon", "45d")...)
		if code != exitUsage || !strings.Contains(errs, tc.want) || out != "" {
			t.Errorf("%s: exit %d, stderr %q; want exit 2 and %q", tc.args, code, errs, tc.want)
		}
	}
}

func TestShardRange(t *testing.T) {
	// Every replication in exactly one shard, blocks in order.
	for reps := 1; reps <= 9; reps++ {
		for n := 1; n <= 12; n++ {
			next := 0
			for i := range n {
				lo, hi := shardRange(i, n, reps)
				if lo != next || hi < lo {
					t.Fatalf("reps %d, shard %d/%d: %d to %d, want from %d", reps, i, n, lo, hi, next)
				}
				next = hi
			}
			if next != reps {
				t.Fatalf("reps %d, %d shards cover %d", reps, n, next)
			}
		}
	}
}

// TestShardsOfAScenarioFile: a shard carries the scenario's text, so merge
// needs no copy of the file.
func TestShardsOfAScenarioFile(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile("../../../scenarios/understaffed.yaml")
	if err != nil {
		t.Fatal(err)
	}
	yaml := filepath.Join(dir, "mine.yaml")
	if err := os.WriteFile(yaml, src, 0o644); err != nil {
		t.Fatal(err)
	}
	files := shards(t, dir, []string{"-scenario", yaml}, "0/2", "1/2")
	_, whole, _ := runCmd(t, "-scenario", yaml, "-horizon", "45d", "-replications", "4", "-progress", "never")
	if err := os.Remove(yaml); err != nil {
		t.Fatal(err)
	}
	code, merged, errs := runCmd(t, append([]string{"merge"}, files...)...)
	if code != exitOK || merged != whole {
		t.Errorf("exit %d (%s); merged table equal to the whole run's: %v", code, errs, merged == whole)
	}
}

func FuzzParseShard(f *testing.F) {
	f.Add(`{"format": "evsim-shard/1", "replications": 2, "results": [{"Replication": 0}]}`)
	f.Add(`{"format": "other"}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, text string) {
		sf, err := parseShard("s.json", []byte(text))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "s.json: ") {
				t.Errorf("error does not name the file: %v", err)
			}
			return
		}
		if sf.Format != shardFormat || sf.Replications < 1 {
			t.Errorf("accepted %+v", sf)
		}
	})
}

// TestMergeComparesContent: shards of one scenario run from two files of
// other names, laid out and commented differently, merge into the whole
// run; a scenario that differs in one figure is refused with that field
// named.
func TestMergeComparesContent(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile("../../../scenarios/understaffed.yaml")
	if err != nil {
		t.Fatal(err)
	}
	a := filepath.Join(dir, "a.yaml")
	b := filepath.Join(dir, "b.yaml")
	c := filepath.Join(dir, "c.yaml")
	reworded := "# the same scenario, commented otherwise\n" + strings.ReplaceAll(string(src), "# assumption", "# a guess")
	expand := regexp.MustCompile(`(?m)^  expand: [0-9.]+`).FindStringIndex(string(src)) // the first: rates
	if expand == nil {
		t.Fatal("understaffed.yaml has no expand rate to change")
	}
	changed := string(src[:expand[0]]) + "  expand: 0.5" + string(src[expand[1]:])
	for p, s := range map[string]string{a: string(src), b: reworded, c: changed} {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fa := shards(t, dir, []string{"-scenario", a}, "0/2")
	fb := shards(t, dir, []string{"-scenario", b}, "1/2")
	fc := shards(t, dir, []string{"-scenario", c}, "1/2")
	_, whole, _ := runCmd(t, "-scenario", a, "-horizon", "45d", "-replications", "4", "-progress", "never")
	code, merged, errs := runCmd(t, "merge", fa[0], fb[0])
	if code != exitOK || merged != whole {
		t.Errorf("same content, other file: exit %d (%s); merged equal to the whole run: %v", code, errs, merged == whole)
	}
	code, _, errs = runCmd(t, "merge", fa[0], fc[0])
	if want := "its scenario (field rates.expand) differs"; code != exitUsage || !strings.Contains(errs, want) {
		t.Errorf("exit %d, stderr %q; want exit 2 and %q", code, errs, want)
	}
}
