// Package plots draws the pictures of a simulation run ([sim.Summary]):
// what the fleet did over time, in PNG or SVG.
//
// [Render] returns every picture of a run, each named for what it shows:
//
//   - occupancy: disks per status over time, stacked. The stable statuses
//     (In-use, Available) hold nearly every disk, so a second picture,
//     occupancy-non-stable, stacks only the statuses a disk passes through
//     or fails into, on a scale of their own.
//   - tickets: the backlog of open tickets over time, and how long the
//     tickets waited for an agent (the share of tickets that waited at most
//     a given time, with the median, p95 and p99 marked).
//   - pool: the storage pool in use over time, its capacity, and the points
//     where it first refused room.
//
// Time runs in days on every horizontal axis; the end of the warm-up is
// marked. Curves are means over replications; thin grey curves show each
// replication where that helps to judge the spread. Statuses keep the
// colours of their class in the status diagram (package diagram): blues
// for stable and in-progress statuses, reds for failed ones, gold for a
// parked one. Legends sit beside the plotting area, never over the data.
//
// Pictures are deterministic: the same summary gives the same bytes.
package plots
