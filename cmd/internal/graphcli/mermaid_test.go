package graphcli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestMermaidCarriesTheFigure: the decision's question and the legend are
// in the Mermaid output.
func TestMermaidCarriesTheFigure(t *testing.T) {
	mmd := string(runOK(t, "-view", "figure1", "-format", "mermaid"))
	for _, want := range []string{"note left of creating_outcome : Creating succeeded?", "Legend: dark blue stable", "operator - is customer service", "(inferred)"} {
		if !strings.Contains(mmd, want) {
			t.Errorf("the Mermaid output lacks %q", want)
		}
	}
}

// TestMermaidCLI renders the Mermaid goldens with mermaid-cli (mmdc) where
// it is installed: EVSIM_MMDC names the mmdc binary (and EVSIM_MMDC_CONFIG
// a puppeteer config, such as one naming Debian's chromium), else mmdc on
// the PATH. CI does not install it (some 500 MiB of npm packages); the
// test is skipped without it.
func TestMermaidCLI(t *testing.T) {
	mmdc := os.Getenv("EVSIM_MMDC")
	if mmdc == "" {
		var err error
		if mmdc, err = exec.LookPath("mmdc"); err != nil {
			t.Skip("no mermaid-cli (npm install @mermaid-js/mermaid-cli; set EVSIM_MMDC)")
		}
	}
	for _, name := range []string{"figure1.mmd", "full.mmd", "attach-detach.mmd"} {
		out := filepath.Join(t.TempDir(), name+".svg")
		args := []string{"-i", filepath.Join("testdata", name), "-o", out}
		if cfg := os.Getenv("EVSIM_MMDC_CONFIG"); cfg != "" {
			args = append(args, "-p", cfg)
		}
		if msg, err := exec.Command(mmdc, args...).CombinedOutput(); err != nil {
			t.Errorf("mmdc %s: %v\n%s", name, err, msg)
			continue
		}
		svg, err := os.ReadFile(out)
		if err != nil || !strings.Contains(string(svg), "</svg>") || strings.Contains(string(svg), "Syntax error") {
			t.Errorf("mmdc %s: no picture (%v)", name, err)
		}
	}
}
