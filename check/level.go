package check

import (
	"math/bits"
	"sync"
	"sync/atomic"
	"unsafe"
)

// Storing a level's new states in parallel. The candidates of a level
// (successors not stored before it, in (parent, action) order, with
// repeats) are numbered by their position q in that order. The hash of a
// key splits them into as many parts as there are workers, and each part
// is taken by one goroutine: it reads the candidates in q order, keeps
// those of its part in a table of its own and notes each key the first
// time it meets it. The new states are then appended in q order, by one
// goroutine, which only copies keys. The store's table, grown beforehand,
// is cut into as many ranges of slots, and each goroutine enters the new
// states whose home slot is in its range; a state whose probe runs past
// the end of the range is entered afterwards, by one goroutine. No slot
// is written by two goroutines, so no atomic operation is needed and the
// processor overlaps the cache misses of successive keys. The indices are
// those the one-by-one insertion gives, whatever the number of workers;
// only the places in the table differ, which no lookup sees.

// levelBytes bounds the memory insertLevel needs for m candidates split
// into parts: each part's table (at most four slots of 8 bytes per
// candidate), the positions of the first occurrences, one flag per
// candidate and the states whose probes leave their range.
func levelBytes(m, parts int) int64 {
	return int64(4*m+parts)*8 + int64(m)*9
}

// insertBatch is the number of keys whose slots are read together.
const insertBatch = 32

// part returns which of n parts hash h falls into.
func part(h uint64, n int) int {
	hi, _ := bits.Mul64(h, uint64(n))
	return int(hi)
}

// insertLevel stores the new states among the candidates of outs and
// returns how many there were. The caller has made sure that every
// candidate fits within the limits.
func (s *store) insertLevel(outs []chunkOut, workers int) int {
	offs := make([]int, len(outs)+1)
	for c := range outs {
		offs[c+1] = offs[c] + len(outs[c].cands)
	}
	m := offs[len(outs)]
	parallel := func(n int, f func(c int)) {
		var next atomic.Int64
		var wg sync.WaitGroup
		for w := 0; w < min(workers, n); w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					c := int(next.Add(1) - 1)
					if c >= n {
						return
					}
					f(c)
				}
			}()
		}
		wg.Wait()
	}
	parts := workers
	firsts := make([][]uint32, parts)
	parallel(parts, func(j int) {
		n := 0
		for c := range outs {
			for _, k := range outs[c].cands {
				if part(fmix(k), parts) == j {
					n++
				}
			}
		}
		size := 1
		for size < 2*n {
			size <<= 1
		}
		// 0 marks an empty slot; the key 0 is kept aside.
		tab := make([]uint64, size)
		adviseHuge(unsafe.Pointer(unsafe.SliceData(tab)), uintptr(size)*8)
		mask := uint64(size - 1)
		zero := false
		var fs []uint32
		// The keys of the part are taken in batches: first the slot of
		// each is read, so that the cache misses overlap, then each is
		// placed.
		var bk [insertBatch]uint64
		var bq [insertBatch]uint32
		var bi [insertBatch]uint64
		var be [insertBatch]uint64
		nb := 0
		flush := func() {
			for b := 0; b < nb; b++ {
				be[b] = tab[bi[b]]
			}
			for b := 0; b < nb; b++ {
				// A slot read as empty may have been filled since.
				k, i, e := bk[b], bi[b], be[b]
				if e == 0 {
					e = tab[i]
				}
				for e != 0 && e != k {
					i = (i + 1) & mask
					e = tab[i]
				}
				if e == 0 {
					tab[i] = k
					fs = append(fs, bq[b])
				}
			}
			nb = 0
		}
		for c := range outs {
			for j2, k := range outs[c].cands {
				h := fmix(k)
				if part(h, parts) != j {
					continue
				}
				if k == 0 {
					if !zero {
						zero = true
						flush()
						fs = append(fs, uint32(offs[c]+j2))
					}
					continue
				}
				bk[nb], bq[nb], bi[nb] = k, uint32(offs[c]+j2), h&mask
				nb++
				if nb == insertBatch {
					flush()
				}
			}
		}
		flush()
		firsts[j] = fs
	})
	first := make([]bool, m)
	for _, fs := range firsts {
		for _, q := range fs {
			first[q] = true
		}
	}
	firsts = nil
	old := s.n
	for c := range outs {
		for j, k := range outs[c].cands {
			if first[offs[c]+j] {
				s.appendKey(k)
			}
		}
	}
	first = nil
	// Grow as adding the states one by one would, then insert.
	size := len(s.tab)
	for k := old; k < s.n; k++ {
		if (k+1)*4 > size*3 {
			size += size / 2
		}
	}
	from := old
	if size != len(s.tab) {
		s.setTable(newTable(size))
		from = 0
	}
	tab, f := s.tab, s.fp
	// Part j holds the slots from ceil(j*T/parts) up to the next part's.
	bound := func(j int) int { return int((uint64(j)*uint64(len(tab)) + uint64(parts) - 1) / uint64(parts)) }
	spills := make([][]uint32, parts)
	parallel(parts, func(j int) {
		start, end := bound(j), bound(j+1)
		var sp []uint32
		var bx [insertBatch]uint32
		var bi [insertBatch]int
		var be [insertBatch]uint32
		var bh [insertBatch]uint64
		nb := 0
		flush := func() {
			for b := 0; b < nb; b++ {
				be[b] = tab[bi[b]]
			}
			for b := 0; b < nb; b++ {
				i, e := bi[b], be[b]
				if e == 0 {
					e = tab[i]
				}
				for e != 0 && i < end {
					i++
					if i < end {
						e = tab[i]
					}
				}
				if i == end {
					sp = append(sp, bx[b])
				} else {
					tab[i] = f.entry(bx[b], bh[b])
				}
			}
			nb = 0
		}
		for idx := from; idx < s.n; idx++ {
			h := fmix(s.key(uint32(idx)))
			i := slot(h, len(tab))
			if i < start || i >= end {
				continue
			}
			bx[nb], bi[nb], bh[nb] = uint32(idx), i, h
			nb++
			if nb == insertBatch {
				flush()
			}
		}
		flush()
		spills[j] = sp
	})
	for _, sp := range spills {
		for _, idx := range sp {
			s.place(tab, f, s.key(idx), idx)
		}
	}
	return s.n - old
}
