package check

import (
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/evsim/evsim/model"
)

// Wide states. A state that does not fit into 64 bits (three disks on
// three servers, or a disk on seventeen) is packed into several words: the
// power switches at the bottom of word 0, then each disk's fields whole in
// one word, a disk that does not fit in the rest of a word starting the
// next one. The explorer still handles one uint64 per state: a wide model
// interns each wide key and gives the explorer its id, a number that
// stands for that key and no other (see [intern]). Ids are handed out in
// the order the workers meet the keys, which depends on scheduling; but
// the explorer uses a key only to tell states apart, and orders states by
// (parent, action), so indices, counts, violations and traces still do not
// depend on the number of workers.
//
// The cost is memory: the explorer's store (8 bytes of id, 4 to 8 of
// table) and the intern table (8 bytes a word, 4 to 8 of table), about
// 25 + 8·words bytes a state, against 13 to 16 for a state of one word,
// which keeps its fast path unchanged.

// maxWords bounds the words of a wide state: eight disks of up to 64 bits
// and the power switches.
const maxWords = maxDisks + 1

// wkey is a wide key; the words beyond the layout's are zero.
type wkey [maxWords]uint64

// forceWide makes every layout of two disks or more wide, each disk in a
// word of its own: the tests compare wide and one-word searches with it.
var forceWide bool

// placeWide places the disks of a layout of more than 64 bits into words.
func (l *layout) placeWide() error {
	off, word := l.ns, 0
	for d := 0; d < l.nd; d++ {
		w := l.wWork + l.wBg + l.wSnap + l.wBack + 1 + l.ns + l.wSize[d]
		if w > 64 {
			return fmt.Errorf("check: disk %d takes %d bits; at most 64 are supported (bound snapshots, backups and size steps, or use fewer servers)", d, w)
		}
		if off+w > 64 || (forceWide && d > 0) {
			word, off = word+1, 0
		}
		l.word[d], l.base[d] = uint8(word), uint(off)
		off += w
	}
	l.words = word + 1
	return nil
}

// packWide packs st into a wide key.
func (l *layout) packWide(st *model.State) wkey {
	var k wkey
	k[0] = uint64(st.PowerOn)
	for d := 0; d < l.nd; d++ {
		k[l.word[d]] |= l.packDisk(d, &st.Disks[d]) << l.base[d]
	}
	return k
}

// unpackWide is unpack for a wide key.
func (l *layout) unpackWide(key *wkey, st *model.State) {
	l.reset(st)
	st.PowerOn = uint32(key[0] & (1<<uint(l.ns) - 1))
	for d := 0; d < l.nd; d++ {
		v := key[l.word[d]] >> l.base[d]
		k := &st.Disks[d]
		sh := 0
		wk := &l.work[field(v, &sh, l.wWork)]
		k.Status, k.Op, k.Step = wk.status, wk.op, wk.step
		if wk.op != model.NoOp {
			k.Origin, k.Arg = wk.origin, wk.arg
		}
		if b := field(v, &sh, l.wBg); b == 0 {
			k.Bg = model.NoOp
		} else {
			k.Bg = l.bgOps[b-1]
		}
		k.Snapshots = uint8(field(v, &sh, l.wSnap))
		k.Backups = uint8(field(v, &sh, l.wBack))
		k.Transfer = field(v, &sh, 1) == 1
		k.Attached = uint32(field(v, &sh, l.ns))
		k.Size = uint32(field(v, &sh, l.wSize[d])) + l.minSize[d]
	}
}

// less orders wide keys of n words.
func (k *wkey) less(o *wkey, n int) bool {
	for i := n - 1; i >= 0; i-- {
		if k[i] != o[i] {
			return k[i] < o[i]
		}
	}
	return false
}

// canonWide sets k to the canonical wide key of st's class, with t as
// scratch space: the smallest over the disk permutations of the
// server-sorted state, as canon does for one word.
func (m *SystemModel) canonWide(st, t *model.State, k *wkey) {
	if !m.symmetry {
		*k = m.l.packWide(st)
		return
	}
	for i, p := range m.perms {
		m.l.permuteInto(t, st, p)
		m.l.serverCanon(t)
		if c := m.l.packWide(t); i == 0 || c.less(k, m.l.words) {
			*k = c
		}
	}
}

// The intern table maps wide keys to ids and back. It is split into
// shards by the top bits of the key's hash, each with its own lock, its
// keys in blocks in the order they came and an open-addressing table of
// 4-byte entries (index plus one) kept between three eighths and three
// quarters full. An id is the shard's number above bit 32 and the key's
// index in the shard below.
const (
	internShardBits = 6
	internShards    = 1 << internShardBits
	internBlockBits = 12
	internBlock     = 1 << internBlockBits
)

type intern struct {
	words  int
	shards [internShards]internShard
	bytes  atomic.Int64
}

type internShard struct {
	mu     sync.Mutex
	n      int
	tab    []uint32
	blocks [][]uint64
	_      [64]byte // keeps the locks of neighbouring shards apart
}

func newIntern(words int) *intern {
	return &intern{words: words}
}

func (in *intern) hash(k *wkey) uint64 {
	h := uint64(in.words)
	for i := 0; i < in.words; i++ {
		h = fmix(h ^ (k[i] + uint64(i+1)*0x9E3779B97F4A7C15))
	}
	return h
}

func (s *internShard) key(in *intern, idx int) []uint64 {
	b := s.blocks[idx>>internBlockBits]
	o := (idx & (internBlock - 1)) * in.words
	return b[o : o+in.words]
}

func (s *internShard) equal(in *intern, idx int, k *wkey) bool {
	for i, x := range s.key(in, idx) {
		if x != k[i] {
			return false
		}
	}
	return true
}

// lookup returns the index of k in the shard, or -1, and the slot where
// the probe ended. The caller holds the lock.
func (s *internShard) lookup(in *intern, k *wkey, h uint64) (int, int) {
	if len(s.tab) == 0 {
		return -1, 0
	}
	i := slot(h<<internShardBits, len(s.tab))
	for {
		e := s.tab[i]
		if e == 0 {
			return -1, i
		}
		if s.equal(in, int(e-1), k) {
			return int(e - 1), i
		}
		i++
		if i == len(s.tab) {
			i = 0
		}
	}
}

// add returns the id of k, interning it if need be.
func (in *intern) add(k *wkey) uint64 {
	h := in.hash(k)
	sh := int(h >> (64 - internShardBits))
	s := &in.shards[sh]
	s.mu.Lock()
	idx, at := s.lookup(in, k, h)
	if idx < 0 {
		if (s.n+1)*4 > len(s.tab)*3 {
			in.grow(s)
			_, at = s.lookup(in, k, h)
		}
		idx = s.n
		if idx&(internBlock-1) == 0 {
			s.blocks = append(s.blocks, make([]uint64, internBlock*in.words))
			in.bytes.Add(internBlock * int64(in.words) * 8)
		}
		copy(s.key(in, idx), k[:in.words])
		s.tab[at] = uint32(idx + 1)
		s.n++
	}
	s.mu.Unlock()
	return uint64(sh)<<32 | uint64(idx)
}

// grow doubles a shard's table. The caller holds the lock.
func (in *intern) grow(s *internShard) {
	size := max(1024, 2*len(s.tab))
	tab := make([]uint32, size)
	var k wkey
	for idx := 0; idx < s.n; idx++ {
		copy(k[:], s.key(in, idx))
		i := slot(in.hash(&k)<<internShardBits, size)
		for tab[i] != 0 {
			i++
			if i == size {
				i = 0
			}
		}
		tab[i] = uint32(idx + 1)
	}
	in.bytes.Add(int64(size-len(s.tab)) * 4)
	s.tab = tab
}

// get copies the key of id into k.
func (in *intern) get(id uint64, k *wkey) {
	s := &in.shards[id>>32]
	s.mu.Lock()
	copy(k[:], s.key(in, int(id&(1<<32-1))))
	s.mu.Unlock()
}

// Bytes is the memory the intern table of a wide model holds, which the
// explorer counts with its own store against [Options.MaxMemory].
func (m *SystemModel) Bytes() int64 {
	if m.in == nil {
		return 0
	}
	return m.in.bytes.Load()
}

// Words returns the number of 64-bit words a packed state takes.
func (m *SystemModel) Words() int { return m.l.words }

// unpack unpacks a stored key, an id for a wide model.
func (m *SystemModel) unpack(k uint64, st *model.State) {
	if m.in == nil {
		m.l.unpack(k, st)
		return
	}
	var w wkey
	m.in.get(k, &w)
	m.l.unpackWide(&w, st)
}

// wideWorker is the worker of a wide model: the successor cache, the
// properties and the statistics of [sysWorker], on wide keys.
type wideWorker struct {
	*sysWorker
	key, succ wkey
}

// Visit implements [Worker] for a wide model: as [sysWorker.Visit], with
// each successor's wide key built by replacing one disk's bits of its
// word, made canonical, and interned.
func (w *wideWorker) Visit(id uint64, v *Visit) {
	m := w.m
	sys := m.sys
	l := &m.l
	st := &w.st
	m.in.get(id, &w.key)
	l.unpackWide(&w.key, st)
	for _, pi := range m.inv {
		if m.mprops[pi].State(sys, st) != "" {
			v.Bad |= 1 << pi
		}
	}
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
		locals[d] = (w.key[l.word[d]] >> l.base[d]) & l.mask[d]
		if sp, ok := w.memo.get(memoKey{locals[d], ctx | uint64(d)<<40}); ok {
			spans[d] = sp
		} else {
			missing |= 1 << d
		}
	}
	if missing != 0 {
		w.fill(&locals, ctx, missing, &spans)
	}
	for d := 0; d < l.nd; d++ {
		sp := spans[d]
		list := w.hot[sp>>16 : sp>>16+sp&0xffff]
		base := int(sp >> 16)
		if len(list) == 0 && st.Disks[d].Exists() {
			v.Bad |= 1 << m.deadlck
		}
		wd, sh := l.word[d], l.base[d]
		clear := w.key[wd] &^ (l.mask[d] << sh)
		for i := range list {
			s := &list[i]
			if s.ctr&hotCold != 0 {
				c := &w.arena[base+i]
				if c.step != 0 {
					v.Steps = append(v.Steps, StepFail{Action: len(v.Succ), Props: c.step})
				}
				v.Witness |= c.wit
			}
			w.succ = w.key
			w.succ[wd] = clear | s.local<<sh
			v.Succ = append(v.Succ, w.intern(&w.succ))
			if v.First {
				w.counts[s.ctr&^hotCold]++
			} else {
				v.Labels = append(v.Labels, w.arena[base+i].lab)
			}
		}
	}
	if sys.Config.Power {
		for j := 0; j < l.ns; j++ {
			w.succ = w.key
			w.succ[0] ^= 1 << uint(j)
			v.Succ = append(v.Succ, w.intern(&w.succ))
			if v.First {
				if st.PowerOn&(1<<uint(j)) != 0 {
					w.powerOff++
				} else {
					w.powerOn++
				}
			} else {
				v.Labels = append(v.Labels, 0)
			}
		}
	}
	if v.First {
		w.countState(st)
	}
	if len(w.arena) > w.arenaKept {
		w.arena, w.hot = w.arena[:w.arenaKept], w.hot[:w.arenaKept]
	}
}

// intern returns the id of the class of the concrete wide key k.
func (w *wideWorker) intern(k *wkey) uint64 {
	if w.m.symmetry {
		w.l.unpackWide(k, &w.next)
		w.m.canonWide(&w.next, &w.canonBuf, k)
	}
	return w.m.in.add(k)
}

// Successors implements [SuccWorker] for a wide model through Visit: the
// one-word shortcut of [sysWorker.Successors] would read an interned id as
// a state.
func (w *wideWorker) Successors(id uint64, dst []uint64) []uint64 {
	var v Visit
	v.Succ = dst
	w.Visit(id, &v)
	return v.Succ
}
