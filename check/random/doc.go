// Package random runs long random sequences of operations, completions,
// failures, operator actions and server power switching against the model
// with gopter's commands package, checks every invariant and step rule of
// the model (and that no disk is stuck) after every step, and shrinks a
// failure to the shortest story a person can read.
//
// It is the statistical counterpart of exhaustive search: it reaches
// configurations no search can enumerate. [Setups] has 16 and 17 servers
// sharing a disk driven to its attachment limit, and 8 disks with
// snapshots and backups at sizes near their limits (a system disk at 1020
// GiB, data disks at 32760 GiB).
//
// # Drawing the actions
//
// Every step is drawn from the actions the model enables in the current
// state, so that no draw is wasted: a weighted group ("start attach",
// "succeed", "power-off", ... see [Weights]), then one action of the group.
// Completions weigh more than failures and, in the shared16 and shared17
// setups, attaching far more than detaching, so that a sequence of 200
// steps takes a shared disk to 16 attachments.
//
// # Shrinking
//
// A step is kept in symbolic form: its kind, its operation, and the ranks
// of its disk and argument among the enabled ones ("attach the first disk
// that may attach to its third free server"). The four fields are built
// with gopter.DeriveGen, so gopter shrinks each of them towards zero as
// well as dropping commands, and ranks keep a story together when an early
// step changes: shrinking "attach to s3" to "attach to s0" turns the
// matching "detach from the first attached server" into a detach from s0.
// After gopter, [Runner.Minimize] drops what gopter's aligned chunks
// cannot (two steps far apart, every step on an unrelated disk, a start
// replaced by a simpler operation). A planted bug shrinks to its known
// story: with a spec where detaching the last attachment stays In-use,
//
//	start create d0
//	succeed create d0
//	start attach d0 s0
//	succeed attach d0
//	start detach d0 s0
//	succeed detach d0
//
// # Seeds, budgets and replays
//
// Every run takes a seed ([Options].Seed) and is deterministic for it: the
// same seed gives the same sequences, the same failure and the same
// shrunk story. The tests print the seed of every run and read:
//
//	EVSIM_SEED=<n>        replay the runs of seed n (default 20261127);
//	EVSIM_SEED=random     draw a seed from the clock (and print it);
//	EVSIM_SEQUENCES=<n>   sequences per setup and per mutant (default 200);
//	EVSIM_STEPS=<n>       steps per sequence (default 200).
//
// `go test ./check/random` runs the default budget in a few seconds. A nightly
// campaign runs, for example,
//
//	EVSIM_SEED=random EVSIM_SEQUENCES=100000 go test -timeout 2h ./check/random
//
// A failing sequence of the default spec is written to
// testdata/regress/default-<setup>-<seed>.txt (a [Sequence]: a few header
// lines and one [model.System.FormatAction] string a line), and every
// file there is replayed by every test run with gopter's commands.Replay
// ([Runner.Replay]). The shrunk stories of the mutant specs are kept there
// too (rewritten by `go test ./check/random -run TestMutantsAreKilled -update`):
// each must still break its property on its mutant and break nothing on
// the default spec.
//
// # Campaigns on any fleet
//
// [Campaign] runs sequences on a fleet of the caller's choice (up to
// [github.com/evsim/evsim/model.MaxDisks] disks and 32 servers) in batches of
// [BatchSize], each with a seed derived from the campaign's seed and its
// number ([BatchSeed]), on several goroutines, under a time budget. The
// batches are combined in order and the first failure in that order wins,
// so the result does not depend on the number of workers. `check -random`
// is built on it.
//
// # Comparing an implementation with the model
//
// With [Options].Target, every sequence is also applied to a fresh
// implementation (a [Target]: Apply an action, read the State). After
// every step it must have accepted the step, be in the model's state
// (statuses, running operations, attachments, sizes, counters, power),
// and refuse, unchanged, every probe the model refuses ([Probes]: starts
// of every operation on every disk, completions, power switches). A
// disagreement breaks [PropMatchesModel] and shrinks like any failure.
// The tests drive the simulator's per-disk engine (sim.DiskEngine) this
// way on every setup, and check that an engine compiled from a mutant
// spec is told apart from the model.
//
// # Mutation score
//
// TestMutantsAreKilled runs each mutant spec of the model package
// (model/testdata/mutants, each breaking one documented rule) through the
// random sequences, checking only the property the mutant breaks, and
// fails unless every mutant is caught. A random sequence cannot see a
// cycle of transitional statuses, but it sees the disk left at its end:
// transitional-statuses-are-left is caught by no-deadlock, an existing
// disk that no action can move, even with every server powered off. The
// test logs a table (go test -v ./check/random -run TestMutantsAreKilled):
// mutant, rule, setup, killed, sequences until found, length found,
// length after gopter's shrinking and after [Runner.Minimize]; and, from
// the exhaustive search of package check on a small configuration,
// killed, states discovered until the violation, and the length of the
// shortest trace.
package random
