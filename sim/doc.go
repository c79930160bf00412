// Package sim runs a fleet of EVS disks through the model's status graph in
// virtual time (hours): customers request operations at given rates, each
// transitional status lasts a drawn duration, operations fail with given
// probabilities, an operator team works tickets for failed disks, and a
// storage pool of finite capacity refuses room when it is full. [Run]
// answers, with 95% confidence intervals over replications: how many disks
// sit in each status, how many operations start and fail per day, how many
// tickets reach customer service, how long customers wait, and when the
// pool runs out.
//
// # The model is the source of truth
//
// The engine holds no status table of its own. At start-up it compiles the
// [model.Spec] (each operation's from entries grouped by status, its steps,
// its success and failure targets and effects) into lookup tables, and
// every disk changes only through them: an operation starts only where a
// from entry of the spec and its conditions hold, and ends in the spec's
// success or failure target. The conditions mean what model.System makes
// them mean. Two tests hold the engine to that: [DiskEngine] is compared
// with model.System action by action in every state of random walks, and
// every transition of small simulated fleets is replayed through a
// one-disk model.System.
//
// # DiskEngine
//
// [NewDiskEngine] takes a spec and a [model.Config] (disks, servers,
// bounds, operator, power) and offers the steps of the bounded model one by
// one, without time or randomness: [DiskEngine.Start] (an operation with
// its argument: a server, or the disk whose snapshot is used),
// [DiskEngine.Succeed] and [DiskEngine.Fail] (the current step),
// [DiskEngine.BgDone], [DiskEngine.SetPower], or [DiskEngine.Apply] for a
// [model.Action]. A step the model does not enable returns an error
// wrapping [ErrRejected] and changes nothing. [DiskEngine.Status],
// [DiskEngine.Attached], [DiskEngine.Size], [DiskEngine.Disk] and
// [DiskEngine.State] read the result, comparable with the model's state
// after the same steps. It is the fleet engine's transition core, so a
// property test that drives both it and the model checks the simulator.
//
// # What the fleet does
//
// A [Config] gives the fleet at the start (disks, share attached, shared
// and system disks, size distribution), growth (creations per day and the
// creating operations' mix), request rates per operation (per disk per
// day, applying in every status from which the operation may start for a
// disk of that kind; a request whose other conditions do not hold is
// rejected and counted), durations per transitional status or per
// operation, failure probabilities per operation (spread evenly over its
// steps), remedies per failed status, the operator team and the pool.
//
// Remedies follow the FAQ: a disk in Error is deleted by its customer, who
// creates a new one; one in Rollback failed is rolled back again; Deletion
// failed, Expansion failed and Restoration failed open a ticket for the
// operator team, whose agents take tickets in FIFO order, each for a drawn
// service time, and then apply the first operator operation the model
// enables (reset_status, force_delete). In a status with a remedy, the
// remedy is all that happens to the disk: while a ticket is open, or until
// the customer reacts, no other request arrives. A customer remedy with
// Recreate creates a new disk when this one is gone; the intent ends when
// the disk reaches a status without a remedy (say Available after an
// operator's reset), where its customer's ordinary requests resume.
//
// The pool counts the size of every disk from the start of its creation
// and one size step (from the spec's limits) from the start of each
// expansion; a creation or expansion it cannot hold still starts and then
// fails into the operation's failure target (Error, Expansion failed). An
// expansion that fails gives its step back; a deleted disk gives back its
// size.
//
// # The engine
//
// Disks interact only through shared state: the pool, the ticket queue and
// the set of disks. Everything else a disk does depends on itself alone, so
// the engine advances each disk through its own events in one go, stopping
// it at its first event that touches shared state. Those wait in a 4-ary
// heap ordered by time, ties broken by sequence number, and run in time
// order. The run is cut into windows (the heap empties at each window's
// end) so that progress can be shown and a cancelled run can stop with
// consistent statistics. The result is the one a single global event queue
// would give, at the cost of a queue only the rare coupling events enter:
// at a million disks the engine touches each disk's 48 bytes in order, and
// its hot loop keeps one disk in cache. A deleted disk's slot is reused.
// Slots live in chunks of 4,096 that are never moved or copied, and so do
// the coupling queue's 16-byte entries, so memory stays at the slots' own
// size however much the fleet grows: at most 64 bytes per starting disk for
// every shipped scenario at a million disks (BenchmarkMemory).
//
// # Randomness and statistics
//
// Every disk draws from a random stream of its own (common random
// numbers): a SplitMix64 generator whose state sits in the disk's slot,
// seeded from the master seed, the replication and the disk's identity
// (its index among the starting disks, its rank among the disks the
// growth process creates, or the stream of the disk it replaces), with a
// stream for the growth process's arrivals. Each event of a disk draws
// from a frame of its stream of its own, each kind of draw in a slot of
// its own, so that two runs that differ in one figure (two points of a
// sweep) give each disk the same numbers event by event: the variance of
// their difference is a fraction of what independent seeds give (about
// 0.3 for the occupancy of In-use in markov-check with rates.expand at
// 0.03 and 0.06). What a disk draws never depends on other disks. Every
// gonum distuv distribution gets the current disk's stream as its Src.
// Replications run in parallel and are combined in replication
// order, so the result depends on the config alone, never on the number of
// workers. Statistics start after the warm-up: time-weighted occupancy per
// status, operations started, failed and rejected, tickets opened and
// closed, waiting times (mean, median, p95, p99), agent utilisation, pool
// use, peak and the first time it refused room, and every status change
// counted on its edge of the spec ([model.Spec.Edges]; Summary.Transitions
// gives each edge's rate per day). [Estimate] gives the mean
// over replications with a Student t 95% interval. The time series (disks
// per status, pool, open tickets) is sampled every Config.SampleInterval.
//
// # Runs spread over machines
//
// [RunRange] runs a block of the replications, each with the stream it has
// in a whole run; [Summarise] combines the results of every replication,
// gathered from any number of such runs, into the summary [Run] gives.
package sim
