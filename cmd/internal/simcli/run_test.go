package simcli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestDefaultScenarioTable(t *testing.T) {
	code, out, errs := runCmd(t, "-horizon", "40d", "-replications", "2")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"scenario baseline", "Disks per status", "In-use", "Operations per day", "Tickets to customer service", "Storage pool", "± "} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	for _, want := range []string{"seed 1", "reproduce with: go run ./cmd/sim -scenario baseline -seed 1 -replications 2 -horizon 40d"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if strings.Contains(out, "PARTIAL") {
		t.Error("a complete run is marked partial")
	}
}

// TestJSONSameAnyWorkers: the same seed gives byte-identical JSON whatever
// the number of workers; another seed does not.
func TestJSONSameAnyWorkers(t *testing.T) {
	args := []string{"-scenario", "pool-crunch", "-horizon", "90d", "-replications", "3", "-format", "json"}
	c1, out1, e1 := runCmd(t, append(args, "-workers", "1")...)
	c2, out2, e2 := runCmd(t, append(args, "-workers", "2")...)
	if c1 != exitOK || c2 != exitOK {
		t.Fatalf("exit %d, %d: %s %s", c1, c2, e1, e2)
	}
	if out1 != out2 {
		t.Fatal("JSON differs between -workers 1 and -workers 2")
	}
	var rep map[string]any
	if err := json.Unmarshal([]byte(out1), &rep); err != nil {
		t.Fatal(err)
	}
	if rep["scenario"] != "pool-crunch" || rep["partial"] != false || rep["replications"] != 3.0 {
		t.Errorf("scenario %v, partial %v, replications %v", rep["scenario"], rep["partial"], rep["replications"])
	}
	_, out3, _ := runCmd(t, append(args, "-workers", "2", "-seed", "2")...)
	if out3 == out1 {
		t.Error("seed 2 gave the same output as seed 1")
	}
}

func TestOutputDirectory(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "extra.csv")
	code, out, errs := runCmd(t, "-scenario", "shared-cluster", "-horizon", "40d", "-replications", "2", "-o", dir, "-csv", csv)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	txt, err := os.ReadFile(filepath.Join(dir, "summary.txt"))
	if err != nil || string(txt) != out {
		t.Errorf("summary.txt differs from stdout (%v)", err)
	}
	series, err := os.ReadFile(filepath.Join(dir, "series.csv"))
	if err != nil {
		t.Fatal(err)
	}
	extra, _ := os.ReadFile(csv)
	if !bytes.Equal(series, extra) {
		t.Error("-csv and -o wrote different series")
	}
	lines := strings.Split(strings.TrimSpace(string(series)), "\n")
	if !strings.HasPrefix(lines[0], "time_h,disks,pool_used_gib,tickets_open,In-use,Available,") {
		t.Errorf("CSV header %q", lines[0])
	}
	if len(lines) != 42 { // header and days 0 to 40
		t.Errorf("%d CSV lines, want 42", len(lines))
	}
	var js map[string]any
	b, _ := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err := json.Unmarshal(b, &js); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 4 {
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %v; want the three outputs and extra.csv, no temporary file", names)
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("horizon: 10d\nfleet:\n  disks: ten\n"), 0o644)
	empty := filepath.Join(dir, "empty.yaml")
	os.WriteFile(empty, nil, 0o644)
	out := filepath.Join(dir, "out")
	os.Mkdir(out, 0o755)
	aFile := filepath.Join(dir, "a-file")
	os.WriteFile(aFile, nil, 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-nope"}, "flag provided but not defined"},
		{[]string{"extra"}, `unexpected argument "extra"`},
		{[]string{"-format", "xml"}, `-format "xml"; want table or json`},
		{[]string{"-scenario", "basline"}, `unknown scenario "basline"; want one of baseline`},
		{[]string{"-scenario", bad}, "bad.yaml:3:10:"},
		{[]string{"-scenario", empty}, "empty.yaml:1:1: the scenario is empty"},
		{[]string{"-scenario", filepath.Join(dir, "missing.yaml")}, "no such file"},
		{[]string{"-horizon", "ten days"}, `-horizon "ten days"; want a duration with a unit`},
		{[]string{"-horizon", "10d"}, "longer than the warm-up"},
		{[]string{"-replications", "0"}, "-replications 0; want 1 to 10000"},
		{[]string{"-workers", "-1"}, "-workers -1"},
		{[]string{"-o", bad}, "not a directory"},
		{[]string{"-progress", "sometimes"}, "want auto, always or never"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			args := append(tc.args, "-csv", filepath.Join(out, "s.csv"))
			code, stdout, errs := runCmd(t, args...)
			if code != exitUsage {
				t.Fatalf("exit %d, want %d; stderr %s", code, exitUsage, errs)
			}
			if !strings.Contains(errs, tc.want) {
				t.Errorf("stderr %q lacks %q", errs, tc.want)
			}
			if stdout != "" {
				t.Errorf("stdout not empty: %q", stdout)
			}
			if ents, _ := os.ReadDir(out); len(ents) != 0 {
				t.Errorf("files written despite the error: %d", len(ents))
			}
		})
	}
}

func TestHelpAndList(t *testing.T) {
	code, help, errs := runCmd(t, "-h")
	if code != exitOK || errs != "" {
		t.Fatalf("-h exit %d, stderr %q; want 0 and the help on stdout", code, errs)
	}
	for _, f := range []string{"-scenario", "-seed", "-replications", "-workers", "-horizon", "-format", "-csv", "-o", "-list", "-progress", "pool-crunch", "-version"} {
		if !strings.Contains(help, f) {
			t.Errorf("-h does not mention %s", f)
		}
	}
	code, out, _ := runCmd(t, "-list")
	if code != exitOK || !strings.Contains(out, "baseline") || !strings.Contains(out, "understaffed") {
		t.Errorf("-list exit %d:\n%s", code, out)
	}
}

// TestInterruptWritesPartial: a run stopped early writes what it simulated,
// marked partial, and exits 3.
func TestInterruptWritesPartial(t *testing.T) {
	old := interrupt
	defer func() { interrupt = old }()
	interrupt = func() (context.Context, context.CancelFunc) {
		return context.WithTimeout(context.Background(), 300*time.Millisecond)
	}
	dir := t.TempDir()
	code, out, errs := runCmd(t, "-scenario", "baseline", "-workers", "1", "-o", dir)
	if code != exitPartial {
		t.Fatalf("exit %d, want %d; %s", code, exitPartial, errs)
	}
	if !strings.Contains(out, "PARTIAL") || !strings.Contains(errs, "stopped early") {
		t.Errorf("not marked partial:\n%s\n%s", out, errs)
	}
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var js map[string]any
	if err := json.Unmarshal(b, &js); err != nil || js["partial"] != true {
		t.Errorf("summary.json partial = %v (%v)", js["partial"], err)
	}
	csv, err := os.ReadFile(filepath.Join(dir, "series.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if first, _, _ := strings.Cut(string(csv), "\n"); first != partialCSVMark {
		t.Errorf("series.csv starts %q, want the partial mark %q", first, partialCSVMark)
	}
}

// TestRateLine: the speed line says what it divides by: wall time, all
// workers together, and CPU time.
func TestRateLine(t *testing.T) {
	got := rateLine(6_000_000, 2*time.Second, 4*time.Second, true)
	want := "sim: 6000000 events in 2.00s of wall time: 3.0 million per second of wall time (all workers together), 1.5 million per CPU-second (4.00 CPU-seconds)"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if got := rateLine(10, time.Second, 0, false); strings.Contains(got, "CPU") {
		t.Errorf("no CPU time, yet %q", got)
	}
	_, _, errs := runCmd(t, "-horizon", "40d", "-replications", "1", "-progress", "never")
	if !strings.Contains(errs, "million per second of wall time (all workers together)") {
		t.Errorf("stderr %q lacks the speed line", errs)
	}
}
