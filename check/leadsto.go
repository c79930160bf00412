package check

import (
	"fmt"
	"sort"
	"strings"

	"github.com/evsim/evsim/model"
)

// leadsTo evaluates the leads-to rules of the system (see [model.LeadsTo])
// on the explored graph, which it builds only when the spec has such a
// rule: for each rule, and for each disk when the rule
// ranges over each disk, the states where From holds, those where To
// holds, the states from which a To state can be reached (backwards from
// To), and the states that can reach, through states where To does not
// hold, a state from which To cannot be reached any more. A From state
// among the last is a violation: a fair path from it can avoid To for
// ever. The first one in breadth-first order gives the shortest trace.
func leadsTo(m *SystemModel, res *Result, verdict map[string]string, viol map[string]*Counterexample) error {
	sys := m.sys
	n := res.States
	var st model.State
	var g *Graph
	for _, p := range sys.Properties() {
		lt := p.LeadsTo
		if lt == nil {
			continue
		}
		if g == nil {
			var err error
			if g, err = res.Graph(); err != nil {
				return err
			}
		}
		if lt.EachDisk && len(m.perms) > 1 {
			// A canonical state may stand for its disks in another
			// order, and a path of the reduced graph can swap them.
			verdict[p.Name] = Unknown
			continue
		}
		disks := []int{-1}
		if lt.EachDisk {
			disks = disks[:0]
			for d := 0; d < len(sys.Config.Disks); d++ {
				disks = append(disks, d)
			}
		}
		verdict[p.Name] = Holds
		for _, d := range disks {
			from, to := NewBitset(n), NewBitset(n)
			for i := 0; i < n; i++ {
				m.l.unpack(res.Key(uint32(i)), &st)
				if lt.EachDisk && !st.Disks[d].Exists() {
					continue
				}
				if lt.To(sys, &st, d) {
					to.Add(uint32(i))
				} else if lt.From(sys, &st, d) {
					from.Add(uint32(i))
				}
			}
			reach := g.CanReach(to, 0)
			lost := NewBitset(n)
			for i := range lost {
				lost[i] = ^reach[i]
			}
			avoid := g.canReachAvoiding(lost, to)
			for i := 0; i < n; i++ {
				if from.Has(uint32(i)) && avoid.Has(uint32(i)) {
					verdict[p.Name] = Violated
					tv, _ := traceFor(m, res, Violation{Prop: -1, State: uint32(i), Action: -1})
					who := "the state"
					if d >= 0 {
						who = fmt.Sprintf("d%d", d)
					}
					tv.Detail = fmt.Sprintf("from this state, where from holds for %s, a path can go on for ever without reaching to: it leads to states from which no path does", who)
					viol[p.Name] = &tv
					break
				}
			}
			if verdict[p.Name] == Violated {
				break
			}
		}
	}
	return nil
}

// canReachAvoiding returns the states from which a state of target can be
// reached along states outside avoid (the target states themselves
// included, whatever avoid says of them).
func (g *Graph) canReachAvoiding(target, avoid Bitset) Bitset {
	reach := NewBitset(g.n)
	var queue []uint32
	for i := 0; i < g.n; i++ {
		if target.Has(uint32(i)) {
			reach.Add(uint32(i))
			queue = append(queue, uint32(i))
		}
	}
	for len(queue) > 0 {
		v := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		for e := g.off[v]; e < g.off[v+1]; e++ {
			u := g.src[e]
			if !reach.Has(u) && !avoid.Has(u) {
				reach.Add(u)
				queue = append(queue, u)
			}
		}
	}
	return reach
}

// customerWayOut evaluates the customer-can-delete rules on the projection
// of the graph onto one disk: without the operator's actions, every
// situation of a disk from which it cannot be deleted must be one of the
// rule's exceptions (its status, attached or not). The trace leads to the
// first state in which a disk is in such a situation.
func customerWayOut(m *SystemModel, res *Result, loc *local, verdict map[string]string, viol map[string]*Counterexample) {
	spec := m.sys.Spec
	var ok []bool
	for _, p := range m.sys.Properties() {
		if p.Graph != model.PropCustomerDeletes {
			continue
		}
		if ok == nil {
			ok = loc.canDelete(LabelOperator)
		}
		verdict[p.Name] = Holds
		// The situations are listed by status and attachment, and the
		// trace leads to the first state with one of them: neither
		// depends on the order of the projection's nodes.
		var bad []int32
		seen := map[[2]int]bool{}
		var keys [][2]int
		for id, can := range ok {
			s := loc.status[id]
			if can || s == model.NoDisk || s == model.Gone || excepted(p.Except, s, loc.attached[id]) {
				continue
			}
			bad = append(bad, int32(id))
			k := [2]int{int(s), 0}
			if loc.attached[id] {
				k[1] = 1
			}
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
		if len(bad) == 0 {
			continue
		}
		sort.Slice(keys, func(a, b int) bool {
			if keys[a][0] != keys[b][0] {
				return keys[a][0] < keys[b][0]
			}
			return keys[a][1] < keys[b][1]
		})
		var where []string
		for _, k := range keys {
			w := " while not attached"
			if k[1] == 1 {
				w = " while attached"
			}
			where = append(where, spec.StatusName(model.StatusID(k[0]))+w)
		}
		verdict[p.Name] = Violated
		tv, _ := traceFor(m, res, Violation{Prop: -1, State: loc.firstState(m, res, bad), Action: -1})
		tv.Detail = "without the operator, the customer can no longer delete a disk in " + strings.Join(where, ", ") + ", which the rule does not except"
		viol[p.Name] = &tv
	}
}

func excepted(except []model.Exception, s model.StatusID, attached bool) bool {
	for _, e := range except {
		if e.Status == s && (e.Attached < 0 || (e.Attached == 1) == attached) {
			return true
		}
	}
	return false
}
