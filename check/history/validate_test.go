package history

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/evsim/evsim/model"
	mh "github.com/evsim/evsim/model/history"
)

func validate(t *testing.T, spec *model.Spec, name string, data []byte, missed int) *Report {
	t.Helper()
	r, err := mh.NewReader(name, bytes.NewReader(data), spec, mh.Options{})
	if err != nil {
		t.Fatal(err)
	}
	v, err := New(spec, Options{MaxMissed: missed})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := v.Validate(r)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestSampleFleet(t *testing.T) {
	data, err := os.ReadFile("testdata/fleet.csv")
	if err != nil {
		t.Fatal(err)
	}
	rep := validate(t, model.Default(), "fleet.csv", data, 1)
	if rep.Disks != 3 || rep.Observations != 11 || rep.Pairs != 8 || rep.Violations != 1 || rep.Explained != 7 {
		t.Errorf("disks %d observations %d pairs %d explained %d violations %d; want 3 11 8 7 1", rep.Disks, rep.Observations, rep.Pairs, rep.Explained, rep.Violations)
	}
	if len(rep.Listed) != 1 {
		t.Fatalf("listed %d violations", len(rep.Listed))
	}
	x := rep.Listed[0]
	if x.Line != 10 || x.Disk != "vol-3" || x.From.Status != "Error" || x.To.Status != "In-use" || x.Gap != "5.0m" {
		t.Errorf("violation %+v", x)
	}
	if x.Rule != "table-operations-only-where-listed" || x.RuleNumber != 3 ||
		x.Why != "Error to In-use: the model's shortest path misses 2 status(es) (Available, Attaching), more than the 1 allowed" ||
		!strings.Contains(x.Nearest, "attach from Error, which the model does not allow there: Error -> Attaching -> In-use") {
		t.Errorf("violation %q, rule %q, nearest %q", x.Why, x.Rule, x.Nearest)
	}
	if got := strings.Join(rep.StatusesUsed, ","); got != "In-use,Available,Attaching,Error" {
		t.Errorf("statuses used %s", got)
	}
	if got := strings.Join(rep.OpsUsed, ","); got != "attach,detach,expand" {
		t.Errorf("operations used %s", got)
	}
	if got := strings.Join(rep.OpsInvisible, ","); got != "create_backup,create_snapshot,delete_snapshot" {
		t.Errorf("operations no status shows %s", got)
	}
	// With any number of missed statuses the pair is explained, through
	// customer service's reset.
	rep = validate(t, model.Default(), "fleet.csv", data, -1)
	if rep.Violations != 0 || rep.MissedPolls != 3 || rep.Missed[0].Path != "Error -> Available -> Attaching -> In-use (reset_status, attach)" {
		t.Errorf("any missed: %d violations, %d missed, %+v", rep.Violations, rep.MissedPolls, rep.Missed)
	}
}

const head = "time,disk,status,size_gib,attachments,shared,system\n"

// TestViolations holds each kind of violation to its rule.
func TestViolations(t *testing.T) {
	for _, tc := range []struct {
		name, rows string
		missed     int
		line       int
		kind, why  string
		rule       string
	}{
		{"shrinks", "2025-01-01T00:00:00Z,d,available,20,0,false,false\n2025-01-01T01:00:00Z,d,available,10,0,false,false\n", -1,
			3, "pair", "Available to Available: the size shrank, and no path of the model shrinks a disk", "size-never-shrinks"},
		{"in-use without attachment", "2025-01-01T00:00:00Z,d,in-use,20,0,false,false\n", -1,
			2, "state", "the observation breaks a rule of the model", "available-means-unattached"},
		{"non-shared on two servers", "2025-01-01T00:00:00Z,d,in-use,20,2,false,false\n", -1,
			2, "state", "the observation breaks a rule of the model", "attachment-limit"},
		{"deleted then seen", "2025-01-01T00:00:00Z,d,deleting,20,0,false,false\n2025-01-01T00:01:00Z,d,deleted,20,0,false,false\n2025-01-01T00:02:00Z,d,available,20,0,false,false\n", -1,
			4, "pair", "the disk was deleted, then observed again as Available", ""},
		{"expanding while shared and attached", "2025-01-01T00:00:00Z,d,in-use,20,1,true,false\n2025-01-01T00:01:00Z,d,extending,20,1,true,false\n", 0,
			3, "state", "no shared data disk of the model is ever Expanding with 1 attachment(s)", ""},
		{"attached from error", "2025-01-01T00:00:00Z,d,error,20,0,false,false\n2025-01-01T00:01:00Z,d,attaching,20,0,false,false\n", 0,
			3, "pair", "Error to Attaching: the model's shortest path misses 1 status(es) (Available), more than the 0 allowed", "table-operations-only-where-listed"},
		{"a change log misses nothing", "2025-01-01T00:00:00Z,d,in-use,20,1,false,false\n2025-01-01T00:01:00Z,d,available,20,0,false,false\n", 0,
			3, "pair", "In-use to Available: the model's shortest path misses 1 status(es) (Detaching), more than the 0 allowed", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := validate(t, model.Default(), "h.csv", []byte(head+tc.rows), tc.missed)
			if rep.Violations != 1 || len(rep.Listed) != 1 {
				t.Fatalf("%d violations, want 1: %+v", rep.Violations, rep.Listed)
			}
			x := rep.Listed[0]
			if x.Line != tc.line || x.Kind != tc.kind || x.Why != tc.why || x.Rule != tc.rule {
				t.Errorf("got line %d %s %q rule %q (%s; nearest %s), want line %d %s %q rule %q", x.Line, x.Kind, x.Why, x.Rule, x.RuleDetail, x.Nearest, tc.line, tc.kind, tc.why, tc.rule)
			}
		})
	}
}

// TestInterrupted: a cancelled check reports the rows it read, marked
// incomplete.
func TestInterrupted(t *testing.T) {
	data, err := os.ReadFile("testdata/fleet.csv")
	if err != nil {
		t.Fatal(err)
	}
	spec := model.Default()
	r, _ := mh.NewReader("fleet.csv", bytes.NewReader(data), spec, mh.Options{})
	v, _ := New(spec, Options{MaxMissed: -1})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rep, err := v.ValidateContext(ctx, r)
	if err != nil || !rep.Incomplete || rep.Result != "incomplete" || rep.Observations != 0 {
		t.Errorf("cancelled: %v, %+v", err, rep)
	}
}
