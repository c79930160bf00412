package sim

// Common random numbers: every disk draws from a random stream of its own,
// a SplitMix64 generator whose 8-byte state lives in the disk's slot, so
// that what a disk draws depends on the disk alone, never on what other
// disks did. Two runs that differ in one figure (two points of a sweep)
// then give each disk the same numbers until that figure changes its
// course, and their difference is far less noisy than with independent
// streams.
//
// The streams are seeded by hashing the master seed, the replication and
// the disk's identity:
//
//   - starting disk k: (seed, replication, "start", k);
//   - the n-th disk the growth process creates: (seed, replication,
//     "growth", n); the growth process draws its arrival times from a
//     stream of its own, (seed, replication, "growth");
//   - a disk its customer recreates after deleting one: a draw of the
//     deleted disk's stream, hashed.
//
// Each event of a disk (its creation, a request, the end of a step, a
// remedy, a ticket) draws from a frame of its own: the event's draws
// start where the previous event's frame did plus frame steps, however
// many the previous event used. Two runs in which a disk made different
// choices at one event (an expansion in one, a detach in the other) still
// give its later events the same numbers, so they stay alike.
//
// Within its frame, each kind of draw has a slot of its own (the time of
// a request, the choice of its operation, its server, a step's duration,
// whether it fails, ...), so that a draw one run makes and the other does
// not (the servers' power, looked at by some operations only) leaves the
// other draws of the event alike.
//
// The operator team draws nothing: a ticket's service time comes from the
// stream of the ticket's disk.

const (
	tagStart uint64 = iota + 1
	tagGrowthDisk
	tagGrowth
	tagChild
)

const golden = 0x9e3779b97f4a7c15

// frame is the number of draws an event's frame holds: nSlots slots of
// slotDraws draws each (a ziggurat draw rarely takes more than one).
const frame = 64

// The slots of an event's frame, slotDraws draws apart.
const (
	slotTime uint64 = iota
	slotOp
	slotArg
	slotPower
	slotDuration
	slotFail
	slotBgDuration
	slotBgFail
	slotRemedy
	slotService
	slotShared
	slotSystem
	slotSize
	slotInUse
	slotMix
	slotChild
	nSlots
)

const slotDraws = 4

// use moves the current disk's stream to slot k of its event's frame.
func (r *rep) use(k uint64) { *r.cur = r.base + k*slotDraws*golden }

// frameStep moves a stream's state on by a frame (wrapping, as the
// generator's own steps do).
var frameStep = func() uint64 { g := uint64(golden); return frame * g }()

// mix64 is SplitMix64's output function: a bijection of 64-bit words
// whose outputs pass the usual statistical batteries.
func mix64(z uint64) uint64 {
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// streamSeed hashes its words, in order, into the state of a stream.
func streamSeed(words ...uint64) uint64 {
	h := uint64(0x6a09e667f3bcc909)
	for _, w := range words {
		h = mix64(h ^ mix64(w+golden))
	}
	return h
}

// diskSrc is the random source of a replication: it draws from the
// stream whose state cur points at (the disk being advanced, or the growth
// process). It implements math/rand/v2's Source.
type diskSrc struct{ r *rep }

func (s diskSrc) Uint64() uint64 {
	p := s.r.cur
	*p += golden
	return mix64(*p)
}

// chunkBits sets the disks a chunk of the fleet's storage holds: 4,096,
// 192 KiB.
const chunkBits = 12

const chunkLen = 1 << chunkBits

// store holds the fleet's disk slots in chunks that are never moved or
// copied: the fleet grows a chunk at a time, memory stays at the slots'
// own size however much the fleet grows, and a pointer to a slot stays
// valid for the run.
type store struct {
	chunks []*[chunkLen]disk
	n      int
}

func (s *store) at(i uint32) *disk { return &s.chunks[i>>chunkBits][i&(chunkLen-1)] }

// add returns the index of a new slot, zeroed.
func (s *store) add() uint32 {
	if s.n == len(s.chunks)*chunkLen {
		s.chunks = append(s.chunks, new([chunkLen]disk))
	}
	s.n++
	return uint32(s.n - 1)
}

// agentPool is the operator team: the number of idle agents and a heap of
// the busy ones by the time they finish (with the time they started, for
// the utilisation of a run cut short). Tickets come in time order, so an
// agent that finished before a ticket arrives is idle when it does; a
// ticket costs O(log busy agents) whatever the size of the team.
type agentPool struct {
	size int
	idle int
	busy []span // a min-heap by done
}

type span struct{ done, start float64 }

func newAgentPool(n int) agentPool { return agentPool{size: n, idle: n} }

// assign gives a ticket arriving at t to the first agent free, working
// on it for the service time svc, and returns when the agent starts.
func (a *agentPool) assign(t, svc float64) (start float64) {
	for len(a.busy) > 0 && a.busy[0].done <= t {
		a.pop()
		a.idle++
	}
	start = t
	if a.idle > 0 {
		a.idle--
	} else {
		start = a.pop().done
	}
	a.push(span{done: start + svc, start: start})
	return start
}

func (a *agentPool) push(x span) {
	h := append(a.busy, x)
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if h[p].done <= h[i].done {
			break
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
	a.busy = h
}

func (a *agentPool) pop() span {
	h := a.busy
	x := h[0]
	n := len(h) - 1
	h[0] = h[n]
	h = h[:n]
	i := 0
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && h[c+1].done < h[c].done {
			c++
		}
		if h[i].done <= h[c].done {
			break
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
	a.busy = h
	return x
}

// overlap returns the length of [lo, hi] within [a, b].
func overlap(lo, hi, a, b float64) float64 {
	return max(0, min(hi, b)-max(lo, a))
}
