package random

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/leanovate/gopter/commands"

	"github.com/evsim/evsim/model"
)

// Sequence is a recorded sequence of actions, kept in a text file so that
// a failure found once is replayed on every test run. The file has header
// lines "# key: value" (spec, setup, seed, violates), then one action a
// line as [model.System.FormatAction] writes it ("start attach d0 s1",
// "succeed attach d0", "power-off s0"). Blank lines and other lines
// starting with "#" are comments.
type Sequence struct {
	Spec     string // "default", or the name of a mutant spec
	Setup    string // a setup of [Setups]
	Seed     int64
	Violates string // the property the sequence broke when it was found
	Actions  []string
	Lines    []int // the line of each action in the file it was parsed from
}

// ParseSequence parses a sequence file. Errors are
// "name:line:col: field: what is wrong, what is allowed".
func ParseSequence(name string, data []byte) (*Sequence, error) {
	s := &Sequence{}
	seen := map[string]bool{}
	for i, line := range strings.Split(string(data), "\n") {
		ln := i + 1
		line = strings.TrimRight(line, "\r")
		trimmed := strings.TrimSpace(line)
		if trimmed == "" {
			continue
		}
		col := strings.Index(line, trimmed) + 1
		if body, ok := strings.CutPrefix(trimmed, "#"); ok {
			key, val, ok := strings.Cut(body, ":")
			if !ok {
				continue
			}
			key, val = strings.TrimSpace(key), strings.TrimSpace(val)
			switch key {
			case "spec", "setup", "seed", "violates":
			default:
				continue
			}
			if seen[key] {
				return nil, fmt.Errorf("%s:%d:%d: %s: given twice, want it once", name, ln, col, key)
			}
			seen[key] = true
			switch key {
			case "spec":
				s.Spec = val
			case "setup":
				s.Setup = val
			case "violates":
				s.Violates = val
			case "seed":
				v, err := strconv.ParseInt(val, 10, 64)
				if err != nil {
					return nil, fmt.Errorf("%s:%d:%d: seed: %q is not a number, want a decimal integer", name, ln, col, val)
				}
				s.Seed = v
			}
			continue
		}
		s.Actions = append(s.Actions, strings.Join(strings.Fields(trimmed), " "))
		s.Lines = append(s.Lines, ln)
	}
	if s.Spec == "" {
		return nil, fmt.Errorf("%s:1:1: spec: missing, want a line \"# spec: default\" or \"# spec: <mutant>\"", name)
	}
	if s.Setup == "" {
		return nil, fmt.Errorf("%s:1:1: setup: missing, want a line \"# setup: <name>\"", name)
	}
	if len(s.Actions) == 0 {
		return nil, fmt.Errorf("%s:1:1: actions: none, want one action a line", name)
	}
	return s, nil
}

// Format writes the sequence in the form [ParseSequence] reads.
func (s *Sequence) Format() []byte {
	var b bytes.Buffer
	b.WriteString("# A random operation sequence, replayed by the tests of package random.\n")
	fmt.Fprintf(&b, "# spec: %s\n# setup: %s\n# seed: %d\n", s.Spec, s.Setup, s.Seed)
	if s.Violates != "" {
		fmt.Fprintf(&b, "# violates: %s\n", s.Violates)
	}
	for _, a := range s.Actions {
		b.WriteString(a)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// ParseAction reads an action as [model.System.FormatAction] writes it.
func ParseAction(sys *model.System, text string) (model.Action, error) {
	f := strings.Fields(text)
	if len(f) == 0 {
		return model.Action{}, fmt.Errorf("empty action, want e.g. \"start attach d0 s1\"")
	}
	kind := -1
	for k := model.Start; k <= model.PowerOn; k++ {
		if f[0] == k.String() {
			kind = int(k)
		}
	}
	if kind < 0 {
		return model.Action{}, fmt.Errorf("unknown action kind %q, want start, succeed, fail, bg-succeed, bg-fail, power-off or power-on", f[0])
	}
	k := model.ActionKind(kind)
	num := func(s, prefix, what string, limit int) (uint8, error) {
		v, ok := strings.CutPrefix(s, prefix)
		n, err := strconv.Atoi(v)
		if !ok || err != nil || n < 0 || n >= limit || strconv.Itoa(n) != v {
			return 0, fmt.Errorf("%q is not a %s, want %s0 to %s%d", s, what, prefix, prefix, limit-1)
		}
		return uint8(n), nil
	}
	if k == model.PowerOff || k == model.PowerOn {
		if len(f) != 2 {
			return model.Action{}, fmt.Errorf("%s takes one server, want \"%s s0\"", k, k)
		}
		s, err := num(f[1], "s", "server", int(sys.Config.Servers))
		if err != nil {
			return model.Action{}, err
		}
		return model.Action{Kind: k, Op: model.NoOp, Disk: model.NoArg, Arg: s}, nil
	}
	if len(f) < 3 {
		return model.Action{}, fmt.Errorf("%s takes an operation and a disk, want e.g. \"%s create d0\"", k, k)
	}
	op, ok := sys.Spec.OpByName(f[1])
	if !ok {
		return model.Action{}, fmt.Errorf("unknown operation %q", f[1])
	}
	d, err := num(f[2], "d", "disk", len(sys.Config.Disks))
	if err != nil {
		return model.Action{}, err
	}
	a := model.Action{Kind: k, Op: op, Disk: d, Arg: model.NoArg}
	want := 3
	if k == model.Start {
		switch sys.Spec.Ops[op].Arg {
		case model.ArgServer:
			want = 4
			if len(f) == 4 {
				if a.Arg, err = num(f[3], "s", "server", sys.Config.Servers); err != nil {
					return model.Action{}, err
				}
			}
		case model.ArgSnapshot:
			want = 4
			if len(f) == 4 {
				if a.Arg, err = num(f[3], "snapshot-of-d", "snapshot", len(sys.Config.Disks)); err != nil {
					return model.Action{}, err
				}
			}
		}
	}
	if len(f) != want {
		return model.Action{}, fmt.Errorf("%s %s takes %d words, got %d", k, f[1], want, len(f))
	}
	return a, nil
}

// ReplayResult is the outcome of replaying a sequence.
type ReplayResult struct {
	// Applied is the number of actions applied.
	Applied int
	// Rejected is the index of the first action that was not enabled
	// (the spec refuses it), or -1 when every action was.
	Rejected int
	// Violation is the first property broken, nil if none.
	Violation *Violation
	// At is the index of the action that broke it.
	At int
}

// Replay applies the actions of seq, in order, with gopter's
// commands.Replay, checking the runner's properties after every step. It
// stops at the first action that is not enabled and at the first
// violation. A malformed action is an error naming its line.
func (r *Runner) Replay(name string, seq *Sequence) (*ReplayResult, error) {
	cmds := make([]commands.Command, 0, len(seq.Actions))
	for i, text := range seq.Actions {
		a, err := ParseAction(r.sys, text)
		if err != nil {
			line := 0
			if i < len(seq.Lines) {
				line = seq.Lines[i]
			}
			return nil, fmt.Errorf("%s:%d:1: action: %w", name, line, err)
		}
		cmds = append(cmds, &concrete{run: r, a: a})
	}
	r.reset()
	e := r.newExecutor()
	init := r.sys.Init()[0]
	out := &ReplayResult{Rejected: -1, At: -1}
	// Replay stops at the first action whose precondition fails; the
	// executor tells how far it got.
	commands.Replay(e, init, cmds...)
	out.Applied = len(e.trace)
	if e.violation != nil {
		out.Violation = e.violation
		out.At = len(e.trace) - 1
		return out, nil
	}
	if out.Applied < len(cmds) {
		out.Rejected = out.Applied
	}
	return out, nil
}
