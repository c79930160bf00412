package simcli

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	mh "github.com/evsim/evsim/model/history"
	"github.com/evsim/evsim/sim"
	"github.com/evsim/evsim/sim/record"
)

// historyFlags are the flags of sim -history.
type historyFlags struct {
	history, notifications, poll string
}

func (h *historyFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&h.history, "history", "", "instead of the summary, write the simulated fleet's status history (replication 0) to `file`:\npolled observations as CSV (.csv) or JSON Lines (.jsonl), every change unless -poll")
	fs.StringVar(&h.notifications, "notifications", "", "write the simulated fleet's history as OpenStack volume notifications (JSON Lines) to `file`")
	fs.StringVar(&h.poll, "poll", "", "with -history: what a poll every `interval` (such as 5m) shows instead of every change")
}

func (h *historyFlags) set() bool { return h.history != "" || h.notifications != "" }

// historyFormat is the format of a -history file, from its extension.
func historyFormat(name string) (mh.Format, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		return mh.PolledCSV, nil
	case ".jsonl", ".json", ".ndjson":
		return mh.PolledJSON, nil
	}
	return mh.Auto, fmt.Errorf("-history %s: want a .csv or .jsonl file", name)
}

// runHistory writes the history files of replication 0 of cfg.
func runHistory(ctx context.Context, h *historyFlags, cfg *sim.Config, stderr io.Writer) int {
	var poll float64
	if h.poll != "" {
		p, ok := parseDuration(h.poll)
		if !ok || p <= 0 {
			fmt.Fprintf(stderr, "sim: -poll %q; want a duration with a unit, such as 5m or 1h\n", h.poll)
			return exitUsage
		}
		if h.history == "" {
			fmt.Fprintf(stderr, "sim: -poll needs -history (notifications carry every change)\n")
			return exitUsage
		}
		poll = p
	}
	type job struct {
		name   string
		format mh.Format
		poll   float64
	}
	var jobs []job
	if h.history != "" {
		f, err := historyFormat(h.history)
		if err != nil {
			fmt.Fprintf(stderr, "sim: %v\n", err)
			return exitUsage
		}
		jobs = append(jobs, job{h.history, f, poll})
	}
	if h.notifications != "" {
		jobs = append(jobs, job{h.notifications, mh.Notifications, 0})
	}
	for _, j := range jobs {
		rows := 0
		err := writeAtomic(j.name, func(w io.Writer) error {
			hw, err := mh.NewWriter(w, cfg.Spec, j.format)
			if err != nil {
				return err
			}
			err = record.Record(ctx, cfg, record.Options{Poll: j.poll}, func(disk string, o mh.Observation) error {
				rows++
				return hw.Write(disk, o)
			})
			if err != nil {
				return err
			}
			return hw.Flush()
		})
		if err != nil {
			fmt.Fprintf(stderr, "sim: %v\n", err)
			if ctx.Err() != nil {
				return exitPartial
			}
			return exitUsage
		}
		what := "every change"
		if j.poll > 0 {
			what = "a poll every " + h.poll
		}
		fmt.Fprintf(stderr, "sim: wrote %s: %d observations (%s, %s) of replication 0\n", j.name, rows, j.format, what)
	}
	return exitOK
}

// writeAtomic writes a file through a temporary file in its directory and
// renames it into place; on any error nothing is left behind.
func writeAtomic(name string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	bw := bufio.NewWriterSize(f, 1<<16)
	if err := write(bw); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), name)
}
