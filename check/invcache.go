package check

import "github.com/evsim/evsim/model"

// The invariants a spec declares over each disk (model.Property.DiskOK,
// with Local set) depend on that disk and the power switches alone, and
// a search meets the same situation of one disk in many states. Each
// worker keeps their verdicts in a direct-mapped cache keyed by the disk's
// bits of the key, the power switches and the disk's number, so that the
// rules' expressions are evaluated once per situation rather than once
// per state. TestCacheAgainstDirect compares both ways.

// invCacheBits sizes the cache: 1<<invCacheBits slots of 24 bytes.
const invCacheBits = 13

type invSlot struct {
	local, ctx uint64 // ctx: power | disk<<40 | 1<<48 (so that 0 is empty)
	bad        uint64
}

type invCache [1 << invCacheBits]invSlot

// invariants returns the invariants state st (with key key) violates.
func (w *sysWorker) invariants(key uint64, st *model.State) uint64 {
	m := w.m
	sys := m.sys
	var bad uint64
	for _, pi := range m.inv {
		if m.mprops[pi].State(sys, st) != "" {
			bad |= 1 << pi
		}
	}
	if len(m.diskInv) == 0 {
		return bad
	}
	if w.invCache == nil {
		w.invCache = new(invCache)
	}
	l := &m.l
	for d := 0; d < l.nd; d++ {
		if !st.Disks[d].Exists() {
			continue
		}
		local := (key >> l.base[d]) & l.diskMask(d)
		ctx := uint64(st.PowerOn) | uint64(d)<<40 | 1<<48
		sl := &w.invCache[fmix(local*0x9E3779B97F4A7C15^ctx)&(1<<invCacheBits-1)]
		if sl.ctx != ctx || sl.local != local {
			var b uint64
			for _, pi := range m.diskInv {
				if !m.mprops[pi].DiskOK(sys, st, d) {
					b |= 1 << pi
				}
			}
			*sl = invSlot{local: local, ctx: ctx, bad: b}
		}
		bad |= sl.bad
	}
	return bad
}
