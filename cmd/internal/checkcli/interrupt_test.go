package checkcli

import (
	"context"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/evsim/evsim/cmd/internal/schematest"
)

// TestInterruptWritesReports: SIGINT during a check that would run for
// minutes stops it within a level, writes the text report, the JSON
// report and the JUnit file of what was explored, marked incomplete, each
// valid under its schema, and exits 3.
func TestInterruptWritesReports(t *testing.T) {
	// While this is registered SIGINT cannot kill the test binary, even
	// if it comes before the check has set up its own handler.
	guard := make(chan os.Signal, 1)
	signal.Notify(guard, os.Interrupt)
	defer signal.Stop(guard)

	dir := t.TempDir()
	big := []string{"-disks", "2*shared:10,system:1023", "-servers", "3"}
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			junit := filepath.Join(dir, format+".xml")
			timer := time.AfterFunc(500*time.Millisecond, func() { syscall.Kill(os.Getpid(), syscall.SIGINT) })
			defer timer.Stop()
			start := time.Now()
			code, out, errs := runCheck(t, append(big, "-format", format, "-junit", junit)...)
			if code != exitIncomplete {
				t.Fatalf("exit %d, want 3; stderr %s", code, errs)
			}
			if d := time.Since(start); d > 30*time.Second {
				t.Errorf("took %v to stop", d)
			}
			if !strings.Contains(errs, "check: interrupted") {
				t.Errorf("stderr %q does not say it was interrupted", errs)
			}
			switch format {
			case "json":
				m := schematest.MustJSON(t, "check-report.schema.json", []byte(out))
				if m["stop"] != "interrupted" || m["result"] != "incomplete" || m["states"].(float64) == 0 {
					t.Errorf("stop %v, result %v, states %v; want interrupted, incomplete and the states explored", m["stop"], m["result"], m["states"])
				}
			default:
				if !strings.Contains(out, "INCOMPLETE (interrupted") || !strings.Contains(out, "properties\n") {
					t.Errorf("text report:\n%s", out)
				}
			}
			schematest.MustJUnit(t, junit)
			data, _ := os.ReadFile(junit)
			if !strings.Contains(string(data), `name="evsim.stop" value="interrupted"`) || !strings.Contains(string(data), "<skipped") {
				t.Errorf("JUnit not marked interrupted:\n%.1500s", data)
			}
		})
	}
}

// TestInterruptBeforeTheSearch: a check interrupted before its first
// level still writes a whole report.
func TestInterruptBeforeTheSearch(t *testing.T) {
	saved := interrupt
	defer func() { interrupt = saved }()
	interrupt = func() (context.Context, context.CancelFunc) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		return ctx, cancel
	}
	code, out, _ := runCheck(t, "-format", "json")
	if code != exitIncomplete {
		t.Fatalf("exit %d, want 3", code)
	}
	m := schematest.MustJSON(t, "check-report.schema.json", []byte(out))
	if m["stop"] != "interrupted" {
		t.Errorf("stop %v", m["stop"])
	}
}
