package plots

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/evsim/evsim/model"
	"github.com/evsim/evsim/scenarios"
	"github.com/evsim/evsim/sim"
)

var (
	runsMu sync.Mutex
	runs   = map[string]*sim.Summary{}
)

// summary runs a short version of an embedded scenario once per test
// binary: 2 replications of 120 days, a tenth of the fleet for the
// baseline.
func summary(t *testing.T, name string) *sim.Summary {
	t.Helper()
	runsMu.Lock()
	defer runsMu.Unlock()
	if s, ok := runs[name]; ok {
		return s
	}
	sc, err := scenarios.Get(name, model.Default())
	if err != nil {
		t.Fatal(err)
	}
	cfg := *sc.Config
	cfg.Replications = 2
	cfg.Horizon = 120 * 24
	s, err := sim.Run(context.Background(), &cfg, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	runs[name] = s
	return s
}

func TestRenderPNG(t *testing.T) {
	s := summary(t, "baseline")
	files, err := Render(s, "baseline", "png")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
	}
	if got, want := strings.Join(names, " "), "occupancy.png occupancy-non-stable.png tickets.png pool.png"; got != want {
		t.Fatalf("files %s, want %s", got, want)
	}
	for _, f := range files {
		img, err := png.Decode(bytes.NewReader(f.Data))
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if b := img.Bounds(); b.Dx() != 960 || b.Dy() != 528 {
			t.Errorf("%s: size %dx%d, want 960x528", f.Name, b.Dx(), b.Dy())
		}
		if n := colours(img); n < 20 {
			t.Errorf("%s: %d colours: blank?", f.Name, n)
		}
	}
}

// colours counts the distinct colours of img, up to 1000.
func colours(img image.Image) int {
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bb, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bb, a}] = true
			if len(seen) >= 1000 {
				return len(seen)
			}
		}
	}
	return len(seen)
}

func TestRenderDeterministic(t *testing.T) {
	s := summary(t, "baseline")
	for _, format := range Formats {
		a, err := Render(s, "baseline", format)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Render(s, "baseline", format)
		if err != nil {
			t.Fatal(err)
		}
		for i := range a {
			if !bytes.Equal(a[i].Data, b[i].Data) {
				t.Errorf("%s: two renders differ", a[i].Name)
			}
		}
		if format == "svg" && !bytes.Contains(a[0].Data, []byte("<svg")) {
			t.Errorf("%s: not an SVG", a[0].Name)
		}
	}
}

func TestRenderErrors(t *testing.T) {
	s := summary(t, "baseline")
	if _, err := Render(s, "baseline", "gif"); err == nil || !strings.Contains(err.Error(), `"gif"`) {
		t.Errorf("gif: got %v, want an error naming the format", err)
	}
	if _, err := Render(&sim.Summary{}, "x", "png"); err == nil {
		t.Error("empty summary: no error")
	}
}

// legend returns the legend entries of a figure's panels, joined.
func legend(f *figure) string {
	var all []string
	for _, p := range f.panels {
		all = append(all, p.names...)
	}
	return strings.Join(all, "\n")
}

func TestPoolMarksExhaustion(t *testing.T) {
	crunch := summary(t, "pool-crunch")
	if crunch.Pool.RanOut == 0 {
		t.Fatal("pool-crunch did not run out in 120 days: the test needs it to")
	}
	f := poolFigure(crunch, "pool-crunch")
	if l := legend(f); !strings.Contains(l, ranOutLabel) || !strings.Contains(l, "capacity") {
		t.Errorf("pool-crunch legend lacks the exhaustion mark or capacity:\n%s", l)
	}
	// The figures of the table, with their intervals (the peak is the
	// capacity in every replication: no interval to give).
	if l := legend(f); !regexp.MustCompile(`used at the end: [0-9.,]+ ± [0-9.,]+ [GTP]iB`).MatchString(l) ||
		!regexp.MustCompile(`peak: [0-9.,]+( ± [0-9.,]+)? [GTP]iB`).MatchString(l) {
		t.Errorf("pool-crunch legend lacks the pool used at the end with its interval, or the peak:\n%s", l)
	}
	base := summary(t, "baseline")
	if base.Pool.RanOut != 0 {
		t.Fatal("baseline ran out")
	}
	if l := legend(poolFigure(base, "baseline")); strings.Contains(l, ranOutLabel) {
		t.Errorf("baseline legend marks exhaustion:\n%s", l)
	}
	// The marks are drawn in the failed statuses' red, which the picture
	// of an unlimited pool (no capacity line, no exhaustion) never uses.
	red := func(s *sim.Summary, name string) int {
		data, err := poolFigure(s, name).render("png")
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		want := classColor(model.Failed)
		n := 0
		b := img.Bounds()
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				r, g, bb, _ := img.At(x, y).RGBA()
				if uint8(r>>8) == want.R && uint8(g>>8) == want.G && uint8(bb>>8) == want.B {
					n++
				}
			}
		}
		return n
	}
	if r := red(base, "baseline"); r != 0 {
		t.Errorf("baseline (unlimited pool) picture has %d pixels of the exhaustion red", r)
	}
	if r := red(crunch, "pool-crunch"); r == 0 {
		t.Error("pool-crunch picture has no pixel of the exhaustion red")
	}
}

func TestOccupancyLegends(t *testing.T) {
	s := summary(t, "pool-crunch")
	full := legend(occupancyFigure(s, "pool-crunch", false))
	for _, want := range []string{"In-use", "Available", "every other status", "warm-up ends"} {
		if !strings.Contains(full, want) {
			t.Errorf("occupancy legend lacks %q:\n%s", want, full)
		}
	}
	if strings.Contains(full, "Error") {
		t.Errorf("occupancy legend names a non-stable status:\n%s", full)
	}
	ns := legend(occupancyFigure(s, "pool-crunch", true))
	if !strings.Contains(ns, "Error") || strings.Contains(ns, "In-use") {
		t.Errorf("non-stable legend:\n%s", ns)
	}
}

func TestTicks(t *testing.T) {
	ts := groupedTicks{}.Ticks(0, 23456)
	var labels []string
	for _, tk := range ts {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	if got, want := strings.Join(labels, " "), "0 5,000 10,000 15,000 20,000"; got != want {
		t.Errorf("labels %q, want %q", got, want)
	}
}

func TestECDF(t *testing.T) {
	got := ecdf([]float64{0, 0, 1, 3})
	want := "{0 0} {0 0.5} {1 0.75} {3 1}"
	var parts []string
	for _, p := range got {
		parts = append(parts, "{"+num(p.X)+" "+num(p.Y)+"}")
	}
	if g := strings.Join(parts, " "); g != want {
		t.Errorf("ecdf %s, want %s", g, want)
	}
}
