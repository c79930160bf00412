package check

import "github.com/evsim/evsim/model"

// Successors implements [SuccWorker]: the successors [sysWorker.Visit]
// gives, in its order, built from the successor cache without evaluating
// the properties or counting. The state is unpacked only when a disk's
// list is not cached.
func (w *sysWorker) Successors(key uint64, dst []uint64) []uint64 {
	m := w.m
	if m.direct {
		var v Visit
		v.Succ = dst
		w.visitDirect(key, &v)
		return v.Succ
	}
	l := &m.l
	power := key & (1<<uint(l.ns) - 1)
	var snaps uint64
	for d := 0; d < l.nd; d++ {
		if l.hasSnapshot(d, (key>>l.base[d])&l.mask[d]) {
			snaps |= 1 << d
		}
	}
	ctx := power | snaps<<32
	var spans [model.MaxDisks]uint64
	var missing uint32
	for d := 0; d < l.nd; d++ {
		mk := memoKey{(key >> l.base[d]) & l.diskMask(d), ctx | uint64(d)<<40}
		if sp, ok := w.memo.get(mk); ok {
			spans[d] = sp
		} else {
			missing |= 1 << d
		}
	}
	if missing != 0 {
		l.unpack(key, &w.st)
		w.fill(key, ctx, missing, &spans)
	}
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
			k := clear | s.local<<sh
			if fast != nil {
				k = fast.canonSig(l, k, sigClear|uint64(s.sig)<<sigSh)
			} else if m.symmetry {
				k = w.canonKey(k)
			}
			dst = append(dst, k)
		}
	}
	if m.sys.Config.Power {
		for j := 0; j < l.ns; j++ {
			if fast != nil {
				dst = append(dst, fast.canonSig(l, key^1<<uint(j), sig^1<<uint(j)))
			} else {
				dst = append(dst, w.canonKey(key^1<<uint(j)))
			}
		}
	}
	if len(w.arena) > w.arenaKept {
		w.arena, w.hot = w.arena[:w.arenaKept], w.hot[:w.arenaKept]
		w.rinfo = w.rinfo[:min(len(w.rinfo), w.arenaKept)]
	}
	return dst
}

// hasSnapshot reports whether disk d, of local bits local, exists and has
// a snapshot.
func (l *layout) hasSnapshot(d int, local uint64) bool {
	st := l.work[local&(1<<uint(l.wWork)-1)].status
	if st == model.NoDisk || st == model.Gone {
		return false
	}
	return (local>>uint(l.wWork+l.wBg))&(1<<uint(l.wSnap)-1) != 0
}
