package sweep

import (
	"bytes"
	"image/png"
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	cases := []struct {
		in   string
		want []Param
	}{
		{"operator.agents=1,2,3,4,6", []Param{{"operator.agents", []string{"1", "2", "3", "4", "6"}}}},
		{"failures.expand=0:0.1:5", []Param{{"failures.expand", []string{"0", "0.025", "0.05", "0.075", "0.1"}}}},
		{"failures.expand=0.1:0.3:3", []Param{{"failures.expand", []string{"0.1", "0.2", "0.3"}}}},
		{"operator.service.median=30m:90m:3", []Param{{"operator.service.median", []string{"30m", "60m", "90m"}}}},
		{"operator.agents=6:1:6", []Param{{"operator.agents", []string{"6", "5", "4", "3", "2", "1"}}}},
		{"x=5:5:1", []Param{{"x", []string{"5"}}}},
		{" a = 1 ; b=unlimited,100 ", []Param{{"a", []string{"1"}}, {"b", []string{"unlimited", "100"}}}},
	}
	for _, tc := range cases {
		got, err := Parse(tc.in)
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q: got %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct{ in, want string }{
		{"operator.agents", "want PATH=v1,v2"},
		{"=1,2", "want PATH=v1,v2"},
		{"a=", "want PATH=v1,v2"},
		{"a=1,,2", "empty value"},
		{"a=1:2", "want from:to:steps"},
		{"a=1:2:0", "steps"},
		{"a=1:2:x", "steps"},
		{"a=1:2:1", "one step needs from equal to to"},
		{"a=30s:2m:3", "different units"},
		{"a=x:2:3", "is not a number"},
		{"a=1;a=2", "swept twice"},
		{"a=0:1:100000", "steps"},
		{";", "no parameter"},
	}
	for _, tc := range cases {
		_, err := Parse(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v; want %q", tc.in, err, tc.want)
		}
	}
}

func TestGrid(t *testing.T) {
	ps := []Param{{"a", []string{"1", "2"}}, {"b", []string{"x", "y", "z"}}}
	g, err := Grid(ps)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"1", "x"}, {"1", "y"}, {"1", "z"}, {"2", "x"}, {"2", "y"}, {"2", "z"}}
	if !reflect.DeepEqual(g, want) {
		t.Errorf("got %v, want %v", g, want)
	}
	big := []Param{{"a", make([]string, 100)}, {"b", make([]string, 100)}}
	if _, err := Grid(big); err == nil {
		t.Error("a 10,000-point grid is accepted")
	}
}

func TestNumber(t *testing.T) {
	for _, tc := range []struct {
		in   string
		x    float64
		unit string
		ok   bool
	}{{"3", 3, "", true}, {"30m", 0.5, "h", true}, {"2d", 48, "h", true}, {"unlimited", 0, "", false}, {"3q", 0, "", false}} {
		x, u, ok := Number(tc.in)
		if ok != tc.ok || (ok && (math.Abs(x-tc.x) > 1e-12 || u != tc.unit)) {
			t.Errorf("%q: got %g %q %v, want %g %q %v", tc.in, x, u, ok, tc.x, tc.unit, tc.ok)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"a=1,2", "a=0:1:3", "a=1s:3s:3;b=x", "a=1e3:1e4:2", ";;", "a=-1:1:3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ps, err := Parse(s)
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, p := range ps {
			if p.Path == "" || len(p.Values) == 0 || len(p.Values) > MaxPoints || seen[p.Path] {
				t.Fatalf("%q: bad parameter %+v", s, p)
			}
			seen[p.Path] = true
			for _, v := range p.Values {
				if v == "" {
					t.Fatalf("%q: empty value", s)
				}
			}
		}
	})
}

func figure() *Figure {
	return &Figure{
		Title: "scenario x", XLabel: "operator.agents", Ticks: []string{"1", "2", "4"}, TickAt: []float64{1, 2, 4},
		Panels: []Panel{
			{Title: "Failed", YLabel: "disks", Series: []Series{
				{Label: "a=1", X: []float64{1, 2, 4}, Mean: []float64{5, 2, 1}, Half: []float64{1, 0.5, 0.2}},
				{Label: "a=2", X: []float64{1, 2, 4}, Mean: []float64{6, 3, math.NaN()}, Half: []float64{1, 0.5, 0}},
			}},
			{Title: "Empty", YLabel: "hours", Series: []Series{{Label: "a=1", X: []float64{1}, Mean: []float64{math.NaN()}, Half: []float64{0}}}},
		},
	}
}

// TestPlot: PNG decodes at the expected size, SVG is SVG, and the same
// figure gives the same bytes.
func TestPlot(t *testing.T) {
	a, err := Plot(figure(), "png")
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() < 500 || b.Dy() < 400 {
		t.Errorf("PNG is %dx%d; want a readable size", b.Dx(), b.Dy())
	}
	b, _ := Plot(figure(), "png")
	if !bytes.Equal(a, b) {
		t.Error("the same figure gives different PNG bytes")
	}
	s, err := Plot(figure(), "svg")
	if err != nil || !bytes.Contains(s, []byte("<svg")) || !bytes.Contains(s, []byte("operator.agents")) {
		t.Errorf("SVG: %v", err)
	}
	if _, err := Plot(figure(), "gif"); err == nil {
		t.Error("gif is accepted")
	}
	if _, err := Plot(&Figure{}, "png"); err == nil {
		t.Error("an empty figure is accepted")
	}
}

// TestYTicks: the y axis of a sweep panel labels at least four round
// values over any range, and only values within it.
func TestYTicks(t *testing.T) {
	for _, r := range [][2]float64{{0, 1.04}, {0, 2.3}, {0, 17}, {0, 0.0031}, {-5, 1234}, {0, 86000}, {12.5, 13.1}} {
		var labels []string
		for _, tk := range (yTicks{}).Ticks(r[0], r[1]) {
			if tk.Value < r[0]-1e-9 || tk.Value > r[1]+1e-9 {
				t.Errorf("%v: tick %g outside the range", r, tk.Value)
			}
			if tk.Label != "" {
				labels = append(labels, tk.Label)
			}
		}
		if len(labels) < 4 || len(labels) > 11 {
			t.Errorf("%v: labels %v; want 4 to 11", r, labels)
		}
	}
}
