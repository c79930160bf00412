package checkcli

import (
	"encoding/json"
	"encoding/xml"
	"github.com/evsim/evsim/cmd/internal/cli"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type randomJSON struct {
	Result     string `json:"result"`
	Stop       string `json:"stop"`
	Seed       int64  `json:"seed"`
	Sequences  int    `json:"sequences"`
	Steps      int    `json:"steps"`
	Properties []struct {
		Name    string `json:"name"`
		Verdict string `json:"verdict"`
	} `json:"properties"`
	Violations []struct {
		Property string `json:"property"`
		Detail   string `json:"detail"`
		Trace    []struct {
			Action string `json:"action"`
		} `json:"trace"`
		Replay string `json:"replay"`
	} `json:"violations"`
	Coverage struct {
		Statuses []struct {
			Status string `json:"status"`
			Steps  int    `json:"steps"`
		} `json:"statuses"`
	} `json:"coverage"`
	Config struct {
		Disks   string `json:"disks"`
		Servers int    `json:"servers"`
	} `json:"config"`
}

func decodeRandom(t *testing.T, s string) randomJSON {
	t.Helper()
	var r randomJSON
	if err := json.Unmarshal([]byte(s), &r); err != nil {
		t.Fatalf("%v in %q", err, s)
	}
	return r
}

// shellWords splits a command line as a POSIX shell does for plain words
// and single quotes, which is all replayCommand writes.
func shellWords(t *testing.T, line string) []string {
	t.Helper()
	var words []string
	var cur strings.Builder
	in, inWord := false, false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case in && c == '\'':
			in = false
		case in:
			cur.WriteByte(c)
		case c == '\'':
			in, inWord = true, true
		case c == ' ':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if in {
		t.Fatalf("unterminated quote in %q", line)
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

func actions(r randomJSON) []string {
	var out []string
	for _, s := range r.Violations[0].Trace {
		out = append(out, s.Action)
	}
	return out
}

// TestRandomFindsPlantedBugAndReplays runs random sequences on a spec that
// lets a shared In-use disk expand, and replays the printed command: it
// must break the same rule with the same story.
func TestRandomFindsPlantedBugAndReplays(t *testing.T) {
	spec := filepath.Join("..", "..", "..", "model", "testdata", "mutants", "shared-in-use-expands.yaml")
	code, out, errs := runCheck(t, "-random", "-spec", spec, "-sequences", "64", "-steps", "100", "-format", "json")
	if code != exitViolated {
		t.Fatalf("exit %d, want %d; stderr %s", code, exitViolated, errs)
	}
	r := decodeRandom(t, out)
	if len(r.Violations) != 1 || r.Violations[0].Property != "shared-in-use-never-expands" {
		t.Fatalf("got violations %+v", r.Violations)
	}
	story := actions(r)
	if len(story) != 5 || story[4] != "start expand d0" {
		t.Errorf("shrunk story %q, want the 5 steps to expanding a shared In-use disk", story)
	}
	// The text report prints the same command.
	code, text, _ := runCheck(t, "-random", "-spec", spec, "-sequences", "64", "-steps", "100")
	if code != exitViolated {
		t.Fatalf("text: exit %d", code)
	}
	_, after, ok := strings.Cut(text, "replay with:\n")
	line := strings.TrimSpace(strings.SplitN(after, "\n", 2)[0])
	if !ok || line != r.Violations[0].Replay {
		t.Fatalf("text replay line %q, JSON %q", line, r.Violations[0].Replay)
	}
	args := shellWords(t, line)
	if args[0] != "check" {
		t.Fatalf("replay command %q does not start with check", line)
	}
	code, out, errs = runCheck(t, append(args[1:], "-format", "json")...)
	if code != exitViolated {
		t.Fatalf("replay: exit %d, want %d; stderr %s", code, exitViolated, errs)
	}
	rr := decodeRandom(t, out)
	if len(rr.Violations) != 1 || rr.Violations[0].Property != r.Violations[0].Property || rr.Violations[0].Detail != r.Violations[0].Detail {
		t.Fatalf("replay got %+v, want %+v", rr.Violations, r.Violations)
	}
	if got := actions(rr); strings.Join(got, ";") != strings.Join(story, ";") {
		t.Errorf("replayed story %q, want %q", got, story)
	}
	if rr.Violations[0].Replay != line {
		t.Errorf("the replay prints another command: %q, want %q", rr.Violations[0].Replay, line)
	}
	// The same story on the default spec breaks nothing; the expansion is
	// not enabled there, which is an input error.
	noSpec := strings.Join(args[1:], "\x00")
	noSpec = strings.Replace(noSpec, "-spec\x00"+spec+"\x00", "", 1)
	code, _, errs = runCheck(t, strings.Split(noSpec, "\x00")...)
	if code != exitBadInput || !strings.Contains(errs, `action 5 "start expand d0" is not enabled`) {
		t.Errorf("replay on the default spec: exit %d, stderr %q", code, errs)
	}
}

// TestRandomLargeFleet runs sequences on 64 disks and 32 servers, and a
// shared disk on 17 servers: no 64-bit limit.
func TestRandomLargeFleet(t *testing.T) {
	for _, c := range []struct{ disks, servers string }{
		{"16*shared:10,16*data:100,16*system:40,16*shared:32760", "32"},
		{"shared:10", "17"},
	} {
		code, out, errs := runCheck(t, "-random", "-disks", c.disks, "-servers", c.servers, "-snapshots", "0", "-backups", "0",
			"-size-steps", "0", "-sequences", "8", "-steps", "100", "-format", "json")
		if code != exitHolds {
			t.Fatalf("%s on %s servers: exit %d; stderr %s", c.disks, c.servers, code, errs)
		}
		r := decodeRandom(t, out)
		if r.Result != "holds" || r.Sequences != 8 || r.Steps != 800 || r.Config.Disks != c.disks {
			t.Errorf("got %s, %d sequences, %d steps, disks %s", r.Result, r.Sequences, r.Steps, r.Config.Disks)
		}
	}
}

// TestRandomWorkersSameResult: the same seed gives the same report, byte
// for byte, with one worker and with two, whether it holds or fails.
func TestRandomWorkersSameResult(t *testing.T) {
	mutant := filepath.Join("..", "..", "..", "model", "testdata", "mutants", "delete-attached.yaml")
	for _, extra := range [][]string{nil, {"-spec", mutant}} {
		var outs []string
		for _, w := range []string{"1", "2"} {
			args := append([]string{"-random", "-seed", "7", "-sequences", "48", "-steps", "100", "-format", "json", "-workers", w}, extra...)
			code, out, errs := runCheck(t, args...)
			if code != exitHolds && code != exitViolated {
				t.Fatalf("exit %d; stderr %s", code, errs)
			}
			outs = append(outs, out)
		}
		if outs[0] != outs[1] {
			t.Errorf("%v: 1 and 2 workers differ:\n%s\n%s", extra, outs[0], outs[1])
		}
	}
}

// TestRandomCoverageAgreesWithSearch compares the statuses reached at
// random with those of exhaustive search: on one server, where the search
// completes, the same statuses; on three disks and three servers, where
// it does not within a test's time, every status of its first 50,000
// states (breadth-first: the shallow ones) is reached at random too.
// Random sequences apply only enabled actions, so they cannot reach a
// status the complete search does not.
func TestRandomCoverageAgreesWithSearch(t *testing.T) {
	reached := func(r randomJSON) map[string]bool {
		m := map[string]bool{}
		for _, s := range r.Coverage.Statuses {
			if s.Steps > 0 {
				m[s.Status] = true
			}
		}
		return m
	}
	for _, c := range []struct {
		name  string
		fleet []string
		limit []string
	}{
		{"default-one-server", []string{"-servers", "1"}, nil},
		{"three-disks-three-servers", []string{"-disks", "data:10,shared:10,system:1023", "-servers", "3"}, []string{"-max-states", "50000"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := runCheck(t, append(append(append([]string{}, c.fleet...), c.limit...), "-format", "json")...)
			if code == exitBadInput {
				t.Fatalf("search: exit %d; %s", code, errs)
			}
			search := decode(t, out)
			code, out, errs = runCheck(t, append(append([]string{}, c.fleet...), "-random", "-sequences", "200", "-format", "json")...)
			if code != exitHolds {
				t.Fatalf("random: exit %d; %s", code, errs)
			}
			got := reached(decodeRandom(t, out))
			n := 0
			for _, s := range search.Coverage.Statuses {
				if s.States > 0 {
					n++
					if !got[s.Status] {
						t.Errorf("the search reaches %s, the random run does not", s.Status)
					}
				} else if got[s.Status] && c.limit == nil {
					t.Errorf("the random run reaches %s, which the complete search does not", s.Status)
				}
			}
			if n < 10 {
				t.Errorf("the search reaches only %d statuses", n)
			}
		})
	}
}

func TestRandomBudgetAndJUnit(t *testing.T) {
	code, out, errs := runCheck(t, "-random", "-sequences", "0", "-time", "300ms", "-format", "json")
	if r := decodeRandom(t, out); code != exitHolds || r.Stop != "time" || r.Sequences == 0 {
		t.Errorf("-sequences 0 -time: exit %d, stop %s, %d sequences; %s", code, r.Stop, r.Sequences, errs)
	}
	code, out, errs = runCheck(t, "-random", "-sequences", "100000000", "-time", "300ms", "-format", "json")
	if r := decodeRandom(t, out); code != exitIncomplete || r.Result != "incomplete" || !strings.Contains(errs, "incomplete") {
		t.Errorf("-time before -sequences: exit %d, result %s; %s", code, r.Result, errs)
	}
	dir := t.TempDir()
	junit := filepath.Join(dir, "random.xml")
	spec := filepath.Join("..", "..", "..", "model", "testdata", "mutants", "shared-in-use-expands.yaml")
	if code, _, errs := runCheck(t, "-random", "-spec", spec, "-sequences", "32", "-junit", junit); code != exitViolated {
		t.Fatalf("exit %d; %s", code, errs)
	}
	data, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	var suites cli.JUnitSuites
	if err := xml.Unmarshal(data, &suites); err != nil {
		t.Fatal(err)
	}
	s := suites.Suites[0]
	if s.Failures != 1 || s.Skipped < 2 || s.Tests != len(s.Cases) {
		t.Errorf("got %d failures, %d skipped of %d", s.Failures, s.Skipped, s.Tests)
	}
	for _, c := range s.Cases {
		if c.Failure != nil && (c.Name != "shared-in-use-never-expands" || !strings.Contains(c.Failure.Text, "replay with: check -random")) {
			t.Errorf("failure %s: %q", c.Name, c.Failure.Text)
		}
	}
}

func TestRandomBadInput(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"no budget", []string{"-sequences", "0"}, "give -time too"},
		{"no steps", []string{"-steps", "0"}, "at least 1 step"},
		{"bad seed", []string{"-seed", "x"}, `-seed "x"`},
		{"too many disks", []string{"-disks", "65*data"}, "repeat count"},
		{"too many servers", []string{"-servers", "33"}, "servers"},
		{"bad action", []string{"-replay", "start create d0; start frobnicate d0"}, `action 2 "start frobnicate d0": unknown operation`},
		{"empty replay", []string{"-replay", " ; "}, "no action"},
		{"not enabled", []string{"-replay", "succeed create d0"}, `action 1 "succeed create d0" is not enabled`},
		{"bad format", []string{"-format", "xml"}, "want text or json"},
		{"argument", []string{"extra"}, "unexpected argument"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := runCheck(t, append([]string{"-random"}, c.args...)...)
			if code != exitBadInput || out != "" || !strings.Contains(errs, c.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and %q", code, out, errs, c.want)
			}
		})
	}
}
