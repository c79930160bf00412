// Package browsertest opens the commands' HTML reports in headless
// Chromium (github.com/chromedp/chromedp) for tests: it collects the
// console errors and uncaught exceptions of the page, and takes
// screenshots.
//
// Chromium is Debian's chromium package, which .ci/run installs when
// missing; without it a test is skipped, except in CI (CI=true), where its
// absence is a failure. The browser starts with a fresh profile and
// without background networking, component updates or sync: a report must
// load with nothing from the network.
package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Chromium returns the path of a Chromium or Chrome binary, or skips the
// test (fails it in CI) when there is none.
func Chromium(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no Chromium; .ci/run installs Debian's chromium package")
	}
	t.Skip("no Chromium (Debian: apt-get install chromium)")
	return ""
}

// Page is a report open in a headless browser tab.
type Page struct {
	Ctx    context.Context
	mu     sync.Mutex
	errors []string
}

// Open starts headless Chromium, opens the file and waits for it to load.
// The browser is closed when the test ends.
func Open(t testing.TB, file string) *Page {
	t.Helper()
	bin := Chromium(t)
	abs, err := filepath.Abs(file)
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	tctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	p := &Page{Ctx: tctx}
	// Start the browser and its tab, then listen to the console before
	// the page loads, so that no message is lost.
	if err := chromedp.Do(tctx); err != nil {
		cancelT()
		cancelC()
		cancelA()
		t.Fatalf("starting Chromium: %v", err)
	}
	lctx, stopListening := context.WithCancel(tctx)
	msgs := chromedp.Console(lctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				p.mu.Lock()
				p.errors = append(p.errors, fmt.Sprintf("%s (%s:%d:%d)", m.String(), m.URL, m.Line+1, m.Column+1))
				p.mu.Unlock()
			}
		}
	}()
	t.Cleanup(func() {
		stopListening()
		wg.Wait()
		cancelT()
		cancelC()
		cancelA()
	})
	if err := chromedp.Do(tctx, chromedp.Navigate("file://"+abs)); err != nil {
		t.Fatalf("opening %s in Chromium: %v", file, err)
	}
	return p
}

// Errors returns the console errors, uncaught exceptions and error log
// entries so far (a resource that failed to load is one).
func (p *Page) Errors() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.errors...)
}

// Do runs chromedp actions on the page.
func (p *Page) Do(t testing.TB, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(p.Ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

// Eval evaluates a JavaScript expression in the page and decodes its value.
func Eval[T any](t testing.TB, p *Page, expr string) T {
	t.Helper()
	v, err := chromedp.Run(p.Ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// Screenshot writes a PNG of the whole page to name (in the folder named
// by EVSIM_SCREENSHOTS if set, else in the test's temporary folder) and
// returns its path.
func (p *Page) Screenshot(t testing.TB, name string) string {
	t.Helper()
	dir := os.Getenv("EVSIM_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	buf, err := chromedp.Run(p.Ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// ScreenshotOf writes a PNG of the element the CSS selector finds, as
// Screenshot does for the page.
func (p *Page) ScreenshotOf(t testing.TB, sel, name string) string {
	t.Helper()
	dir := os.Getenv("EVSIM_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	buf, err := chromedp.Run(p.Ctx, chromedp.Screenshot(chromedp.CSS(sel)))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
