// Package randseq runs long random sequences of operations, completions,
// failures, operator actions and server power switching against the model
// (with gopter's commands package), checks every invariant and step rule
// of the model after every step, and shrinks a failure to the shortest
// story a person can read.
//
// It is the statistical counterpart of exhaustive search: it reaches
// configurations no search can enumerate (16 and 17 servers sharing a
// disk, 8 disks with snapshots and backups, sizes at their limits).
package randseq
