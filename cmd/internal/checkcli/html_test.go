package checkcli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/evsim/evsim/cmd/internal/browsertest"
)

// TestHTMLSelfContained: the report fetches nothing: no src or href to
// another file or the network, no external script or style.
func TestHTMLSelfContained(t *testing.T) {
	file := filepath.Join(t.TempDir(), "report.html")
	if code, _, errs := runCheck(t, "-spec", shrinks, "-servers", "1", "-html", file); code != exitViolated {
		t.Fatalf("exit %d: %s", code, errs)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	html := string(data)
	for _, bad := range regexp.MustCompile(`(?i)(?:src|href)\s*=\s*"([^"#][^"]*)"`).FindAllStringSubmatch(html, -1) {
		t.Errorf("the report refers to %q", bad[1])
	}
	for _, want := range []string{"<svg", "size-never-shrinks", "Coverage", "Findings", "VIOLATED", `class="cx"`} {
		if !strings.Contains(html, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
}

// TestHTMLInChromium opens the report of a violated spec in headless
// Chromium: it loads without console errors, and stepping through the
// counterexample highlights the arrow of each step and shows the fleet.
func TestHTMLInChromium(t *testing.T) {
	browsertest.Chromium(t)
	file := filepath.Join(t.TempDir(), "report.html")
	if code, _, errs := runCheck(t, "-spec", shrinks, "-servers", "1", "-html", file); code != exitViolated {
		t.Fatalf("exit %d: %s", code, errs)
	}
	p := browsertest.Open(t, file)
	sec := browsertest.Eval[string](t, p, `Array.from(document.querySelectorAll("section.cx")).find(s => s.querySelector("h2").textContent.includes("size-never-shrinks")).id`)
	if sec == "" {
		t.Fatal("no section for size-never-shrinks")
	}
	// current returns the step shown, the highlighted arrows (their SVG
	// ids and titles, tail->head as drawn: an arrow drawn backwards has
	// its ends swapped) and the fleet shown.
	current := func() (step string, ids, titles []string, state string) {
		t.Helper()
		step = browsertest.Eval[string](t, p, `document.getElementById("`+sec+`").dataset.step`)
		ids = browsertest.Eval[[]string](t, p, `Array.from(document.querySelectorAll("#`+sec+` g.edge.current")).map(g => g.id + " " + g.textContent.replace(/\s+/g, " "))`)
		titles = browsertest.Eval[[]string](t, p, `Array.from(document.querySelectorAll("#`+sec+` g.edge.current > title")).map(e => e.textContent)`)
		state = browsertest.Eval[string](t, p, `document.querySelector("#`+sec+` .state").textContent`)
		return
	}
	// The trace: start create d0, succeed create d0, start expand d0,
	// succeed expand d0 (Expanding to Available, 9 GiB).
	want := []struct {
		step   string
		arrows []string // either way round
		state  string
	}{
		{"1", []string{"start->creating"}, "d0: Creating"},
		{"2", []string{"creating->available", "available->creating"}, "d0: Available, 10 GiB"},
		{"3", []string{"available->expanding"}, "d0: Expanding"},
		{"4", []string{"expanding->available", "available->expanding"}, "d0: Available, 9 GiB"},
	}
	seen := map[string]bool{}
	for i, w := range want {
		if i > 0 {
			p.Do(t, chromedp.Click(chromedp.CSS("#"+sec+" button.next")))
		}
		step, ids, titles, state := current()
		ok := step == w.step && len(titles) == 1 && strings.Contains(state, w.state) &&
			strings.Contains(ids[0], "step "+w.step) && !seen[strings.Fields(ids[0])[0]]
		if ok {
			ok = false
			for _, a := range w.arrows {
				ok = ok || titles[0] == a
			}
			seen[strings.Fields(ids[0])[0]] = true
		}
		if !ok {
			t.Errorf("after %d clicks on next: step %s, highlighted %v %v, fleet %q; want step %s, one new arrow %v labelled step %s, %q", i, step, titles, ids, state, w.step, w.arrows, w.step, w.state)
		}
		if i == 2 {
			browsertest.Eval[bool](t, p, `window.scrollTo(0, 0), true`)
			t.Logf("screenshots: %s, %s", p.Screenshot(t, "check-report.png"), p.ScreenshotOf(t, "#"+sec, "check-report-counterexample.png"))
		}
	}
	if next := browsertest.Eval[bool](t, p, `document.querySelector("#`+sec+` button.next").disabled`); !next {
		t.Error("next is enabled at the last step")
	}
	p.Do(t, chromedp.Click(chromedp.CSS("#"+sec+" button.prev")))
	if step, _, titles, _ := current(); step != "3" || len(titles) != 1 || titles[0] != "available->expanding" {
		t.Errorf("after previous: step %s, highlighted %v; want 3, available->expanding", step, titles)
	}
	if errs := p.Errors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}
