package simcli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evsim/evsim/model"
	"github.com/evsim/evsim/scenarios"
)

// TestHistoryAndFit writes a simulated history in both formats, fits a
// scenario to the notifications and loads it.
func TestHistoryAndFit(t *testing.T) {
	dir := t.TempDir()
	csv, notes := filepath.Join(dir, "h.csv"), filepath.Join(dir, "h.jsonl")
	code, out, errs := runCmd(t, "-scenario", "markov-check", "-horizon", "30d", "-history", csv, "-notifications", notes)
	if code != exitOK || out != "" || !strings.Contains(errs, "wrote "+csv) || !strings.Contains(errs, "(notifications, every change)") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	data, err := os.ReadFile(csv)
	if err != nil || !strings.HasPrefix(string(data), "time,disk,status,size_gib,attachments,shared,system\n") {
		t.Fatalf("history: %v %.80q", err, data)
	}
	code, out, errs = runCmd(t, "fit", notes)
	if code != exitOK {
		t.Fatalf("fit: exit %d: %s", code, errs)
	}
	for _, w := range []string{"name: fitted", "rates:\n  attach: ", "durations:\n  Creating: {dist: ", "won by AIC", "Wilson 95%", "servers_stopped: 0.", "remedies:\n  Error:\n    by: customer"} {
		if !strings.Contains(out, w) {
			t.Errorf("fitted scenario lacks %q:\n%s", w, out)
		}
	}
	if _, err := scenarios.Load("fitted.yaml", []byte(out), model.Default()); err != nil {
		t.Errorf("fitted scenario does not load: %v", err)
	}
	// Polls, fitted with -poll, into a file.
	polls, yaml := filepath.Join(dir, "p.jsonl"), filepath.Join(dir, "f.yaml")
	if code, _, errs := runCmd(t, "-scenario", "markov-check", "-horizon", "25d", "-history", polls, "-poll", "6h"); code != exitOK {
		t.Fatalf("polls: exit %d: %s", code, errs)
	}
	if code, _, errs := runCmd(t, "fit", "-poll", "6h", "-o", yaml, polls); code != exitOK {
		t.Fatalf("fit polls: exit %d: %s", code, errs)
	}
	if code, _, errs := runCmd(t, "-scenario", yaml, "-replications", "1", "-horizon", "6d", "-progress", "never"); code != exitOK {
		t.Errorf("the fitted scenario does not run: exit %d: %s", code, errs)
	}
}

func TestHistoryAndFitBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("time,disk,status\n2025-01-01T00:00:00Z,d,available\nyesterday,d,available\n"), 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"fit", bad}, `bad.csv:3:1: time: "yesterday" is not an RFC 3339 time`},
		{[]string{"fit"}, "want one history file"},
		{[]string{"fit", filepath.Join(dir, "none.csv")}, "no such file"},
		{[]string{"fit", "-poll", "soon", bad}, `-poll "soon"`},
		{[]string{"-history", filepath.Join(dir, "h.txt")}, "want a .csv or .jsonl file"},
		{[]string{"-notifications", filepath.Join(dir, "n.jsonl"), "-poll", "5m"}, "-poll needs -history"},
	} {
		code, out, errs := runCmd(t, tc.args...)
		if code != exitUsage || out != "" || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and %q", tc.args, code, out, errs, tc.want)
		}
	}
	code, out, errs := runCmd(t, "fit", "-lenient", bad)
	if code != exitOK || !strings.Contains(errs, "skipped 1 bad row(s)") || !strings.Contains(out, "name: fitted") {
		t.Errorf("lenient: exit %d, stderr %q", code, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "h.txt")); err == nil {
		t.Error("a refused history left a file")
	}
}

// TestFitInterrupted: an interrupt stops the fit at the rows read; the
// scenario of those is written, marked partial, with exit status 3.
func TestFitInterrupted(t *testing.T) {
	old, oldEvery := interrupt, fitCheckEvery
	defer func() { interrupt, fitCheckEvery = old, oldEvery }()
	interrupt = func() (context.Context, context.CancelFunc) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		return ctx, cancel
	}
	fitCheckEvery = 5
	code, out, errs := runCmd(t, "fit", "../../../model/history/testdata/notifications.jsonl")
	if code != exitPartial || !strings.HasPrefix(out, "# PARTIAL: interrupted after 4 observations") || !strings.Contains(errs, "interrupted after 4 observations") {
		t.Errorf("exit %d, stdout %.100q, stderr %q", code, out, errs)
	}
	if _, err := scenarios.Load("partial.yaml", []byte(out), model.Default()); err != nil {
		t.Errorf("the partial scenario does not load: %v", err)
	}
}
