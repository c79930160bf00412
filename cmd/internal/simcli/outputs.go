package simcli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/evsim/evsim/cmd/internal/cli"
	"github.com/evsim/evsim/internal/atomicfile"
)

// outputs are what a run or a merge writes: the summary on stdout and, on
// request, the time series, an output directory and plots.
type outputs struct {
	prog            string // "sim" or "sim merge", for messages
	csvFile, outDir string
	format          string // table or json
	plots           *plotFlags
}

// write renders rep, writes every requested file (each whole or not at
// all, in name order), then the summary to stdout, even when a file
// failed (exit status 2 then).
func (o *outputs) write(rep *report, stdout, stderr io.Writer) int {
	var table, js, csv bytes.Buffer
	writeTable(&table, rep)
	writeExact(&table, rep.Exact)
	if err := writeJSON(&js, rep); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", o.prog, err)
		return exitUsage
	}
	writeCSV(&csv, rep)
	files := map[string][]byte{}
	if o.csvFile != "" {
		files[o.csvFile] = csv.Bytes()
	}
	if o.outDir != "" {
		files[filepath.Join(o.outDir, "summary.txt")] = table.Bytes()
		files[filepath.Join(o.outDir, "summary.json")] = js.Bytes()
		files[filepath.Join(o.outDir, "series.csv")] = csv.Bytes()
	}
	code := exitOK
	if o.plots.html != "" {
		page, err := renderHTML(rep)
		if err != nil {
			fmt.Fprintf(stderr, "%s: -html: %v\n", o.prog, err)
			code = exitUsage
		} else {
			files[o.plots.html] = page
		}
	}
	// A side file that fails is reported, and the others and the summary
	// are still written: the run is not lost for one bad path.
	if err := o.plots.add(files, rep.Summary, rep.Scenario, stderr); err != nil {
		fmt.Fprintf(stderr, "%v\n", err)
		code = exitUsage
	}
	for _, dir := range []string{o.outDir, o.plots.dir} {
		if dir == "" {
			continue
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", o.prog, err)
			code = exitUsage
		}
	}
	for _, name := range sortedNames(files) {
		if err := cli.EnsureDir(filepath.Dir(name)); err != nil {
			fmt.Fprintf(stderr, "%s: %s: %v\n", o.prog, name, err)
			code = exitUsage
			continue
		}
		if err := atomicfile.Write(name, files[name]); err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", o.prog, err)
			code = exitUsage
		}
	}
	out := table.Bytes()
	if o.format == "json" {
		out = js.Bytes()
	}
	if _, err := stdout.Write(out); err != nil {
		fmt.Fprintf(stderr, "%s: writing the summary: %v\n", o.prog, err)
		return exitUsage
	}
	return code
}

// checkDir checks, before a run, a directory flag's value: a directory, or
// nothing yet (the directory is then created, with its parents, when the
// output is written).
func checkDir(prog, flag, dir string) error {
	if dir == "" {
		return nil
	}
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("%s: -%s %s: %v", prog, flag, dir, err)
	case !fi.IsDir():
		return fmt.Errorf("%s: -%s %s: not a directory (a file of that name exists)", prog, flag, dir)
	}
	return nil
}
