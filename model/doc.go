// Package model is the formal model of the EVS disk status graph: the
// statuses of Table 1 of the EVS Disk Status page, the operations that move
// a disk between them, a bounded system of disks and servers that applies
// them, and the properties the documentation states.
//
// # The spec
//
// A [Spec] is data, loaded from YAML by [Load]; [Default] returns the
// embedded one (evs.yaml). Every operation names the statuses it may start
// from, with conditions from a fixed vocabulary ([Cond]), the transitional
// statuses it goes through, its success and failure targets (a status,
// "origin", "gone" or "unchanged", possibly conditional), its effects on
// the disk ([Effect]) and its basis: table, figure, docs, cinder or
// inferred with a reason. Nothing of the status table lives in Go: a spec
// that lets a shared In-use disk expand makes the model do so, and the
// properties catch it.
//
// # The bounded system
//
// A [System] is a spec with a [Config]: D disks (each shared or not, system
// disk or not, with a size at creation) and S servers, bounds on snapshots,
// backups and size steps, and whether the operator and server power
// switching take part. [System.Init], [System.Actions] (a stable order) and
// [System.Next] (pure) make it a transition system; a [Codec] packs a
// [State] into a few bytes.
//
// # Properties and Table 1
//
// The rules are data as well: the spec's properties section states each
// one as an expression over a disk, the servers and the step (see
// [DiskView], [ServerView], [ActionView]), with its source, or names a
// graph rule an explorer evaluates with its own algorithm, or a leads-to
// rule ([LeadsTo]). [Load] compiles the expressions once, type-checks them
// against the views and checks every status, operation, class, effect and
// actor name they compare with, so that a rule that does not fit is an
// [Error] at its file, line and column. [System.Properties] binds the
// rules to a bounded system as predicates over states and transitions.
// [Spec.Table1] derives Table 1 from the spec, and [Spec.Findings]
// reports where the rest of the documentation allows what the table does
// not state.
//
// # The expression engine
//
// The rules are written in the language of github.com/expr-lang/expr. It
// was measured against github.com/google/cel-go (v0.31.0, the language of
// Kubernetes' validation rules) on the checker's workload: the page's
// three invariants over each disk of the 272,778 states the default
// fleet had then (testdata/enginebench). expr took 108 to 119 ns an evaluation with
// the disk as a Go struct and 89 to 94 with flat variables; cel-go 225 to
// 247 and 103 to 110; the same rules in Go 2. Both engines are some fifty
// times slower than Go, so the checker keeps the verdict of a rule over one
// disk per situation of that disk and evaluates each situation once
// (check's successor cache and invariant cache); what decided is the rest:
// expr is the faster of the two in both shapes, reads Go structs as they
// are, lets the loader rewrite and check the syntax tree before it is
// compiled (how status and operation names are checked), reports positions
// as offsets into the expression, and is one module with no dependencies,
// where cel-go brings protobuf, genproto and an ANTLR runtime.
package model
