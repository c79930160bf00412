package sim

import (
	"context"
	"encoding/json"
	"math"
	"testing"
	"unsafe"

	"gonum.org/v1/gonum/mat"

	"github.com/evsim/evsim/model"
)

// quietConfig is a fleet of n data disks that start Available, with
// creations by plain create and nothing else going on.
func quietConfig(spec *model.Spec, n int) *Config {
	c := NewConfig(spec)
	c.Horizon = 24 * 100
	c.Disks = n
	c.Size = FixedDist(100)
	c.CreationMix = []CreationShare{{Op: opID(spec, "create"), Weight: 1}}
	c.Durations[stID(spec, "Creating")] = FixedDist(0.01)
	return c
}

func TestQuietFleet(t *testing.T) {
	spec := model.Default()
	c := quietConfig(spec, 3)
	res, err := RunOne(context.Background(), c, 0)
	if err != nil {
		t.Fatal(err)
	}
	avail := stID(spec, "Available")
	for s, x := range res.Occupancy {
		want := 0.0
		if model.StatusID(s) == avail {
			want = 3
		}
		if math.Abs(x-want) > 1e-9 {
			t.Errorf("occupancy of %s = %g, want %g", spec.StatusName(model.StatusID(s)), x, want)
		}
	}
	if res.PoolUsed != 300 || res.PoolPeak != 300 {
		t.Errorf("pool used %d, peak %d; want 300 and 300 (three disks of 100 GiB)", res.PoolUsed, res.PoolPeak)
	}
	if res.Events != 0 || res.Disks != 3 {
		t.Errorf("events %d, disks %d; want 0 and 3", res.Events, res.Disks)
	}
	if n := len(res.Series.Time); n != 101 {
		t.Errorf("%d samples, want 101 (day 0 to day 100)", n)
	}
}

// TestPoolFillsUp: three 100 GiB disks in a 350 GiB pool, expanding by the
// spec's 1 GiB step without failures, make exactly 50 expansions succeed;
// every later one is refused and fails into Expansion failed.
func TestPoolFillsUp(t *testing.T) {
	spec := model.Default()
	c := quietConfig(spec, 3)
	c.PoolGiB = 350
	c.Rates[opID(spec, "expand")] = 24
	c.Durations[stID(spec, "Expanding")] = FixedDist(0.1)
	c.Remedies[stID(spec, "Expansion failed")] = Remedy{By: ByOperator, Ops: []model.OpID{opID(spec, "reset_status")}}
	c.Agents = 1
	c.Service = FixedDist(1)
	res, err := RunOne(context.Background(), c, 0)
	if err != nil {
		t.Fatal(err)
	}
	exp := opID(spec, "expand")
	if ok := res.Started[exp] - res.Failed[exp]; ok != 50 {
		t.Errorf("%d expansions succeeded, want 50 (350 - 300 GiB in 1 GiB steps)", ok)
	}
	if res.Failed[exp] == 0 || res.PoolRefused != res.Failed[exp] {
		t.Errorf("failed %d, refused %d; want every failure to be a refusal, and some", res.Failed[exp], res.PoolRefused)
	}
	if res.PoolUsed != 350 || res.PoolPeak != 350 {
		t.Errorf("pool used %d, peak %d; want 350 and 350", res.PoolUsed, res.PoolPeak)
	}
	if res.PoolExhaustedAt <= 0 {
		t.Errorf("exhausted at %g, want a positive time", res.PoolExhaustedAt)
	}
	if res.TicketsOpened != res.Failed[exp] {
		t.Errorf("tickets %d, want one per failed expansion (%d)", res.TicketsOpened, res.Failed[exp])
	}
	pool := res.Series.PoolUsed
	if pool[0] != 300 || pool[len(pool)-1] != 350 {
		t.Errorf("pool series from %d to %d GiB, want 300 to 350", pool[0], pool[len(pool)-1])
	}
	for k := 1; k < len(pool); k++ {
		if pool[k] < pool[k-1] {
			t.Fatalf("pool series falls at sample %d: %d after %d, but nothing is deleted", k, pool[k], pool[k-1])
		}
	}
}

// TestSeriesCounts: in a fleet of 100 disks that never grows or shrinks,
// every sample counts 100 disks over its statuses, and the samples' mean of
// Expanding agrees with the time-weighted occupancy.
func TestSeriesCounts(t *testing.T) {
	spec := model.Default()
	c := quietConfig(spec, 100)
	c.Rates[opID(spec, "expand")] = 6
	c.Durations[stID(spec, "Expanding")] = ExpDist(1)
	c.SampleInterval = 1
	c.Horizon = 24 * 200
	res, err := RunOne(context.Background(), c, 0)
	if err != nil {
		t.Fatal(err)
	}
	s := res.Series
	if len(s.Time) != 24*200+1 {
		t.Fatalf("%d samples, want %d", len(s.Time), 24*200+1)
	}
	exp := stID(spec, "Expanding")
	var sum float64
	for k := range s.Time {
		var n int64
		for _, x := range s.Status[k] {
			n += x
		}
		if n != 100 || s.Disks[k] != 100 {
			t.Fatalf("sample %d (t=%g): %d disks over the statuses, %d in all; want 100", k, s.Time[k], n, s.Disks[k])
		}
		sum += float64(s.Status[k][exp])
	}
	mean := sum / float64(len(s.Time))
	if occ := res.Occupancy[exp]; math.Abs(mean-occ) > 0.05*occ {
		t.Errorf("samples give %.3f disks in Expanding, the time-weighted occupancy %.3f", mean, occ)
	}
}

// TestRenewalOccupancy: disks alternate between Available and Expanding
// (rate 1 per day, a fixed hour each time). The share of time in Expanding
// is (1/24)/(1+1/24) = 1/25 by renewal-reward, so 100 disks have 4 disks
// in Expanding on average.
func TestRenewalOccupancy(t *testing.T) {
	spec := model.Default()
	c := quietConfig(spec, 100)
	c.Rates[opID(spec, "expand")] = 1
	c.Durations[stID(spec, "Expanding")] = FixedDist(1)
	c.Replications = 8
	c.Warmup = 24
	sum, err := Run(context.Background(), c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := sum.Statuses[stID(spec, "Expanding")].Disks
	if math.Abs(got.Mean-4) > got.HalfWidth {
		t.Errorf("Expanding holds %.3f ± %.3f disks, want 4 within the interval", got.Mean, got.HalfWidth)
	}
	perDay := sum.Ops[opID(spec, "expand")].Started
	// 96 disks Available on average, one request per day each.
	if math.Abs(perDay.Mean-96) > perDay.HalfWidth {
		t.Errorf("expansions per day %.2f ± %.2f, want 96 within the interval", perDay.Mean, perDay.HalfWidth)
	}
}

// TestTicketQueueFIFO: tickets opened together wait for the agents in
// order: with one agent and a fixed service time of 2 hours, three tickets
// opened at time 0 wait 0, 2 and 4 hours; with two agents 0, 0 and 2.
func TestTicketQueueFIFO(t *testing.T) {
	spec := model.Default()
	for _, tc := range []struct {
		agents int
		waits  []float64
		busy   float64
	}{
		{1, []float64{0, 2, 4}, 6},
		{2, []float64{0, 0, 2}, 6},
		{3, []float64{0, 0, 0}, 6},
	} {
		c := quietConfig(spec, 3)
		c.Agents = tc.agents
		c.Service = FixedDist(2)
		r := newRep(newPlan(c), 0)
		r.measuring = true
		for k := range 3 {
			i := r.newDisk(uint64(k))
			r.openTicket(r.disks.at(i), 0)
		}
		for k, w := range tc.waits {
			if r.waits[k] != w {
				t.Errorf("%d agents: ticket %d waited %g, want %g", tc.agents, k, r.waits[k], w)
			}
		}
		if busy := r.busyTime; busy != tc.busy {
			t.Errorf("%d agents: busy %g hours, want %g", tc.agents, busy, tc.busy)
		}
	}
}

// TestMarkovSteadyState: one data disk whose every duration is exponential
// is a continuous-time Markov chain. Its generator, written out by hand
// below from the scenario's figures, gives the exact steady-state shares;
// the simulation must find each within its 95% confidence interval.
func TestMarkovSteadyState(t *testing.T) {
	spec := model.Default()
	c := quietConfig(spec, 1)
	const (
		a, d, e          = 6.0 / 24, 4.0 / 24, 2.0 / 24 // requests per hour
		mAtt, mDet, mExp = 1 / 1.0, 1 / 0.5, 1 / 2.0    // completions per hour
		mSvc             = 1 / 3.0
		pa, pd, pe       = 0.1, 0.2, 0.15
	)
	c.Rates[opID(spec, "attach")] = a * 24
	c.Rates[opID(spec, "detach")] = d * 24
	c.Rates[opID(spec, "expand")] = e * 24
	c.Durations[stID(spec, "Attaching")] = ExpDist(1 / mAtt)
	c.Durations[stID(spec, "Detaching")] = ExpDist(1 / mDet)
	c.Durations[stID(spec, "Expanding")] = ExpDist(1 / mExp)
	c.Failure[opID(spec, "attach")] = pa
	c.Failure[opID(spec, "detach")] = pd
	c.Failure[opID(spec, "expand")] = pe
	c.Remedies[stID(spec, "Expansion failed")] = Remedy{By: ByOperator, Ops: []model.OpID{opID(spec, "reset_status")}}
	c.Agents = 1
	c.Service = ExpDist(1 / mSvc)
	c.Horizon = 24 * 2000
	c.Warmup = 24 * 10
	c.SampleInterval = 24 * 100
	c.Replications = 30

	// States: 0 Available, 1 In-use, 2 Attaching, 3 Detaching,
	// 4 Expanding from Available, 5 Expanding from In-use,
	// 6 Expansion failed detached, 7 Expansion failed attached.
	const n = 8
	q := mat.NewDense(n, n, nil)
	rate := func(i, j int, r float64) { q.Set(i, j, q.At(i, j)+r) }
	rate(0, 2, a)
	rate(0, 4, e)
	rate(1, 3, d)
	rate(1, 5, e)
	rate(2, 1, mAtt*(1-pa))
	rate(2, 0, mAtt*pa)
	rate(3, 0, mDet*(1-pd))
	rate(3, 1, mDet*pd)
	rate(4, 0, mExp*(1-pe))
	rate(4, 6, mExp*pe)
	rate(5, 1, mExp*(1-pe))
	rate(5, 7, mExp*pe)
	rate(6, 0, mSvc)
	rate(7, 1, mSvc)
	for i := range n {
		var out float64
		for j := range n {
			out += q.At(i, j)
		}
		q.Set(i, i, -out)
	}
	// pi Q = 0 and sum pi = 1: transpose Q, replace its last row with ones.
	var qt mat.Dense
	qt.CloneFrom(q.T())
	for j := range n {
		qt.Set(n-1, j, 1)
	}
	rhs := mat.NewVecDense(n, nil)
	rhs.SetVec(n-1, 1)
	var pi mat.VecDense
	if err := pi.SolveVec(&qt, rhs); err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{
		"Available":        pi.AtVec(0),
		"In-use":           pi.AtVec(1),
		"Attaching":        pi.AtVec(2),
		"Detaching":        pi.AtVec(3),
		"Expanding":        pi.AtVec(4) + pi.AtVec(5),
		"Expansion failed": pi.AtVec(6) + pi.AtVec(7),
	}

	sum, err := Run(context.Background(), c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for name, w := range want {
		got := sum.Statuses[stID(spec, name)].Disks
		t.Logf("%-16s exact %.5f  simulated %.5f ± %.5f", name, w, got.Mean, got.HalfWidth)
		if math.Abs(got.Mean-w) > got.HalfWidth {
			t.Errorf("%s: simulated %.5f ± %.5f, exact %.5f lies outside the interval", name, got.Mean, got.HalfWidth, w)
		}
	}
}

func TestSameSeedSameResultAnyWorkers(t *testing.T) {
	spec := model.Default()
	c := busyConfig(spec)
	c.Replications = 4
	c.PoolGiB = 3000
	var first []byte
	for _, w := range []int{1, 2, 3} {
		sum, err := Run(context.Background(), c, Options{Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(sum)
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = b
			continue
		}
		if string(b) != string(first) {
			t.Fatalf("workers %d: result differs from workers 1", w)
		}
	}
	c.Seed++
	sum, _ := Run(context.Background(), c, Options{Workers: 2})
	b, _ := json.Marshal(sum)
	if string(b) == string(first) {
		t.Fatal("another seed gave the same result")
	}
}

func TestCancelledRunIsPartial(t *testing.T) {
	spec := model.Default()
	c := busyConfig(spec)
	c.Replications = 3
	ctx, cancel := context.WithCancel(context.Background())
	var hours float64
	sum, err := Run(ctx, c, Options{Workers: 1, Progress: func(h float64) {
		hours += h
		if hours >= 24*10 {
			cancel()
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if !sum.Partial {
		t.Fatal("a cancelled run is not marked partial")
	}
	if len(sum.Results) != 1 || sum.Results[0].End >= c.Horizon || sum.Results[0].End < 24*10 {
		t.Fatalf("want one replication stopped after day 10, got %d results", len(sum.Results))
	}
}

func TestValidateRejects(t *testing.T) {
	spec := model.Default()
	for name, mod := range map[string]func(c *Config){
		"no horizon":             func(c *Config) { c.Horizon = 0 },
		"warm-up past horizon":   func(c *Config) { c.Warmup = c.Horizon },
		"rate of an operator op": func(c *Config) { c.Rates[opID(spec, "reset_status")] = 1 },
		"failure of instant op":  func(c *Config) { c.Failure[opID(spec, "create_snapshot")] = 0.1 },
		"missing duration":       func(c *Config) { c.Durations[stID(spec, "Expanding")] = Dist{} },
		"operator remedy, no agents": func(c *Config) {
			c.Agents = 0
		},
		"in use below 1 with an attaching mix": func(c *Config) {
			c.CreationMix = []CreationShare{{Op: opID(spec, "create_from_image"), Weight: 1}}
		},
		"customer op as operator remedy": func(c *Config) {
			c.Remedies[stID(spec, "Expansion failed")].Ops[0] = opID(spec, "delete")
		},
	} {
		t.Run(name, func(t *testing.T) {
			c := busyConfig(spec)
			mod(c)
			if err := c.Validate(); err == nil {
				t.Fatal("accepted")
			}
		})
	}
}

// TestGlobalQueueAgrees: the plain design (one queue of every event) finds
// the same steady state on the Markov chain scenario, and the same
// pool exhaustion, as the engine.
func TestGlobalQueueAgrees(t *testing.T) {
	spec := model.Default()
	c := quietConfig(spec, 3)
	c.PoolGiB = 350
	c.Rates[opID(spec, "expand")] = 24
	c.Durations[stID(spec, "Expanding")] = FixedDist(0.1)
	c.Remedies[stID(spec, "Expansion failed")] = Remedy{By: ByOperator, Ops: []model.OpID{opID(spec, "reset_status")}}
	c.Agents = 1
	c.Service = FixedDist(1)
	res, err := RunOneGlobal(context.Background(), c, 0)
	if err != nil {
		t.Fatal(err)
	}
	exp := opID(spec, "expand")
	if ok := res.Started[exp] - res.Failed[exp]; ok != 50 || res.PoolUsed != 350 {
		t.Errorf("global queue: %d expansions succeeded, pool %d; want 50 and 350", ok, res.PoolUsed)
	}
	b := busyConfig(spec)
	b.Disks, b.Replications, b.Horizon = 200, 1, 24*200
	x, _ := RunOne(context.Background(), b, 0)
	y, _ := RunOneGlobal(context.Background(), b, 0)
	for _, name := range []string{"In-use", "Available", "Attaching", "Awaiting transfer"} {
		s := stID(spec, name)
		a, g := x.Occupancy[s], y.Occupancy[s]
		if math.Abs(a-g) > 0.1*math.Max(a, g)+0.5 {
			t.Errorf("%s: engine %.2f disks, global queue %.2f", name, a, g)
		}
	}
}

// TestDiskSize guards the memory budget: a fleet disk is 48 bytes (40 of
// state, 8 of its random stream), kept in chunks that are never copied, so
// a fleet that grows by a quarter over its run stays under 64 bytes per
// starting disk.
func TestDiskSize(t *testing.T) {
	if n := unsafe.Sizeof(disk{}); n > 48 {
		t.Errorf("a disk takes %d bytes, want at most 48", n)
	}
}

// TestStoreNeverMoves: a slot's address stays the same while the fleet
// grows chunk after chunk (a disk's random stream is drawn through it).
func TestStoreNeverMoves(t *testing.T) {
	var s store
	first := s.at(s.add())
	first.rng = 42
	for range 3*chunkLen + 5 {
		s.add()
	}
	if s.at(0) != first || first.rng != 42 {
		t.Error("slot 0 moved as the store grew")
	}
	if s.n != 3*chunkLen+6 || len(s.chunks) != 4 {
		t.Errorf("%d slots in %d chunks; want %d in 4", s.n, len(s.chunks), 3*chunkLen+6)
	}
}

// TestAgentPoolMatchesScan: the agent pool assigns every ticket the start
// time the scan of every agent's free time gives, for teams of several
// sizes and tickets arriving in bursts.
func TestAgentPoolMatchesScan(t *testing.T) {
	for _, n := range []int{1, 2, 3, 7, 50} {
		a := newAgentPool(n)
		free := make([]float64, n)
		tm := 0.0
		for k := range 2000 {
			tm += float64((k*7919)%13) / 4 // bursts: many tickets at once
			svc := 1 + float64((k*104729)%17)
			j := 0
			for i := range free {
				if free[i] < free[j] {
					j = i
				}
			}
			want := max(tm, free[j])
			free[j] = want + svc
			if got := a.assign(tm, svc); got != want {
				t.Fatalf("%d agents, ticket %d at %g: starts at %g, want %g", n, k, tm, got, want)
			}
		}
	}
}
