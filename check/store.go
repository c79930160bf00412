package check

import (
	"math/bits"
	"unsafe"
)

// The state store keeps every distinct state found so far, packed into one
// uint64, in the order of discovery: a state's index is its position. A
// breadth-first search discovers states level by level, so index order is
// depth order and the levels are ranges of indices.
//
// Membership is an open-addressing hash table of uint32 entries with linear
// probing: an entry holds the state's index plus one (0 is an empty slot) in
// its upper bits and a fingerprint of the key's hash in the bits the indices
// leave free (at least 4, 10 for a few million states), so that most probes
// that do not match are rejected without reading the state. The
// table grows by half when three quarters full, which keeps it between half
// and three quarters full: 8 bytes per state for the key and 5.3 to 8 bytes
// for the table.
const (
	blockBits = 14
	blockSize = 1 << blockBits
	blockMask = blockSize - 1
	// fpBits is the fewest bits of fingerprint an entry holds.
	fpBits = 4
	// maxStates is the most states the store can index.
	maxStates = 1<<(32-fpBits) - 2
)

type store struct {
	blocks [][]uint64
	n      int
	tab    []uint32
	fp     fingerprint // of tab
}

// fingerprint is how the entries of a table of a given size are split: the
// index plus one shifted left by shift, and the hash's bits under mask.
type fingerprint struct {
	shift uint
	mask  uint32
}

// fingerprintFor returns the split of a table of size slots: a table holds
// at most three quarters of its size in states, and the indices of those
// leave the other bits to the fingerprint.
func fingerprintFor(size int) fingerprint {
	most := min(size/4*3+3, maxStates+1)
	sh := max(fpBits, 32-bits.Len(uint(most)))
	return fingerprint{uint(sh), 1<<sh - 1}
}

func (f fingerprint) entry(idx uint32, h uint64) uint32 {
	return (idx+1)<<f.shift | uint32(h)&f.mask
}

func newStore() *store {
	return &store{tab: make([]uint32, 1024), fp: fingerprintFor(1024)}
}

// newTable returns an empty table of size slots.
func newTable(size int) []uint32 {
	tab := make([]uint32, size)
	adviseHuge(unsafe.Pointer(unsafe.SliceData(tab)), uintptr(size)*4)
	return tab
}

// setTable makes tab, empty, the store's table.
func (s *store) setTable(tab []uint32) {
	s.tab, s.fp = tab, fingerprintFor(len(tab))
}

func (s *store) key(i uint32) uint64 { return s.blocks[i>>blockBits][i&blockMask] }

// fmix is the finaliser of MurmurHash3: every bit of k affects every bit of
// the result.
func fmix(k uint64) uint64 {
	k ^= k >> 33
	k *= 0xff51afd7ed558ccd
	k ^= k >> 33
	k *= 0xc4ceb9fe1a85ec53
	k ^= k >> 33
	return k
}

func slot(h uint64, n int) int {
	hi, _ := bits.Mul64(h, uint64(n))
	return int(hi)
}

// find returns the index of k, if stored.
func (s *store) find(k uint64) (uint32, bool) {
	h := fmix(k)
	f := s.fp
	fp := uint32(h) & f.mask
	tab := s.tab
	i := slot(h, len(tab))
	for {
		e := tab[i]
		if e == 0 {
			return 0, false
		}
		if e&f.mask == fp {
			idx := e>>f.shift - 1
			if s.key(idx) == k {
				return idx, true
			}
		}
		i++
		if i == len(tab) {
			i = 0
		}
	}
}

// bytes is the memory the store holds.
func (s *store) bytes() int64 {
	return int64(len(s.blocks))*blockSize*8 + int64(len(s.tab))*4
}

// bytesAfterAdd is the memory the store will hold after one more state.
func (s *store) bytesAfterAdd() int64 {
	b := s.bytes()
	if s.n&blockMask == 0 {
		b += blockSize * 8
	}
	if (s.n+1)*4 > len(s.tab)*3 {
		b += int64(s.grownSize()) * 4 // both tables live while rehashing
	}
	return b
}

func (s *store) grownSize() int { return len(s.tab) + len(s.tab)/2 }

// add stores k, which must not be stored yet, and returns its index.
func (s *store) add(k uint64) uint32 {
	if (s.n+1)*4 > len(s.tab)*3 {
		s.grow()
	}
	idx := uint32(s.n)
	if s.n&blockMask == 0 {
		s.blocks = append(s.blocks, make([]uint64, blockSize))
	}
	s.blocks[idx>>blockBits][idx&blockMask] = k
	s.n++
	s.place(s.tab, s.fp, k, idx)
	return idx
}

// reserve allocates the blocks for m more keys, to be written at the
// indices from s.n on before s.n is raised.
func (s *store) reserve(m int) {
	for len(s.blocks)*blockSize < s.n+m {
		s.blocks = append(s.blocks, make([]uint64, blockSize))
	}
}

func (s *store) place(tab []uint32, f fingerprint, k uint64, idx uint32) {
	h := fmix(k)
	i := slot(h, len(tab))
	for tab[i] != 0 {
		i++
		if i == len(tab) {
			i = 0
		}
	}
	tab[i] = f.entry(idx, h)
}

func (s *store) grow() {
	tab := newTable(s.grownSize())
	f := fingerprintFor(len(tab))
	for i := 0; i < s.n; i++ {
		s.place(tab, f, s.key(uint32(i)), uint32(i))
	}
	s.setTable(tab)
}

// lookupBatch is the number of keys appendMissing looks up together.
const lookupBatch = 64

// appendMissing appends to dst, in order, the keys of ks that are not
// stored. It reads the first slot of every key, then the stored key of
// every slot whose fingerprint matches, and only then goes on probing:
// the reads of one stage do not wait for each other, so that their cache
// misses overlap.
func (s *store) appendMissing(dst []uint64, ks []uint64) []uint64 {
	var hs [lookupBatch]uint64
	var es [lookupBatch]uint32
	var is [lookupBatch]int
	var got [lookupBatch]uint64
	ks = ks[:min(len(ks), lookupBatch)]
	tab, f := s.tab, s.fp
	for j, k := range ks {
		h := fmix(k)
		i := slot(h, len(tab))
		hs[j], is[j], es[j] = h, i, tab[i]
	}
	for j := range ks {
		e := es[j]
		if e != 0 && e&f.mask == uint32(hs[j])&f.mask {
			got[j] = s.key(e>>f.shift - 1)
		}
	}
	for j, k := range ks {
		e := es[j]
		if e == 0 {
			dst = append(dst, k)
			continue
		}
		if e&f.mask == uint32(hs[j])&f.mask && got[j] == k {
			continue
		}
		if !s.findFrom(k, hs[j], is[j]+1) {
			dst = append(dst, k)
		}
	}
	return dst
}

// findFrom reports whether k, of hash h, is stored, probing from slot i.
func (s *store) findFrom(k, h uint64, i int) bool {
	f := s.fp
	fp := uint32(h) & f.mask
	tab := s.tab
	for {
		if i == len(tab) {
			i = 0
		}
		e := tab[i]
		if e == 0 {
			return false
		}
		if e&f.mask == fp && s.key(e>>f.shift-1) == k {
			return true
		}
		i++
	}
}
