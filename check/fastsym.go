package check

import "github.com/evsim/evsim/model"

// Symmetry of servers alone, on packed keys. When no two disks are
// interchangeable and there are at most fastServers servers, a state's
// class is the set of its images under the server permutations, each
// computed on the key by table lookups (the power bits, each disk's
// attachment bits and the server argument of its work code), and the
// canonical key is the smallest image. This spares unpacking every
// successor.
const fastServers = 4

type fastSym struct {
	perms   [][]uint8  // perms[p][old server] = new server; perms[0] is the identity
	setPerm [][]uint32 // per permutation: a server set mapped
	work    [][]uint32 // per permutation: a work code mapped
	attSh   [maxDisks]uint
	wWork   uint

	// The image that is smallest, and the size of the orbit, depend only
	// on the fields a permutation changes, and of a work code only on the
	// server it targets: when those fit in sigMax bits, best and orbits
	// hold, per signature of those fields, the permutation that gives the
	// smallest image and the orbit's size.
	argOf  []uint8 // per work code: 1 + the server it targets, 0 for none
	argW   uint    // bits of argOf's values
	best   []uint8
	orbits []uint8
}

// sigMax bounds the bits of a signature for which the tables are built.
const sigMax = 16

func newFastSym(l *layout) *fastSym {
	f := &fastSym{wWork: uint(l.wWork)}
	var rec func(cur []uint8, used uint32)
	rec = func(cur []uint8, used uint32) {
		if len(cur) == l.ns {
			f.perms = append(f.perms, append([]uint8(nil), cur...))
			return
		}
		for j := 0; j < l.ns; j++ {
			if used&(1<<j) == 0 {
				rec(append(cur, uint8(j)), used|1<<j)
			}
		}
	}
	rec(nil, 0)
	for _, p := range f.perms {
		sets := make([]uint32, 1<<l.ns)
		for set := range sets {
			var out uint32
			for j := 0; j < l.ns; j++ {
				if set&(1<<j) != 0 {
					out |= 1 << p[j]
				}
			}
			sets[set] = out
		}
		f.setPerm = append(f.setPerm, sets)
		works := make([]uint32, len(l.work))
		for code, w := range l.work {
			works[code] = uint32(code)
			if w.op != model.NoOp && l.argKind[w.op] == model.ArgServer && w.arg != model.NoArg {
				// The same operation, step and origin with the mapped server.
				works[code] = uint32(code - int(w.arg) + int(p[w.arg]))
			}
		}
		f.work = append(f.work, works)
	}
	for d := 0; d < l.nd; d++ {
		f.attSh[d] = l.base[d] + uint(l.wWork+l.wBg+l.wSnap+l.wBack+1)
	}
	f.argOf = make([]uint8, len(l.work))
	for code, w := range l.work {
		if w.op != model.NoOp && l.argKind[w.op] == model.ArgServer && w.arg != model.NoArg {
			f.argOf[code] = 1 + w.arg
		}
	}
	f.argW = uint(width(uint64(l.ns + 1)))
	if bits := uint(l.ns) + uint(l.nd)*(uint(l.ns)+f.argW); bits <= sigMax {
		f.tables(l, bits)
	}
	return f
}

// signature packs the fields of k a permutation changes: the power bits
// lowest, then per disk the server its work targets and its attachments.
func (f *fastSym) signature(l *layout, k uint64) uint64 {
	setMask := uint64(len(f.setPerm[0]) - 1)
	sig := k & setMask
	for d := 0; d < l.nd; d++ {
		sig |= f.diskSig(l, d, (k>>l.base[d])&l.mask[d]) << f.sigShift(l, d)
	}
	return sig
}

// diskSig is disk d's part of a signature, from the disk's bits of a key.
func (f *fastSym) diskSig(l *layout, d int, local uint64) uint64 {
	setMask := uint64(len(f.setPerm[0]) - 1)
	workMask := uint64(1)<<f.wWork - 1
	return uint64(f.argOf[local&workMask]) | (local>>(f.attSh[d]-l.base[d]))&setMask<<f.argW
}

// sigShift is where disk d's part of a signature starts.
func (f *fastSym) sigShift(l *layout, d int) uint {
	return uint(l.ns) + uint(d)*(f.argW+uint(l.ns))
}

// sigMask covers one disk's part of a signature.
func (f *fastSym) sigMask(l *layout) uint64 {
	return 1<<(f.argW+uint(l.ns)) - 1
}

// canonSig is canon for a key whose signature is known.
func (f *fastSym) canonSig(l *layout, k, sig uint64) uint64 {
	if p := f.best[sig]; p != 0 {
		return f.image(l, int(p), k)
	}
	return k
}

// tables fills best and orbits. Images compare as the tuple (attachments
// of the last disk, the server its work targets, ..., of the first disk,
// power), the order of their bits in the key.
func (f *fastSym) tables(l *layout, bits uint) {
	ns := uint(l.ns)
	setMask := uint64(1)<<ns - 1
	argMask := uint64(1)<<f.argW - 1
	f.best = make([]uint8, 1<<bits)
	f.orbits = make([]uint8, 1<<bits)
	rank := func(p int, sig uint64) uint64 {
		sets := f.setPerm[p]
		var v uint64
		for d := l.nd - 1; d >= 0; d-- {
			sh := ns + uint(d)*(ns+f.argW)
			v = v<<ns | uint64(sets[(sig>>(sh+f.argW))&setMask])
			a := (sig >> sh) & argMask
			if a != 0 {
				a = 1 + uint64(f.perms[p][a-1])
			}
			v = v<<f.argW | a
		}
		return v<<ns | uint64(sets[sig&setMask])
	}
	for sig := uint64(0); sig < 1<<bits; sig++ {
		valid := true
		for d := 0; d < l.nd; d++ {
			if (sig>>(ns+uint(d)*(ns+f.argW)))&argMask > uint64(l.ns) {
				valid = false
			}
		}
		if !valid {
			continue
		}
		id := rank(0, sig)
		bestP, bestV, fixed := 0, id, 0
		for p := range f.perms {
			v := rank(p, sig)
			if v < bestV {
				bestP, bestV = p, v
			}
			if v == id {
				fixed++
			}
		}
		f.best[sig] = uint8(bestP)
		f.orbits[sig] = uint8(len(f.perms) / fixed)
	}
}

// image returns the key of permutation p applied to k.
func (f *fastSym) image(l *layout, p int, k uint64) uint64 {
	sets, works := f.setPerm[p], f.work[p]
	setMask := uint64(len(sets) - 1)
	workMask := uint64(1)<<f.wWork - 1
	out := k&^setMask | uint64(sets[k&setMask])
	for d := 0; d < l.nd; d++ {
		sh := l.base[d]
		out = out&^(workMask<<sh) | uint64(works[(k>>sh)&workMask])<<sh
		a := f.attSh[d]
		out = out&^(setMask<<a) | uint64(sets[(k>>a)&setMask])<<a
	}
	return out
}

// canon returns the smallest image of k. Only the power bits, the
// attachment bits and the work codes differ between images, so each image
// is compared with the best so far on those fields alone, from the highest
// bits down, and built in full only when it is smaller.
func (f *fastSym) canon(l *layout, k uint64) uint64 {
	if f.best != nil {
		if p := f.best[f.signature(l, k)]; p != 0 {
			return f.image(l, int(p), k)
		}
		return k
	}
	best := k
	setMask := uint64(len(f.setPerm[0]) - 1)
	workMask := uint64(1)<<f.wWork - 1
	for p := 1; p < len(f.perms); p++ {
		sets, works := f.setPerm[p], f.work[p]
		smaller, decided := false, false
		for d := l.nd - 1; d >= 0 && !decided; d-- {
			a := f.attSh[d]
			x, y := uint64(sets[(k>>a)&setMask]), (best>>a)&setMask
			if x != y {
				smaller, decided = x < y, true
				break
			}
			sh := l.base[d]
			x, y = uint64(works[(k>>sh)&workMask]), (best>>sh)&workMask
			if x != y {
				smaller, decided = x < y, true
			}
		}
		if !decided {
			smaller = uint64(sets[k&setMask]) < best&setMask
		}
		if smaller {
			best = f.image(l, p, k)
		}
	}
	return best
}

// orbit returns the number of distinct images of k.
func (f *fastSym) orbit(l *layout, k uint64) uint64 {
	if f.orbits != nil {
		return uint64(f.orbits[f.signature(l, k)])
	}
	fixed := uint64(0)
	for p := range f.perms {
		if f.image(l, p, k) == k {
			fixed++
		}
	}
	return uint64(len(f.perms)) / fixed
}
