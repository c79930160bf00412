package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"evsim/plots"
	"evsim/sim"
)

// plotFlags are the flags that ask for pictures of the run.
type plotFlags struct {
	dir, format string
}

func (p *plotFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&p.dir, "plot", "", "write pictures of the run into this `directory`: occupancy, occupancy-non-stable, tickets, pool")
	fs.StringVar(&p.format, "plot-format", "png", "picture `format` for -plot: "+strings.Join(plots.Formats, " or "))
}

// check validates the flags before the run, so that a bad value costs no
// simulation.
func (p *plotFlags) check() error {
	ok := false
	for _, f := range plots.Formats {
		ok = ok || f == p.format
	}
	if !ok {
		return fmt.Errorf("sim: -plot-format %q; want %s", p.format, strings.Join(plots.Formats, " or "))
	}
	if p.dir == "" {
		return nil
	}
	if fi, err := os.Stat(p.dir); err != nil || !fi.IsDir() {
		return fmt.Errorf("sim: -plot %s: not a directory", p.dir)
	}
	return nil
}

// add renders the pictures of sum into files, by path.
func (p *plotFlags) add(files map[string][]byte, sum *sim.Summary, scenario string) error {
	if p.dir == "" {
		return nil
	}
	pics, err := plots.Render(sum, scenario, p.format)
	if err != nil {
		return fmt.Errorf("sim: %w", err)
	}
	for _, f := range pics {
		files[filepath.Join(p.dir, f.Name)] = f.Data
	}
	return nil
}
