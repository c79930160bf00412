// Package scenarios is the simulator's scenario format: YAML files that say
// what a fleet looks like, what its customers do, how long things take, how
// often they fail, who fixes failures and how large the pool is. [Load]
// checks a file against a [model.Spec] and builds a [sim.Config]; [Get]
// and [Open] load the embedded scenarios by name (see [Names]) or a file.
//
// # The format
//
//	# What-if: ... (a comment stating the question the scenario answers)
//	name: my-scenario
//	description: One line shown above the results.
//	horizon: 365d              # durations take a unit: s, m, h, d or w
//	warmup: 30d                # discarded before statistics start (default 0)
//	sample_interval: 1d        # time-series interval (default 1d)
//	replications: 5            # default 5
//	seed: 1                    # default 1
//	fleet:
//	  disks: 20000             # at the start
//	  in_use: 0.85             # shares, 0 to 1
//	  shared: 0.03
//	  system: 0.35
//	  size_gib: {dist: lognormal, median: 60, sigma: 1.0}
//	  servers_stopped: 0.2     # share of requests that find the servers stopped
//	growth:
//	  creations_per_day: 40
//	  mix: {create: 0.5, create_from_image: 0.45, create_from_backup: 0.05}
//	rates: {attach: 0.05, expand: 0.003, ...}     # per disk per day
//	durations:                 # per transitional status, or per operation
//	  Expanding: {dist: lognormal, median: 30s, sigma: 0.7}
//	  create_backup: {dist: exponential, mean: 20m}
//	failures: {expand: 0.002, ...}                # probability per operation
//	remedies:
//	  Error: {by: customer, ops: [delete], after: {dist: exponential, mean: 6h}, recreate: true}
//	  Expansion failed: {by: operator, ops: [reset_status]}
//	operator: {agents: 2, service: {dist: lognormal, median: 4h, sigma: 0.8}}
//	pool: {capacity_gib: unlimited}               # or a number of GiB
//
// Distributions are {dist: fixed, value}, {dist: exponential, mean},
// {dist: lognormal, median, sigma} and {dist: weibull, shape, scale}.
//
// # Remedies
//
// A disk in a status with a remedy waits for it and nothing else: the
// customer (after the delay "after") or an agent of the operator team
// applies the first operation of "ops" the model enables. recreate: true
// (customer remedies only) means the customer wants a new disk in place of
// this one: when the disk is gone, through the deletion the remedy started
// or through the remedies of the statuses that deletion leads to (say an
// operator's force_delete of a disk in Deletion failed), a new disk is
// created at once with an operation of growth.mix. The intent ends when the
// disk comes back to a status without a remedy, where its customer's
// ordinary requests resume (Available after an operator's reset_status, or
// Deletion failed with by: none): a later deletion of that disk is an
// ordinary one, and nothing replaces it. cmd/sim -exact reads it the same
// way.
//
// fleet.in_use is the share of the starting disks attached to a server.
// They are made with the first creating operation of growth.mix that does
// not attach its disk, then attached; a mix whose every operation attaches
// (create_from_image alone) makes every starting disk In-use, so it needs
// in_use: 1.
//
// # Errors
//
// Unknown fields are errors, and so is an empty file. Operation and status
// names are checked against the spec, and so is everything the model
// decides: a rate for an operator operation, a failure probability for an
// operation the model makes instant, a duration for a stable status, a
// remedy operation that cannot start from its status. Every error is a
// [model.Error] printed as file:line:col: field: what is wrong, what is
// allowed, all of them in file order in a [model.ErrorList].
//
// # The embedded scenarios
//
// baseline is an ordinary year of a 20,000-disk fleet; its comments say
// which figures are assumptions. expansion-spike, understaffed,
// pool-crunch and shared-cluster each change a few of its figures to
// answer one question, stated in their opening comment; million is the
// baseline at a million disks, the benchmark's workload.
package scenarios
