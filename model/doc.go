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
// [System.Properties] lists the rules of the page as predicates over states
// and transitions, each citing its source. [Spec.Table1] derives Table 1
// from the spec, and [Spec.Findings] reports where the rest of the
// documentation allows what the table does not state.
package model
