package simcli

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/evsim/evsim/cmd/internal/cli"
	"github.com/evsim/evsim/internal/readfile"
	"github.com/evsim/evsim/model"
	"github.com/evsim/evsim/scenarios"
	"github.com/evsim/evsim/sim"
)

// shardFormat names the layout of a shard file; merge refuses any other.
const shardFormat = "evsim-shard/1"

// shardFlag is -shard i/n: run only shard i (0-based) of n.
type shardFlag struct {
	i, n int
	set  bool
}

func (s *shardFlag) String() string {
	if !s.set {
		return ""
	}
	return strconv.Itoa(s.i) + "/" + strconv.Itoa(s.n)
}

func (s *shardFlag) Set(v string) error {
	a, b, ok := strings.Cut(v, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return fmt.Errorf("want i/n with 0 <= i < n, such as 0/4 (shards are numbered from 0)")
	}
	s.i, s.n, s.set = i, n, true
	return nil
}

// shardRange returns the replications of shard i of n: a contiguous
// block, the blocks as even as they can be.
func shardRange(i, n, reps int) (lo, hi int) {
	return i * reps / n, (i + 1) * reps / n
}

// shardFile is what a shard run writes: the run's identity (scenario
// text, spec fingerprint, seed, replications, horizon) and the raw
// results of its replications.
type shardFile struct {
	Format       string        `json:"format"`
	Scenario     string        `json:"scenario"`
	ScenarioFile string        `json:"scenario_file"`
	Source       string        `json:"scenario_source"` // the YAML the run loaded
	Spec         string        `json:"spec_sha256"`
	Seed         uint64        `json:"seed"`
	Replications int           `json:"replications"`
	Horizon      float64       `json:"horizon_h"`
	Shard        int           `json:"shard"`
	Shards       int           `json:"shards"`
	Results      []*sim.Result `json:"results"`
}

// specPrint fingerprints what the results are indexed by: the statuses,
// the operations and the edges of the spec.
func specPrint(spec *model.Spec) string {
	h := sha256.New()
	for _, st := range spec.Statuses {
		fmt.Fprintf(h, "status %s %s\n", st.Name, st.Class)
	}
	for _, op := range spec.Ops {
		fmt.Fprintf(h, "op %s\n", op.Name)
	}
	for _, e := range spec.Edges() {
		fmt.Fprintf(h, "edge %s %s %s %s\n", spec.StatusName(e.From), spec.StatusName(e.To), spec.Ops[e.Op].Name, e.Kind)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// runShard runs the replications of one shard and writes the shard file
// to stdout.
func runShard(sh shardFlag, ref string, sc *scenarios.Scenario, cfg *sim.Config, workers int, progress string, stdout, stderr io.Writer) int {
	file, src, err := scenarioSource(ref)
	if err != nil {
		fmt.Fprintf(stderr, "%v\n", err)
		return exitUsage
	}
	file = filepath.Base(file) // the shard file names no directory
	lo, hi := shardRange(sh.i, sh.n, cfg.Replications)
	fmt.Fprintf(stderr, "sim: scenario %s, seed %d, shard %d/%d: replications %d to %d of %d\n", sc.Name, cfg.Seed, sh.i, sh.n, lo, hi-1, cfg.Replications)
	if lo == hi {
		fmt.Fprintf(stderr, "sim: shard %d/%d holds no replication (more shards than replications)\n", sh.i, sh.n)
	}
	ctx, stop := interrupt()
	defer stop()
	var done atomic.Int64
	bar := startProgress(stderr, progress, float64(hi-lo)*cfg.Horizon, &done)
	results, err := sim.RunRange(ctx, cfg, sim.Options{Workers: workers, Progress: func(h float64) {
		done.Add(int64(math.Round(h * 60)))
	}}, lo, hi)
	bar.stop()
	if err != nil {
		fmt.Fprintf(stderr, "sim: %v\n", err)
		return exitUsage
	}
	out := shardFile{Format: shardFormat, Scenario: sc.Name, ScenarioFile: file, Source: string(src), Spec: specPrint(cfg.Spec),
		Seed: cfg.Seed, Replications: cfg.Replications, Horizon: cfg.Horizon, Shard: sh.i, Shards: sh.n, Results: []*sim.Result{}}
	partial := false
	for _, r := range results {
		if r == nil {
			partial = true
			continue
		}
		partial = partial || r.Partial
		out.Results = append(out.Results, r)
	}
	b, err := json.Marshal(&out)
	if err != nil {
		fmt.Fprintf(stderr, "sim: encoding the shard: %v\n", err)
		return exitUsage
	}
	if _, err := stdout.Write(append(b, '\n')); err != nil {
		fmt.Fprintf(stderr, "sim: writing the shard: %v\n", err)
		return exitUsage
	}
	if partial {
		fmt.Fprintf(stderr, "sim: stopped early; the shard holds what was simulated and merge will report what is missing\n")
		return exitPartial
	}
	return exitOK
}

// runMerge is the merge subcommand: it combines shard files into the
// summary one run of the whole gives.
func runMerge(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sim merge", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "table", "output format: table or json")
	csvFile := fs.String("csv", "", "write the time series (mean over replications) to this CSV file")
	outDir := fs.String("o", "", "write summary.txt, summary.json and series.csv into this `directory` (created if missing)")
	var pf plotFlags
	pf.register(fs)
	usage := func(w io.Writer) {
		fmt.Fprintf(w, "usage: sim merge [flags] SHARD.json...\n\nCombines the shard files of sim -shard i/n runs (every shard of one run) into\nthe summary a single run gives, byte for byte.\n\nFlags:\n")
		fs.PrintDefaults()
		fmt.Fprintf(w, "\nExit status: 0 done, 2 usage, input or I/O error (shards that do not belong together).\n")
	}
	if code, done := cli.Parse(fs, "sim merge", args, stdout, stderr, usage); done {
		return code
	}
	if fs.NArg() == 0 {
		fmt.Fprintf(stderr, "sim merge: no shard file given; want the files sim -shard i/n wrote\n")
		return exitUsage
	}
	if *format != "table" && *format != "json" {
		fmt.Fprintf(stderr, "sim merge: -format %q; want table or json\n", *format)
		return exitUsage
	}
	if err := pf.check(); err != nil {
		fmt.Fprintf(stderr, "%v\n", err)
		return exitUsage
	}
	sc, cfg, results, err := mergeShards(fs.Args())
	if err != nil {
		fmt.Fprintf(stderr, "sim merge: %v\n", err)
		return exitUsage
	}
	sum, err := sim.Summarise(cfg, results)
	if err != nil {
		fmt.Fprintf(stderr, "sim merge: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(stderr, "sim merge: scenario %s, seed %d, %s from %s\n", sc.Name, cfg.Seed, plural(cfg.Replications, "replication"), plural(fs.NArg(), "shard"))
	rep := &report{Scenario: sc.Name, Description: sc.Description, Summary: sum, spec: cfg.Spec}
	if err := checkDir("sim merge", "o", *outDir); err != nil {
		fmt.Fprintf(stderr, "%v\n", err)
		return exitUsage
	}
	out := outputs{prog: "sim merge", csvFile: *csvFile, outDir: *outDir, format: *format, plots: &pf}
	if code := out.write(rep, stdout, stderr); code != exitOK {
		return code
	}
	return exitOK
}

// parseShard decodes the shard file path holds; it checks the format and
// the shape of the results, not that the shard belongs with others.
func parseShard(path string, data []byte) (*shardFile, error) {
	var sf shardFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sf); err != nil {
		return nil, fmt.Errorf("%s: not a shard file (sim -shard i/n writes them): %v", path, err)
	}
	if sf.Format != shardFormat {
		return nil, fmt.Errorf("%s: format %q; want %q (a file sim -shard i/n wrote)", path, sf.Format, shardFormat)
	}
	if sf.Replications < 1 || sf.Replications > 10000 {
		return nil, fmt.Errorf("%s: replications %d; want 1 to 10000", path, sf.Replications)
	}
	return &sf, nil
}

// maxShardBytes bounds a shard file: about 30 KB a replication, so that a
// shard of the most replications a run may have (10,000) fits.
const maxShardBytes = 1 << 30

// mergeShards reads shard files, checks that they are the shards of one
// run, every replication exactly once, and returns that run's scenario,
// config and results in replication order.
func mergeShards(paths []string) (*scenarios.Scenario, *sim.Config, []*sim.Result, error) {
	var first *shardFile
	var firstPath string
	var results []*sim.Result
	from := map[int]string{} // replication -> file
	shards := map[int]string{}
	spec := model.Default()
	for _, p := range paths {
		data, err := readfile.Read(p, maxShardBytes)
		if err != nil {
			return nil, nil, nil, err
		}
		pf, err := parseShard(p, data)
		if err != nil {
			return nil, nil, nil, err
		}
		sf := *pf
		if first == nil {
			first, firstPath = &sf, p
			if sf.Spec != specPrint(spec) {
				return nil, nil, nil, fmt.Errorf("%s: made with another spec than this program's: statuses, operations or edges differ", p)
			}
			results = make([]*sim.Result, sf.Replications)
		} else {
			field, sameSc := sameScenario(first, &sf, spec)
			for _, d := range []struct {
				what string
				same bool
			}{
				{describeField(field), sameSc},
				{"spec", sf.Spec == first.Spec},
				{"seed", sf.Seed == first.Seed},
				{"number of replications", sf.Replications == first.Replications},
				{"horizon", sf.Horizon == first.Horizon},
				{"number of shards", sf.Shards == first.Shards},
			} {
				if !d.same {
					return nil, nil, nil, fmt.Errorf("%s: its %s differs from %s's: the shards are of different runs", p, d.what, firstPath)
				}
			}
		}
		if sf.Shards < 1 || sf.Shard < 0 || sf.Shard >= sf.Shards {
			return nil, nil, nil, fmt.Errorf("%s: shard %d/%d; want 0 <= shard < shards", p, sf.Shard, sf.Shards)
		}
		if q, dup := shards[sf.Shard]; dup {
			return nil, nil, nil, fmt.Errorf("%s: shard %d/%d given twice (also %s)", p, sf.Shard, sf.Shards, q)
		}
		shards[sf.Shard] = p
		lo, hi := shardRange(sf.Shard, sf.Shards, sf.Replications)
		for _, r := range sf.Results {
			if r == nil || r.Replication < lo || r.Replication >= hi {
				return nil, nil, nil, fmt.Errorf("%s: a result outside shard %d/%d's replications %d to %d", p, sf.Shard, sf.Shards, lo, hi-1)
			}
			if q, dup := from[r.Replication]; dup {
				return nil, nil, nil, fmt.Errorf("%s: replication %d twice (also in %s)", p, r.Replication, q)
			}
			from[r.Replication] = p
			results[r.Replication] = r
		}
	}
	var missing []string
	for i, r := range results {
		if r == nil {
			missing = append(missing, strconv.Itoa(i))
		}
	}
	if len(missing) > 0 {
		var absent []string
		for k := range first.Shards {
			if _, ok := shards[k]; !ok {
				absent = append(absent, strconv.Itoa(k))
			}
		}
		msg := fmt.Sprintf("%s %s missing", pick(len(missing), "replication", "replications"), strings.Join(missing, ", "))
		if len(absent) > 0 {
			msg += fmt.Sprintf(" (%s %s of %d not given)", pick(len(absent), "shard", "shards"), strings.Join(absent, ", "), first.Shards)
		} else {
			msg += " (a shard stopped early)"
		}
		return nil, nil, nil, errors.New(msg)
	}
	sc, err := scenarios.Load(first.ScenarioFile, []byte(first.Source), spec)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%s: its scenario does not load: %w", firstPath, err)
	}
	if sc.Name == "" {
		sc.Name = first.Scenario
	}
	cfg := *sc.Config
	cfg.Seed, cfg.Replications, cfg.Horizon = first.Seed, first.Replications, first.Horizon
	if err := cfg.Validate(); err != nil {
		return nil, nil, nil, fmt.Errorf("%s: %w", firstPath, err)
	}
	return sc, &cfg, results, nil
}

func pick(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
