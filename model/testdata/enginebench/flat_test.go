package enginebench

import (
	"testing"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/interpreter"
)

var flatRules = []string{
	`attachments <= (shared ? 16 : 1)`,
	`!(status == 1 && attachments != 0) && !(status == 0 && attachments == 0)`,
	`!exists || size <= (system ? 1024 : 32768)`,
}

func BenchmarkExprMap(b *testing.B) {
	load(b)
	env := map[string]any{"status": 0, "shared": false, "system": false, "exists": false, "size": 0, "attachments": 0}
	var progs []*vm.Program
	for _, r := range flatRules {
		p, err := expr.Compile(r, expr.Env(env), expr.AsBool())
		if err != nil {
			b.Fatal(err)
		}
		progs = append(progs, p)
	}
	var machine vm.VM
	evals := 0
	var d Disk
	b.ReportAllocs()
	for b.Loop() {
		for i := range states {
			st := &states[i]
			for k := 0; k < int(st.NDisks); k++ {
				fill(&st.Disks[k], &d)
				env["status"], env["shared"], env["system"], env["exists"], env["size"], env["attachments"] = d.Status, d.Shared, d.System, d.Exists, d.Size, d.Attachments
				for _, p := range progs {
					out, err := machine.Run(p, env)
					if err != nil || !out.(bool) {
						b.Fatal("violated", err)
					}
					evals++
				}
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(evals), "ns/eval")
}

type flatAct struct{ d *Disk }

func (a flatAct) ResolveName(n string) (any, bool) {
	switch n {
	case "status":
		return int64(a.d.Status), true
	case "shared":
		return a.d.Shared, true
	case "system":
		return a.d.System, true
	case "exists":
		return a.d.Exists, true
	case "size":
		return int64(a.d.Size), true
	case "attachments":
		return int64(a.d.Attachments), true
	}
	return nil, false
}
func (a flatAct) Parent() interpreter.Activation { return nil }

func BenchmarkCELFlat(b *testing.B) {
	load(b)
	env, err := cel.NewEnv(cel.Variable("status", cel.IntType), cel.Variable("shared", cel.BoolType), cel.Variable("system", cel.BoolType),
		cel.Variable("exists", cel.BoolType), cel.Variable("size", cel.IntType), cel.Variable("attachments", cel.IntType))
	if err != nil {
		b.Fatal(err)
	}
	var progs []cel.Program
	for _, r := range flatRules {
		ast, iss := env.Compile(r)
		if iss.Err() != nil {
			b.Fatal(iss.Err())
		}
		p, err := env.Program(ast, cel.EvalOptions(cel.OptOptimize))
		if err != nil {
			b.Fatal(err)
		}
		progs = append(progs, p)
	}
	var d Disk
	act := flatAct{&d}
	evals := 0
	b.ReportAllocs()
	for b.Loop() {
		for i := range states {
			st := &states[i]
			for k := 0; k < int(st.NDisks); k++ {
				fill(&st.Disks[k], &d)
				for _, p := range progs {
					out, _, err := p.Eval(act)
					if err != nil || out.Value() != true {
						b.Fatal("violated", err, out)
					}
					evals++
				}
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(evals), "ns/eval")
}
