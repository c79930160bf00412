package history

import (
	"fmt"
	"strings"

	"github.com/evsim/evsim/model"
)

// Kinds of disk: bit 0 shared, bit 1 system.
const nKinds = 4

// maxAtt is the largest attachment count the one-disk graph tells apart: a
// shared disk is explored on three servers, and from two attachments on
// every count behaves alike (a detach leaves the disk In-use; the limit of
// 16 is the observation's own check).
const maxAtt = 2

// node is a status (index into the spec's statuses, then NoDisk and Gone)
// with an attachment count 0..maxAtt.
type node uint16

// edge is one abstract step of one disk: the status and attachment count
// before and after, whether the size grew or shrank, and the operations
// that make it.
type edge struct {
	to    node
	delta int8 // +1 grew, -1 shrank, 0 same size
	ops   []model.OpID
}

// graph is the one-disk graph of one kind of disk: every state a disk of
// that kind reaches in a one-disk [model.System] (with its servers,
// snapshots, backups and power), reduced to status and attachment count.
type graph struct {
	kind    int
	nStatus int
	reach   []bool   // per node: reached from creation
	out     [][]edge // per node
}

func (g *graph) nodeOf(status model.StatusID, att int) node {
	s := int(status)
	switch status {
	case model.NoDisk:
		s = g.nStatus
	case model.Gone:
		s = g.nStatus + 1
	}
	return node(s*(maxAtt+1) + min(att, maxAtt))
}

func (g *graph) status(n node) model.StatusID {
	s := int(n) / (maxAtt + 1)
	switch s {
	case g.nStatus:
		return model.NoDisk
	case g.nStatus + 1:
		return model.Gone
	}
	return model.StatusID(s)
}

// buildGraph explores the one-disk system of the given kind.
func buildGraph(spec *model.Spec, kind int) (*graph, error) {
	dc := model.DiskConfig{Shared: kind&1 != 0, System: kind&2 != 0, Size: 10}
	servers := 2
	if dc.Shared {
		servers = maxAtt + 1 // a disk on maxAtt servers can still attach to one more
	}
	sys, err := model.NewSystem(spec, model.Config{Disks: []model.DiskConfig{dc}, Servers: servers,
		Bounds: model.Bounds{Snapshots: 1, Backups: 1, SizeSteps: 2}, Operator: true, Power: true})
	if err != nil {
		return nil, err
	}
	g := &graph{kind: kind, nStatus: len(spec.Statuses)}
	n := (g.nStatus + 2) * (maxAtt + 1)
	g.reach = make([]bool, n)
	g.out = make([][]edge, n)
	type key struct {
		from, to node
		delta    int8
	}
	edges := map[key]int{}
	init := sys.Init()[0]
	seen := map[model.State]bool{init: true}
	queue := []model.State{init}
	var buf []model.Action
	for len(queue) > 0 {
		st := queue[0]
		queue = queue[1:]
		d := &st.Disks[0]
		from := g.nodeOf(d.Status, d.Attachments())
		g.reach[from] = true
		buf = sys.Actions(&st, buf[:0])
		for _, a := range buf {
			next := st
			sys.Apply(&next, a)
			e := &next.Disks[0]
			to := g.nodeOf(e.Status, e.Attachments())
			var delta int8
			if e.Exists() && d.Exists() {
				switch {
				case e.Size > d.Size:
					delta = 1
				case e.Size < d.Size:
					delta = -1
				}
			}
			if to != from || delta != 0 {
				k := key{from, to, delta}
				i, ok := edges[k]
				if !ok {
					i = len(g.out[from])
					edges[k] = i
					g.out[from] = append(g.out[from], edge{to: to, delta: delta})
				}
				if a.Op != model.NoOp {
					ed := &g.out[from][i]
					if !containsOp(ed.ops, a.Op) {
						ed.ops = append(ed.ops, a.Op)
					}
				}
			}
			if !seen[next] {
				seen[next] = true
				queue = append(queue, next)
			}
		}
	}
	return g, nil
}

func containsOp(ops []model.OpID, op model.OpID) bool {
	for _, o := range ops {
		if o == op {
			return true
		}
	}
	return false
}

// sizeRel is what two observations say of the size between them.
type sizeRel uint8

const (
	sizeUnknown sizeRel = iota
	sizeSame
	sizeGrew
	sizeShrank
)

// path is an explanation: the nodes from the first observation to the
// second and the operation of each step.
type path struct {
	nodes []node
	ops   []model.OpID
}

// search finds a shortest path from any node in from to any node in to
// whose size changes agree with rel. With ignoreAtt the attachment counts
// of the targets are not required to match (to find the nearest
// explanation). It returns nil when there is none.
func (g *graph) search(from, to []node, rel sizeRel) *path {
	// Product state: node and the size changes seen (bit 0 grew, bit 1 shrank).
	type ps struct {
		n    node
		seen uint8
	}
	ok := func(seen uint8) bool {
		switch rel {
		case sizeSame:
			return seen == 0 || seen == 3
		case sizeGrew:
			return seen&1 != 0
		case sizeShrank:
			return seen&2 != 0
		}
		return true
	}
	isTarget := make([]bool, len(g.out))
	for _, t := range to {
		isTarget[t] = true
	}
	type back struct {
		prev ps
		op   model.OpID
	}
	parent := map[ps]back{}
	var queue []ps
	for _, f := range from {
		p := ps{f, 0}
		if _, dup := parent[p]; dup {
			continue
		}
		parent[p] = back{prev: ps{n: 0xFFFF}, op: model.NoOp}
		queue = append(queue, p)
	}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if isTarget[p.n] && ok(p.seen) {
			var out path
			for q := p; q.n != 0xFFFF; q = parent[q].prev {
				out.nodes = append(out.nodes, q.n)
				if b := parent[q]; b.prev.n != 0xFFFF {
					out.ops = append(out.ops, b.op)
				}
			}
			reverseNodes(out.nodes)
			reverseOps(out.ops)
			return &out
		}
		for _, e := range g.out[p.n] {
			seen := p.seen
			switch e.delta {
			case 1:
				seen |= 1
			case -1:
				seen |= 2
			}
			q := ps{e.to, seen}
			if _, dup := parent[q]; dup {
				continue
			}
			op := model.NoOp
			if len(e.ops) > 0 {
				op = e.ops[0]
			}
			parent[q] = back{prev: p, op: op}
			queue = append(queue, q)
		}
	}
	return nil
}

func reverseNodes(s []node) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}

func reverseOps(s []model.OpID) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}

// describe writes a path as "In-use -> Detaching -> Available (detach)".
func (g *graph) describe(spec *model.Spec, p *path) string {
	var b strings.Builder
	for i, n := range p.nodes {
		if i > 0 {
			b.WriteString(" -> ")
		}
		b.WriteString(spec.StatusName(g.status(n)))
	}
	var ops []string
	for _, op := range p.ops {
		if op != model.NoOp {
			name := spec.Ops[op].Name
			if len(ops) == 0 || ops[len(ops)-1] != name {
				ops = append(ops, name)
			}
		}
	}
	if len(ops) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(ops, ", "))
	}
	return b.String()
}
