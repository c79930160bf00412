package history

import (
	"bytes"
	"errors"
	"io"
	"os"
	"testing"
	"unicode/utf8"

	"github.com/evsim/evsim/model"
)

// FuzzReader feeds arbitrary bytes to the reader in every format: it never
// panics, every error is a positioned *model.Error (or says the input is
// empty), and what it reads writes and reads back as the same
// observations.
func FuzzReader(f *testing.F) {
	for _, name := range []string{"polled.csv", "polled.jsonl", "notifications.jsonl"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, uint8(0))
	}
	f.Add([]byte(csvHead+"2025-01-01T00:00:00Z,\"d,1\",available,10,0\n"), uint8(1))
	f.Add([]byte(`{"time":"2025-01-01T00:00:00Z","disk":"d","status":"in-use","attachments":[1,2]}`), uint8(2))
	spec := model.Default()
	f.Fuzz(func(t *testing.T, data []byte, format uint8) {
		opt := Options{Format: Format(format % 4), MaxLine: 4096, Lenient: format&4 != 0}
		r, err := NewReader("f", bytes.NewReader(data), spec, opt)
		if err != nil {
			var me *model.Error
			if !errors.As(err, &me) {
				t.Fatalf("NewReader: %T %v", err, err)
			}
			return
		}
		var obs []Observation
		for {
			o, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				var me *model.Error
				if !errors.As(err, &me) || me.Line < 1 {
					t.Fatalf("Next: error without a line: %T %v", err, err)
				}
				return
			}
			obs = append(obs, o)
		}
		for _, wf := range []Format{PolledCSV, PolledJSON, Notifications} {
			var buf bytes.Buffer
			w, _ := NewWriter(&buf, spec, wf)
			ok := true
			for _, o := range obs {
				name := r.DiskName(o.Disk)
				if bytes.ContainsAny([]byte(name), "\r\n") {
					ok = false // ids with line breaks cannot be written one a line
				}
				if wf != PolledCSV && !utf8.ValidString(name) {
					ok = false // JSON carries text: an id that is not UTF-8 comes back with U+FFFD
				}
				w.Write(name, o)
			}
			w.Flush()
			if !ok || len(obs) == 0 {
				continue
			}
			back, err := NewReader("w", &buf, spec, Options{Format: wf})
			if err != nil {
				t.Fatalf("%s: %v\n%s", wf, err, buf.String())
			}
			for i, o := range obs {
				g, err := back.Next()
				if err != nil {
					t.Fatalf("%s row %d: %v\n%s", wf, i, err, buf.String())
				}
				if !g.Time.Equal(o.Time) || g.Status != o.Status || back.DiskName(g.Disk) != r.DiskName(o.Disk) ||
					g.Size != o.Size || g.Attachments != o.Attachments || g.Shared != o.Shared || g.System != o.System {
					t.Fatalf("%s row %d: read back %+v, want %+v", wf, i, g, o)
				}
			}
		}
	})
}
