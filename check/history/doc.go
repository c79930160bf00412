// Package history checks an observed status history of a fleet (read by
// package model/history) against the model: for every disk, every pair of
// consecutive observations must be explained by a path of the one-disk
// graph.
//
// # The one-disk graph
//
// [New] explores, for each kind of disk (shared or not, system disk or
// not), every state a single disk reaches in a one-disk model.System (with
// servers, power, a snapshot and a backup, the operator) and reduces each
// to what a poll shows: the status and the number of attachments. A step
// of the graph also records whether the size grew or shrank and which
// operations make it.
//
// # What explains a pair
//
// A pair of observations of one disk is explained when a path leads from
// the first to the second that agrees with what was observed: the status,
// the attachment count when given, and the size (equal, grown or shrunk
// when both are given). Statuses on the path between the two are the ones
// a poll missed; [Options.MaxMissed] bounds how many (0 for a change log,
// where every row is a change). A single observation must itself be a
// state the model reaches, and the model's invariants must hold on it (an
// In-use disk without attachment breaks available-means-unattached).
//
// An unexplained pair is a [Violation] with the file line, the disk, both
// observations, the time between them, why no path fits, the nearest
// explanation (the shortest path that fits the statuses, or the operation
// that would have to start where the model does not allow it) and the
// rule of the page that start would break, found by applying it to the
// one-disk state and evaluating the model's step rules and invariants.
//
// # Streaming
//
// [Validator.Observe] keeps only the last observation of each disk (32
// bytes) and caches the verdict of each kind of pair, so a history of any
// length is checked in one pass with memory in proportion to its disks.
// The [Report] counts disks, observations, pairs, explained pairs (and
// those explained only through missed statuses) and violations, lists the
// first [MaxListed] violations, and compares the statuses and operations
// the fleet used with those the model reaches.
package history
