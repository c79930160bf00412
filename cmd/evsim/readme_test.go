package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The README's examples run as written from a checkout: every file of the
// repository they name exists, and the examples that depend on an exit
// status run a built binary (go run reports every non-zero exit as 1).
func TestReadmeExamples(t *testing.T) {
	root := filepath.Join("..", "..")
	data, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	// Paths into the repository's own directories.
	paths := regexp.MustCompile(`\b(?:model|scenarios|diagram|check|sim|cmd)/[\w./-]+\.(?:yaml|rst|json|txt)\b`)
	seen := map[string]bool{}
	for _, p := range paths.FindAllString(readme, -1) {
		if seen[p] || strings.Contains(p, "*") {
			continue
		}
		seen[p] = true
		if _, err := os.Stat(filepath.Join(root, p)); err != nil {
			t.Errorf("the README names %s, which is not in the repository", p)
		}
	}
	if len(seen) < 5 {
		t.Errorf("found %d repository paths in the README; the pattern no longer matches", len(seen))
	}
	for _, placeholder := range []string{"-spec my.yaml", "-scenario my.yaml", "-docs page.rst\n    page    diagram"} {
		if strings.Contains(readme, placeholder) {
			t.Errorf("the README still has the placeholder %q where a real file would do", placeholder)
		}
	}
	// A shell loop or CI script runs a built binary, never a bare command
	// that nothing put on PATH, nor go run where the exit status matters.
	for _, block := range codeBlocks(readme) {
		if strings.Contains(block, "; do sim ") || strings.Contains(block, "; do check ") {
			t.Errorf("a loop runs a command nothing puts on PATH:\n%s", block)
		}
		if strings.Contains(block, "case $?") && strings.Contains(block, "go run") {
			t.Errorf("an example reads the exit status of go run, which is 0 or 1:\n%s", block)
		}
	}
	if !strings.Contains(readme, "go build -o bin/check ./cmd/check") {
		t.Error("the README's CI example does not build the binary it runs")
	}
}

// codeBlocks returns the fenced and indented code blocks of a Markdown text.
func codeBlocks(md string) []string {
	var blocks []string
	var cur []string
	fenced := false
	flush := func() {
		if len(cur) > 0 {
			blocks = append(blocks, strings.Join(cur, "\n"))
			cur = nil
		}
	}
	for _, line := range strings.Split(md, "\n") {
		switch {
		case strings.HasPrefix(line, "```"):
			if fenced {
				flush()
			}
			fenced = !fenced
		case fenced, strings.HasPrefix(line, "    "):
			cur = append(cur, line)
		default:
			if !fenced {
				flush()
			}
		}
	}
	flush()
	return blocks
}
