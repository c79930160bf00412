package history

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/evsim/evsim/model"
)

func readAll(t *testing.T, name string, data []byte, opt Options) ([]Observation, *Reader, error) {
	t.Helper()
	r, err := NewReader(name, bytes.NewReader(data), model.Default(), opt)
	if err != nil {
		return nil, nil, err
	}
	var out []Observation
	for {
		o, err := r.Next()
		if err == io.EOF {
			return out, r, nil
		}
		if err != nil {
			return out, r, err
		}
		out = append(out, o)
	}
}

func status(t *testing.T, code string) model.StatusID {
	t.Helper()
	if code == "deleted" {
		return model.Gone
	}
	id, ok := model.Default().StatusByCode(code)
	if !ok {
		t.Fatalf("no status %s", code)
	}
	return id
}

func TestReadFormats(t *testing.T) {
	for _, tc := range []struct {
		file   string
		format Format
		rows   int
		disks  int
		codes  []string // statuses of the first disk, in order
		last   Observation
	}{
		{"polled.csv", PolledCSV, 10, 2, []string{"available", "attaching", "in-use", "in-use", "available"},
			Observation{Line: 11, Size: 41, Attachments: 1, Shared: No, System: Yes}},
		{"polled.jsonl", PolledJSON, 3, 1, []string{"available", "attaching", "in-use"},
			Observation{Line: 3, Size: 10, Attachments: 1}},
		{"notifications.jsonl", Notifications, 10, 1,
			[]string{"creating", "available", "attaching", "in-use", "detaching", "available", "extending", "available", "deleting", "deleted"},
			Observation{Line: 10, Size: 30, Attachments: 0, Event: "volume.delete.end"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile("testdata/" + tc.file)
			if err != nil {
				t.Fatal(err)
			}
			obs, r, err := readAll(t, tc.file, data, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if r.Format() != tc.format {
				t.Errorf("format %s, want %s", r.Format(), tc.format)
			}
			if len(obs) != tc.rows || r.Disks() != tc.disks {
				t.Fatalf("got %d rows of %d disks, want %d of %d", len(obs), r.Disks(), tc.rows, tc.disks)
			}
			var got []string
			for _, o := range obs {
				if o.Disk == 0 {
					got = append(got, codeOf(o.Status))
				}
			}
			if strings.Join(got, " ") != strings.Join(tc.codes, " ") {
				t.Errorf("statuses %v, want %v", got, tc.codes)
			}
			last := obs[len(obs)-1]
			if last.Line != tc.last.Line || last.Size != tc.last.Size || last.Attachments != tc.last.Attachments ||
				last.Shared != tc.last.Shared || last.System != tc.last.System || last.Event != tc.last.Event {
				t.Errorf("last row %+v, want %+v", last, tc.last)
			}
		})
	}
}

func codeOf(s model.StatusID) string {
	if s == model.Gone {
		return "deleted"
	}
	return model.Default().Statuses[s].Code
}

func TestNotificationTimes(t *testing.T) {
	data, _ := os.ReadFile("testdata/notifications.jsonl")
	obs, _, err := readAll(t, "n", data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2025, 3, 1, 9, 0, 21, 512345000, time.UTC)
	if !obs[1].Time.Equal(want) {
		t.Errorf("time %v, want %v", obs[1].Time, want)
	}
	if obs[4].Event != "volume.detach.start" || obs[4].Attachments != 1 {
		t.Errorf("oslo envelope not unwrapped: %+v", obs[4])
	}
}

const csvHead = "time,disk,status,size_gib,attachments\n"

func TestReadErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		format   Format
		want     string // the error, exactly
		reason   string // its reason under -lenient
	}{
		{"unknown status", csvHead + "2025-01-01T00:00:00Z,d1,broken,10,0\n", Auto,
			`h:2:25: status: unknown status "broken"; want an API code`, "unknown status"},
		{"api-only status", csvHead + "2025-01-01T00:00:00Z,d1,error_detaching,10,0\n", Auto,
			`h:2:25: status: "error_detaching" is an API status the model does not have`, "unknown status"},
		{"bad time", csvHead + "2025-13-01T00:00:00Z,d1,available,10,0\n", Auto,
			`h:2:1: time: "2025-13-01T00:00:00Z" is not an RFC 3339 time`, "bad time"},
		{"out of order", csvHead + "2025-01-01T00:05:00Z,d1,available,10,0\n2025-01-01T00:04:00Z,d1,available,10,0\n", Auto,
			`h:3:1: time: 2025-01-01T00:04:00Z is earlier than the previous row of disk d1 (2025-01-01T00:05:00Z)`, "out of time order"},
		{"missing column", "time,disk,size_gib\n2025-01-01T00:00:00Z,d1,10\n", Auto,
			`h:1:1: header: missing column status`, ""},
		{"short row", csvHead + "2025-01-01T00:00:00Z,d1,available\n", Auto,
			`h:2:1: 3 fields; the header has 5`, "wrong number of fields"},
		{"bad size", csvHead + "2025-01-01T00:00:00Z,d1,available,-3,0\n", Auto,
			`h:2:35: size: "-3"; want a whole number of GiB`, "bad value"},
		{"json missing status", `{"time":"2025-01-01T00:00:00Z","disk":"d1"}` + "\n", Auto,
			`h:1:1: status: missing or empty`, "missing field"},
		{"json syntax", `{"time":"2025-01-01T00:00:00Z","disk":"d1","status":"available"}` + "\n" + `{"time": 1,}` + "\n", Auto,
			`h:2:12: not a JSON object`, "bad JSON"},
		{"notification bad time", `{"event_type":"volume.create.start","timestamp":"yesterday","payload":{"volume_id":"v","status":"creating"}}` + "\n", Auto,
			`h:1:37: timestamp: "yesterday" is not an RFC 3339 time`, "bad time"},
		{"notification without payload", `{"event_type":"volume.create.start","timestamp":"2025-01-01 00:00:00"}` + "\n", Notifications,
			`h:1:1: payload: missing`, "missing field"},
		{"csv named, json given", `{"time":"2025-01-01T00:00:00Z"}` + "\n", PolledJSON,
			`h:1:1: disk: missing or empty`, "missing field"},
		{"empty", "\n\n", Auto, `h: empty history`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := readAll(t, "h", []byte(tc.in), Options{Format: tc.format})
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error starting %q", err, tc.want)
			}
			var me *model.Error
			if !errors.As(err, &me) {
				t.Errorf("error %T is not a *model.Error", err)
			}
			if tc.reason == "" {
				return
			}
			_, r, err := readAll(t, "h", []byte(tc.in), Options{Format: tc.format, Lenient: true})
			if err != nil {
				t.Fatalf("lenient: %v", err)
			}
			sk := r.Skipped()
			if len(sk) != 1 || sk[0].Reason != tc.reason || sk[0].Count != 1 || r.SkippedRows() != 1 {
				t.Errorf("lenient skips %+v, want one %q", sk, tc.reason)
			}
		})
	}
}

func TestLenientCounts(t *testing.T) {
	in := csvHead +
		"2025-01-01T00:00:00Z,d1,available,10,0\n" +
		"2025-01-01T00:01:00Z,d1,nonsense,10,0\n" +
		"2025-01-01T00:02:00Z,d1,attaching,10,0\n" +
		"2025-01-01T00:01:30Z,d1,in-use,10,1\n" +
		"garbage\n" +
		"2025-01-01T00:03:00Z,d1,in-use,10,1\n"
	obs, r, err := readAll(t, "h", []byte(in), Options{Lenient: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(obs) != 3 || r.SkippedRows() != 3 {
		t.Fatalf("%d rows kept, %d skipped; want 3 and 3", len(obs), r.SkippedRows())
	}
	got := map[string]int{}
	for _, s := range r.Skipped() {
		got[s.Reason] = s.Count
		if s.First[0].Line == 0 {
			t.Errorf("%s: example without a line", s.Reason)
		}
	}
	want := map[string]int{"unknown status": 1, "out of time order": 1, "wrong number of fields": 1}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("skipped for %s: %d, want %d (all: %v)", k, got[k], v, got)
		}
	}
}

func TestBounds(t *testing.T) {
	long := csvHead + "2025-01-01T00:00:00Z,d1,available,10,0\n2025-01-01T00:00:00Z," + strings.Repeat("x", 200) + ",available,10,0\n2025-01-02T00:00:00Z,d1,available,10,0\n"
	_, _, err := readAll(t, "h", []byte(long), Options{MaxLine: 100})
	if err == nil || !strings.HasPrefix(err.Error(), "h:3:1: line longer than 100 bytes") {
		t.Errorf("long line: got %v", err)
	}
	obs, r, err := readAll(t, "h", []byte(long), Options{MaxLine: 100, Lenient: true})
	if err != nil || len(obs) != 2 || r.SkippedRows() != 1 || obs[1].Line != 4 {
		t.Errorf("lenient long line: %d rows, %d skipped, %v", len(obs), r.SkippedRows(), err)
	}
	big := csvHead + strings.Repeat("2025-01-01T00:00:00Z,d1,available,10,0\n", 100)
	_, _, err = readAll(t, "h", []byte(big), Options{MaxBytes: 1000})
	if err == nil || !strings.Contains(err.Error(), "larger than 1000 bytes") {
		t.Errorf("size bound: got %v", err)
	}
}

func TestStatusNames(t *testing.T) {
	in := csvHead +
		"2025-01-01T00:00:00Z,d1,Expansion failed,10,0\n" +
		"2025-01-01T00:01:00Z,d1,ERROR_EXTENDING,10,0\n" +
		"2025-01-01T00:02:00Z,d1,backing-up,10,1\n" +
		"2025-01-01T00:03:00Z,d1,backing-up,10,0\n"
	obs, _, err := readAll(t, "h", []byte(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"error_extending", "error_extending", "in-use", "available"}
	for i, o := range obs {
		if codeOf(o.Status) != want[i] {
			t.Errorf("row %d: %s, want %s", i, codeOf(o.Status), want[i])
		}
	}
}

func TestSplitCSV(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
		ok   bool
	}{
		{"a,b,c", []string{"a", "b", "c"}, true},
		{"a,,", []string{"a", "", ""}, true},
		{`"a,b",c`, []string{"a,b", "c"}, true},
		{`"a""b",c`, []string{`a"b`, "c"}, true},
		{`"ab`, []string{"ab"}, false},
		{`"a"b,c`, []string{"a"}, false},
	} {
		got, ok := splitCSV(tc.in)
		var s []string
		for _, f := range got {
			s = append(s, f.s)
		}
		if ok != tc.ok || strings.Join(s, "|") != strings.Join(tc.want, "|") {
			t.Errorf("splitCSV(%q) = %q, %v; want %q, %v", tc.in, s, ok, tc.want, tc.ok)
		}
	}
}

// TestWriteRead writes observations in every format and reads them back.
func TestWriteRead(t *testing.T) {
	spec := model.Default()
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	in := []struct {
		disk string
		o    Observation
	}{
		{"a", Observation{Time: t0, Status: status(t, "creating"), Size: 10, Attachments: 0, Shared: Yes, System: No, Event: "volume.create.start"}},
		{"b,\"x\"", Observation{Time: t0, Status: status(t, "in-use"), Size: 40, Attachments: 2, Shared: Yes, System: Yes}},
		{"a", Observation{Time: t0.Add(1500 * time.Millisecond), Status: status(t, "available"), Size: 10, Attachments: 0, Shared: Yes, System: No, Event: "volume.create.end"}},
		{"a", Observation{Time: t0.Add(time.Hour), Status: model.Gone, Size: 10, Attachments: 0, Shared: Yes, System: No, Event: "volume.delete.end"}},
	}
	for _, f := range []Format{PolledCSV, PolledJSON, Notifications} {
		t.Run(f.String(), func(t *testing.T) {
			var buf bytes.Buffer
			w, err := NewWriter(&buf, spec, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range in {
				if err := w.Write(x.disk, x.o); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			got, r, err := readAll(t, "w", buf.Bytes(), Options{})
			if err != nil {
				t.Fatalf("%v\n%s", err, buf.String())
			}
			if r.Format() != f {
				t.Errorf("detected %s, want %s", r.Format(), f)
			}
			for i, x := range in {
				g := got[i]
				if r.DiskName(g.Disk) != x.disk || !g.Time.Equal(x.o.Time) || g.Status != x.o.Status || g.Size != x.o.Size ||
					g.Attachments != x.o.Attachments || g.Shared != x.o.Shared || g.System != x.o.System {
					t.Errorf("row %d: got %s %+v, want %s %+v", i, r.DiskName(g.Disk), g, x.disk, x.o)
				}
				if f == Notifications && x.o.Event != "" && g.Event != x.o.Event {
					t.Errorf("row %d: event %q, want %q", i, g.Event, x.o.Event)
				}
			}
		})
	}
}
