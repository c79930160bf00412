package history

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/evsim/evsim/model"
)

// Format is the shape of a history file.
type Format uint8

// The formats. [Auto] detects the format from the first line.
const (
	Auto          Format = iota
	PolledCSV            // polled observations, CSV with a header line
	PolledJSON           // polled observations, JSON Lines
	Notifications        // OpenStack volume notifications, JSON Lines
)

var formatNames = []string{"auto", "csv", "jsonl", "notifications"}

func (f Format) String() string { return formatNames[f] }

// ParseFormat returns the format named s: auto, csv, jsonl or notifications.
func ParseFormat(s string) (Format, error) {
	for i, n := range formatNames {
		if s == n {
			return Format(i), nil
		}
	}
	return Auto, fmt.Errorf("history format %q; want one of %s", s, strings.Join(formatNames, ", "))
}

// Tri is a yes/no that may be unknown.
type Tri int8

// The values of a [Tri].
const (
	Unknown Tri = iota
	No
	Yes
)

func (t Tri) String() string { return [...]string{"unknown", "false", "true"}[t] }

// Observation is one observation of one disk.
type Observation struct {
	Line        int       // line of the file it was read from (0 when not read)
	Time        time.Time // in UTC
	Disk        int       // index of the disk id, in order of first appearance
	Status      model.StatusID
	Size        int // GiB; 0 when not given
	Attachments int // -1 when not given
	Shared      Tri
	System      Tri
	Event       string // notification event type ("" for a poll)
}

// Default bounds of a reader.
const (
	DefaultMaxLine  = 1 << 20
	DefaultMaxBytes = 1 << 40
)

// Options control a [Reader]. The zero value detects the format, stops at
// the first bad row and uses the default bounds.
type Options struct {
	Format   Format
	Lenient  bool  // skip bad rows and count them instead of stopping
	MaxLine  int   // longest line in bytes; 0 means DefaultMaxLine
	MaxBytes int64 // most bytes read; 0 means DefaultMaxBytes
}

// Skip is how many rows were skipped for one reason, with the first few.
type Skip struct {
	Reason string
	Count  int
	First  []*model.Error // up to 5
}

// Reader reads observations one at a time. It is not safe for concurrent
// use.
type Reader struct {
	name   string
	spec   *model.Spec
	opt    Options
	br     *bufio.Reader
	read   int64
	line   int
	format Format

	cols    csvCols
	pending []byte // the first line, read for detection, not yet parsed

	ids   map[string]int
	names []string
	last  []int64 // per disk: unix nanoseconds of its last row

	skips map[string]*Skip
	rows  int

	statuses map[string]model.StatusID

	fieldBuf []csvField

	lastTS string // the last time parsed, and its value: polls repeat it
	lastT  time.Time
}

// parseTime parses s, reusing the last result when s repeats it.
func (h *Reader) parseTime(s string) (time.Time, bool) {
	if s == h.lastTS && s != "" {
		return h.lastT, true
	}
	t, ok := parseTime(s)
	if ok {
		h.lastTS, h.lastT = strings.Clone(s), t
	}
	return t, ok
}

// NewReader returns a reader of the history in r, named name in errors,
// whose statuses resolve against spec. It reads the first line to detect
// the format (and, for CSV, the header).
func NewReader(name string, r io.Reader, spec *model.Spec, opt Options) (*Reader, error) {
	if opt.MaxLine <= 0 {
		opt.MaxLine = DefaultMaxLine
	}
	if opt.MaxBytes <= 0 {
		opt.MaxBytes = DefaultMaxBytes
	}
	h := &Reader{name: name, spec: spec, opt: opt, br: bufio.NewReaderSize(r, opt.MaxLine+1),
		ids: map[string]int{}, skips: map[string]*Skip{}, statuses: map[string]model.StatusID{}}
	for i := range spec.Statuses {
		st := &spec.Statuses[i]
		h.statuses[st.Code] = model.StatusID(i)
		h.statuses[strings.ToLower(st.Name)] = model.StatusID(i)
		h.statuses[strings.ToLower(st.Code)] = model.StatusID(i)
	}
	h.statuses["deleted"] = model.Gone
	var first []byte
	for {
		b, err := h.readLine()
		if err == io.EOF {
			return nil, h.errAt(0, 0, "", "empty history: no line to read")
		}
		if err != nil {
			return nil, err
		}
		if len(bytes.TrimSpace(b)) > 0 {
			first = b
			break
		}
	}
	h.format = opt.Format
	if h.format == Auto {
		h.format = detect(first)
	}
	switch h.format {
	case PolledCSV:
		if err := h.header(first); err != nil {
			return nil, err
		}
	default:
		if bytes.TrimSpace(first)[0] != '{' {
			return nil, h.errAt(h.line, 1, "", fmt.Sprintf("a %s history has a JSON object a line; this line starts with %q", h.format, firstRune(first)))
		}
		h.pending = append([]byte(nil), first...)
	}
	return h, nil
}

func firstRune(b []byte) string {
	s := string(bytes.TrimSpace(b))
	for _, r := range s {
		return string(r)
	}
	return ""
}

// detect tells the format from the first non-blank line.
func detect(line []byte) Format {
	t := bytes.TrimSpace(line)
	if len(t) == 0 || t[0] != '{' {
		return PolledCSV
	}
	var probe map[string]json.RawMessage
	if json.Unmarshal(t, &probe) == nil {
		for _, k := range []string{"event_type", "payload", "oslo.message"} {
			if _, ok := probe[k]; ok {
				return Notifications
			}
		}
	}
	return PolledJSON
}

// Format returns the format being read.
func (h *Reader) Format() Format { return h.format }

// Name returns the name the reader reports errors under.
func (h *Reader) Name() string { return h.name }

// DiskName returns the id of disk i.
func (h *Reader) DiskName(i int) string { return h.names[i] }

// Disks returns the number of distinct disks seen so far.
func (h *Reader) Disks() int { return len(h.names) }

// Rows returns the number of observations returned so far.
func (h *Reader) Rows() int { return h.rows }

// BytesRead returns the number of bytes read so far.
func (h *Reader) BytesRead() int64 { return h.read }

// Skipped returns the rows skipped under [Options.Lenient], by reason
// (sorted), each with the first few errors.
func (h *Reader) Skipped() []Skip {
	out := make([]Skip, 0, len(h.skips))
	for _, s := range h.skips {
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Reason < out[j].Reason })
	return out
}

// SkippedRows returns the number of rows skipped.
func (h *Reader) SkippedRows() int {
	n := 0
	for _, s := range h.skips {
		n += s.Count
	}
	return n
}

func (h *Reader) errAt(line, col int, field, msg string) *model.Error {
	return &model.Error{File: h.name, Line: line, Col: col, Field: field, Msg: msg}
}

// rowError is a bad row: its reason (for the counts) and its error.
type rowError struct {
	reason string
	err    *model.Error
}

var errTooLong = errors.New("line too long")

// readLine returns the next line without its end, or io.EOF. A line over
// the bound is an error at its line (the rest of it is consumed, so that a
// lenient reader can go on).
func (h *Reader) readLine() ([]byte, error) {
	b, err := h.br.ReadSlice('\n')
	h.read += int64(len(b))
	if len(b) > 0 || err == nil {
		h.line++
	}
	if err == bufio.ErrBufferFull {
		for err == bufio.ErrBufferFull {
			var more []byte
			more, err = h.br.ReadSlice('\n')
			h.read += int64(len(more))
		}
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("%s: %w", h.name, err)
		}
		return nil, errTooLong
	}
	if len(b) > h.opt.MaxLine+1 || len(b) == h.opt.MaxLine+1 && b[len(b)-1] != '\n' {
		return nil, errTooLong
	}
	if h.read > h.opt.MaxBytes {
		return nil, h.errAt(h.line, 1, "", fmt.Sprintf("the history is larger than %d bytes, the most this reader takes", h.opt.MaxBytes))
	}
	if err == io.EOF {
		if len(b) == 0 {
			return nil, io.EOF
		}
	} else if err != nil {
		return nil, fmt.Errorf("%s: %w", h.name, err)
	}
	b = bytes.TrimSuffix(b, []byte{'\n'})
	b = bytes.TrimSuffix(b, []byte{'\r'})
	return b, nil
}

// Next returns the next observation, or io.EOF after the last. An error
// from a bad row is a *model.Error at its line; under [Options.Lenient]
// bad rows are skipped and counted instead.
func (h *Reader) Next() (Observation, error) {
	for {
		var b []byte
		var err error
		if h.pending != nil {
			b, h.pending = h.pending, nil
		} else {
			b, err = h.readLine()
		}
		if err == errTooLong {
			re := &rowError{"line too long", h.errAt(h.line, 1, "", fmt.Sprintf("line longer than %d bytes", h.opt.MaxLine))}
			if h.opt.Lenient {
				h.skip(re)
				continue
			}
			return Observation{}, re.err
		}
		if err != nil {
			return Observation{}, err
		}
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		var o Observation
		var re *rowError
		switch h.format {
		case PolledCSV:
			o, re = h.parseCSV(b)
		case PolledJSON:
			o, re = h.parsePolledJSON(b)
		default:
			o, re = h.parseNotification(b)
		}
		if re == nil {
			re = h.order(&o)
		}
		if re != nil {
			if h.opt.Lenient {
				h.skip(re)
				continue
			}
			return Observation{}, re.err
		}
		h.rows++
		return o, nil
	}
}

func (h *Reader) skip(re *rowError) {
	s := h.skips[re.reason]
	if s == nil {
		s = &Skip{Reason: re.reason}
		h.skips[re.reason] = s
	}
	s.Count++
	if len(s.First) < 5 {
		s.First = append(s.First, re.err)
	}
}

// disk returns the index of a disk id, adding it when new; ids are
// interned so that a disk costs its id once.
func (h *Reader) disk(id string) int {
	if i, ok := h.ids[id]; ok {
		return i
	}
	id = strings.Clone(id)
	i := len(h.names)
	h.ids[id] = i
	h.names = append(h.names, id)
	h.last = append(h.last, minTime)
	return i
}

const minTime = -1 << 63

// order checks that o is not earlier than the previous row of its disk and
// records its time.
func (h *Reader) order(o *Observation) *rowError {
	t := o.Time.UnixNano()
	if prev := h.last[o.Disk]; t < prev {
		return &rowError{"out of time order", h.errAt(o.Line, 1, "time", fmt.Sprintf("%s is earlier than the previous row of disk %s (%s); rows of a disk must be in time order",
			o.Time.Format(time.RFC3339Nano), h.names[o.Disk], time.Unix(0, prev).UTC().Format(time.RFC3339Nano)))}
	}
	h.last[o.Disk] = t
	return nil
}

// status resolves a status name: an API code, a console name (any case),
// or "deleted".
func (h *Reader) status(s string, attachments int) (model.StatusID, string) {
	if id, ok := h.statuses[s]; ok {
		return id, ""
	}
	if id, ok := h.statuses[strings.ToLower(strings.TrimSpace(s))]; ok {
		return id, ""
	}
	for _, a := range h.spec.APIOnly {
		if a.Code == s {
			if a.Code == "backing-up" && attachments >= 0 {
				// A backup runs beside the status: In-use or Available by
				// the attachments.
				code := "available"
				if attachments > 0 {
					code = "in-use"
				}
				if id, ok := h.spec.StatusByCode(code); ok {
					return id, ""
				}
			}
			return 0, fmt.Sprintf("%q is an API status the model does not have (%s)", s, a.Meaning)
		}
	}
	return 0, fmt.Sprintf("unknown status %q; want an API code (%s) or a console name", s, h.codes())
}

func (h *Reader) codes() string {
	var c []string
	for i := range h.spec.Statuses {
		c = append(c, h.spec.Statuses[i].Code)
	}
	return strings.Join(c, ", ")
}

// parseTime reads RFC 3339, or the OpenStack form "2006-01-02 15:04:05.999999"
// (or with a T) without a zone, taken as UTC.
func parseTime(s string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), true
	}
	for _, layout := range []string{"2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func parseBool(s string) (Tri, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return Unknown, true
	case "true", "yes", "1":
		return Yes, true
	case "false", "no", "0":
		return No, true
	}
	return Unknown, false
}

// csvCols is the position of each field in a CSV row; -1 when absent.
type csvCols struct {
	time, disk, status, size, attachments, shared, system int
	n                                                     int
}

var csvAliases = map[string]string{
	"time": "time", "timestamp": "time",
	"disk": "disk", "disk_id": "disk", "volume_id": "disk", "id": "disk",
	"status": "status",
	"size":   "size", "size_gib": "size",
	"attachments": "attachments",
	"shared":      "shared", "multiattach": "shared",
	"system": "system",
}

func (h *Reader) header(line []byte) error {
	fields, _ := splitCSV(string(line))
	c := csvCols{time: -1, disk: -1, status: -1, size: -1, attachments: -1, shared: -1, system: -1, n: len(fields)}
	for i, f := range fields {
		name := strings.ToLower(strings.TrimSpace(f.s))
		canon, ok := csvAliases[name]
		if !ok {
			continue // other columns of a dump are ignored
		}
		p := map[string]*int{"time": &c.time, "disk": &c.disk, "status": &c.status, "size": &c.size,
			"attachments": &c.attachments, "shared": &c.shared, "system": &c.system}[canon]
		if *p >= 0 {
			return h.errAt(h.line, f.col, f.s, fmt.Sprintf("column %s given twice", canon))
		}
		*p = i
	}
	for _, m := range []struct {
		name string
		at   int
	}{{"time", c.time}, {"disk", c.disk}, {"status", c.status}} {
		if m.at < 0 {
			return h.errAt(h.line, 1, "header", fmt.Sprintf("missing column %s; a polled CSV history needs time, disk and status (and may have size, attachments, shared, system)", m.name))
		}
	}
	h.cols = c
	return nil
}

type csvField struct {
	s   string
	col int
}

// splitCSV splits one CSV line (RFC 4180 quoting within the line).
func splitCSV(line string) ([]csvField, bool) { return splitCSVInto(line, nil) }

// splitCSVInto is splitCSV appending to out[:0].
func splitCSVInto(line string, out []csvField) ([]csvField, bool) {
	out = out[:0]
	i := 0
	for {
		col := i + 1
		if i < len(line) && line[i] == '"' {
			var b strings.Builder
			i++
			closed := false
			for i < len(line) {
				if line[i] == '"' {
					if i+1 < len(line) && line[i+1] == '"' {
						b.WriteByte('"')
						i += 2
						continue
					}
					i++
					closed = true
					break
				}
				b.WriteByte(line[i])
				i++
			}
			out = append(out, csvField{b.String(), col})
			if !closed || (i < len(line) && line[i] != ',') {
				return out, false
			}
		} else {
			j := strings.IndexByte(line[i:], ',')
			if j < 0 {
				out = append(out, csvField{line[i:], col})
				return out, true
			}
			out = append(out, csvField{line[i : i+j], col})
			i += j
		}
		if i >= len(line) {
			return out, true
		}
		i++ // the comma
		if i == len(line) {
			out = append(out, csvField{"", i + 1})
			return out, true
		}
	}
}

func (h *Reader) parseCSV(line []byte) (Observation, *rowError) {
	fields, ok := splitCSVInto(string(line), h.fieldBuf)
	h.fieldBuf = fields
	if !ok {
		return Observation{}, &rowError{"bad CSV", h.errAt(h.line, 1, "", "unterminated or misplaced quote")}
	}
	if len(fields) != h.cols.n {
		return Observation{}, &rowError{"wrong number of fields", h.errAt(h.line, 1, "", fmt.Sprintf("%d fields; the header has %d", len(fields), h.cols.n))}
	}
	c := &h.cols
	o := Observation{Line: h.line, Attachments: -1}
	f := fields[c.time]
	t, ok := h.parseTime(strings.TrimSpace(f.s))
	if !ok {
		return o, &rowError{"bad time", h.errAt(h.line, f.col, "time", fmt.Sprintf("%q is not an RFC 3339 time such as 2025-01-02T15:04:05Z", f.s))}
	}
	o.Time = t
	f = fields[c.disk]
	if strings.TrimSpace(f.s) == "" {
		return o, &rowError{"missing field", h.errAt(h.line, f.col, "disk", "empty disk id")}
	}
	if c.size >= 0 {
		f := fields[c.size]
		if s := strings.TrimSpace(f.s); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 {
				return o, &rowError{"bad value", h.errAt(h.line, f.col, "size", fmt.Sprintf("%q; want a whole number of GiB, 1 or more", f.s))}
			}
			o.Size = n
		}
	}
	if c.attachments >= 0 {
		f := fields[c.attachments]
		if s := strings.TrimSpace(f.s); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 0 {
				return o, &rowError{"bad value", h.errAt(h.line, f.col, "attachments", fmt.Sprintf("%q; want a count, 0 or more", f.s))}
			}
			o.Attachments = n
		}
	}
	for _, b := range []struct {
		at   int
		name string
		dst  *Tri
	}{{c.shared, "shared", &o.Shared}, {c.system, "system", &o.System}} {
		if b.at < 0 {
			continue
		}
		f := fields[b.at]
		v, ok := parseBool(f.s)
		if !ok {
			return o, &rowError{"bad value", h.errAt(h.line, f.col, b.name, fmt.Sprintf("%q; want true or false", f.s))}
		}
		*b.dst = v
	}
	f = fields[c.status]
	st, msg := h.status(strings.TrimSpace(f.s), o.Attachments)
	if msg != "" {
		return o, &rowError{"unknown status", h.errAt(h.line, f.col, "status", msg)}
	}
	o.Status = st
	o.Disk = h.disk(strings.TrimSpace(fields[c.disk].s))
	return o, nil
}

// polledRow is a JSON Lines row of polled observations.
type polledRow struct {
	Time        *string         `json:"time"`
	Timestamp   *string         `json:"timestamp"`
	Disk        *string         `json:"disk"`
	DiskID      *string         `json:"disk_id"`
	VolumeID    *string         `json:"volume_id"`
	ID          *string         `json:"id"`
	Status      *string         `json:"status"`
	Size        json.RawMessage `json:"size"`
	SizeGiB     json.RawMessage `json:"size_gib"`
	Attachments json.RawMessage `json:"attachments"`
	Shared      json.RawMessage `json:"shared"`
	Multiattach json.RawMessage `json:"multiattach"`
	System      json.RawMessage `json:"system"`
}

func firstOf(ps ...*string) *string {
	for _, p := range ps {
		if p != nil {
			return p
		}
	}
	return nil
}

func firstRaw(rs ...json.RawMessage) json.RawMessage {
	for _, r := range rs {
		if len(r) > 0 && string(r) != "null" {
			return r
		}
	}
	return nil
}

func (h *Reader) jsonError(line []byte, err error) *rowError {
	col := 1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	field := ""
	switch {
	case errors.As(err, &se):
		col = int(se.Offset)
	case errors.As(err, &te):
		col = int(te.Offset)
		field = te.Field
		return &rowError{"bad value", h.errAt(h.line, max(col, 1), field, fmt.Sprintf("a JSON %s where a %s belongs", te.Value, te.Type))}
	}
	return &rowError{"bad JSON", h.errAt(h.line, max(col, 1), field, "not a JSON object: "+err.Error())}
}

func (h *Reader) parsePolledJSON(line []byte) (Observation, *rowError) {
	var r polledRow
	if err := json.Unmarshal(line, &r); err != nil {
		return Observation{}, h.jsonError(line, err)
	}
	return h.fields(line, firstOf(r.Time, r.Timestamp), "time", firstOf(r.Disk, r.DiskID, r.VolumeID, r.ID), "disk", r.Status,
		firstRaw(r.Size, r.SizeGiB), firstRaw(r.Attachments), firstRaw(r.Shared, r.Multiattach), firstRaw(r.System), "")
}

// notification is one OpenStack notification (the fields read).
type notification struct {
	EventType *string         `json:"event_type"`
	Timestamp *string         `json:"timestamp"`
	Payload   *payload        `json:"payload"`
	Oslo      *string         `json:"oslo.message"`
	Priority  json.RawMessage `json:"priority"`
}

type payload struct {
	VolumeID    *string         `json:"volume_id"`
	Status      *string         `json:"status"`
	Size        json.RawMessage `json:"size"`
	Attachments json.RawMessage `json:"volume_attachment"`
	Attach2     json.RawMessage `json:"attachments"`
	Multiattach json.RawMessage `json:"multiattach"`
	Shared      json.RawMessage `json:"shared"`
	System      json.RawMessage `json:"system"`
}

func (h *Reader) parseNotification(line []byte) (Observation, *rowError) {
	var n notification
	if err := json.Unmarshal(line, &n); err != nil {
		return Observation{}, h.jsonError(line, err)
	}
	if n.Oslo != nil && n.Payload == nil {
		// An oslo messaging envelope: the notification is a JSON string.
		if err := json.Unmarshal([]byte(*n.Oslo), &n); err != nil {
			return Observation{}, &rowError{"bad JSON", h.errAt(h.line, 1, "oslo.message", "not a JSON notification: "+err.Error())}
		}
	}
	if n.EventType == nil {
		return Observation{}, &rowError{"missing field", h.errAt(h.line, 1, "event_type", "missing; a notification has event_type, timestamp and payload")}
	}
	if n.Payload == nil {
		return Observation{}, &rowError{"missing field", h.errAt(h.line, 1, "payload", "missing; a notification has event_type, timestamp and payload")}
	}
	p := n.Payload
	status := p.Status
	if *n.EventType == "volume.delete.end" {
		gone := "deleted"
		status = &gone
	}
	return h.fields(line, n.Timestamp, "timestamp", p.VolumeID, "payload.volume_id", status,
		firstRaw(p.Size), firstRaw(p.Attachments, p.Attach2), firstRaw(p.Multiattach, p.Shared), firstRaw(p.System), *n.EventType)
}

// fields builds an observation from the fields of a JSON row.
func (h *Reader) fields(line []byte, tm *string, tmName string, disk *string, diskName string, status *string,
	size, attachments, shared, system json.RawMessage, event string) (Observation, *rowError) {
	o := Observation{Line: h.line, Attachments: -1, Event: event}
	statusName := "status"
	if event != "" {
		statusName = "payload.status"
	}
	for _, m := range []struct {
		p    *string
		name string
	}{{tm, tmName}, {disk, diskName}, {status, statusName}} {
		if m.p == nil || *m.p == "" {
			return o, &rowError{"missing field", h.errAt(h.line, 1, m.name, "missing or empty")}
		}
	}
	col := func(key string) int {
		if i := bytes.Index(line, []byte(`"`+key+`"`)); i >= 0 {
			return i + 1
		}
		return 1
	}
	t, ok := h.parseTime(*tm)
	if !ok {
		return o, &rowError{"bad time", h.errAt(h.line, col(tmName), tmName, fmt.Sprintf("%q is not an RFC 3339 time such as 2025-01-02T15:04:05Z", *tm))}
	}
	o.Time = t
	if size != nil {
		var f float64
		if err := json.Unmarshal(size, &f); err != nil || f < 1 || f != float64(int(f)) {
			return o, &rowError{"bad value", h.errAt(h.line, col("size"), "size", fmt.Sprintf("%s; want a whole number of GiB, 1 or more", size))}
		}
		o.Size = int(f)
	}
	if attachments != nil {
		if attachments[0] == '[' {
			var list []json.RawMessage
			if err := json.Unmarshal(attachments, &list); err != nil {
				return o, &rowError{"bad value", h.errAt(h.line, col("attachments"), "attachments", "not a list of attachments")}
			}
			o.Attachments = len(list)
		} else {
			var n int
			if err := json.Unmarshal(attachments, &n); err != nil || n < 0 {
				return o, &rowError{"bad value", h.errAt(h.line, col("attachments"), "attachments", fmt.Sprintf("%s; want a count or a list", attachments))}
			}
			o.Attachments = n
		}
	}
	for _, b := range []struct {
		raw  json.RawMessage
		name string
		dst  *Tri
	}{{shared, "shared", &o.Shared}, {system, "system", &o.System}} {
		if b.raw == nil {
			continue
		}
		var v bool
		if err := json.Unmarshal(b.raw, &v); err != nil {
			var s string
			if json.Unmarshal(b.raw, &s) == nil {
				if t, ok := parseBool(s); ok {
					*b.dst = t
					continue
				}
			}
			return o, &rowError{"bad value", h.errAt(h.line, col(b.name), b.name, fmt.Sprintf("%s; want true or false", b.raw))}
		}
		*b.dst = No
		if v {
			*b.dst = Yes
		}
	}
	st, msg := h.status(*status, o.Attachments)
	if msg != "" {
		return o, &rowError{"unknown status", h.errAt(h.line, col("status"), statusName, msg)}
	}
	o.Status = st
	o.Disk = h.disk(*disk)
	return o, nil
}
