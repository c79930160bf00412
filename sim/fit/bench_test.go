package fit

import (
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/evsim/evsim/model"
	mh "github.com/evsim/evsim/model/history"
)

// pollStream is a synthetic polled history, made as it is read: disks
// polled every 5 minutes, each wandering Available, Attaching, In-use,
// Detaching. Nothing of it is held but the disks' current statuses.
type pollStream struct {
	disks, polls int
	rng          *rand.Rand
	state        []uint8
	poll, disk   int
	buf          []byte
	header       bool
	t0           time.Time
	bytes        int64
}

var walk = [...]struct {
	code string
	att  string
	next uint8
	p    float64
}{{"available", "0", 1, 0.01}, {"attaching", "0", 2, 0.7}, {"in-use", "1", 3, 0.005}, {"detaching", "1", 0, 0.7}}

func newPollStream(disks, polls int) *pollStream {
	return &pollStream{disks: disks, polls: polls, rng: rand.New(rand.NewPCG(1, 1)), state: make([]uint8, disks),
		t0: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
}

func (s *pollStream) Read(p []byte) (int, error) {
	for len(s.buf) < len(p) && s.poll < s.polls {
		if !s.header {
			s.header = true
			s.buf = append(s.buf, "time,disk,status,size_gib,attachments\n"...)
		}
		ts := s.t0.Add(time.Duration(s.poll) * 5 * time.Minute)
		st := &s.state[s.disk]
		if s.rng.Float64() < walk[*st].p {
			*st = walk[*st].next
		}
		s.buf = ts.AppendFormat(s.buf, time.RFC3339)
		s.buf = append(s.buf, ",vol-"...)
		s.buf = strconv.AppendInt(s.buf, int64(s.disk), 10)
		s.buf = append(s.buf, ',')
		s.buf = append(s.buf, walk[*st].code...)
		s.buf = append(s.buf, ",100,"...)
		s.buf = append(s.buf, walk[*st].att...)
		s.buf = append(s.buf, '\n')
		if s.disk++; s.disk == s.disks {
			s.disk, s.poll = 0, s.poll+1
		}
	}
	n := copy(p, s.buf)
	s.buf = s.buf[:copy(s.buf, s.buf[n:])]
	s.bytes += int64(n)
	if n == 0 {
		return 0, io.EOF
	}
	return n, nil
}

// peakHeap samples the heap in use until stop is closed.
func peakHeap(stop chan struct{}, peak *atomic.Uint64) {
	var m runtime.MemStats
	for {
		runtime.ReadMemStats(&m)
		if m.HeapInuse > peak.Load() {
			peak.Store(m.HeapInuse)
		}
		select {
		case <-stop:
			return
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func benchSize() (int, int) {
	disks, polls := 20000, 288 // a day of 5-minute polls
	if v, err := strconv.Atoi(os.Getenv("EVSIM_BENCH_DISKS")); err == nil && v > 0 {
		disks = v
	}
	if v, err := strconv.Atoi(os.Getenv("EVSIM_BENCH_POLLS")); err == nil && v > 0 {
		polls = v
	}
	return disks, polls
}

// BenchmarkFitStream fits a synthetic polled history as it is made:
// rows/s and the peak heap, against the bytes that streamed through
// (EVSIM_BENCH_DISKS and EVSIM_BENCH_POLLS set its size).
func BenchmarkFitStream(b *testing.B) {
	disks, polls := benchSize()
	spec := model.Default()
	for range b.N {
		runtime.GC()
		var peak atomic.Uint64
		stop := make(chan struct{})
		go peakHeap(stop, &peak)
		src := newPollStream(disks, polls)
		start := time.Now()
		r, err := mh.NewReader("synthetic.csv", src, spec, mh.Options{})
		if err != nil {
			b.Fatal(err)
		}
		res, err := Fit(r, spec, Options{Poll: 5 * time.Minute})
		close(stop)
		if err != nil {
			b.Fatal(err)
		}
		if res.Rows != disks*polls {
			b.Fatalf("%d rows", res.Rows)
		}
		el := time.Since(start).Seconds()
		b.ReportMetric(float64(res.Rows)/el, "rows/s")
		b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
		b.ReportMetric(float64(src.bytes)/(1<<20), "streamed-MiB")
	}
	_ = fmt.Sprint
}
