package scenarios

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/evsim/evsim/model"
)

func TestSet(t *testing.T) {
	src, _ := Source("understaffed")
	spec := model.Default()
	cases := []struct {
		path, value string
		check       func(t *testing.T, sc *Scenario)
	}{
		{"operator.agents", "3", func(t *testing.T, sc *Scenario) {
			if sc.Config.Agents != 3 {
				t.Errorf("agents %d; want 3", sc.Config.Agents)
			}
		}},
		{"failures.expand", "0.25", func(t *testing.T, sc *Scenario) {
			id, _ := spec.OpByName("expand")
			if sc.Config.Failure[id] != 0.25 {
				t.Errorf("failure %g; want 0.25", sc.Config.Failure[id])
			}
		}},
		{"durations.Rolling back.median", "7m", func(t *testing.T, sc *Scenario) {
			id, _ := spec.StatusByName("Rolling back")
			if d := sc.Config.Durations[id]; d.A != 7.0/60 {
				t.Errorf("median %g h; want 7 minutes", d.A)
			}
		}},
		{"pool.capacity_gib", "1000", func(t *testing.T, sc *Scenario) {
			if sc.Config.PoolGiB != 1000 {
				t.Errorf("pool %g; want 1000", sc.Config.PoolGiB)
			}
		}},
		{"horizon", "90d", func(t *testing.T, sc *Scenario) {
			if sc.Config.Horizon != 90*24 {
				t.Errorf("horizon %g; want 90 days", sc.Config.Horizon)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			out, err := Set(src, tc.path, tc.value)
			if err != nil {
				t.Fatal(err)
			}
			if n := bytes.Count(out, []byte("\n")); n != bytes.Count(src, []byte("\n")) {
				t.Errorf("%d lines; want the file's %d", n, bytes.Count(src, []byte("\n")))
			}
			sc, err := Load("understaffed.yaml", out, spec)
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, sc)
		})
	}
}

func TestSetBadPath(t *testing.T) {
	src, _ := Source("understaffed")
	for _, p := range []string{"operator.agent", "operator", "remedies.Error.ops", "name", "rates.expand.x", ""} {
		_, err := Set(src, p, "1")
		if err == nil {
			t.Errorf("%q: no error", p)
			continue
		}
		if !strings.Contains(err.Error(), "want one of") || !strings.Contains(err.Error(), "operator.agents") {
			t.Errorf("%q: error %q does not list the valid paths", p, err)
		}
	}
	if _, err := Set(src, "operator.agents", "1, 2"); err == nil {
		t.Error("a value with a comma and a blank is accepted")
	}
}

// TestSetBadValue: a value the scenario does not allow gets the loader's
// error, pointing at the line and column of the value.
func TestSetBadValue(t *testing.T) {
	src, _ := Source("understaffed")
	cases := []struct{ path, value, want string }{
		{"operator.agents", "-1", "operator.agents: -1 is out of range"},
		{"failures.expand", "1.5", "failures.expand: 1.5 is out of range"},
		{"durations.Expanding.median", "30", "is not a duration"},
		{"fleet.in_use", "2", "fleet.in_use: 2 is out of range"},
	}
	for _, tc := range cases {
		out, err := Set(src, tc.path, tc.value)
		if err != nil {
			t.Fatal(err)
		}
		_, err = Load("understaffed.yaml", out, model.Default())
		var el model.ErrorList
		if !errors.As(err, &el) || len(el) == 0 {
			t.Fatalf("%s=%s: error %v; want an ErrorList", tc.path, tc.value, err)
		}
		var at *model.Error
		for _, e := range el {
			if strings.HasPrefix(e.Field, tc.path) {
				at = e
			}
		}
		if at == nil || !strings.Contains(err.Error(), tc.want) || at.Line == 0 {
			t.Fatalf("%s=%s: error %q; want %q at a line", tc.path, tc.value, err, tc.want)
		}
		line := strings.Split(string(out), "\n")[at.Line-1]
		if !strings.Contains(line, tc.value) {
			t.Errorf("%s=%s: error points at line %d %q, not at the value", tc.path, tc.value, at.Line, line)
		}
	}
}

func TestPaths(t *testing.T) {
	src, _ := Source("baseline")
	ps, err := Paths(src)
	if err != nil {
		t.Fatal(err)
	}
	joined := "\n" + strings.Join(ps, "\n") + "\n"
	for _, want := range []string{"operator.agents", "pool.capacity_gib", "failures.expand", "rates.attach", "durations.Rolling back.median", "growth.mix.create", "fleet.size_gib.sigma"} {
		if !strings.Contains(joined, "\n"+want+"\n") {
			t.Errorf("paths lack %s", want)
		}
	}
	if strings.Contains(joined, "\nname\n") || strings.Contains(joined, "remedies.Error.ops") {
		t.Error("paths list the name or a list")
	}
	// Every listed path can be set.
	for _, p := range ps {
		if _, err := Set(src, p, "1"); err != nil {
			t.Errorf("Set(%s): %v", p, err)
		}
	}
}

func FuzzSet(f *testing.F) {
	src, _ := Source("markov-check")
	f.Add(src, "operator.agents", "2")
	f.Add([]byte("a: {b: 1}\n"), "a.b", "3")
	f.Add([]byte("a: 'x y'\n"), "a", "z")
	f.Add([]byte("- 1\n"), "a", "1")
	f.Fuzz(func(t *testing.T, data []byte, path, value string) {
		out, err := Set(data, path, value)
		if err != nil {
			return
		}
		// The value set is read back at its path.
		if _, err := Set(out, path, value); err != nil {
			t.Fatalf("set %s=%s, then the path is gone: %v", path, value, err)
		}
	})
}
