package model

import (
	"errors"
	"math/bits"
)

// Codec packs the states of one [System] into a fixed number of bytes, with
// each field given only the bits its range needs under the system's
// configuration: a status takes 5 bits for the 17 statuses of the default
// spec, an attachment set one bit per server, a size only the bits of its
// bounded range. Shared, system and the bounds are fixed by the
// configuration and take no bits. The encoding is canonical: equal states
// give equal bytes, so the bytes (as a string) serve as a map key.
type Codec struct {
	sys                                     *System
	status, op, step, arg, bg, snaps, backs int
	bgIndex                                 map[OpID]uint64
	bgOps                                   []OpID
	// Bits is the number of bits a state takes; Bytes the bytes it is stored in.
	Bits, Bytes int
}

func width(values uint64) int {
	if values <= 1 {
		return 0
	}
	return bits.Len64(values - 1)
}

// NewCodec returns the codec of the system's states.
func (s *System) NewCodec() *Codec {
	c := &Codec{sys: s, bgIndex: map[OpID]uint64{}}
	n := len(s.Spec.Statuses)
	c.status = width(uint64(n + 2))
	c.op = width(uint64(len(s.Spec.Ops) + 1))
	c.step = width(MaxSteps)
	c.arg = width(uint64(max(s.Config.Servers, len(s.Config.Disks)) + 1))
	for i := range s.Spec.Ops {
		if s.Spec.Ops[i].Background {
			c.bgIndex[OpID(i)] = uint64(len(c.bgOps)) + 1
			c.bgOps = append(c.bgOps, OpID(i))
		}
	}
	c.bg = width(uint64(len(c.bgOps) + 1))
	c.snaps, c.backs = 8, 8
	if b := s.Config.Bounds.Snapshots; b > 0 {
		c.snaps = width(uint64(b + 1))
	}
	if b := s.Config.Bounds.Backups; b > 0 {
		c.backs = width(uint64(b + 1))
	}
	perDisk := c.status*2 + c.op + c.step + c.arg + c.bg + c.snaps + c.backs + 1 + s.Config.Servers
	total := s.Config.Servers
	for d := range s.Config.Disks {
		total += perDisk + c.sizeWidth(d)
	}
	c.Bits = total
	c.Bytes = (total + 7) / 8
	return c
}

func (c *Codec) sizeWidth(d int) int {
	return width(uint64(c.sys.maxSize[d]-c.sys.minSize[d]) + 1)
}

func (c *Codec) statusCode(id StatusID) uint64 {
	n := uint64(len(c.sys.Spec.Statuses))
	switch id {
	case NoDisk:
		return n
	case Gone:
		return n + 1
	}
	return uint64(id)
}

func (c *Codec) statusOf(v uint64) StatusID {
	n := uint64(len(c.sys.Spec.Statuses))
	switch v {
	case n:
		return NoDisk
	case n + 1:
		return Gone
	}
	return StatusID(v)
}

type bitWriter struct {
	buf  []byte
	acc  uint64
	nacc int
}

// put writes the low n bits of v; n is at most 32, so the accumulator
// (fewer than 8 bits pending) never overflows.
func (w *bitWriter) put(v uint64, n int) {
	if n == 0 {
		return
	}
	w.acc |= (v & (1<<uint(n) - 1)) << uint(w.nacc)
	w.nacc += n
	for w.nacc >= 8 {
		w.buf = append(w.buf, byte(w.acc))
		w.acc >>= 8
		w.nacc -= 8
	}
}

func (w *bitWriter) flush() []byte {
	for w.nacc > 0 {
		w.buf = append(w.buf, byte(w.acc))
		w.acc >>= 8
		w.nacc -= min(8, w.nacc)
	}
	return w.buf
}

type bitReader struct {
	src []byte
	pos int // in bits
}

func (r *bitReader) get(n int) uint64 {
	var v uint64
	for i := 0; i < n; i++ {
		byteIdx, bit := r.pos/8, r.pos%8
		if byteIdx < len(r.src) && r.src[byteIdx]&(1<<uint(bit)) != 0 {
			v |= 1 << uint(i)
		}
		r.pos++
	}
	return v
}

// Append appends the encoding of st (c.Bytes bytes) to dst.
func (c *Codec) Append(dst []byte, st *State) []byte {
	w := bitWriter{buf: dst}
	s := c.sys
	w.put(uint64(st.PowerOn), s.Config.Servers)
	for d := range s.Config.Disks {
		k := &st.Disks[d]
		w.put(c.statusCode(k.Status), c.status)
		op := uint64(len(s.Spec.Ops))
		if k.Op != NoOp {
			op = uint64(k.Op)
		}
		w.put(op, c.op)
		w.put(uint64(k.Step), c.step)
		w.put(c.statusCode(k.Origin), c.status)
		arg := uint64(max(s.Config.Servers, len(s.Config.Disks)))
		if k.Arg != NoArg {
			arg = uint64(k.Arg)
		}
		w.put(arg, c.arg)
		w.put(c.bgIndex[k.Bg], c.bg)
		w.put(uint64(k.Snapshots), c.snaps)
		w.put(uint64(k.Backups), c.backs)
		t := uint64(0)
		if k.Transfer {
			t = 1
		}
		w.put(t, 1)
		w.put(uint64(k.Attached), s.Config.Servers)
		w.put(uint64(k.Size-s.minSize[d]), c.sizeWidth(d))
	}
	return w.flush()
}

// Key returns the encoding of st as a comparable string.
func (c *Codec) Key(st *State) string {
	var buf [64]byte
	return string(c.Append(buf[:0], st))
}

// Decode rebuilds a state from its encoding.
func (c *Codec) Decode(src []byte) (State, error) {
	if len(src) != c.Bytes {
		return State{}, errors.New("model: encoded state has the wrong length")
	}
	s := c.sys
	var st State
	s.initState(&st)
	r := bitReader{src: src}
	st.PowerOn = uint32(r.get(s.Config.Servers))
	for d := range s.Config.Disks {
		k := &st.Disks[d]
		k.Status = c.statusOf(r.get(c.status))
		if op := r.get(c.op); op == uint64(len(s.Spec.Ops)) {
			k.Op = NoOp
		} else {
			k.Op = OpID(op)
		}
		k.Step = uint8(r.get(c.step))
		k.Origin = c.statusOf(r.get(c.status))
		if arg := r.get(c.arg); arg == uint64(max(s.Config.Servers, len(s.Config.Disks))) {
			k.Arg = NoArg
		} else {
			k.Arg = uint8(arg)
		}
		if bg := r.get(c.bg); bg == 0 {
			k.Bg = NoOp
		} else {
			k.Bg = c.bgOps[bg-1]
		}
		k.Snapshots = uint8(r.get(c.snaps))
		k.Backups = uint8(r.get(c.backs))
		k.Transfer = r.get(1) == 1
		k.Attached = uint32(r.get(s.Config.Servers))
		k.Size = uint32(r.get(c.sizeWidth(d))) + s.minSize[d]
	}
	return st, nil
}
