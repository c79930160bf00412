package simcli

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/evsim/evsim/sim"
	"github.com/evsim/evsim/sim/plots"
)

// plotFlags are the flags that ask for pictures of the run, and for the
// HTML report that holds them.
type plotFlags struct {
	dir, format string
	html        string
}

func (p *plotFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&p.dir, "plot", "", "write pictures of the run into this `directory` (created if missing): occupancy, occupancy-non-stable, tickets, pool")
	fs.StringVar(&p.format, "plot-format", "png", "picture `format` for -plot: "+strings.Join(plots.Formats, " or "))
	fs.StringVar(&p.html, "html", "", "also write a self-contained HTML report `file`: the summary with its intervals, the pictures,\nand with -exact the exact answers beside the simulated ones")
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
	return checkDir("sim", "plot", p.dir)
}

// add renders the pictures of sum into files, by path. A run that
// measured nothing (stopped in its warm-up) has nothing to draw: no
// pictures, and a warning.
func (p *plotFlags) add(files map[string][]byte, sum *sim.Summary, scenario string, warn io.Writer) error {
	if p.dir == "" {
		return nil
	}
	if sum.Replications == 0 {
		fmt.Fprintf(warn, "sim: -plot: nothing measured, no pictures written\n")
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
