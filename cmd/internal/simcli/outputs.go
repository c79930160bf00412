package simcli

import (
	"bytes"
	"fmt"
	"io"
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
// all, in name order), then the summary to stdout.
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
	if o.plots.html != "" {
		page, err := renderHTML(rep)
		if err != nil {
			fmt.Fprintf(stderr, "%s: -html: %v\n", o.prog, err)
			return exitUsage
		}
		files[o.plots.html] = page
	}
	if err := o.plots.add(files, rep.Summary, rep.Scenario, stderr); err != nil {
		fmt.Fprintf(stderr, "%v\n", err)
		return exitUsage
	}
	for _, name := range sortedNames(files) {
		if err := cli.EnsureDir(filepath.Dir(name)); err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", o.prog, err)
			return exitUsage
		}
		if err := atomicfile.Write(name, files[name]); err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", o.prog, err)
			return exitUsage
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
	return exitOK
}
