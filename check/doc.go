// Package check explores every reachable state of a finite transition
// system breadth-first, checks its properties on every state and
// transition, and rebuilds a shortest counterexample for each violated one.
//
// # Models
//
// [Explore] searches any [Model]: initial states, and per state (through a
// [Worker]) the successors of its enabled actions in a stable order and
// the properties the state and its transitions violate or witness. States
// are packed into one uint64 each. The package's tests drive it with tiny
// hand-built graphs; [SystemModel] adapts a bounded [github.com/evsim/evsim/model.System],
// and [Check] runs the whole check of one and returns a [Report].
//
// # Search
//
// The search is level-synchronous: the workers expand disjoint ranges of
// the current level against a state table that does not change meanwhile,
// and the new states are then stored in the order of their first
// discovery, by (parent index, action index). A state's index therefore
// does not depend on the number of workers, and neither do the counts, the
// violations found first, nor the traces. No parent links are stored: a
// trace is rebuilt by expanding the level above each state again and
// taking its first predecessor, which is the smallest (parent, action)
// pair, so every trace is a shortest one.
//
// The store keeps each state's key (8 bytes) in discovery order and an
// open-addressing table of 4-byte entries between half and three quarters
// full: 13 to 16 bytes per state. An entry holds a state's index and, in
// the bits the indices leave free, a fingerprint of its key's hash, so
// that a probe rarely reads a key that is not the one looked up. The search stops cleanly, with the
// counts so far, at [Options.MaxStates] or when the store would exceed
// [Options.MaxMemory].
//
// # Properties
//
// [Check] evaluates the properties of [github.com/evsim/evsim/model.System.Properties]:
// invariants on every stored state, step rules on every transition,
// possible properties by a witnessing transition, and no-deadlock on every
// state (a disk that exists and has no enabled action). The graph rules
// are evaluated on the explored graph, which is not stored:
//
//   - transitional-statuses-are-left: from every state, a state in which no
//     disk is in a transitional status can be reached (this reads "every
//     transitional status can be left", with the other disks free to move
//     as well); and no disk can cycle among transitional statuses by its
//     own transitions, checked on the projection of the graph onto one
//     disk. The second part treats a cycle as a violation even when it has
//     an exit: the search does not assume fairness.
//   - every-status-reachable: every status has a disk in some state, and
//     every operation starts somewhere.
//   - disk-can-always-be-deleted: from every state, a state in which no
//     disk exists can be reached. Deleting the disks one after the other
//     is then possible too, as an action changes only the disk it acts on.
//     On the projection onto one disk without the operator's actions, each
//     status (attached or not) from which the customer alone cannot delete
//     the disk is reported as a customer-stuck finding.
//
// # Graph rules without the graph
//
// "From every state, a target can be reached" is decided in one of two
// ways, the first when it can:
//
//   - By a ranking function. Both targets are a condition on each disk
//     (not transitional; not existing). Before the search, each disk's
//     distance to its condition is computed on a small graph of its own
//     situations (its fields and the power switches, with its actions and
//     the power actions, the other disks absent), and a state's rank is
//     the sum of its disks' distances. The successor cache keeps, per
//     list of a disk's actions, whether one of them lowers that disk's
//     distance, so that the search notes, at almost no cost, the states
//     outside the target without a successor of smaller rank. When there
//     are none, the target can be reached from every state, as a rank
//     cannot decrease for ever. The states noted are taken in increasing
//     rank, each shown to reach a state of smaller rank by a small search
//     forward from it; the argument then holds by induction on the rank.
//     The graph rules of a spec that satisfies them then cost some
//     milliseconds after the search (tens for millions of states), and no
//     memory but the tables.
//   - Exactly, by [Result.CanReach], when the ranks cannot show it (a
//     violated rule, many states noted, or a search from one that grows
//     too large): a pass over the states in index order marks each one
//     with a marked successor, stopping at the first; the edges among the
//     states left unmarked are then stored, turned round and searched back
//     from the marked states. With too little memory for those edges, it
//     sweeps in alternate directions until a sweep marks nothing. The
//     first state in index order that is not marked starts the
//     counterexample, so the trace is the same shortest one whatever the
//     way and the number of workers.
//
// A new rule of this kind ("from every state satisfying p, a state
// satisfying q can be reached") needs only a target [Bitset] and
// [Result.CanReach], plus the set of states of p; a rank for it is an
// optional speed-up (see graphTargets and rankTables).
//
// # Symmetry
//
// With symmetry on, disks with equal attributes and all servers are
// interchangeable: one canonical state is stored per class, and the size
// of each class (its orbit) is added up, so that the report can give the
// number of states the full space has. Traces are replayed on concrete
// states, so they are valid paths of the system. When only servers are
// interchangeable and there are at most four, the canonical key is the
// smallest image of the packed key under the server permutations. Which
// permutation gives it, and the orbit's size, depend only on the fields a
// permutation changes (power, attachments, the server an operation
// targets): when those fit in 16 bits, both are read from tables indexed
// by them, and a successor's index is its state's with one disk's part
// replaced. Otherwise the servers are sorted by a signature for each
// permutation of the disks.
//
// # Speed
//
// Each worker caches, per situation of one disk (its fields, the power
// switches and which disks have snapshots), the list of its actions with
// the disk they lead to and the verdicts of the step rules, and builds
// successors by replacing that disk's bits of the key. Each worker also
// remembers the keys it looked up last on the current level: in an
// interleaving model many successors are met again soon (a then b, b then
// a), and more than half of the lookups end there. The other lookups go
// to random places of a table larger than the processor's caches; they
// are made in batches, each stage reading all the batch's slots (then all
// its candidate keys) before using any, so that the cache misses overlap.
// A level's new states are stored without atomic operations: the
// candidates are bucketed by hash to remove repeats, and the new entries
// by range of slots, so that each bucket's work stays within the caches
// and each range is written by one worker. On Linux the large tables are
// given huge pages, which spares most misses of the translation buffer.
package check
