// Package exact answers a fleet scenario exactly where its disks form a
// continuous-time Markov chain: the expected number of disks in each
// status, averaged over the simulator's measured window, at a given time
// and in the long run, and the mean time until a disk first reaches a
// status no disk leaves.
//
// # When a scenario is Markovian
//
// [Build] reads a [sim.Config] the way the simulator reads it. A disk's
// status process is a CTMC when every duration in play is exponential
// (steps, background operations, customer reaction times, the operator's
// service time) and disks do not interact: the pool is unlimited and no
// ticket ever waits for an agent. Where the team is smaller than the fleet
// can be (a fleet that grows, or fewer agents than disks), Build bounds
// the chance that a ticket waits within the horizon (the Chernoff bound
// on the Poisson tail of the offered load, see [Fleet.WaitBound]) and
// answers when it is at most [MaxWaitChance]: the answer is then exact up
// to that chance, which cmd/sim -exact prints. The
// chain must also stay small enough for dense solvers: snapshot counts
// that go down as well as up (up to 255) and disk sizes near their limit
// are out of reach. Otherwise Build returns a
// [*NotMarkovianError] listing every reason, one a line, so that a user
// sees why there is no exact column instead of a wrong number.
//
// # The chain mirrors the simulator
//
// A chain state is a one-disk [model.System] state (the disk's status,
// running operation and step, background operation, attachments, transfer)
// plus what the simulator keeps beside it: the disk's kind (system or data
// disk, shared or not: a shared disk's system has the simulator's 16
// servers, kept in order so that a disk attached to k servers is attached
// to servers 0 to k-1), whether a customer remedy asked for a new disk once this one is
// gone (an intent that ends when the disk reaches a status without a
// remedy, as in the simulator), and whether the remedy found no operation the model enables (the
// disk then stays for good). Transitions follow sim's fleet engine:
//
//   - a disk with no operation running and no remedy in its status
//     receives each customer operation that may start there at the
//     operation's rate; a request for an operation that looks at the
//     servers' power finds them stopped with probability
//     fleet.servers_stopped (drawn afresh for each such request, so the
//     chain need not remember it, as long as no remedy looks at power);
//     the argument is drawn as the simulator draws
//     it; a request the model does not enable changes nothing;
//   - each step ends at rate 1/mean, failing with the per-step probability
//     the simulator uses (1-(1-p)^(1/steps)); a background operation the
//     same way;
//   - in a status with a remedy, the first remedy operation the model
//     enables starts after the customer's reaction time or the agent's
//     service time (no wait: the team is never short);
//   - a deleted disk leaves the fleet; if its customer recreates it, a new
//     disk starts at once, its kind and creating operation drawn from the
//     fleet mix; growth adds disks the same way as a Poisson process.
//
// Sizes are left out of the state: expansions are allowed only while a
// disk is below its size limit, and Build refuses a scenario in which a
// disk could reach it within the horizon with probability above 1e-12.
// Snapshot and backup counts are kept as "none" or "some", all the
// model's conditions look at, when nothing removes them and no disk
// reaches the bound of 255 with probability above 1e-12.
//
// # What is computed
//
// With m(t) the vector of expected disks per chain state, m(t) = a·e^{Qt}
// + c·∫₀ᵗ e^{Qu} du, where Q is the sub-generator over live disks, a the
// starting fleet and c the births per hour. [Fleet.WindowMean] integrates
// m over the simulator's measured window with one exponential of the
// block matrix [[Q, I, 0], [0, 0, I], [0, 0, 0]] (gonum's mat.Exp), whose
// top row holds e^{Qt}, its integral and its double integral.
package exact
