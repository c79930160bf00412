package check

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Storing a level's new states in parallel. The candidates of a level
// (successors not stored before it, in (parent, action) order, with
// repeats) are numbered by their position q in that order. The workers
// put them into a table of the level's own, keeping for each distinct key
// the smallest q; a candidate is new when it holds its key's smallest q.
// The new states are then appended in q order, by one goroutine, which
// only copies keys; and the workers insert them into the store's table,
// grown beforehand, claiming empty slots with compare-and-swap. The
// indices are those the one-by-one insertion gives, whatever the number
// of workers; only the places in the table differ, which no lookup sees.

const locked = ^uint32(0)

// levelBytes is the memory insertLevel needs for m candidates.
func levelBytes(m int) int64 {
	p := int64(1)
	for p < 2*int64(m) {
		p <<= 1
	}
	return p*16 + int64(m)*5
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
	p := 1
	for p < 2*m {
		p <<= 1
	}
	// A key and its smallest q side by side: one cache line per probe.
	type entry struct {
		key uint64
		q   uint32
		_   uint32
	}
	tab := make([]entry, p)
	slots := make([]uint32, m)
	parallel := func(n int, f func(c int)) {
		var next atomic.Int64
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
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
	mask := uint64(p - 1)
	parallel(len(outs), func(c int) {
		for j, cd := range outs[c].cands {
			q := uint32(offs[c]+j) + 1
			i := fmix(cd.key) & mask
			for {
				t := &tab[i]
				e := atomic.LoadUint32(&t.q)
				if e == 0 {
					if !atomic.CompareAndSwapUint32(&t.q, 0, locked) {
						continue
					}
					atomic.StoreUint64(&t.key, cd.key)
					atomic.StoreUint32(&t.q, q)
					break
				}
				if e == locked {
					runtime.Gosched()
					continue
				}
				if atomic.LoadUint64(&t.key) == cd.key {
					for e > q && !atomic.CompareAndSwapUint32(&t.q, e, q) {
						e = atomic.LoadUint32(&t.q)
					}
					break
				}
				i = (i + 1) & mask
			}
			slots[offs[c]+j] = uint32(i)
		}
	})
	first := make([]bool, m)
	parallel(len(outs), func(c int) {
		for j := range outs[c].cands {
			q := offs[c] + j
			first[q] = tab[slots[q]].q == uint32(q)+1
		}
	})
	tab, slots = nil, nil
	old := s.n
	for c := range outs {
		for j, cd := range outs[c].cands {
			if first[offs[c]+j] {
				s.appendKey(cd.key)
			}
		}
	}
	// Grow as adding the states one by one would, then insert.
	size := len(s.tab)
	for k := old; k < s.n; k++ {
		if (k+1)*4 > size*3 {
			size += size / 2
		}
	}
	from := old
	if size != len(s.tab) {
		s.tab = make([]uint32, size)
		from = 0
	}
	const span = 4096
	n := s.n - from
	parallel((n+span-1)/span, func(c int) {
		a := from + c*span
		b := min(a+span, s.n)
		tab := s.tab
		for idx := a; idx < b; idx++ {
			k := s.key(uint32(idx))
			h := fmix(k)
			i := slot(h, len(tab))
			e := (uint32(idx)+1)<<fpBits | uint32(h&fpMask)
			for {
				if atomic.LoadUint32(&tab[i]) == 0 && atomic.CompareAndSwapUint32(&tab[i], 0, e) {
					break
				}
				i++
				if i == len(tab) {
					i = 0
				}
			}
		}
	})
	return s.n - old
}
