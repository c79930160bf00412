// Package enginebench measures the two expression engines considered for
// the spec's rules, github.com/expr-lang/expr and github.com/google/cel-go,
// on the checker's own workload: the three invariants of the page over
// each disk of every reachable state of the default fleet (272,778 states,
// 1.6 million evaluations per engine), against the same rules in Go. It is
// a module of its own, so that cel-go stays out of the project's
// dependencies. Run it with
//
//	cd model/testdata/enginebench && go test -run XXX -bench . -count 3
//
// BenchmarkExpr and BenchmarkCEL read the disk as a Go struct (nested
// fields: disk.status); BenchmarkExprMap and BenchmarkCELFlat read flat
// variables (a map for expr, an activation for cel-go).
package enginebench

import (
	"math/bits"
	"reflect"
	"sync"
	"testing"

	"github.com/evsim/evsim/check"
	"github.com/evsim/evsim/model"
	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/ext"
)

type Disk struct {
	Status      int  `expr:"status" cel:"status"`
	Shared      bool `expr:"shared" cel:"shared"`
	System      bool `expr:"system" cel:"system"`
	Exists      bool `expr:"exists" cel:"exists"`
	Size        int  `expr:"size" cel:"size"`
	Attachments int  `expr:"attachments" cel:"attachments"`
}

type Env struct {
	Disk Disk `expr:"disk"`
}

var (
	once   sync.Once
	states []model.State
	inUse  = 0
	avail  = 1
)

func load(b *testing.B) {
	once.Do(func() {
		sys, _ := model.NewSystem(model.Default(), model.DefaultConfig())
		m, _ := check.NewSystemModel(sys, true)
		r, err := check.Explore(m, check.Options{})
		if err != nil {
			b.Fatal(err)
		}
		for i := 0; i < r.States; i++ {
			states = append(states, m.State(r.Key(uint32(i))))
		}
	})
}

func fill(k *model.Disk, d *Disk) {
	d.Status = int(k.Status)
	d.Shared, d.System, d.Exists = k.Shared, k.System, k.Exists()
	d.Size = int(k.Size)
	d.Attachments = bits.OnesCount32(k.Attached)
}

// the three invariants of the page, per disk
var exprRules = []string{
	`disk.attachments <= (disk.shared ? 16 : 1)`,
	`!(disk.status == 1 && disk.attachments != 0) && !(disk.status == 0 && disk.attachments == 0)`,
	`!disk.exists || disk.size <= (disk.system ? 1024 : 32768)`,
}

func BenchmarkExpr(b *testing.B) {
	load(b)
	var progs []*vm.Program
	for _, r := range exprRules {
		p, err := expr.Compile(r, expr.Env(Env{}), expr.AsBool())
		if err != nil {
			b.Fatal(err)
		}
		progs = append(progs, p)
	}
	var env Env
	var machine vm.VM
	evals := 0
	b.ReportAllocs()
	for b.Loop() {
		for i := range states {
			st := &states[i]
			for d := 0; d < int(st.NDisks); d++ {
				fill(&st.Disks[d], &env.Disk)
				for _, p := range progs {
					out, err := machine.Run(p, &env)
					if err != nil || !out.(bool) {
						b.Fatal("violated", err)
					}
					evals++
				}
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(evals), "ns/eval")
	b.ReportMetric(float64(len(states)), "states")
}

func BenchmarkCEL(b *testing.B) {
	load(b)
	env, err := cel.NewEnv(ext.NativeTypes(reflect.TypeOf(Disk{}), ext.ParseStructTags(true)), cel.Variable("disk", cel.ObjectType("enginebench.Disk")))
	if err != nil {
		b.Fatal(err)
	}
	var progs []cel.Program
	for _, r := range exprRules {
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
	var disk Disk
	act := map[string]any{"disk": &disk}
	acti, _ := cel.NewActivation(act)
	evals := 0
	b.ReportAllocs()
	for b.Loop() {
		for i := range states {
			st := &states[i]
			for d := 0; d < int(st.NDisks); d++ {
				fill(&st.Disks[d], &disk)
				for _, p := range progs {
					out, _, err := p.Eval(acti)
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

// BenchmarkGo is the hand-written Go of the same three rules.
func BenchmarkGo(b *testing.B) {
	load(b)
	evals := 0
	var env Env
	for b.Loop() {
		for i := range states {
			st := &states[i]
			for d := 0; d < int(st.NDisks); d++ {
				fill(&st.Disks[d], &env.Disk)
				k := &env.Disk
				max := 1
				if k.Shared {
					max = 16
				}
				ok1 := k.Attachments <= max
				ok2 := !(k.Status == 1 && k.Attachments != 0) && !(k.Status == 0 && k.Attachments == 0)
				lim := 32768
				if k.System {
					lim = 1024
				}
				ok3 := !k.Exists || k.Size <= lim
				if !ok1 || !ok2 || !ok3 {
					b.Fatal("violated")
				}
				evals += 3
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(evals), "ns/eval")
}
