package check

import (
	"math/bits"
	"sort"
	"sync"
	"sync/atomic"
	"unsafe"
)

// Storing a level's new states in parallel. The candidates of a level
// (successors not stored before it, in (parent, action) order, with
// repeats) are numbered by their position q in that order. Both steps
// below first scatter their items into small buckets, keeping the order
// within each bucket, so that the work on one bucket stays within the
// processor's caches; the buckets are then shared among the workers, and
// no two workers write the same memory.
//
// First the candidates are bucketed by the top bits of their hash, and in
// each bucket the first occurrence of every key is noted, in a table of
// the bucket's own. The new states are then appended in q order, by one
// goroutine, which only copies keys. Then the states to enter into the
// store's table (the new ones, or all of them when the table grows) are
// bucketed by the range of slots their home slot is in, and each range is
// filled by one worker; a state whose probe runs past the end of its
// range is entered afterwards, by one goroutine. The indices are those the
// one-by-one insertion gives, whatever the number of workers; only the
// places in the table differ, which no lookup sees.

// candsPerBucket is about how many candidates one bucket holds, and
// rangeBits the bits of a range of slots of the store's table.
const (
	candsPerBucket = 2048
	rangeBits      = 12
	rangeSize      = 1 << rangeBits
)

// bigBucket is the size from which a bucket is sorted instead: many
// repeats of one key can make a bucket of any size.
const bigBucket = 8 * candsPerBucket

// levelBytes bounds the memory insertLevel needs for m candidates, given
// the store it inserts them into: the candidates bucketed (key and
// position: 12 bytes each), a flag per candidate, each
// worker's table for one bucket, the entries to enter into the store's
// table bucketed (entry and offset: 6 bytes each), all of the states when
// it grows, and the counts of the buckets and ranges.
func levelBytes(s *store, m, workers int) int64 {
	b := int64(m)*13 + int64(workers)*int64(bucketTableSize(bigBucket))*8
	placed := m
	if (s.n+m)*4 > len(s.tab)*3 {
		placed += s.n
	}
	size := len(s.tab)
	for (s.n+m)*4 > size*3 {
		size += size / 2
	}
	counts := int64(groupsPerWorker*workers+1) * int64(max(m/candsPerBucket*2, size/rangeSize+1)+1) * 8
	return b + int64(placed)*6 + counts
}

// bucketTableSize is the size of the table for a bucket of n candidates.
func bucketTableSize(n int) int {
	size := 16
	for size < 2*n {
		size <<= 1
	}
	return size
}

// groupsPerWorker is how many groups of items each worker has on average
// in the steps that count and scatter: the groups are taken from a shared
// counter, so that a worker the system holds up does not hold up the
// others for long.
const groupsPerWorker = 4

// groups splits n items into groups for up to workers goroutines: the
// number of groups and the start of group g.
func groups(n, workers int) (int, func(g int) int) {
	k := max(1, min(workers, n/1024))
	if workers > 1 {
		k = max(1, min(groupsPerWorker*workers, n/1024))
	}
	return k, func(g int) int { return n * g / k }
}

// positions turns the counts of each group's items per bucket into the
// position of the group's first item of each bucket, the buckets one
// after the other and the groups in order within each, and returns the
// start of each bucket, plus the end. Scattering the items of each group
// in order then keeps their order within each bucket.
func positions(counts [][]int, nb int) []int {
	starts := make([]int, nb+1)
	pos := 0
	for b := 0; b < nb; b++ {
		starts[b] = pos
		for g := range counts {
			c := counts[g][b]
			counts[g][b] = pos
			pos += c
		}
	}
	starts[nb] = pos
	return starts
}

// parallel calls f(0) to f(n-1) from up to workers goroutines.
func parallel(n, workers int, f func(c int)) {
	if n == 1 || workers == 1 {
		for c := 0; c < n; c++ {
			f(c)
		}
		return
	}
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

// insertLevel stores the new states among the candidates of outs and
// returns how many there were. The caller has made sure that every
// candidate fits within the limits.
func (s *store) insertLevel(outs []chunkOut, workers int) int {
	// offs[c] is the q of chunk c's first candidate.
	offs := make([]int, len(outs)+1)
	for c := range outs {
		offs[c+1] = offs[c] + len(outs[c].cands)
	}
	first := s.firsts(outs, offs, workers)
	old := s.n
	// The new states in q order: each chunk's count of first
	// occurrences gives where its keys go, and the chunks are copied in
	// parallel.
	at := make([]int, len(outs)+1)
	parallel(len(outs), workers, func(c int) {
		n := 0
		for _, f := range first[offs[c]:offs[c+1]] {
			if f {
				n++
			}
		}
		at[c+1] = n
	})
	for c := range outs {
		at[c+1] += at[c]
	}
	s.reserve(at[len(outs)])
	parallel(len(outs), workers, func(c int) {
		idx := old + at[c]
		for j, k := range outs[c].cands {
			if first[offs[c]+j] {
				s.blocks[idx>>blockBits][idx&blockMask] = k
				idx++
			}
		}
	})
	s.n += at[len(outs)]
	first = nil
	// Grow as adding the states one by one would, then enter.
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
	s.enter(from, workers)
	return s.n - old
}

// firsts reports, for each key of ks, whether it is the first occurrence
// of that key.
func (s *store) firsts(outs []chunkOut, offs []int, workers int) []bool {
	m := offs[len(outs)]
	nb := 1
	for nb*candsPerBucket < m && nb < 1<<16 {
		nb <<= 1
	}
	// The top bits of the hash; none for one bucket.
	shift := 64 - uint(bits.TrailingZeros(uint(nb)))
	keys := make([]uint64, m)
	qs := make([]uint32, m)
	ng, lo := groups(m, workers)
	// each calls f with the candidates of group g, a chunk's at a time,
	// and the q of the first.
	each := func(g int, f func(q int, ks []uint64)) {
		a, b := lo(g), lo(g+1)
		c := sort.Search(len(outs), func(c int) bool { return offs[c+1] > a })
		for q := a; q < b; c++ {
			end := min(b, offs[c+1])
			f(q, outs[c].cands[q-offs[c]:end-offs[c]])
			q = end
		}
	}
	counts := make([][]int, ng)
	parallel(ng, workers, func(g int) {
		c := make([]int, nb)
		each(g, func(_ int, ks []uint64) {
			for _, k := range ks {
				c[fmix(k)>>shift]++
			}
		})
		counts[g] = c
	})
	starts := positions(counts, nb)
	parallel(ng, workers, func(g int) {
		at := counts[g]
		each(g, func(q int, ks []uint64) {
			for j, k := range ks {
				b := fmix(k) >> shift
				keys[at[b]], qs[at[b]] = k, uint32(q+j)
				at[b]++
			}
		})
	})
	first := make([]bool, m)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var tab []uint64
			for {
				b := int(next.Add(1) - 1)
				if b >= nb {
					break
				}
				bk, bq := keys[starts[b]:starts[b+1]], qs[starts[b]:starts[b+1]]
				if len(bk) > bigBucket {
					firstsSorted(bk, bq, first)
					continue
				}
				size := bucketTableSize(len(bk))
				if len(tab) < size {
					tab = make([]uint64, size)
					adviseHuge(unsafe.Pointer(unsafe.SliceData(tab)), uintptr(size)*8)
				}
				t := tab[:size]
				mask := uint64(size - 1)
				// 0 marks an empty slot; the key 0 is kept aside.
				zero := false
				for j, k := range bk {
					if k == 0 {
						if !zero {
							zero = true
							first[bq[j]] = true
						}
						continue
					}
					for i := fmix(k) & mask; ; i = (i + 1) & mask {
						e := t[i]
						if e == 0 {
							t[i] = k
							first[bq[j]] = true
							break
						}
						if e == k {
							break
						}
					}
				}
				clear(t)
			}
		}()
	}
	wg.Wait()
	return first
}

// firstsSorted marks the first occurrences in a bucket by sorting it by
// key and position, in place.
func firstsSorted(keys []uint64, qs []uint32, first []bool) {
	sort.Sort(byKey{keys, qs})
	for j := range keys {
		if j == 0 || keys[j] != keys[j-1] {
			first[qs[j]] = true
		}
	}
}

type byKey struct {
	keys []uint64
	qs   []uint32
}

func (b byKey) Len() int { return len(b.keys) }
func (b byKey) Less(i, j int) bool {
	return b.keys[i] < b.keys[j] || (b.keys[i] == b.keys[j] && b.qs[i] < b.qs[j])
}
func (b byKey) Swap(i, j int) {
	b.keys[i], b.keys[j] = b.keys[j], b.keys[i]
	b.qs[i], b.qs[j] = b.qs[j], b.qs[i]
}

// enter enters the states from index from on into the store's table.
func (s *store) enter(from, workers int) {
	n := s.n - from
	tab, f := s.tab, s.fp
	nr := (len(tab) + rangeSize - 1) >> rangeBits
	ents := make([]uint32, n)
	offs := make([]uint16, n)
	ng, lo := groups(n, workers)
	counts := make([][]int, ng)
	parallel(ng, workers, func(g int) {
		c := make([]int, nr)
		for idx := from + lo(g); idx < from+lo(g+1); idx++ {
			c[slot(fmix(s.key(uint32(idx))), len(tab))>>rangeBits]++
		}
		counts[g] = c
	})
	starts := positions(counts, nr)
	parallel(ng, workers, func(g int) {
		at := counts[g]
		for idx := from + lo(g); idx < from+lo(g+1); idx++ {
			h := fmix(s.key(uint32(idx)))
			i := slot(h, len(tab))
			r := i >> rangeBits
			ents[at[r]] = f.entry(uint32(idx), h)
			offs[at[r]] = uint16(i & (rangeSize - 1))
			at[r]++
		}
	})
	// A probe that runs past the end of its range is left for later,
	// marked in its offset; spilled lists the ranges that have some.
	const spill = 1 << 15
	spilled := make([][]int, workers)
	touched := make([]uint32, workers)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			var sp []int
			for {
				r := int(next.Add(1) - 1)
				if r >= nr {
					break
				}
				base := r << rangeBits
				end := min(base+rangeSize, len(tab))
				// Read the range in order first: the processor fetches
				// it ahead, and the writes below find it in the cache.
				if starts[r+1]-starts[r] >= rangeSize/16 {
					var touch uint32
					for i := base; i < end; i += 16 {
						touch |= tab[i]
					}
					touched[w] |= touch
				}
				some := false
				for j := starts[r]; j < starts[r+1]; j++ {
					i := base + int(offs[j])
					for i < end && tab[i] != 0 {
						i++
					}
					if i == end {
						offs[j] |= spill
						some = true
						continue
					}
					tab[i] = ents[j]
				}
				if some {
					sp = append(sp, r)
				}
			}
			spilled[w] = sp
		}(w)
	}
	wg.Wait()
	var ranges []int
	for _, sp := range spilled {
		ranges = append(ranges, sp...)
	}
	sort.Ints(ranges)
	for _, r := range ranges {
		for j := starts[r]; j < starts[r+1]; j++ {
			if offs[j]&spill == 0 {
				continue
			}
			i := r<<rangeBits + int(offs[j]&^spill)
			for tab[i] != 0 {
				i++
				if i == len(tab) {
					i = 0
				}
			}
			tab[i] = ents[j]
		}
	}
}
