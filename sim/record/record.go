// Package record writes the status history of a simulated fleet as a
// storage team would observe it (package model/history): every change of
// every disk at its exact time, as a change log or as volume
// notifications, or what a poll of the volume API every interval shows.
//
// [Record] runs one replication of a [sim.Config] with the engine's trace
// (sim.Options.Trace) and turns each disk's transitions into
// observations: the disk's id (a new id for each disk created, also in a
// reused slot), its status, size, attachments and kind, and for
// notifications the event (volume.<operation>.start, .end, .error, or
// .update when an operation moves to its next step; see [EventName]).
// Transitions of one disk at one instant (the creation of the starting
// fleet at time 0) are collapsed into the last, and a transition that
// changes nothing a poll shows (a snapshot, a backup) is left out. The
// trace is gathered in memory, so it suits fleets of thousands of disks,
// not millions.
package record

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/evsim/evsim/model"
	mh "github.com/evsim/evsim/model/history"
	"github.com/evsim/evsim/sim"
)

// Epoch is the wall-clock time of simulated hour 0 unless Options.Start
// says otherwise.
var Epoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// Options control [Record]. The zero value records every change of
// replication 0 from [Epoch].
type Options struct {
	Replication int
	// Poll, when positive, is the interval between polls (hours): the
	// history is then what a poll at every multiple of it shows, every
	// disk that exists at each.
	Poll  float64
	Start time.Time
}

// cinderEvents names the notifications of operations after OpenStack
// Cinder's event types; other operations are named after themselves.
var cinderEvents = map[string]string{
	"create": "volume.create", "create_from_image": "volume.create", "create_from_backup": "volume.create",
	"attach": "volume.attach", "detach": "volume.detach", "expand": "volume.resize",
	"delete": "volume.delete", "force_delete": "volume.delete", "rollback": "volume.revert",
	"create_image": "volume.upload_image", "restore_backup": "volume.restore_backup",
	"create_transfer": "volume.transfer_create", "accept_transfer": "volume.transfer_accept",
	"cancel_transfer": "volume.transfer_delete", "reset_status": "volume.reset_status",
}

// EventName returns the notification event type of an action on a disk
// of spec: volume.<operation>.start when it starts, .end when it succeeds,
// .error when it fails, .update when it moves to its next step.
func EventName(spec *model.Spec, a model.Action, final bool) string {
	if a.Op == model.NoOp || int(a.Op) >= len(spec.Ops) {
		return "volume.update"
	}
	base, ok := cinderEvents[spec.Ops[a.Op].Name]
	if !ok {
		base = "volume." + spec.Ops[a.Op].Name
	}
	switch a.Kind {
	case model.Start:
		if spec.Ops[a.Op].Instant() {
			return base + ".end"
		}
		return base + ".start"
	case model.Succeed:
		if final {
			return base + ".end"
		}
		return base + ".update"
	case model.Fail:
		return base + ".error"
	}
	return "volume.update"
}

type rec struct {
	t      float64
	id     int32
	status model.StatusID
	att    uint8
	flags  uint8 // 1 shared, 2 system
	size   uint32
	event  string
	gone   bool // superseded by a later record of the disk at the same time
}

// Record simulates replication opt.Replication of cfg and calls emit with
// every observation of its history, in time order (disks in order of
// creation at equal times). A disk's id is "disk-N", N counting disks from
// 1 in order of creation.
func Record(ctx context.Context, cfg *sim.Config, opt Options, emit func(disk string, o mh.Observation) error) error {
	if opt.Replication < 0 || opt.Replication >= cfg.Replications {
		return fmt.Errorf("record: replication %d; want 0 to %d", opt.Replication, cfg.Replications-1)
	}
	if opt.Poll < 0 || math.IsNaN(opt.Poll) {
		return fmt.Errorf("record: poll interval %g; want 0 (every change) or more", opt.Poll)
	}
	if opt.Poll > 0 && cfg.Horizon/opt.Poll > 1e7 {
		return fmt.Errorf("record: %g polls; want at most ten million (raise the interval)", cfg.Horizon/opt.Poll)
	}
	start := opt.Start
	if start.IsZero() {
		start = Epoch
	}
	spec := cfg.Spec
	var recs []rec
	slot := map[int]int32{} // fleet slot -> disk id
	next := int32(0)
	_, err := sim.RunRange(ctx, cfg, sim.Options{Workers: 1, Trace: func(_ int, ev sim.TraceEvent) {
		a := ev.Action
		if a.Kind == model.PowerOff || a.Kind == model.PowerOn || a.Kind == model.BgSucceed || a.Kind == model.BgFail {
			return
		}
		id, ok := slot[ev.Disk]
		if a.Kind == model.Start && spec.Ops[a.Op].Creates || !ok {
			next++
			id = next
			slot[ev.Disk] = id
		}
		var fl uint8
		if ev.Config.Shared {
			fl |= 1
		}
		if ev.Config.System {
			fl |= 2
		}
		final := ev.After.Op == model.NoOp
		recs = append(recs, rec{t: ev.Time, id: id, status: ev.After.Status, att: uint8(ev.After.Attachments()), flags: fl,
			size: ev.After.Size, event: EventName(spec, a, final)})
	}}, opt.Replication, opt.Replication+1)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("record: stopped: %w", err)
	}
	// Each disk's records are in time order; order all by time, keeping
	// each disk's order.
	slices.SortStableFunc(recs, func(a, b rec) int {
		switch {
		case a.t < b.t:
			return -1
		case a.t > b.t:
			return 1
		}
		return 0
	})
	last := map[int32]int{}
	for i := range recs {
		if j, ok := last[recs[i].id]; ok && recs[j].t == recs[i].t {
			recs[j].gone = true
		}
		last[recs[i].id] = i
	}
	at := func(h float64) time.Time {
		return start.Add(time.Duration(math.Round(h * float64(time.Hour))))
	}
	obsOf := func(r *rec, t float64) mh.Observation {
		o := mh.Observation{Time: at(t), Status: r.status, Size: int(r.size), Attachments: int(r.att), Shared: mh.No, System: mh.No, Event: r.event}
		if r.flags&1 != 0 {
			o.Shared = mh.Yes
		}
		if r.flags&2 != 0 {
			o.System = mh.Yes
		}
		return o
	}
	name := func(id int32) string { return fmt.Sprintf("disk-%d", id) }
	if opt.Poll == 0 {
		prev := map[int32]rec{}
		for i := range recs {
			r := &recs[i]
			if r.gone {
				continue
			}
			if p, ok := prev[r.id]; ok && p.status == r.status && p.att == r.att && p.size == r.size {
				continue
			}
			prev[r.id] = *r
			if err := emit(name(r.id), obsOf(r, r.t)); err != nil {
				return err
			}
			if r.status == model.Gone {
				delete(prev, r.id)
			}
		}
		return nil
	}
	// Polls: every disk that exists at each multiple of the interval.
	cur := map[int32]rec{}
	var live []int32
	i := 0
	for k := 0; ; k++ {
		t := float64(k) * opt.Poll
		if t > cfg.Horizon*(1+1e-12) {
			break
		}
		for ; i < len(recs) && recs[i].t <= t; i++ {
			r := recs[i]
			if _, ok := cur[r.id]; !ok && r.status != model.Gone {
				live = append(live, r.id)
			}
			if r.status == model.Gone {
				delete(cur, r.id)
				continue
			}
			cur[r.id] = r
		}
		kept := live[:0]
		for _, id := range live {
			r, ok := cur[id]
			if !ok {
				continue
			}
			kept = append(kept, id)
			o := obsOf(&r, t)
			o.Event = ""
			if err := emit(name(id), o); err != nil {
				return err
			}
		}
		live = kept
		if k%1024 == 0 && ctx.Err() != nil {
			return fmt.Errorf("record: stopped: %w", ctx.Err())
		}
	}
	return nil
}
