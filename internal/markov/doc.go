// Package markov computes exact answers for finite continuous-time Markov
// chains (CTMCs), to check a discrete-event simulation of cloud-disk statuses
// against: a single disk moves among named statuses (Available, In-use,
// Expanding, Expansion failed, ...) with exponential holding times.
//
// Build a Chain with New and AddRate (rates per hour); Generator returns its
// generator matrix Q, whose rows sum to zero. Vectors returned by the
// package are indexed in the order of the state names given to New.
//
// Three methods answer the questions a simulation is checked against:
//
//   - SteadyState returns the stationary distribution pi (pi Q = 0,
//     Σ pi = 1), the long-run fraction of time in each status. It solves
//     the linear system Qᵀ pi = 0 with the last equation replaced by
//     Σ pi = 1. The chain must be irreducible; otherwise the error names
//     the closed classes and transient states (found as strongly connected
//     components of the rate graph with gonum's graph/topo).
//     LimitingDistribution covers reducible chains, for a given start.
//
//   - Transient returns the distribution p(t) = p0·exp(Qt) at time t by
//     uniformisation: with Λ a little above the largest exit rate and
//     P = I + Q/Λ, p(t) = Σ_k Poisson(k; Λt)·p0·Pᵏ. Poisson weights are
//     taken relative to their mode and truncated where geometric tail
//     bounds fall below the tolerance, so large Λt (1e5 and beyond) neither
//     overflows nor underflows; the iteration stops early once p0·Pᵏ is
//     within the tolerance of the limiting distribution.
//
//   - MeanTimeToAbsorption returns the expected time to first reach a set
//     of target statuses, from every status and from an initial
//     distribution, by solving (-Q_FF) m = 1 over the non-target states F
//     that reach the target with probability one; the others get +Inf.
//
// Errors are prefixed "markov: " and wrap one of the package's sentinel
// errors (ErrBadState, ErrBadRate, ErrReducible, ...), and where a gonum
// routine failed, its error too.
package markov
