package plots

import (
	"image/color"
	"math"
	"testing"
)

// linear converts an sRGB channel to linear light.
func linear(c uint8) float64 {
	v := float64(c) / 255
	if v <= 0.04045 {
		return v / 12.92
	}
	return math.Pow((v+0.055)/1.055, 2.4)
}

// lab returns the CIELAB coordinates (D65) of linear RGB.
func lab(r, g, b float64) [3]float64 {
	x := (0.4124*r + 0.3576*g + 0.1805*b) / 0.95047
	y := 0.2126*r + 0.7152*g + 0.0722*b
	z := (0.0193*r + 0.1192*g + 0.9505*b) / 1.08883
	f := func(t float64) float64 {
		if t > 0.008856 {
			return math.Cbrt(t)
		}
		return 7.787*t + 16.0/116
	}
	return [3]float64{116*f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))}
}

// vision simulates a kind of colour vision on linear RGB: normal, or the
// dichromacies of Viénot, Brettel and Mollon (1999).
type vision struct {
	name string
	m    [3][3]float64
}

var visions = []vision{
	{"normal", [3][3]float64{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}},
	{"protanopia", [3][3]float64{{0.11238, 0.88762, 0}, {0.11238, 0.88762, 0}, {0.00401, -0.00401, 1}}},
	{"deuteranopia", [3][3]float64{{0.29275, 0.70725, 0}, {0.29275, 0.70725, 0}, {-0.02234, 0.02234, 1}}},
}

func seen(c color.Color, v vision) [3]float64 {
	r, g, b, _ := c.RGBA()
	l := [3]float64{linear(uint8(r >> 8)), linear(uint8(g >> 8)), linear(uint8(b >> 8))}
	var o [3]float64
	for i := range 3 {
		for j := range 3 {
			o[i] += v.m[i][j] * l[j]
		}
		o[i] = math.Max(0, math.Min(1, o[i]))
	}
	return lab(o[0], o[1], o[2])
}

func distance(a, b color.Color, v vision) float64 {
	x, y := seen(a, v), seen(b, v)
	return math.Hypot(math.Hypot(x[0]-y[0], x[1]-y[1]), x[2]-y[2])
}

// TestNonStableColoursApart: the bands of the non-stable picture of a
// baseline run (a dozen statuses) differ pairwise by a CIELAB distance of
// 12 or more, for normal vision and for protanopia and deuteranopia; the
// class shades the picture used before were four near-identical blues.
func TestNonStableColoursApart(t *testing.T) {
	s := summary(t, "baseline")
	f := occupancyFigure(s, "baseline", true)
	fills := f.panels[0].fills
	if len(fills) < 8 {
		t.Fatalf("%d bands; want the baseline's many non-stable statuses", len(fills))
	}
	if len(fills) > len(distinct) {
		t.Fatalf("%d bands, %d colours", len(fills), len(distinct))
	}
	for _, v := range visions {
		for i := range fills {
			for j := i + 1; j < len(fills); j++ {
				if d := distance(fills[i], fills[j], v); d < 12 {
					t.Errorf("%s: bands %d and %d (%v, %v) are %.1f apart; want 12 or more", v.name, i, j, fills[i], fills[j], d)
				}
			}
		}
	}
	// The palette itself, all of it.
	for _, v := range visions {
		for i := range distinct {
			for j := i + 1; j < len(distinct); j++ {
				if d := distance(hex(distinct[i]), hex(distinct[j]), v); d < 12 {
					t.Errorf("%s: palette colours %s and %s are %.1f apart", v.name, distinct[i], distinct[j], d)
				}
			}
		}
	}
}
