package check

import (
	"math/bits"

	"github.com/evsim/evsim/model"
)

// The successor cache. A disk's enabled actions, the disk it becomes under
// each, and the verdicts of the step rules and possible properties on that
// transition depend only on the disk itself, the power switches and which
// disks have a snapshot (the argument of a rollback): an action of
// [model.System] changes the disk it acts on and nothing else, and every
// step rule and possible property of [model.System.Properties] looks at
// the acting disk before and after, and at the conditions of its action.
// Each worker therefore remembers, per (disk, disk fields, power,
// snapshots), the list of (action, new disk fields, verdicts), and builds
// a state's successors by replacing one disk's bits of its key. The
// invariants and no-deadlock are still evaluated on the whole state.
// TestCacheAgainstDirect compares the two ways on the default spec and
// the mutants.

type memoKey struct {
	local uint64 // the disk's bits of the key
	ctx   uint64 // power | snapshot mask << 32 | disk << 40
}

type memoSucc struct {
	a     model.Action
	lab   uint8
	ctr   uint32 // where the action is counted: see [sysWorker.counter]
	sig   uint32 // the disk's part of the signature of the successor, with symmetry tables
	local uint64
	step  uint64
	wit   uint64
}

// memoHot is the part of a memoSucc the successor loop reads for every
// successor, kept in an array of its own beside the arena so that the
// lists take fewer cache lines.
type memoHot struct {
	local uint64
	ctr   uint32 // memoSucc.ctr, with hotCold set when step or wit is not 0
	sig   uint32
}

const hotCold = 1 << 31

// memoCap bounds the cache of each worker; beyond it, lists are computed
// each time.
const memoCap = 1 << 18

func (l *layout) diskMask(d int) uint64 { return l.mask[d] }

// Visit implements [Worker].
func (w *sysWorker) Visit(key uint64, v *Visit) {
	m := w.m
	if m.direct {
		w.visitDirect(key, v)
		return
	}
	l := &m.l
	st := &w.st
	l.unpack(key, st)
	v.Bad |= w.invariants(key, st)
	var snaps uint64
	for d := 0; d < l.nd; d++ {
		if k := &st.Disks[d]; k.Exists() && k.Snapshots > 0 {
			snaps |= 1 << d
		}
	}
	ctx := uint64(st.PowerOn) | snaps<<32
	var spans, locals [maxDisks]uint64
	var missing uint32
	for d := 0; d < l.nd; d++ {
		locals[d] = (key >> l.base[d]) & l.diskMask(d)
		mk := memoKey{locals[d], ctx | uint64(d)<<40}
		if sp, ok := w.memo.get(mk); ok {
			spans[d] = sp
		} else {
			missing |= 1 << d
		}
	}
	if missing != 0 {
		w.fill(&locals, ctx, missing, &spans)
	}
	// With symmetry tables, a successor's signature is the state's with
	// one disk's part replaced, or one power bit flipped.
	fast := m.fast
	if fast != nil && fast.best == nil {
		fast = nil
	}
	var sig uint64
	if fast != nil {
		sig = fast.signature(l, key)
	}
	for d := 0; d < l.nd; d++ {
		sp := spans[d]
		list := w.hot[sp>>16 : sp>>16+sp&0xffff]
		base := int(sp >> 16)
		if len(list) == 0 && st.Disks[d].Exists() {
			v.Bad |= 1 << m.deadlck
		}
		clear := key &^ (l.diskMask(d) << l.base[d])
		sh := l.base[d]
		var sigClear uint64
		var sigSh uint
		if fast != nil {
			sigSh = fast.sigShift(l, d)
			sigClear = sig &^ (fast.sigMask(l) << sigSh)
		}
		for i := range list {
			s := &list[i]
			if s.ctr&hotCold != 0 {
				c := &w.arena[base+i]
				if c.step != 0 {
					v.Steps = append(v.Steps, StepFail{Action: len(v.Succ), Props: c.step})
				}
				v.Witness |= c.wit
			}
			k := clear | s.local<<sh
			if fast != nil {
				k = fast.canonSig(l, k, sigClear|uint64(s.sig)<<sigSh)
			} else if m.symmetry {
				k = w.canonKey(k)
			}
			v.Succ = append(v.Succ, k)
			// While exploring, the labels are not read, and the actions
			// are counted.
			if v.First {
				w.counts[s.ctr&^hotCold]++
			} else {
				v.Labels = append(v.Labels, w.arena[base+i].lab)
			}
		}
	}
	if m.sys.Config.Power {
		for j := 0; j < l.ns; j++ {
			if fast != nil {
				v.Succ = append(v.Succ, fast.canonSig(l, key^1<<uint(j), sig^1<<uint(j)))
			} else {
				v.Succ = append(v.Succ, w.canonKey(key^1<<uint(j)))
			}
			if !v.First {
				v.Labels = append(v.Labels, 0)
			}
			if v.First {
				if st.PowerOn&(1<<uint(j)) != 0 {
					w.powerOff++
				} else {
					w.powerOn++
				}
			}
		}
	}
	if v.First {
		if fast != nil {
			w.countStatuses(st)
			w.addOrbit(uint64(fast.orbits[sig]), true)
		} else {
			w.countState(st)
		}
	}
	if v.First && m.rank != nil {
		w.rankVisit(key, &spans)
	}
	// Drop the lists computed beyond the cache's bound.
	if len(w.arena) > w.arenaKept {
		w.arena, w.hot = w.arena[:w.arenaKept], w.hot[:w.arenaKept]
		w.rinfo = w.rinfo[:min(len(w.rinfo), w.arenaKept)]
	}
}

// canonKey returns the stored key of a concrete successor key.
func (w *sysWorker) canonKey(k uint64) uint64 {
	if !w.m.symmetry {
		return k
	}
	if w.m.fast != nil {
		return w.m.fast.canon(w.l, k)
	}
	w.l.unpack(k, &w.next)
	return w.m.canonWith(&w.next, &w.canonBuf)
}

// fill computes the lists of the disks in missing.
// locals holds each disk's bits of the state's key.
func (w *sysWorker) fill(locals *[maxDisks]uint64, ctx uint64, missing uint32, spans *[maxDisks]uint64) {
	m := w.m
	sys := m.sys
	l := &m.l
	st := &w.st
	w.acts = sys.Actions(st, w.acts[:0])
	ops := sys.Spec.Ops
	for d := 0; d < l.nd; d++ {
		if missing&(1<<d) == 0 {
			continue
		}
		start := len(w.arena)
		for _, a := range w.acts {
			if a.Disk != uint8(d) {
				continue
			}
			w.next = *st
			sys.Apply(&w.next, a)
			s := memoSucc{a: a, ctr: w.counter(a), local: l.packDisk(d, &w.next.Disks[d])}
			if f := m.fast; f != nil && f.best != nil {
				s.sig = uint32(f.diskSig(l, d, s.local))
			}
			for _, pi := range m.steps {
				if m.mprops[pi].Step(sys, st, a, &w.next) != "" {
					s.step |= 1 << pi
				}
			}
			for _, pi := range m.poss {
				if m.mprops[pi].Witness(sys, st, a, &w.next) {
					s.wit |= 1 << pi
				}
			}
			if a.Kind == model.Start && ops[a.Op].Actor == model.Operator {
				s.lab = LabelOperator
			}
			w.arena = append(w.arena, s)
			h := memoHot{local: s.local, ctr: s.ctr, sig: s.sig}
			if s.step != 0 || s.wit != 0 {
				h.ctr |= hotCold
			}
			w.hot = append(w.hot, h)
		}
		if m.rank != nil {
			w.rankList(d, locals[d], ctx, start)
		}
		sp := uint64(start)<<16 | uint64(len(w.arena)-start)
		spans[d] = sp
		if w.memo.add(memoKey{locals[d], ctx | uint64(d)<<40}, sp) {
			w.arenaKept = len(w.arena)
		}
	}
}

// memoTable is the cache's index: open addressing with linear probing over
// a power-of-two table, at most half full. It is a little faster than a
// map for these two-word keys, which the successor loop looks up once per
// disk of every state. When a key packs into 32 bits (the disk's fields,
// power, snapshot mask and disk number) and a span into 32 bits too, the
// table holds 8 bytes a slot instead of 24, and stays in the processor's
// nearer caches.
type memoTable struct {
	slots  []memoSlot
	narrow []memoNarrow
	n      int
	// incomplete is set when an entry was not stored: at memoCap
	// entries, or a span too large for a narrow table.
	incomplete bool

	pack   bool // narrow slots
	wLocal uint // bits of a disk's fields
	wPower uint
	wSnaps uint
}

// memoSlot holds a key and its value side by side, in one cache line.
type memoSlot struct {
	key memoKey
	val uint64 // span + 1; 0 marks an empty slot
}

// memoNarrow is a packed key and span: start<<8 | count, plus one.
type memoNarrow struct {
	key, val uint32
}

// init chooses narrow slots when the keys of layout l fit.
func (t *memoTable) init(l *layout) {
	for d := 0; d < l.nd; d++ {
		t.wLocal = max(t.wLocal, uint(bits.Len64(l.mask[d])))
	}
	t.wPower, t.wSnaps = uint(l.ns), uint(l.nd)
	t.pack = t.wLocal+t.wPower+t.wSnaps+uint(bits.Len(uint(l.nd))) <= 32
}

func (t *memoTable) packKey(k memoKey) uint32 {
	return uint32(k.local | (k.ctx&0xffffffff)<<t.wLocal | (k.ctx>>32&0xff)<<(t.wLocal+t.wPower) | (k.ctx>>40)<<(t.wLocal+t.wPower+t.wSnaps))
}

func (t *memoTable) unpackKey(x uint32) memoKey {
	v := uint64(x)
	return memoKey{
		local: v & (1<<t.wLocal - 1),
		ctx: v>>t.wLocal&(1<<t.wPower-1) | (v>>(t.wLocal+t.wPower)&(1<<t.wSnaps-1))<<32 |
			(v>>(t.wLocal+t.wPower+t.wSnaps))<<40,
	}
}

func memoHash(k memoKey) uint64 {
	return fmix(k.local*0x9E3779B97F4A7C15 ^ k.ctx)
}

func (t *memoTable) get(k memoKey) (uint64, bool) {
	if t.n == 0 {
		return 0, false
	}
	if t.pack {
		pk := t.packKey(k)
		mask := uint64(len(t.narrow) - 1)
		for i := fmix(uint64(pk)) & mask; ; i = (i + 1) & mask {
			sl := t.narrow[i]
			if sl.val == 0 {
				return 0, false
			}
			if sl.key == pk {
				v := uint64(sl.val - 1)
				return v>>8<<16 | v&0xff, true
			}
		}
	}
	mask := uint64(len(t.slots) - 1)
	for i := memoHash(k) & mask; ; i = (i + 1) & mask {
		sl := &t.slots[i]
		if sl.val == 0 {
			return 0, false
		}
		if sl.key == k {
			return sl.val - 1, true
		}
	}
}

// add stores k, which must not be stored yet, with span v, and reports
// whether it did: not at memoCap entries, nor a span a narrow slot cannot
// hold.
func (t *memoTable) add(k memoKey, v uint64) bool {
	if t.n >= memoCap || (t.pack && (v&0xffff >= 1<<8 || v>>16 >= 1<<23)) {
		t.incomplete = true
		return false
	}
	t.put(k, v)
	return true
}

func (t *memoTable) put(k memoKey, v uint64) {
	if t.pack {
		if (t.n+1)*2 > len(t.narrow) {
			old := t.narrow
			t.narrow, t.n = make([]memoNarrow, max(1024, 2*len(old))), 0
			for _, sl := range old {
				if sl.val != 0 {
					w := uint64(sl.val - 1)
					t.put(t.unpackKey(sl.key), w>>8<<16|w&0xff)
				}
			}
		}
		pk := t.packKey(k)
		mask := uint64(len(t.narrow) - 1)
		i := fmix(uint64(pk)) & mask
		for t.narrow[i].val != 0 {
			i = (i + 1) & mask
		}
		t.narrow[i] = memoNarrow{pk, uint32(v>>16<<8|v&0xff) + 1}
		t.n++
		return
	}
	if (t.n+1)*2 > len(t.slots) {
		old := t.slots
		t.slots, t.n = make([]memoSlot, max(1024, 2*len(old))), 0
		for _, sl := range old {
			if sl.val != 0 {
				t.put(sl.key, sl.val-1)
			}
		}
	}
	mask := uint64(len(t.slots) - 1)
	i := memoHash(k) & mask
	for t.slots[i].val != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = memoSlot{k, v + 1}
	t.n++
}

// each calls f for every entry.
func (t *memoTable) each(f func(k memoKey, v uint64)) {
	for _, sl := range t.narrow {
		if sl.val != 0 {
			w := uint64(sl.val - 1)
			f(t.unpackKey(sl.key), w>>8<<16|w&0xff)
		}
	}
	for _, sl := range t.slots {
		if sl.val != 0 {
			f(sl.key, sl.val-1)
		}
	}
}
