package browsertest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestErrorsAreCaught: a console error and an uncaught exception of a page
// are reported, so that a report that loads cleanly is known to.
func TestErrorsAreCaught(t *testing.T) {
	Chromium(t)
	file := filepath.Join(t.TempDir(), "bad.html")
	os.WriteFile(file, []byte(`<!DOCTYPE html><html><body><p>x</p><script>console.error("boom"); noSuchFunction();</script></body></html>`), 0o644)
	p := Open(t, file)
	if got := Eval[string](t, p, `document.querySelector("p").textContent`); got != "x" {
		t.Errorf("page text %q", got)
	}
	errs := strings.Join(p.Errors(), "\n")
	if !strings.Contains(errs, "boom") || !strings.Contains(errs, "noSuchFunction") {
		t.Errorf("errors %q; want the console error and the exception", errs)
	}
}
