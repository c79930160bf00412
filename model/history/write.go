package history

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/evsim/evsim/model"
)

// Writer writes observations in one format: CSV (with its header), JSON
// Lines of polled rows, or notifications. Statuses are written as API
// codes, times as RFC 3339 in UTC, a disk that is gone as the status
// "deleted" (event volume.delete.end in notifications). Call Flush at the
// end.
type Writer struct {
	w      *bufio.Writer
	spec   *model.Spec
	format Format
	buf    []byte
	err    error
	header bool
}

// NewWriter returns a writer of format f (not [Auto]) to w.
func NewWriter(w io.Writer, spec *model.Spec, f Format) (*Writer, error) {
	if f == Auto {
		return nil, fmt.Errorf("history: writer: name a format (csv, jsonl or notifications)")
	}
	return &Writer{w: bufio.NewWriterSize(w, 1<<16), spec: spec, format: f}, nil
}

func (w *Writer) code(s model.StatusID) string {
	if s == model.Gone {
		return "deleted"
	}
	if int(s) < len(w.spec.Statuses) {
		return w.spec.Statuses[s].Code
	}
	return "unknown"
}

// Write writes o for the disk with id disk. o.Line and o.Disk are ignored;
// o.Event is written in notifications (volume.update when empty).
func (w *Writer) Write(disk string, o Observation) error {
	if w.err != nil {
		return w.err
	}
	b := w.buf[:0]
	ts := o.Time.UTC()
	switch w.format {
	case PolledCSV:
		if !w.header {
			w.header = true
			b = append(b, "time,disk,status,size_gib,attachments,shared,system\n"...)
		}
		b = ts.AppendFormat(b, time.RFC3339Nano)
		b = append(b, ',')
		b = appendCSV(b, disk)
		b = append(b, ',')
		b = append(b, w.code(o.Status)...)
		b = append(b, ',')
		if o.Size > 0 {
			b = strconv.AppendInt(b, int64(o.Size), 10)
		}
		b = append(b, ',')
		if o.Attachments >= 0 {
			b = strconv.AppendInt(b, int64(o.Attachments), 10)
		}
		b = append(b, ',')
		b = appendTri(b, o.Shared)
		b = append(b, ',')
		b = appendTri(b, o.System)
		b = append(b, '\n')
	case PolledJSON:
		b = append(b, `{"time":"`...)
		b = ts.AppendFormat(b, time.RFC3339Nano)
		b = append(b, `","disk":`...)
		b = appendJSONString(b, disk)
		b = append(b, `,"status":"`...)
		b = append(b, w.code(o.Status)...)
		b = append(b, '"')
		b = appendAttrs(b, o, "size_gib", "attachments", "shared", false)
		b = append(b, "}\n"...)
	case Notifications:
		ev := o.Event
		if ev == "" {
			ev = "volume.update"
		}
		b = append(b, `{"event_type":`...)
		b = appendJSONString(b, ev)
		b = append(b, `,"timestamp":"`...)
		b = ts.AppendFormat(b, "2006-01-02 15:04:05.000000")
		b = append(b, `","publisher_id":"volume.evsim","priority":"INFO","payload":{"volume_id":`...)
		b = appendJSONString(b, disk)
		b = append(b, `,"status":"`...)
		b = append(b, w.code(o.Status)...)
		b = append(b, '"')
		b = appendAttrs(b, o, "size", "volume_attachment", "multiattach", true)
		b = append(b, "}}\n"...)
	}
	w.buf = b
	_, w.err = w.w.Write(b)
	return w.err
}

// Flush writes what is buffered.
func (w *Writer) Flush() error {
	if w.err != nil {
		return w.err
	}
	if w.format == PolledCSV && !w.header {
		w.header = true
		if _, err := w.w.WriteString("time,disk,status,size_gib,attachments,shared,system\n"); err != nil {
			return err
		}
	}
	return w.w.Flush()
}

func appendTri(b []byte, t Tri) []byte {
	switch t {
	case Yes:
		return append(b, "true"...)
	case No:
		return append(b, "false"...)
	}
	return b
}

func appendAttrs(b []byte, o Observation, size, att, shared string, list bool) []byte {
	if o.Size > 0 {
		b = append(b, `,"`+size+`":`...)
		b = strconv.AppendInt(b, int64(o.Size), 10)
	}
	if o.Attachments >= 0 {
		b = append(b, `,"`+att+`":`...)
		if list {
			b = append(b, '[')
			for i := 0; i < o.Attachments; i++ {
				if i > 0 {
					b = append(b, ',')
				}
				b = append(b, `{"attach_status":"attached"}`...)
			}
			b = append(b, ']')
		} else {
			b = strconv.AppendInt(b, int64(o.Attachments), 10)
		}
	}
	if o.Shared != Unknown {
		b = append(b, `,"`+shared+`":`...)
		b = appendTri(b, o.Shared)
	}
	if o.System != Unknown {
		b = append(b, `,"system":`...)
		b = appendTri(b, o.System)
	}
	return b
}

func appendCSV(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == ',' || c == '"' || c == '\n' || c == '\r' {
			b = append(b, '"')
			for j := 0; j < len(s); j++ {
				if s[j] == '"' {
					b = append(b, '"')
				}
				b = append(b, s[j])
			}
			return append(b, '"')
		}
	}
	return append(b, s...)
}

func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
